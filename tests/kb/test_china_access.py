"""China access in the knowledge base: every drug has an NMPA and an NRDL status (known, or
unknown with the date and what was searched), withdrawn indications are never shown as current,
every cost item is sourced and dated, and public drug fields hold no curator notes."""

from __future__ import annotations

import re
from functools import cache

import pytest
from django.conf import settings

from onconav.kbdata.loader import KnowledgeBase, load_knowledge_base
from onconav.kbdata.policy_loader import CURATOR_NOTE_RE
from onconav.kbdata.schema import Drug

# Indications withdrawn by the agency after confirmatory trials or at the holder's request
# (inn, agency, a word of the indication, year withdrawn).
WITHDRAWN = [
    ("atezolizumab", "FDA", "urothelial", 2021),
    ("durvalumab", "FDA", "urothelial", 2021),
    ("ibrutinib", "FDA", "mantle cell", 2023),
    ("olaparib", "FDA", "three or more lines", 2022),
    ("pralsetinib", "FDA", "medullary", 2023),
    ("gefitinib", "FDA", "docetaxel", 2012),
    ("sipuleucel-t", "EMA", "castration-resistant", 2015),
]
INTERNAL_SOURCE = re.compile(r"general knowledge|cost survey|unverified", re.IGNORECASE)


@cache
def _kb() -> KnowledgeBase:
    return load_knowledge_base(settings.KNOWLEDGE_BASE_PATH)


def _drugs() -> tuple[Drug, ...]:
    return _kb().drugs


def test_every_drug_has_an_nmpa_year_or_an_explicit_searched_unknown():
    missing = []
    for d in _drugs():
        nmpa = [a for a in d.approvals if a.agency == "NMPA"]
        for a in nmpa:
            if a.year is None and a.searched is None:
                missing.append(f"{d.inn}: NMPA approval without year and not marked searched")
        has_year = any(a.year for a in nmpa)
        if not has_year and not d.investigational and not (d.nmpa_searched and d.nmpa_search_note):
            missing.append(f"{d.inn}: no NMPA year and no searched date with a note")
    assert not missing, missing


def test_every_nrdl_status_is_known_or_searched_with_a_note():
    gaps = [d.inn for d in _drugs() if d.nrdl.listed is None and not (d.nrdl.searched and d.nrdl.search_note)]
    assert not gaps, gaps


def test_listed_drugs_say_what_is_reimbursed_in_both_languages_and_cite_the_list():
    for d in _drugs():
        if d.nrdl.listed:
            assert d.nrdl.indications and d.nrdl.indications_zh, d.inn
            assert any(s.startswith("NOTICE:NHSA NRDL") for s in d.nrdl.sources), d.inn


def test_lorlatinib_nrdl_year_is_the_year_its_listing_took_effect():
    lorlatinib = _kb().drug_by_inn["lorlatinib"]
    assert lorlatinib.nrdl.listed is True
    assert lorlatinib.nrdl.since == 2023


@pytest.mark.parametrize(("inn", "agency", "words", "year"), WITHDRAWN)
def test_withdrawn_indications_are_marked_with_year_and_bilingual_note(inn, agency, words, year):
    drug = _kb().drug_by_inn[inn]
    hits = [a for a in drug.approvals if a.agency == agency and words in a.indication.lower()]
    assert hits, f"{inn}: no {agency} approval mentioning {words!r}"
    assert all(a.withdrawn == year for a in hits)
    assert all(a.withdrawn_note and a.withdrawn_note.en and a.withdrawn_note.zh for a in hits)


def test_no_withdrawn_indication_is_presented_as_current_by_the_api(client, kb_loaded):
    for inn, agency, words, year in WITHDRAWN:
        data = client.get(f"/api/v1/kb/drugs/{inn}").json()["data"]
        shown = [a for a in data["approvals"] if a["agency"] == agency and words in a["indication"].lower()]
        assert shown and all(a["withdrawn"] == year for a in shown), inn


def test_no_withdrawn_indication_is_presented_as_current_by_the_export(kb_loaded):
    from onconav.kb.selectors import kb_export

    drugs = {d["inn"]: d for d in kb_export()["drugs"]}
    for inn, agency, words, year in WITHDRAWN:
        shown = [
            a for a in drugs[inn]["approvals"] if a["agency"] == agency and words in a["indication"].lower()
        ]
        assert shown, inn
        for a in shown:
            assert a["withdrawn"] == year
            assert a["withdrawn_note"] and a["withdrawn_note_zh"]


def test_every_cost_item_has_a_real_source_and_a_date():
    for item in _kb().costs:
        assert item.sources and item.price_date, item.id
        internal = [s for s in item.sources if INTERNAL_SOURCE.search(s)]
        assert not internal, (item.id, internal)
        assert not INTERNAL_SOURCE.search(item.notes or ""), item.id


def test_every_cost_model_uses_known_items_and_states_its_duration():
    cost_ids = {c.id for c in _kb().costs}
    models = _kb().regimen_costs
    assert len(models) >= 20
    for m in models:
        assert all(u.item in cost_ids for u in m.uses), m.regimen
        assert m.duration_note and m.duration_note.en and m.duration_note.zh, m.regimen


def _public_drug_texts(d: Drug) -> list[tuple[str, str]]:
    out = [("drug_class", d.drug_class), ("drug_class_zh", d.drug_class_zh or ""), ("name_zh", d.name_zh)]
    if d.summary:
        out += [("summary", d.summary.en), ("summary_zh", d.summary.zh)]
    for a in d.approvals:
        out += [("indication", a.indication), ("indication_zh", a.indication_zh or "")]
    out += [("nrdl", d.nrdl.indications or ""), ("nrdl_zh", d.nrdl.indications_zh or "")]
    return out


def test_public_drug_fields_hold_no_curator_notes_and_are_bilingual():
    problems = []
    for d in _drugs():
        if not d.drug_class_zh:
            problems.append(f"{d.inn}: no drug_class_zh")
        for a in d.approvals:
            if not a.indication_zh:
                problems.append(f"{d.inn}: {a.agency} {a.year} approval has no indication_zh")
        for where, text in _public_drug_texts(d):
            if CURATOR_NOTE_RE.search(text) or "未核实" in text or "inferred" in text.lower():
                problems.append(f"{d.inn} {where}: {text[:60]}")
    assert not problems, problems
