"""General rules found by blind round 5a (tests/engine/vignettes/blind-2026-12d.yaml), each
tested on its own patient (not the vignette's): outcome words, refractory disease (IMWG),
maintenance after progression on it, regimen names and doses in records, intolerance that opens
the next line where the label says so, quantified fusion transcripts, Claudin 18.2 names, and
later-line options when the failed drugs cannot be read."""

from __future__ import annotations

from typing import Any

import pytest

from onconav.engine import Engine
from onconav.engine.profile import parse_profile
from onconav.kbdata.loader import load_knowledge_base


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_knowledge_base())


def _regimens(answer: Any) -> list[str]:
    return [o.regimen for o in answer.options]


def _fact(answer: Any, fid: str) -> bool | None:
    return next((f.value for f in answer.facts if f.id == fid), None)


@pytest.mark.parametrize(
    "word", ["failure", "treatment failure", "failed", "resistance", "resistant", "耐药", "治疗失败"]
)
def test_treatment_failure_words_are_progression(word: str) -> None:
    prof = parse_profile(
        {"cancer": {"oncotree_code": "CML"}, "prior_therapies": [{"drugs": ["imatinib"], "outcome": word}]}
    )
    assert prof.prior_therapies[0].outcome.value == "progression"


@pytest.mark.parametrize(
    "word", ["sCR", "stringent complete response", "very good partial response", "complete remission"]
)
def test_response_words_of_myeloma_and_lymphoma_records(word: str) -> None:
    prof = parse_profile(
        {
            "cancer": {"oncotree_code": "PCM"},
            "prior_therapies": [{"drugs": ["lenalidomide"], "outcome": word}],
        }
    )
    assert prof.prior_therapies[0].outcome.value == "response"


def _myeloma(len_line: dict[str, Any]) -> dict[str, Any]:
    # NCCN Multiple Myeloma: first relapse after VRd induction and lenalidomide maintenance
    return {
        "age": 60,
        "ecog": 1,
        "cancer": {"oncotree_code": "PCM", "stage": "relapsed"},
        "prior_therapies": [
            {
                "drugs": ["bortezomib", "lenalidomide", "dexamethasone"],
                "line": 1,
                "start": "2022-01",
                "end": "2022-05",
                "best_response": "VGPR",
            },
            {"drugs": ["lenalidomide"], "line": 1, "setting": "maintenance", **len_line},
        ],
    }


def test_progression_on_lenalidomide_maintenance_is_lenalidomide_refractory(engine: Engine) -> None:
    # IMWG: refractory = progression on therapy or within 60 days of the last dose
    answer = engine.recommend(_myeloma({"start": "2022-07", "progression_date": "2025-03"}))
    assert _fact(answer, "lenalidomide_refractory") is True


def test_progression_within_60_days_of_stopping_is_refractory(engine: Engine) -> None:
    on = {"start": "2022-07", "end": "2025-01", "progression_date": "2025-02", "outcome": "progression"}
    late = {"start": "2022-07", "end": "2024-01", "progression_date": "2025-02", "outcome": "progression"}
    assert _fact(engine.recommend(_myeloma(on)), "lenalidomide_refractory") is True
    assert _fact(engine.recommend(_myeloma(late)), "lenalidomide_refractory") is not True


def test_fixed_regimen_without_end_date_is_not_read_as_refractory(engine: Engine) -> None:
    # R-CHOP with only a relapse date: it may have ended years before (not rituximab-refractory)
    profile = {
        "age": 60,
        "ecog": 1,
        "cancer": {"oncotree_code": "FL", "stage": "relapsed"},
        "prior_therapies": [
            {"drugs": ["R-CHOP"], "line": 1, "start": "2019-01", "progression_date": "2025-06"}
        ],
    }
    assert _fact(engine.recommend(profile), "rituximab_refractory") is not True


def test_maintenance_is_not_offered_again_after_progression_on_it(engine: Engine) -> None:
    # NCCN B-cell lymphomas: follicular lymphoma progressing on rituximab maintenance
    profile = {
        "age": 62,
        "ecog": 0,
        "cancer": {"oncotree_code": "FL", "stage": "IV"},
        "prior_therapies": [
            {
                "drugs": ["rituximab", "bendamustine"],
                "line": 1,
                "start": "2022-01",
                "end": "2022-06",
                "best_response": "CR",
            },
            {
                "drugs": ["rituximab"],
                "line": 1,
                "setting": "maintenance",
                "start": "2022-08",
                "progression_date": "2024-02",
            },
        ],
    }
    answer = engine.recommend(profile)
    assert "rituximab-maintenance" not in _regimens(answer)
    excluded = [e for e in answer.excluded if e.regimen == "rituximab-maintenance"]
    assert excluded and "maintenance" in excluded[0].reasons[0]
    assert _fact(answer, "rituximab_refractory") is True


