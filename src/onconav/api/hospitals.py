"""Hospital directory and matching (public: no patient data)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from onconav.api.pagination import clamp, json_list, page_headers, page_total
from onconav.api.schemas import ErrorBody
from onconav.hospitals import selectors
from onconav.hospitals.matching import hospital_match

router = Router(tags=["hospitals"])


class HospitalFilters(Schema):
    city: str = ""
    capability: str = ""
    cancer: str = ""
    accreditation: str = ""
    language: str = ""
    hospital_type: str = ""
    q: str = ""
    # paging (additive; the response stays a list): X-Total-Count and Link headers
    limit: int | None = None
    offset: int = 0


LIST_DEFAULT_LIMIT = 200
LIST_MAX_LIMIT = 500


class HospitalOut(Schema):
    id: str
    name: str
    name_zh: str | None = None
    city: str
    type: str
    capabilities: list[str]
    verified: bool


class HospitalDetail(HospitalOut):
    data: dict[str, Any]


class MatchIn(Schema):
    modalities: list[str] = []
    regimens: list[str] = []
    cities: list[str] = []
    languages: list[str] = []
    budget_usd: float | None = None
    limit: int = 20


class MatchOut(Schema):
    hospital: HospitalOut
    score: float
    reasons: list[str]
    cautions: list[str]


def _out(h) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    d = h.data
    return {
        "id": h.id,
        "name": d["name"],
        "name_zh": d.get("name_zh"),
        "city": d["city"],
        "type": d["type"],
        "capabilities": d.get("capabilities", []),
        "verified": d.get("verified", False),
    }


@router.get(
    "/hospitals",
    response=list[HospitalOut],
    auth=None,
    summary="Hospital directory, filtered",
    description=(
        "In directory order. Paged: `limit` (default 200, at most 500) and `offset`; the total is in "
        "the `X-Total-Count` header and the neighbouring pages in `Link` (`rel=next`, `rel=prev`)."
    ),
)
def hospital_list(request: HttpRequest, response: HttpResponse, filters: Query[HospitalFilters]):  # type: ignore[no-untyped-def]
    f = filters.dict()
    limit, offset = clamp(f.pop("limit"), f.pop("offset"), default=LIST_DEFAULT_LIMIT, maximum=LIST_MAX_LIMIT)
    qs = selectors.hospitals_filtered_qs(**{k: v for k, v in f.items() if v})
    rows = list(
        qs.values("key", "name", "name_zh", "city", "type", "capabilities", "verified")[
            offset : offset + limit
        ]
    )
    total = page_total(qs.count, limit=limit, offset=offset, shown=len(rows))
    # written directly (``json_list``): the items are the schema's shape, built from the index's
    # own columns, so validating 200 of them again only cost time
    out = json_list(
        [
            {
                "id": r["key"],
                "name": r["name"],
                "name_zh": r["name_zh"] or None,
                "city": r["city"],
                "type": r["type"],
                "capabilities": [c for c in r["capabilities"].split("|") if c],
                "verified": r["verified"],
            }
            for r in rows
        ]
    )
    page_headers(request, out, limit=limit, offset=offset, total=total)
    return out


@router.post(
    "/hospitals/match",
    response=list[MatchOut],
    auth=None,
    summary="Hospitals ranked for a case (public rules)",
)
def hospital_match_api(request: HttpRequest, body: MatchIn):  # type: ignore[no-untyped-def]
    limit = max(1, min(body.limit, 100))
    matches = hospital_match(
        modalities=body.modalities,
        regimens=body.regimens,
        cities=body.cities,
        languages=body.languages,
        budget_usd=body.budget_usd,
        limit=limit,
    )
    return [
        {"hospital": _out(m.hospital), "score": m.score, "reasons": m.reasons, "cautions": m.cautions}
        for m in matches
    ]


@router.get(
    "/hospitals/{hospital_id}",
    response={200: HospitalDetail, 404: ErrorBody},
    auth=None,
    summary="One hospital",
)
def hospital_detail(request: HttpRequest, hospital_id: str):  # type: ignore[no-untyped-def]
    h = selectors.hospital_get(hospital_id)
    return {**_out(h), "data": h.data}
