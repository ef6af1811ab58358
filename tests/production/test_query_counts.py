"""Query counts of the main pages and endpoints (issue 13): each stays within a small budget, and
the list pages cost the same number of queries however many rows there are (no query per row, no
table read whole into Python). Budgets are the counts measured when they were written, with a
little room; a page that needs more should say why in its own change."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onconav.hospitals.index import hospital_index_refresh
from onconav.kb.models import KBRecord, RecordKind
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "age": 67,
    "ecog": 1,
    "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
    "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}, {"name": "PD-L1 TPS", "value": 30, "unit": "%"}],
    "preferences": {"cities": ["Shanghai"]},
}
OPTIONS_FORM = {
    "oncotree_code": "LUAD",
    "stage": "IV",
    "ecog": "1",
    "age": "67",
    "egfr": "L858R",
    "pdl1_tps": "30",
    "other_alterations": "",
    "prior_therapies": "",
}


def queries(client, method: str, url: str, **kwargs) -> int:  # type: ignore[no-untyped-def]
    getattr(client, method)(url, **kwargs)  # warm: per-process caches, sessions
    with CaptureQueriesContext(connection) as ctx:
        resp = getattr(client, method)(url, **kwargs)
    assert resp.status_code == 200, (url, resp.status_code, resp.content[:300])
    return len(ctx.captured_queries)


def more_hospitals(n: int) -> None:
    base = KBRecord.objects.get(kind=RecordKind.HOSPITAL, key="fudan-cancer-center")
    KBRecord.objects.bulk_create(
        [
            KBRecord(
                kind=RecordKind.HOSPITAL,
                key=f"zz-extra-{i}",
                data={**base.data, "id": f"zz-extra-{i}", "city": "Beijing"},
                name_en=base.name_en,
                search_en=base.search_en,
                content_hash="x",
                version="t",
            )
            for i in range(n)
        ]
    )
    hospital_index_refresh()


@pytest.mark.parametrize(
    ("name", "method", "url", "kwargs", "budget"),
    [
        ("home", "get", "/", {}, 1),
        ("KB index", "get", "/kb/?drugs_page=2", {}, 7),  # version; modalities, cancers, drugs: count + page
        ("KB evidence API", "get", "/api/v1/kb/evidence?cancer=LUAD&drug=osimertinib", {}, 2),
        ("KB search page", "get", "/kb/search/?q=EGFR", {}, 2),
        ("KB search API", "get", "/api/v1/kb/search?q=osimertinib", {}, 2),
        ("hospital directory", "get", "/hospitals/?city=Beijing", {}, 3),
        ("hospital page", "get", "/hospitals/fudan-cancer-center/", {}, 2),
        ("API hospitals", "get", "/api/v1/hospitals?q=cancer", {}, 2),
        ("API hospital", "get", "/api/v1/hospitals/fudan-cancer-center", {}, 2),
        ("options page", "post", "/options/", {"data": OPTIONS_FORM}, 5),
        (
            "API options",
            "post",
            "/api/v1/options",
            {"data": json.dumps(PROFILE), "content_type": "application/json"},
            1,
        ),
    ],
)
def test_public_pages_stay_within_their_query_budget(client, kb_loaded, name, method, url, kwargs, budget):
    n = queries(client, method, url, **kwargs)
    assert n <= budget, f"{name}: {n} queries (budget {budget})"


def test_directory_and_its_api_cost_the_same_with_more_hospitals(client, kb_loaded):
    before = (
        queries(client, "get", "/hospitals/?city=Beijing"),
        queries(client, "get", "/api/v1/hospitals?city=Beijing"),
        queries(client, "post", "/api/v1/options", data=json.dumps(PROFILE), content_type="application/json"),
    )
    more_hospitals(60)
    after = (
        queries(client, "get", "/hospitals/?city=Beijing"),
        queries(client, "get", "/api/v1/hospitals?city=Beijing"),
        queries(client, "post", "/api/v1/options", data=json.dumps(PROFILE), content_type="application/json"),
    )
    assert after == before


def test_case_page_and_queue_stay_within_budget_however_many_cases(client, kb_loaded, coordinator, login_as):
    # given a coordinator and a few cases
    cases = [CaseFactory() for _ in range(3)]
    login_as(coordinator)
    case_page = queries(client, "get", f"/cases/{cases[0].public_id}/")
    queue = queries(client, "get", "/cases/queue/")
    assert case_page <= 26, case_page
    assert queue <= 8, queue
    # when there are many more cases than a page; then the queue costs the same
    for _ in range(60):
        CaseFactory()
    assert queries(client, "get", "/cases/queue/") == queue
    assert queries(client, "get", "/cases/queue/?page=2") == queue


def test_patient_case_page_stays_within_budget(client, kb_loaded, login_as):
    case = CaseFactory()
    login_as(case.patient)
    n = queries(client, "get", f"/cases/{case.public_id}/")
    assert n <= 20, n