def _mm_after(prior: dict[str, Any]) -> dict[str, Any]:
    # NCCN Multiple Myeloma: progression on daratumumab + pomalidomide + dexamethasone
    return {
        "age": 66,
        "ecog": 1,
        "cancer": {"oncotree_code": "PCM", "stage": "relapsed"},
        "prior_therapies": [
            {
                "drugs": ["bortezomib", "lenalidomide", "dexamethasone"],
                "line": 1,
                "start": "2020-01",
                "end": "2021-06",
                "outcome": "progression",
            },
            {"line": 2, "start": "2021-07", "outcome": "refractory", "progression_date": "2024-01", **prior},
        ],
    }


@pytest.mark.parametrize(
    "prior",
    [{"drugs": ["Dara-Pd"]}, {"drugs": ["DPd"]}, {"regimen": "Dara-Pd"}, {"regimen": "DPd", "drugs": []}],
)
def test_regimen_alias_or_regimen_field_reads_as_its_drugs(engine: Engine, prior: dict[str, Any]) -> None:
    spelled = engine.recommend(_mm_after({"drugs": ["daratumumab", "pomalidomide", "dexamethasone"]}))
    answer = engine.recommend(_mm_after(prior))
    assert not [u for u in answer.unused_inputs if u.field == "prior_therapies.drugs"]
    assert [(o.regimen, o.group) for o in answer.options] == [(o.regimen, o.group) for o in spelled.options]
    assert [(f.id, f.value) for f in answer.facts] == [(f.id, f.value) for f in spelled.facts]


def test_an_unreadable_regimen_field_is_still_a_line_and_is_reported(engine: Engine) -> None:
    answer = engine.recommend(_mm_after({"regimen": "study drug XY-123"}))
    assert any(u.value == "study drug XY-123" for u in answer.unused_inputs)


def test_kb_regimen_aliases_are_read_only_for_the_cancer_and_when_compact(engine: Engine) -> None:
    kb = engine.kb
    sarcoma = engine._names_for(list(kb.lineage("LMS")))
    breast = engine._names_for(list(kb.lineage("BRCA")))
    myeloma = engine._names_for(list(kb.lineage("PCM")))
    assert sarcoma.get("ai") == ("doxorubicin", "ifosfamide")
    assert "ai" not in breast  # an aromatase inhibitor there, never doxorubicin + ifosfamide
    assert "ofs + ai" not in breast and "palbociclib + ai" not in breast  # descriptions, not names
    assert myeloma["dara-pd"] == myeloma["dpd"]
    # "TC" is read as the regimen the KB uses in that cancer
    assert breast.get("tc") == ("docetaxel", "cyclophosphamide")
    assert engine._names_for(list(kb.lineage("HGSOC"))).get("tc") == ("paclitaxel", "carboplatin")


@pytest.mark.parametrize(
    "written", ["imatinib 400", "imatinib 400 mg", "Imatinib 400mg daily", "imatinib x 12"]
)
def test_a_dose_written_into_the_drug_name_is_read(engine: Engine, written: str) -> None:
    profile = {
        "age": 50,
        "ecog": 0,
        "cancer": {"oncotree_code": "CML", "stage": "chronic phase"},
        "biomarkers": [
            {"gene": "BCR-ABL1", "alteration": "fusion"},
            {"gene": "ABL1", "alteration": "T315I", "value": "negative"},
        ],
        "prior_therapies": [
            {"drugs": [written], "line": 1, "start": "2022-01", "end": "2024-01", "outcome": "failure"}
        ],
    }
    answer = engine.recommend(profile)
    assert not answer.unused_inputs, answer.unused_inputs
    dasatinib = next(o for o in answer.options if o.regimen == "dasatinib")
    assert "prior.after_failure_of" in dasatinib.trace


def _cml_intolerant(drug: str = "imatinib") -> dict[str, Any]:
    # NCCN CML: intolerance of the first TKI -> switch to another TKI
    return {
        "age": 45,
        "ecog": 0,
        "cancer": {"oncotree_code": "CML", "stage": "chronic phase"},
        "biomarkers": [
            {"name": "BCR-ABL1", "value": "0.8% IS"},
            {"gene": "ABL1", "alteration": "T315I", "value": "negative"},
        ],
        "prior_therapies": [
            {"drugs": [drug], "line": 1, "start": "2025-01", "end": "2025-08", "outcome": "intolerance"}
        ],
    }


