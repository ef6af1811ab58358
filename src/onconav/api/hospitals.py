"""Hospital directory and matching (public: no patient data)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

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


@router.get("/hospitals", response=list[HospitalOut], auth=None, summary="Hospital directory, filtered")
def hospital_list(request: HttpRequest, filters: Query[HospitalFilters]):  # type: ignore[no-untyped-def]
    return [_out(h) for h in selectors.hospitals_filtered(**{k: v for k, v in filters.dict().items() if v})]


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
