"""References a reader can open (knowledge/references/) and the completeness rules that keep them
so (issue 10: every figure cited, references with a type and a link)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from onconav.kbdata.loader import load_knowledge_base
from onconav.kbdata.policy_loader import completeness, used_record_refs
from onconav.kbdata.schema import Drug, Nrdl, ReferenceRecord

# Sections whose references describe treatments (hospital, travel and cost sources are
# reported by kb-check until their curators convert them to links).
CLINICAL = ("drugs", "evidence", "regimens", "trials", "modalities", "cancers", "biomarkers")
RECORD_KINDS = ("LABEL:", "GUIDELINE:", "NOTICE:", "BOOK:")


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def _refs(value, out):  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        for v in value.values():
            _refs(v, out)
    elif isinstance(value, list):
        for v in value:
            _refs(v, out)
    elif isinstance(value, str) and value.startswith(RECORD_KINDS):
        out.add(value)


def test_every_clinical_label_guideline_notice_and_book_reference_has_a_record(kb):
    used: set[str] = set()
    for section in CLINICAL:
        for rec in getattr(kb, section):
            _refs(rec.model_dump(mode="json"), used)
    known = {r.ref for r in kb.references}
    assert used, "no references found: the walk is broken"
    assert sorted(used - known) == []


def test_every_reference_record_has_an_address_and_a_chinese_title(kb):
    assert len(kb.references) >= 250
    for r in kb.references:
        assert r.url and r.url.startswith("https://"), r.ref
        title = r.title_zh or r.title  # a title given in Chinese needs no separate title_zh
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title), r.ref


def test_fda_labels_open_on_dailymed_and_ema_products_on_their_epar_page(kb):
    for r in kb.references:
        if r.ref.startswith("LABEL:FDA "):
            assert r.url.startswith("https://dailymed.nlm.nih.gov/dailymed/search.cfm?"), r.ref
        if r.ref.startswith("LABEL:EMA "):
            assert r.url.startswith("https://www.ema.europa.eu/en/medicines/human/EPAR/"), r.ref


def test_references_are_collected_from_every_part_of_the_knowledge_base(kb):
    used = used_record_refs(kb)
    hospital_refs: set[str] = set()
    for h in kb.hospitals:
        _refs(h.model_dump(mode="json"), hospital_refs)
    assert hospital_refs <= used
    assert "GUIDELINE:NCCN Palliative Care" in used


def _with(kb, **changes):  # type: ignore[no-untyped-def]
    return dataclasses.replace(kb, **changes)


def test_a_reference_without_a_record_is_a_gap(kb):
    ref = "GUIDELINE:NCCN Palliative Care"
    smaller = _with(kb, references=tuple(r for r in kb.references if r.ref != ref))
    assert any(g.startswith("reference: " + ref) for g in completeness(smaller))
    assert not any(g.startswith("reference: " + ref + " has no entry") for g in completeness(kb))


def test_a_record_without_link_or_chinese_title_is_a_gap(kb):
    bare = ReferenceRecord(ref="BOOK:Some handbook", type="book", title="Some handbook")
    gaps = completeness(_with(kb, references=(*kb.references, bare)))
    assert "reference: BOOK:Some handbook has no link a reader can open" in gaps
    assert "zh: reference BOOK:Some handbook has no title_zh" in gaps


def test_a_curators_recollection_is_not_a_source(kb):
    drug = kb.drugs[0]
    fake = drug.model_copy(update={"sources": ["BOOK:OncoNav survey (general knowledge, unverified)"]})
    gaps = completeness(_with(kb, drugs=(fake, *kb.drugs[1:])))
    assert any(g.startswith("source: BOOK:OncoNav survey") for g in gaps)


def test_an_nrdl_listing_without_its_year_and_an_investigational_drug_without_status_are_gaps(kb):
    base = kb.drug_by_inn["tivantinib"]
    listed = base.model_copy(
        update={
            "inn": "testdrug",
            "nrdl": Nrdl(listed=True, sources=["NOTICE:NHSA NRDL 2024 list"]),
            "development_status": None,
        }
    )
    assert isinstance(listed, Drug)
    gaps = completeness(_with(kb, drugs=(*kb.drugs, listed)))
    assert "china: drug testdrug is NRDL-listed without the year it was listed" in gaps
    assert "china: investigational drug testdrug has no development_status" in gaps
    # and a listing whose first year was searched for and not found is an explicit unknown, not a gap
    searched = listed.model_copy(
        update={
            "nrdl": Nrdl(
                listed=True,
                sources=["NOTICE:NHSA NRDL 2024 list"],
                searched=dt.date(2026, 12, 7),
                search_note="the 2024 and 2025 lists name no start year",
            )
        }
    )
    gaps = completeness(_with(kb, drugs=(*kb.drugs, searched)))
    assert "china: drug testdrug is NRDL-listed without the year it was listed" not in gaps


def test_investigational_met_hgf_agents_say_what_became_of_them(kb):
    for inn in ("tivantinib", "onartuzumab", "rilotumumab", "ficlatuzumab", "foretinib", "golvatinib"):
        d = kb.drug_by_inn[inn]
        assert d.investigational and d.development_status, inn
        assert d.china_access in ("not_available", "trial_only"), inn
        assert d.nrdl.listed is False and d.nrdl.searched == dt.date(2026, 12, 7), inn
        assert not d.approvals and d.nmpa_searched, inn
        assert any(s.startswith(("PMID:", "DOI:")) for s in d.sources) or inn == "ficlatuzumab", inn
    # the seed review's spellings find the records
    aliases = {a.lower(): d.inn for d in kb.drugs for a in d.aliases}
    for seed_name, inn in {
        "AMG-102": "rilotumumab",
        "AV-299": "ficlatuzumab",
        "MetMab": "onartuzumab",
        "ARQ 197": "tivantinib",
        "XL880": "foretinib",
        "E7050": "golvatinib",
        "XL184": "cabozantinib",
    }.items():
        assert aliases.get(seed_name.lower()) == inn, seed_name


def test_a_chinese_title_with_an_english_phrase_needs_a_chinese_only_title(kb):
    # given an official Chinese title followed by its English translation, and no title_zh
    mixed = ReferenceRecord(
        ref="NOTICE:Some list",
        type="notice",
        title="国家药品目录（2025年） — National Drug List, 2025 edition",
        url="https://example.org/list",
    )
    wholly_chinese = ReferenceRecord(
        ref="NOTICE:Another list", type="notice", title="国家药品目录（2024年）", url="https://example.org/l2"
    )
    gaps = completeness(_with(kb, references=(*kb.references, mixed, wholly_chinese)))
    # then the mixed one is a gap (a Chinese page would show the English), the Chinese one is not
    assert "zh: reference NOTICE:Some list has no title_zh" in gaps
    assert "zh: reference NOTICE:Another list has no title_zh" not in gaps