def test_intolerance_opens_the_items_whose_label_says_resistance_or_intolerance(engine: Engine) -> None:
    answer = engine.recommend(_cml_intolerant())
    top = answer.options[0]
    assert top.regimen in ("dasatinib", "nilotinib", "bosutinib"), _regimens(answer)
    assert "prior.after_intolerance_of" in top.trace
    assert top.group == "preferred"
    # intolerance is not failure: nothing written after a *failure* only is opened
    assert not any("prior.after_failure_of" in o.trace for o in answer.options)
    assert "imatinib" not in _regimens(answer)[:3]


def test_a_quantified_fusion_transcript_is_the_fusion(engine: Engine) -> None:
    answer = engine.recommend(_cml_intolerant())
    assert not [u for u in answer.unused_inputs if u.field == "biomarkers"]
    below = _cml_intolerant()
    below["biomarkers"][0] = {"name": "BCR-ABL1", "value": "<0.01% IS"}  # a level below, not a result
    answer = engine.recommend(below)
    assert [u for u in answer.unused_inputs if u.field == "biomarkers"]


def _gastric(cldn: dict[str, Any]) -> dict[str, Any]:
    # NCCN Gastric Cancer: CLDN18.2-positive (>= 75% moderate-to-strong), HER2-negative: zolbetuximab
    return {
        "age": 55,
        "ecog": 1,
        "cancer": {"oncotree_code": "STAD", "stage": "IV"},
        "biomarkers": [{"gene": "ERBB2", "value": "IHC 0"}, {"name": "PD-L1 CPS", "value": "<1"}, cldn],
    }


@pytest.mark.parametrize("name", ["CLDN18.2", "claudin18.2", "Claudin-18.2", "CLDN18", "Claudin 18.2"])
def test_claudin_18_2_names_and_the_75_percent_cut_off(engine: Engine, name: str) -> None:
    pos = engine.recommend(_gastric({"name": name, "value": "85% 2+/3+"}))
    assert pos.options[0].regimen == "zolbetuximab+oxaliplatin+fluoropyrimidine", _regimens(pos)
    neg = engine.recommend(_gastric({"name": name, "value": "40%"}))
    assert "zolbetuximab+oxaliplatin+fluoropyrimidine" not in _regimens(neg)


def _hcc(drugs: list[str]) -> dict[str, Any]:
    # NCCN Hepatocellular Carcinoma: second line after first-line systemic therapy
    return {
        "age": 60,
        "ecog": 1,
        "child_pugh": "A",
        "cancer": {"oncotree_code": "HCC", "stage": "BCLC C"},
        "prior_therapies": [
            {
                "drugs": drugs,
                "line": 1,
                "start": "2025-01",
                "outcome": "progression",
                "progression_date": "2025-12",
            }
        ],
    }


def test_later_line_options_are_shown_when_the_failed_drugs_cannot_be_read(engine: Engine) -> None:
    answer = engine.recommend(_hcc(["study regimen QX"]))
    first = answer.options[0]
    assert first.group not in ("supportive",), _regimens(answer)
    assert "prior.after_failure_unread" in first.trace
    assert any("could not be read" in w for w in answer.warnings)
    assert any("record those drugs" in c for c in first.cautions)


def test_read_failed_drugs_do_not_trigger_the_unread_rule(engine: Engine) -> None:
    answer = engine.recommend(_hcc(["atezo", "bev"]))
    assert answer.options[0].regimen in ("lenvatinib", "sorafenib"), _regimens(answer)
    assert not any("prior.after_failure_unread" in o.trace for o in answer.options)
    # the RESORCE item is written for after sorafenib; regorafenib after atezolizumab-bevacizumab
    # comes from the NCCN subsequent-line item (evidence/v3-blind8-gaps.yaml), not from it
    assert not any("hcc-regorafenib-after-sorafenib" in o.evidence for o in answer.options)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("FOLFOX 6 cycles", "FOLFOX"),
        ("FOLFOX x6", "FOLFOX"),
        ("R-CHOP×6", "R-CHOP"),
        ("lenalidomide 25 mg daily", "lenalidomide"),
        ("FOLFOX", "FOLFOX"),  # a known name is kept as written
        ("AZD9291", "AZD9291"),  # nothing known is left after a cut: kept (and reported)
    ],
)
def test_doses_and_cycle_counts_are_cut_only_to_a_known_name(
    engine: Engine, written: str, expected: str
) -> None:
    from onconav.engine import prior_reading

    prof = parse_profile({"cancer": {"oncotree_code": "COAD"}, "prior_therapies": [{"drugs": [written]}]})
    names = engine._names_for(list(engine.kb.lineage("COAD")))
    out, _ = prior_reading.read(prof, engine.vocab, names)
    assert out.prior_therapies[0].drugs == [expected]
