"""The knowledge-base index pages its cancer and drug lists in the database (issue 13): the leaf
cancers are those no other cancer names as parent, each list is read one page at a time, and the
page costs the same number of queries however many records there are."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onconav.kb import views
from onconav.kb.models import KBRecord, RecordKind
from onconav.kb.selectors import leaf_cancers

pytestmark = pytest.mark.django_db


def test_leaf_cancers_are_the_ones_without_children(kb_loaded):
    cancers = list(KBRecord.objects.filter(kind=RecordKind.CANCER))
    parents = {c.data.get("parent") for c in cancers}
    expected = sorted((c for c in cancers if c.key not in parents), key=lambda c: (c.name_en, c.key))
    got = list(leaf_cancers())
    assert [c.key for c in got] == [c.key for c in expected]
    assert "LUAD" in {c.key for c in got} and "NSCLC" not in {c.key for c in got}


def test_the_parent_column_is_each_cancers_parent_code(kb_loaded):
    # given the loaded KB; then every cancer's indexed parent is the parent of its data
    rows = list(KBRecord.objects.filter(kind=RecordKind.CANCER).values_list("key", "parent", "data"))
    assert rows and all(parent == (data.get("parent") or "") for _key, parent, data in rows)
    assert KBRecord.objects.get(kind=RecordKind.CANCER, key="LUAD").parent == "NSCLC"


def test_children_and_lineage_come_from_the_parent_column(kb_loaded):
    from onconav.kb.selectors import cancer_children, cancer_lineage, kb_cache_clear

    kb_cache_clear()
    expected = sorted(
        k
        for k, d in KBRecord.objects.filter(kind=RecordKind.CANCER).values_list("key", "data")
        if d.get("parent") == "NSCLC"
    )
    assert "LUAD" in expected and [c.key for c in cancer_children("NSCLC")] == expected
    assert cancer_lineage("LUAD")[:2] == ["LUAD", "NSCLC"]


def test_migration_backfills_the_parent_column(kb_loaded):
    import importlib

    from django.apps import apps

    # given records loaded before the column existed (parent empty); when the backfill runs
    KBRecord.objects.filter(kind=RecordKind.CANCER).update(parent="")
    migration = importlib.import_module("onconav.kb.migrations.0007_cancer_parent")
    migration.backfill(apps, None)
    # then every cancer has its parent again
    assert KBRecord.objects.get(kind=RecordKind.CANCER, key="LUAD").parent == "NSCLC"
    assert not KBRecord.objects.filter(kind=RecordKind.CANCER, key="NSCLC", parent="").exists()


def drug_keys(html: str) -> list[str]:
    return [unquote(k) for k in re.findall(r'href="/kb/drugs/([^/"]+)/"', html)]


def test_drugs_are_paged_and_every_drug_is_on_exactly_one_page(client, kb_loaded):
    total = KBRecord.objects.filter(kind=RecordKind.DRUG).count()
    assert total > views.INDEX_DRUGS_PER_PAGE  # otherwise there is nothing to page
    seen: list[str] = []
    page = 1
    while True:
        html = client.get("/kb/", {"drugs_page": page}).content.decode()
        keys = drug_keys(html)
        assert 0 < len(keys) <= views.INDEX_DRUGS_PER_PAGE
        seen += keys
        if 'rel="next"' not in html.split('id="drugs"')[1]:
            break
        page += 1
    assert seen == sorted(KBRecord.objects.filter(kind=RecordKind.DRUG).values_list("key", flat=True))
    assert len(seen) == total


def test_the_other_list_keeps_its_page_in_the_pager_links(client, kb_loaded):
    html = client.get("/kb/", {"cancers_page": 2, "drugs_page": 1}).content.decode()
    drugs_part = html.split('id="drugs"')[1]
    assert "cancers_page=2&amp;drugs_page=2#drugs" in drugs_part


def index_queries(client) -> int:  # type: ignore[no-untyped-def]
    client.get("/kb/")  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/kb/", {"drugs_page": 2}).status_code == 200
    return len(ctx.captured_queries)


def test_index_costs_the_same_with_many_more_cancers_and_drugs(client, kb_loaded):
    before = index_queries(client)
    assert before <= 8, before
    drug = KBRecord.objects.get(kind=RecordKind.DRUG, key="osimertinib")
    KBRecord.objects.bulk_create(
        [
            KBRecord(
                kind=kind,
                key=f"zz-{kind}-{i}",
                name_en=f"zz {i}",
                data=drug.data,
                content_hash="x",
                version="t",
            )
            for i in range(300)
            for kind in (RecordKind.DRUG, RecordKind.CANCER, RecordKind.MODALITY)
        ]
    )
    assert index_queries(client) == before
    # and only one page of each list is read: the page shows at most a page of rows
    html = client.get("/kb/", {"drugs_page": 2}).content.decode()
    assert len(drug_keys(html)) == views.INDEX_DRUGS_PER_PAGE
    assert len(re.findall(r'href="/kb/cancers/', html)) <= views.INDEX_CANCERS_PER_PAGE
    assert len(re.findall(r'href="/kb/modalities/', html)) == views.INDEX_MODALITIES_PER_PAGE
    assert "modalities_page=2#modalities" in html


def test_the_modalities_are_one_page_without_a_pager_at_the_real_size(client, kb_loaded):
    html = client.get("/kb/").content.decode()
    n = KBRecord.objects.filter(kind=RecordKind.MODALITY).count()
    assert 0 < n <= views.INDEX_MODALITIES_PER_PAGE
    assert len(re.findall(r'href="/kb/modalities/', html)) == n and "modalities_page=" not in html


def test_a_cancer_page_reads_only_its_breadcrumbs_names(client, kb_loaded, django_assert_max_num_queries):
    from onconav.kb.selectors import cancer_names

    assert set(cancer_names(["LUAD", "NSCLC", "nope"])) == {"LUAD", "NSCLC"}
    html = client.get("/kb/cancers/LUAD/").content.decode()
    # the breadcrumb names its ancestors (NSCLC is LUAD's parent)
    nsclc = KBRecord.objects.get(kind=RecordKind.CANCER, key="NSCLC")
    assert f'href="/kb/cancers/NSCLC/">{nsclc.name_en}</a>' in html
