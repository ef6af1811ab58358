"""Knowledge-base endpoints (public: the knowledge base holds no patient data)."""

from __future__ import annotations

from typing import Any

from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from onconav.api.pagination import clamp, json_list, page_headers, page_total
from onconav.api.schemas import ErrorBody
from onconav.kb import selectors
from onconav.kb.models import RecordKind
from onconav.kb.public import public_data, public_data_from_json

router = Router(tags=["knowledge base"])


class RecordOut(Schema):
    kind: str
    key: str
    name: str
    name_zh: str
    verified: bool


class RecordDetail(RecordOut):
    data: dict[str, Any]


class EvidenceFilters(Schema):
    cancer: str = ""
    biomarker: str = ""
    level: str = ""
    drug: str = ""


class SearchQuery(Schema):
    q: str
    limit: int | None = None  # paging (additive; the response stays a list): Link header
    offset: int = 0


SEARCH_DEFAULT_LIMIT = 50
SEARCH_MAX_LIMIT = 200
# the collections: at most 1,000 a page. Evidence passed a thousand records with knowledge base v5
# (1,001 on 2026-12-08), so its unfiltered default page is no longer the whole collection: a caller
# follows the Link header (docs/operations.md)
LIST_LIMIT = 1000


def _paged(request: HttpRequest, response: HttpResponse, qs, limit: int | None, offset: int):  # type: ignore[no-untyped-def]
    """One page of a queryset (counted in the database), with X-Total-Count and Link headers."""
    lim, off = clamp(limit, offset, default=LIST_LIMIT, maximum=LIST_LIMIT)
    rows = list(qs[off : off + lim])
    page_headers(
        request,
        response,
        limit=lim,
        offset=off,
        total=page_total(qs.count, limit=lim, offset=off, shown=len(rows)),
    )
    return rows


class ReferenceOut(Schema):
    ref: str
    type: str
    title: str
    title_zh: str | None = None
    url: str | None = None
    publisher: str | None = None
    year: int | None = None


def _out(r) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"kind": r.kind, "key": r.key, "name": r.name_en, "name_zh": r.name_zh, "verified": r.verified}


def _detail(r) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A record as the public sees it: curator notes are never part of a response."""
    return {**_out(r), "data": public_data(r.data)}


@router.get("/kb", auth=None, summary="Knowledge-base version and record counts")
def kb_info(request: HttpRequest) -> dict[str, Any]:
    return {"version": selectors.kb_version(), "counts": selectors.kb_counts()}


@router.get("/kb/export", auth=None, summary="The whole knowledge base (contracts.md section 4)")
def kb_export(request: HttpRequest) -> dict[str, Any]:
    return selectors.kb_export()


@router.get(
    "/kb/search",
    response=list[RecordOut],
    auth=None,
    summary="Full-text search in English and Chinese",
    description=(
        "Best match first. Paged: `limit` (default 50, at most 200) and `offset`; the next and "
        "previous pages are in the `Link` header (`rel=next`, `rel=prev`)."
    ),
)
def kb_search(request: HttpRequest, response: HttpResponse, params: Query[SearchQuery]):  # type: ignore[no-untyped-def]
    limit, offset = clamp(params.limit, params.offset, default=SEARCH_DEFAULT_LIMIT, maximum=SEARCH_MAX_LIMIT)
    found = selectors.kb_search(params.q[:200], limit=limit + 1, offset=offset)
    page_headers(request, response, limit=limit, offset=offset, has_more=len(found) > limit)
    return [_out(r) for r in found[:limit]]


@router.get(
    "/kb/evidence",
    response=list[RecordDetail],
    auth=None,
    summary="Evidence items, filtered",
    description="Filtered and paged in the database, by level, setting and key. Paged: `limit` (at "
    "most 1,000, the default) and `offset`; the total is in `X-Total-Count`, the neighbouring pages "
    "in `Link`.",
)
def evidence_list(
    request: HttpRequest,
    response: HttpResponse,
    filters: Query[EvidenceFilters],
    limit: int | None = None,
    offset: int = 0,
):  # type: ignore[no-untyped-def]
    qs = selectors.evidence_filtered(**filters.dict())
    lim, off = clamp(limit, offset, default=LIST_LIMIT, maximum=LIST_LIMIT)
    # the record's JSON as the database holds it, read once by the C parser with the curator
    # notes left out as it goes (``public_data_from_json``), and written once: the default page
    # stays the documented 1,000 items (docs/operations.md, "Evidence API default page")
    rows = list(
        qs.annotate(data_json=Cast("data", TextField())).values_list(
            "kind", "key", "name_en", "name_zh", "verified", "data_json"
        )[off : off + lim]
    )
    out = json_list(
        [
            {
                "kind": kind,
                "key": key,
                "name": name,
                "name_zh": name_zh,
                "verified": verified,
                "data": public_data_from_json(data),
            }
            for kind, key, name, name_zh, verified, data in rows
        ]
    )
    total = page_total(qs.count, limit=lim, offset=off, shown=len(rows))
    page_headers(request, out, limit=lim, offset=off, total=total)
    return out


@router.get(
    "/kb/references",
    response=list[ReferenceOut],
    auth=None,
    summary="What each label, guideline and notice reference is, and where to read it",
)
def reference_list(request: HttpRequest, response: HttpResponse, limit: int | None = None, offset: int = 0):  # type: ignore[no-untyped-def]
    qs = selectors.records(RecordKind.REFERENCE).only("id", "key", "data")
    return [public_data(r.data) for r in _paged(request, response, qs, limit, offset)]


def _collection(kind: str, name: str) -> None:
    @router.get(
        f"/kb/{name}",
        response=list[RecordOut],
        auth=None,
        summary=f"All {name}",
        description="By key. Paged: `limit` (at most 1,000, the default) and `offset`; the total is in "
        "`X-Total-Count`, the neighbouring pages in `Link`.",
        operation_id=f"kb_{name}_list",
    )
    def listing(request: HttpRequest, response: HttpResponse, limit: int | None = None, offset: int = 0):  # type: ignore[no-untyped-def]
        qs = selectors.records(kind).only(*selectors.RESULT_FIELDS)
        return [_out(r) for r in _paged(request, response, qs, limit, offset)]

    @router.get(
        f"/kb/{name}/{{key}}",
        response={200: RecordDetail, 404: ErrorBody},
        auth=None,
        summary=f"One of the {name}",
        operation_id=f"kb_{name}_get",
    )
    def detail(request: HttpRequest, key: str):  # type: ignore[no-untyped-def]
        return _detail(selectors.record_get(kind, key))


for _kind, _name in (
    (RecordKind.MODALITY, "modalities"),
    (RecordKind.CANCER, "cancers"),
    (RecordKind.BIOMARKER, "biomarkers"),
    (RecordKind.DRUG, "drugs"),
    (RecordKind.REGIMEN, "regimens"),
    (RecordKind.TRIAL, "trials"),
):
    _collection(_kind, _name)
