"""Medications (RxNorm, KB names), surgery, radiotherapy, disease status -> prior_therapies."""

from __future__ import annotations

import pytest

from onconav.fhir.mcode import import_bundle
from onconav.fhir.treatments import Event, group_lines
from onconav.kbdata.loader import load_knowledge_base
from tests.fhir.helpers import (
    FIXTURE_KB,
    LOINC,
    MCODE_SD,
    RXNORM,
    SNOMED,
    bundle,
    cc,
    condition,
    intent_ext,
    med_request,
    obs,
    patient,
)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base(FIXTURE_KB)


def run(*resources, kb=None):
    return import_bundle(bundle(patient(), condition(cc(SNOMED, "254637007")), *resources), kb=kb)


def status(date, code, rid):
    return obs(cc(LOINC, "97509-4"), rid=rid, date=date, valueCodeableConcept=cc(SNOMED, code))


def test_lines_group_drugs_started_within_the_window():
    events = [
        Event("cisplatin", "2024-01-01", None),
        Event("pemetrexed", "2024-01-20", None),
        Event("osimertinib", "2024-06-01", "2024-12-01"),
    ]
    lines = group_lines(events, 28)
    assert [ln.drugs for ln in lines] == [["cisplatin", "pemetrexed"], ["osimertinib"]]
    assert lines[1].end == "2024-12-01"


def test_next_cycles_continue_a_line_and_a_progression_in_between_starts_a_new_one():
    cycles = [Event("cisplatin", f"2024-0{m}-01", None) for m in (1, 2, 3, 4)]
    assert [ln.drugs for ln in group_lines(cycles, 28)] == [["cisplatin"]]
    split = group_lines(cycles, 28, progressions=("2024-02-20",))
    assert [(ln.start, ln.end) for ln in split] == [
        ("2024-01-01", "2024-02-01"),
        ("2024-03-01", "2024-04-01"),
    ]


def test_rxnorm_codes_become_lines_with_progression_from_disease_status():
    cis = med_request("1736854", "2024-01-05", "m1")  # Cisplatin 50 MG Injection (SCD)
    eto = med_request("1734340", "2024-01-05", "m2")  # Etoposide 100 MG Injection
    gef = med_request("349472", "2024-07-01", "m3")  # gefitinib 250 MG Oral Tablet
    worse = status("2024-05-20", "271299001", "d1")  # condition worsened
    better = status("2024-09-01", "268910001", "d2")  # condition improved
    prior = run(cis, eto, gef, worse, better).profile["prior_therapies"]
    assert prior == [
        {
            "drugs": ["cisplatin", "etoposide"],
            "start": "2024-01-05",
            "outcome": "progression",
            "progression_date": "2024-05-20",
        },
        {"drugs": ["gefitinib"], "start": "2024-07-01", "outcome": "response"},
    ]


def test_drug_names_are_read_through_the_kb_when_the_code_is_unknown(kb):
    tagrisso = med_request("999999", "2024-02-01", "m1", display="Tagrisso 80 MG Oral Tablet")
    result = run(tagrisso, kb=kb)
    assert result.profile["prior_therapies"][0]["drugs"] == ["osimertinib"]
    assert "drug_from_display" in [n.key for n in result.notes]
    assert "prior_therapies" not in run(tagrisso).profile  # without a KB: not identified


def test_non_cancer_medicines_are_not_lines_but_counted():
    other = {
        "resourceType": "MedicationRequest",
        "id": "x",
        "status": "active",
        "medicationCodeableConcept": cc(RXNORM, "314076", "lisinopril 10 MG Oral Tablet"),
        "authoredOn": "2024-01-01",
    }
    result = run(other)
    assert "prior_therapies" not in result.profile
    assert ("count", "1") in next(n for n in result.notes if n.key == "unused_resources").params


def test_termination_reason_sets_the_outcome_of_a_line_stopped_for_it():
    stopped = med_request(
        "309311", "2024-03-01", "m1", status="stopped", statusReason=cc(SNOMED, "407563006")
    )
    prior = run(stopped).profile["prior_therapies"]
    assert prior[0]["outcome"] == "intolerance"


def test_curative_intent_after_resection_is_adjuvant_and_radiotherapy_is_attached():
    surgery = {
        "resourceType": "Procedure",
        "id": "s1",
        "status": "completed",
        "code": cc(SNOMED, "359615001"),  # partial lobectomy of lung
        "performedDateTime": "2024-01-10",
    }
    chemo = med_request("597195", "2024-02-15", "m1", extension=[intent_ext("373808002")])
    rt = {
        "resourceType": "Procedure",
        "id": "r1",
        "status": "completed",
        "meta": {"profile": [MCODE_SD + "mcode-radiotherapy-course-summary"]},
        "code": cc(SNOMED, "1217123003"),
        "performedPeriod": {"start": "2024-02-20", "end": "2024-03-30"},
    }
    result = run(surgery, chemo, rt)
    assert result.profile["cancer"]["resected"] is True
    assert result.profile["prior_therapies"] == [
        {"drugs": ["carboplatin"], "with_radiotherapy": True, "start": "2024-02-15", "setting": "adjuvant"}
    ]


def test_curative_intent_before_resection_is_neoadjuvant():
    surgery = {
        "resourceType": "Procedure",
        "id": "s1",
        "status": "completed",
        "code": cc(SNOMED, "359615001"),
        "performedDateTime": "2024-05-10",
    }
    chemo = med_request("597195", "2024-02-15", "m1", extension=[intent_ext("373808002")])
    assert run(surgery, chemo).profile["prior_therapies"][0]["setting"] == "neoadjuvant"


def test_outcomes_missing_are_said():
    result = run(med_request("1736854", "2024-01-05", "m1"))
    assert "outcomes_not_coded" in [n.key for n in result.notes]


def test_short_abbreviations_are_not_matched_in_medicine_names():
    # a KB whose rituximab has the alias "R": "Vitamin R" is no rituximab; the brand name is
    from types import SimpleNamespace

    from onconav.fhir.context import Context
    from onconav.fhir.treatments import drug_inn

    drug = SimpleNamespace(inn="rituximab", brands=["MabThera"], aliases=["R", "RTX"])
    ctx = Context(kb=SimpleNamespace(drugs=[drug], cancer_by_code={}))
    assert drug_inn(ctx, {"text": "Vitamin R 10 MG"}) == (None, False)
    assert drug_inn(ctx, {"text": "MabThera 500 MG Injection"}) == ("rituximab", True)


def test_a_medicine_prescribed_for_another_condition_is_not_a_cancer_line():
    arthritis = {"resourceType": "Condition", "id": "ra", "code": cc(SNOMED, "69896004")}
    mtx = med_request("1736854", "2024-01-05", "m1")
    mtx["meta"] = {}
    mtx["reasonReference"] = [{"reference": "Condition/ra"}]
    result = run(arthritis, mtx)
    assert "prior_therapies" not in result.profile
