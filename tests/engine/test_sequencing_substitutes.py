"""Sequencing rules, substitutes, relapse reading and fact tests (docs/engine.md, "Sequencing",
"Substitutes", "Line and relapse reading") against the real knowledge base."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from onconav.engine.facts import neoadjuvant_given
from onconav.engine.profile import parse_profile
from onconav.engine.relapse import infer
from onconav.kbdata.policy import SequencingRule


def _option(answer, regimen):
    return next((o for o in answer.options if o.regimen == regimen), None)


def test_a_sequencing_rule_needs_conditions_and_a_source():
    # given a rule without conditions or sources
    with pytest.raises(ValidationError):
        SequencingRule.model_validate(
            {
                "id": "x",
                "cancer": "BRCA",
                "when": [],
                "defer": {"modality": ["surgery"]},
                "message": {"en": "a", "zh": "甲"},
                "sources": [],
                "reviewed": "2026-12-07",
            }
        )


def test_surgery_follows_preoperative_treatment_in_stage_2_tnbc(real_engine):
    # given an untreated stage IIB triple-negative breast cancer
    profile = {
        "age": 40,
        "ecog": 0,
        "cancer": {"oncotree_code": "BRCA", "stage": "IIB"},
        "biomarkers": [
            {"name": "ER", "value": "negative"},
            {"name": "PR", "value": "negative"},
            {"name": "HER2", "value": "IHC 0"},
        ],
    }
    # when the engine answers, in Chinese too
    answer = real_engine.recommend(profile)
    zh = real_engine.recommend(profile, lang="zh-hans")
    # then surgery is listed after the pre-operative option, with the rule's reason
    surgery = _option(answer, "surgery-mastectomy")
    assert answer.options[0].modality != "surgery"
    assert "sequence.brca-tnbc-stage-2-3-preoperative-first" in surgery.trace
    assert any("before surgery" in r for r in surgery.rationale)
    assert any("术前治疗" in r for r in _option(zh, "surgery-mastectomy").rationale)


def test_the_rule_does_not_apply_when_receptors_are_unknown(real_engine):
    # given stage IIB breast cancer with no receptor results
    answer = real_engine.recommend({"age": 40, "cancer": {"oncotree_code": "BRCA", "stage": "IIB"}})
    # then no sequencing rule moved surgery
    assert not [o for o in answer.options if any(t.startswith("sequence.") for t in o.trace)]


def test_substitute_says_what_it_replaces_and_why(real_engine):
    # given metastatic urothelial cancer with creatinine clearance 40 mL/min
    profile = {
        "age": 72,
        "ecog": 1,
        "organ_function": {"creatinine_clearance_ml_min": 40},
        "cancer": {"oncotree_code": "BLCA", "stage": "IV"},
    }
    answer = real_engine.recommend(profile)
    # then gemcitabine-carboplatin is its own option, in place of gemcitabine-cisplatin
    gc = _option(answer, "gemcitabine+carboplatin")
    assert gc is not None and "fitness.substitute" in gc.trace
    assert any(r.startswith("In place of Gemcitabine + cisplatin") and "40 mL/min" in r for r in gc.rationale)
    # and gemcitabine-cisplatin is listed as excluded with the reason
    excluded = {x.regimen: x.reasons for x in answer.excluded}
    assert "40 mL/min" in excluded["gemcitabine+cisplatin"][0]
    zh = real_engine.recommend(profile, lang="zh-hans")
    assert any(r.startswith("替代") for r in _option(zh, "gemcitabine+carboplatin").rationale)


def test_neoadjuvant_given_is_three_valued():
    prof = parse_profile(
        {
            "cancer": {"oncotree_code": "BRCA"},
            "prior_therapies": [{"drugs": ["docetaxel"], "setting": "neoadjuvant"}],
        }
    )
    assert neoadjuvant_given(prof.prior_therapies) is True
    assert neoadjuvant_given([]) is False
    unstated = parse_profile(
        {"cancer": {"oncotree_code": "BRCA"}, "prior_therapies": [{"drugs": ["docetaxel"]}]}
    )
    assert neoadjuvant_given(unstated.prior_therapies) is None


def test_stated_platinum_sensitivity_reads_the_last_line_as_relapsed(real_engine):
    # given olaparib maintenance completed without progression and a stated platinum-free interval
    prof = parse_profile(
        {
            "cancer": {"oncotree_code": "HGSOC", "stage": "IIIC", "platinum_free_interval_months": 21},
            "prior_therapies": [
                {"drugs": ["carboplatin", "paclitaxel"], "line": 1, "outcome": "response"},
                {"drugs": ["olaparib"], "line": 1, "setting": "maintenance", "outcome": "no progression"},
            ],
        }
    )
    # when the relapse step reads it
    out, inferred = infer(prof, real_engine.vocab)
    # then the last line is read as followed by relapse
    assert inferred and out.prior_therapies[-1].outcome.value == "relapse"
    # but a platinum re-treatment that is working is left alone
    again = parse_profile(
        {
            "cancer": {"oncotree_code": "HGSOC", "platinum_free_interval_months": 14},
            "prior_therapies": [
                {"drugs": ["carboplatin", "paclitaxel"], "line": 1, "outcome": "relapse"},
                {"drugs": ["carboplatin", "doxorubicin"], "line": 2, "outcome": "response"},
            ],
        }
    )
    assert infer(again, real_engine.vocab)[1] is False
    # and "sensitive" alone (it responded to platinum) is not read as a relapse
    responded = parse_profile(
        {
            "cancer": {"oncotree_code": "HGSOC", "platinum_sensitivity": "sensitive"},
            "prior_therapies": [{"drugs": ["carboplatin", "paclitaxel"], "line": 1, "outcome": "response"}],
        }
    )
    assert infer(responded, real_engine.vocab)[1] is False


def test_unknown_fact_is_recommended_as_a_test(real_engine):
    # given metastatic prostate cancer on leuprorelin with castration status unknown
    answer = real_engine.recommend(
        {
            "age": 66,
            "ecog": 1,
            "cancer": {"oncotree_code": "PRAD", "stage": "IV"},
            "prior_therapies": [{"drugs": ["leuprorelin"], "start": "2025-06"}],
        }
    )
    # then the testosterone test is recommended for the facts it decides
    test = next(t for t in answer.tests_recommended if t.kind == "fact" and "testosterone" in t.test)
    assert "castration_sensitive" in test.facts and "adt+abiraterone+prednisone" in test.decides


def test_newly_diagnosed_myeloma_gets_induction_before_the_transplant():
    # NCCN Multiple Myeloma v2026 (transplant candidates): induction (D-VRd, PERSEUS) first, then
    # high-dose melphalan with autologous stem-cell transplant, then maintenance.
    from onconav.engine import Engine
    from onconav.kbdata.loader import load_knowledge_base

    engine = Engine(load_knowledge_base())
    answer = engine.recommend(
        {"age": 58, "ecog": 1, "cancer": {"oncotree_code": "PCM", "stage": "newly diagnosed"}}
    )
    regs = [o.regimen for o in answer.options]
    asct = regs.index("autologous-stem-cell-transplant")
    assert "daratumumab+bortezomib+lenalidomide+dexamethasone" in regs[:asct]
    option = answer.options[asct]
    assert "sequence.pcm-induction-before-transplant" in option.trace
    # after induction (a line on record) the rule no longer holds
    later = engine.recommend(
        {
            "age": 58,
            "ecog": 1,
            "cancer": {"oncotree_code": "PCM", "stage": "newly diagnosed"},
            "prior_therapies": [
                {
                    "drugs": ["daratumumab", "bortezomib", "lenalidomide", "dexamethasone"],
                    "line": 1,
                    "outcome": "response",
                }
            ],
        }
    )
    assert all("sequence.pcm-induction-before-transplant" not in o.trace for o in later.options)
