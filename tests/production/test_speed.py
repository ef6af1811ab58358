"""Speed work of issue 13: indexed KB search in both languages, the one-round-trip rate limiter
that fails safe, the knowledge base loaded at start, readiness, bounded query counts."""

from __future__ import annotations

import pytest
from django.db import connection

from onconav.kb import search
from onconav.kb.models import KBRecord, RecordKind
from onconav.kb.selectors import kb_search

pytestmark = pytest.mark.django_db


def test_chinese_text_is_indexed_as_unigrams_and_bigrams():
    # given a mixed text; when it is turned into n-grams; then only the Chinese runs are kept
    assert search.zh_grams("奥希替尼 osimertinib 肺") == "奥 希 替 尼 奥希 希替 替尼 肺"
    # and a query needs all of its bigrams, or the single character
    assert search.query_grams("希替尼") == ["希替", "替尼"]
    assert search.query_grams("肺") == ["肺"]
    assert search.query_words("EGFR 奥希替尼 CAR-T") == ["EGFR", "CAR-T"]


def test_the_stored_search_document_exists_and_follows_every_write(kb_loaded):
    # given the loaded KB; when a record's text changes; then the index finds the new text only
    rec = KBRecord.objects.filter(kind=RecordKind.DRUG, key="osimertinib").get()
    assert rec.search_grams and "奥希" in rec.search_grams
    rec.search_en += " zzqxuniqueword"
    rec.save()
    assert [r.key for r in kb_search("zzqxuniqueword")] == ["osimertinib"]
    rec.search_en = rec.search_en.replace(" zzqxuniqueword", "")
    rec.save()
    assert kb_search("zzqxuniqueword") == []
    # and a deleted record leaves the index
    pk = rec.pk
    assert pk in [r.pk for r in kb_search("osimertinib")]
    rec.delete()
    assert pk not in [r.pk for r in kb_search("osimertinib")]


def test_search_uses_the_index_not_a_scan(kb_loaded):
    # given SQLite (the embedded default) or PostgreSQL; then the search reads the index structure
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM kb_kbrecord_fts")
            assert cur.fetchone()[0] == KBRecord.objects.count()
    elif connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'kb_kbrecord_search_document_gin'")
            assert "gin" in cur.fetchone()[0].lower()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("osimertinib", "osimertinib"),
        ("奥希替尼", "osimertinib"),
        ("希替", "osimertinib"),
        ("osimer", "osimertinib"),
    ],
)
def test_search_finds_words_prefixes_and_chinese_substrings(kb_loaded, query, expected):
    # when searching in either language; then the record is among the first results
    keys = [r.key for r in kb_search(query)]
    assert expected in keys[:10], keys[:10]


def test_search_ignores_punctuation_that_would_break_the_query_syntax(kb_loaded):
    # given query strings with FTS operators and quotes; then no error, only results or none
    for q in ['"', "AND OR NOT", "osimertinib*", "(EGFR", "NEAR(a b)", "'; DROP TABLE kb_kbrecord; --"]:
        kb_search(q)
    assert KBRecord.objects.exists()


def test_search_never_returns_reference_records(kb_loaded):
    assert all(r.kind != RecordKind.REFERENCE for r in kb_search("FDA label"))


def test_the_hospital_directory_index_follows_every_write(kb_loaded):
    from onconav.hospitals import selectors
    from onconav.hospitals.models import HospitalEntry

    # given the loaded KB; then every hospital record has its directory index row
    assert HospitalEntry.objects.count() == KBRecord.objects.filter(kind=RecordKind.HOSPITAL).count()
    # when a hospital record is added one at a time; then the directory sees it
    rec = KBRecord.objects.create(
        kind=RecordKind.HOSPITAL,
        key="zz-new-hospital",
        data={"name": "New", "city": "Beijing"},
        content_hash="x",
        version="t",
    )
    assert "zz-new-hospital" in [h.id for h in selectors.hospitals_filtered(city="Beijing")]
    # when it is deleted; then it leaves the directory
    rec.delete()
    assert not HospitalEntry.objects.filter(key="zz-new-hospital").exists()


def test_at_most_rank_candidates_matches_are_ranked_and_the_key_match_is_always_first(kb_loaded, monkeypatch):
    # given a word many records mention
    everything = search.search_ids("osimertinib", limit=500, exclude_kind=RecordKind.REFERENCE)
    assert len(everything) > 4
    # (the drug and its single-drug regimen both have the key "osimertinib")
    key_match = set(KBRecord.objects.filter(key="osimertinib").values_list("pk", flat=True))
    assert set(everything[: len(key_match)]) == key_match
    # when only a few candidates may be ranked; then no more are returned, the key match first
    monkeypatch.setattr(search, "RANK_CANDIDATES", 3)
    capped = search.search_ids("osimertinib", limit=500, exclude_kind=RecordKind.REFERENCE)
    assert set(capped[: len(key_match)]) == key_match and len(capped) <= 3 + len(key_match)
    assert set(capped) <= set(everything)
    # and with no candidate at all, the record whose key is the query is still found
    monkeypatch.setattr(search, "RANK_CANDIDATES", 0)
    assert set(search.search_ids("Osimertinib", limit=50, exclude_kind=RecordKind.REFERENCE)) == key_match


def test_the_key_lookup_has_an_index_on_both_backends(kb_loaded):
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT sql FROM sqlite_master WHERE name = 'kb_kbrecord_lower_key'")
        else:
            cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'kb_kbrecord_lower_key'")
        assert "lower" in cur.fetchone()[0].lower()
