from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from onconav.kb import selectors
from onconav.kb.models import RecordKind
from onconav.kb.public import public_data

INDEX_MODALITIES_PER_PAGE = 60
INDEX_CANCERS_PER_PAGE = 60
INDEX_DRUGS_PER_PAGE = 50


def _index_page(request: HttpRequest, qs, param: str, size: int):  # type: ignore[no-untyped-def]
    """One page of ``qs`` (counted and sliced in the database) and the query string of the other
    lists' pages, for the pager links of this one."""
    from django.core.paginator import Paginator

    page = Paginator(qs, size).get_page(request.GET.get(param))
    others = request.GET.copy()
    others.pop(param, None)
    return {
        "page": page,
        "range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "param": param,
        "query": others.urlencode(),
    }


def index(request: HttpRequest) -> HttpResponse:
    """The modalities, the leaf cancer types and the drugs: each list paged in the database, and
    only the columns a row shows are read (a drug row needs its data for class and access)."""
    return render(
        request,
        "kb/index.html",
        {
            "version": selectors.kb_version(),
            "modalities": _index_page(
                request,
                selectors.records(RecordKind.MODALITY).only(*selectors.RESULT_FIELDS),
                "modalities_page",
                INDEX_MODALITIES_PER_PAGE,
            ),
            "cancers": _index_page(request, selectors.leaf_cancers(), "cancers_page", INDEX_CANCERS_PER_PAGE),
            "drugs": _index_page(
                request,
                selectors.records(RecordKind.DRUG).only(*selectors.RESULT_FIELDS, "data"),
                "drugs_page",
                INDEX_DRUGS_PER_PAGE,
            ),
        },
    )


def cancer_detail(request: HttpRequest, code: str) -> HttpResponse:
    rec = selectors.record_get(RecordKind.CANCER, code)
    lineage = selectors.cancer_lineage(code)
    ev = selectors.evidence_for_cancer(code)
    biomarker_ids = sorted({b for e in ev["own"] for b in (e.data["biomarkers"] + e.data["biomarkers_any"])})
    biomarkers = list(selectors.records(RecordKind.BIOMARKER).filter(key__in=biomarker_ids))
    modality_ids = rec.data.get("modalities", [])
    return render(
        request,
        "kb/cancer.html",
        {
            "rec": rec,
            "lineage": lineage,
            "names": selectors.cancer_names(lineage),  # the breadcrumb's names only
            "children": selectors.cancer_children(code),
            "own": ev["own"],
            "inherited": ev["inherited"],
            "biomarkers": biomarkers,
            "modalities": selectors.records(RecordKind.MODALITY).filter(key__in=modality_ids),
            "version": selectors.kb_version(),
        },
    )


def drug_detail(request: HttpRequest, inn: str) -> HttpResponse:
    rec = selectors.record_get(RecordKind.DRUG, inn)
    data = public_data(rec.data)
    approvals = selectors.approvals_in_order(data.get("approvals", []))
    return render(
        request,
        "kb/drug.html",
        {
            "rec": rec,
            "d": data,
            "approvals": approvals,
            "nmpa": [a for a in approvals if a["agency"] == "NMPA"],
            "evidence": selectors.evidence_for_drug(inn),
            "regimens": selectors.regimens_with_drug(inn),
            "version": selectors.kb_version(),
        },
    )


def modality_detail(request: HttpRequest, modality_id: str) -> HttpResponse:
    rec = selectors.record_get(RecordKind.MODALITY, modality_id)
    return render(request, "kb/modality.html", {"rec": rec, "version": selectors.kb_version()})


def evidence_detail(request: HttpRequest, evidence_id: str) -> HttpResponse:
    rec = selectors.record_get(RecordKind.EVIDENCE, evidence_id)
    data = public_data(rec.data)
    regimen = selectors.KBRecord.objects.filter(kind=RecordKind.REGIMEN, key=rec.regimen).first()
    cancer = selectors.KBRecord.objects.filter(kind=RecordKind.CANCER, key=rec.cancer).first()
    markers = [
        *data.get("biomarkers", []),
        *data.get("biomarkers_any", []),
        *data.get("biomarkers_absent", []),
        *(t["marker"] for t in data.get("thresholds", [])),
    ]
    return render(
        request,
        "kb/evidence.html",
        {
            "rec": rec,
            "d": data,
            "regimen": regimen,
            "cancer": cancer,
            "biomarker_names": selectors.biomarker_names(markers),
            "version": selectors.kb_version(),
        },
    )


SEARCH_PAGE_SIZE = 50
SEARCH_MAX_PAGE = 20


def search(request: HttpRequest) -> HttpResponse:
    """Best matches first, one page of ``SEARCH_PAGE_SIZE`` at a time (one more is read to know
    whether a next page exists)."""
    from urllib.parse import urlencode

    q = request.GET.get("q", "").strip()[:200]
    try:
        page = max(1, min(int(request.GET.get("page", 1)), SEARCH_MAX_PAGE))
    except ValueError:
        page = 1
    found = (
        selectors.kb_search(q, limit=SEARCH_PAGE_SIZE + 1, offset=(page - 1) * SEARCH_PAGE_SIZE) if q else []
    )
    results = found[:SEARCH_PAGE_SIZE]
    has_next = len(found) > SEARCH_PAGE_SIZE and page < SEARCH_MAX_PAGE
    template = "kb/_search_results.html" if request.headers.get("HX-Request") else "kb/search.html"
    return render(
        request,
        template,
        {
            "q": q,
            "results": results,
            "page": page,
            "prev_query": urlencode({"q": q, "page": page - 1}) if page > 1 else "",
            "next_query": urlencode({"q": q, "page": page + 1}) if has_next else "",
        },
    )
