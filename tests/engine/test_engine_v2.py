"""Engine v2 behaviour on the real knowledge base (issue 9; docs/engine.md)."""

from __future__ import annotations

import re

import pytest

KRAS_G12C_UNTESTED = {
    "age": 62,
    "ecog": 1,
    "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
    "biomarkers": [{"gene": "KRAS", "alteration": "G12C"}, {"name": "PD-L1 TPS", "value": 30, "unit": "%"}],
}


def test_missing_egfr_alk_never_hides_first_line_chemo_immunotherapy(real_engine):
    # given a fit, untreated stage IV KRAS G12C adenocarcinoma whose EGFR/ALK were not entered
    answer = real_engine.recommend(KRAS_G12C_UNTESTED)
    top = answer.options[0]
    # then option 1 is anti-cancer treatment, not best supportive care
    assert top.modality not in ("supportive_care", "palliative_care")
    # and it is conditional on EGFR and ALK being negative, likely because of KRAS G12C
    assert top.condition is not None and top.group == "conditional"
    assert {"EGFR:sensitizing", "ALK:fusion"} <= set(top.condition.biomarkers)
    assert top.condition.likely is True and top.condition.tests
    assert "pembrolizumab+pemetrexed+platinum" in [o.regimen for o in answer.options[:10]]
    # and EGFR- or ALK-directed drugs are not offered, the answer saying why
    assert not {"osimertinib", "alectinib", "lorlatinib"} & {o.regimen for o in answer.options}
    assert any("KRAS" in w for w in answer.warnings)
    # and supportive care is in its own group, after the treatment options
    sup = [o for o in answer.options if o.modality == "supportive_care"]
    assert sup and all(o.group == "supportive" for o in sup)


def test_after_gefitinib_the_deciding_test_is_named(real_engine):
    # given progression on first-line gefitinib, T790M not tested
    answer = real_engine.recommend(
        {
            "age": 60,
            "ecog": 1,
            "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
            "biomarkers": [{"gene": "EGFR", "alteration": "exon 19 deletion"}],
            "prior_therapies": [{"drugs": ["gefitinib"], "line": 1, "outcome": "progression"}],
        }
    )
    # then the first test is T790M by name (tissue or plasma), and MET amplification is named
    assert answer.tests_recommended[0].test == "T790M (tissue or plasma ctDNA)"
    assert any("MET amplification" in t.test for t in answer.tests_recommended)
    # and osimertinib is shown as conditional on T790M
    osi = next(o for o in answer.options if o.regimen == "osimertinib")
    assert osi.condition is not None and "EGFR:T790M" in osi.condition.biomarkers


def test_after_osimertinib_met_her2_and_rebiopsy_are_named(real_engine):
    answer = real_engine.recommend(
        {
            "age": 60,
            "ecog": 1,
            "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
            "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}],
            "prior_therapies": [{"drugs": ["osimertinib"], "line": 1, "outcome": "progression"}],
        }
    )
    names = " | ".join(t.test for t in answer.tests_recommended)
    assert "MET amplification" in names and "HER2" in names and "Rebiopsy" in names


def test_every_option_says_which_steps_placed_it_and_groups_are_listed(real_engine):
    answer = real_engine.recommend(KRAS_G12C_UNTESTED)
    assert all(o.rank_reasons and o.rank_reasons[0].step == "setting_fit" for o in answer.options)
    assert [g["id"] for g in answer.groups] == sorted(
        {o.group for o in answer.options},
        key=["preferred", "reasonable", "conditional", "failed_before", "later", "supportive"].index,
    )


def test_unused_inputs_are_listed_not_dropped(real_engine):
    # given a profile with an unknown field, an unrecognised biomarker, drug and comorbidity
    answer = real_engine.recommend(
        {
            **KRAS_G12C_UNTESTED,
            "favourite_colour": "blue",
            "comorbidities": ["gout", "heart failure"],
            "biomarkers": [*KRAS_G12C_UNTESTED["biomarkers"], {"name": "XYZ1", "value": "weird"}],
            "prior_therapies": [{"drugs": ["magicmab"], "line": 1, "outcome": "progression"}],
        }
    )
    unused = {(u.field, u.value) for u in answer.unused_inputs}
    # then each is listed with a reason; a comorbidity a rule reads is not
    assert ("favourite_colour", "favourite_colour") in unused
    assert ("biomarkers", "XYZ1 weird") in unused
    assert ("prior_therapies.drugs", "magicmab") in unused
    assert ("comorbidities", "gout") in unused
    assert ("comorbidities", "heart failure") not in unused


def test_transplant_eligibility_is_derived_from_age_and_fitness(real_engine):
    # given a 58-year-old with newly diagnosed myeloma, transplant eligibility not stated
    answer = real_engine.recommend({"age": 58, "ecog": 1, "cancer": {"oncotree_code": "PCM", "stage": "III"}})
    facts = {f.id: f for f in answer.facts}
    # then the fact is derived (not stated) and true
    if "transplant_eligible" in facts:
        assert facts["transplant_eligible"].value is True
        assert facts["transplant_eligible"].derived is True


@pytest.mark.parametrize("lang", ["zh-hans"])
def test_a_chinese_condition_and_ranking_reason_have_no_english_words(real_engine, lang):
    answer = real_engine.recommend(KRAS_G12C_UNTESTED, lang=lang)
    top = answer.options[0]
    assert top.condition is not None
    texts = [top.condition.text, *(r.text for r in top.rank_reasons), *(g["label"] for g in answer.groups)]
    # biomarker symbols (EGFR, ALK), INNs, guideline names and evidence codes may stay Latin
    allowed = {"EGFR", "ALK", "NCCN", "CSCO", "NRDL", "L858R", "KRAS", "G12C"}
    for tx in texts:
        words = set(re.findall(r"[A-Za-z]{3,}", tx)) - allowed
        assert not words, (tx, words)


def test_drug_beaten_head_to_head_ranks_after_unbeaten_options(real_engine):
    # given RET-mutant medullary thyroid cancer, untreated (LIBRETTO-531: selpercatinib beat
    # cabozantinib or vandetanib, recorded as Evidence.superseded_by on their items)
    profile = {
        "age": 38,
        "ecog": 1,
        "cancer": {"oncotree_code": "THME", "stage": "IVC"},
        "biomarkers": [{"gene": "RET", "alteration": "M918T", "origin": "germline"}],
    }
    opts = real_engine.recommend(profile).options
    rank = {o.regimen: o.rank for o in opts}
    # then the beaten level-1 drugs come after the unbeaten level-2 anlotinib, with the reason
    assert rank["selpercatinib"] == 1
    assert rank["anlotinib"] < rank["vandetanib"] and rank["anlotinib"] < rank["cabozantinib"]
    vandetanib = next(o for o in opts if o.regimen == "vandetanib")
    assert "rank.beaten" in vandetanib.trace and any("LIBRETTO-531" in r for r in vandetanib.rationale)
    # and without a known RET mutation (selpercatinib not on offer now) nothing is beaten
    unknown = real_engine.recommend({**profile, "biomarkers": []}).options
    assert not any("rank.beaten" in o.trace for o in unknown)


def test_repeat_of_a_failed_class_goes_after_the_options_for_now_but_a_rechallenge_does_not(real_engine):
    # given myeloma that progressed on teclistamab (BCMA bispecific; the class fails together)
    myeloma = {
        "age": 59,
        "ecog": 1,
        "cancer": {"oncotree_code": "PCM", "stage": "relapsed"},
        "prior_therapies": [
            {"drugs": ["bortezomib", "lenalidomide", "dexamethasone"], "line": 1, "outcome": "progression"},
            {"drugs": ["daratumumab", "lenalidomide", "dexamethasone"], "line": 2, "outcome": "progression"},
            {"drugs": ["carfilzomib", "dexamethasone"], "line": 3, "outcome": "progression"},
            {"drugs": ["teclistamab"], "line": 4, "outcome": "progression"},
        ],
    }
    answer = real_engine.recommend(myeloma)
    by = {o.regimen: o for o in answer.options}
    # then teclistamab and the other BCMA bispecifics are repeats, after every option for now
    repeats = [by[r] for r in ("teclistamab", "elranatamab")]
    assert all(o.group == "failed_before" and "failure.repeat" in o.trace for o in repeats)
    now = [o for o in answer.options if o.group in ("preferred", "reasonable", "conditional")]
    assert by["talquetamab"] in now and max(o.rank for o in now) < min(o.rank for o in repeats)
    # a new drug on a failed backbone is not a repeat
    assert by["pomalidomide+bortezomib+dexamethasone"].group != "failed_before"
    # given platinum-sensitive ovarian cancer (platinum-free interval 14 months): a platinum
    # re-challenge (platinum and taxanes do not fail together) is not a repeat
    ovary = {
        "age": 61,
        "ecog": 1,
        "cancer": {"oncotree_code": "HGSOC", "stage": "IVA", "platinum_free_interval_months": 14},
        "prior_therapies": [{"drugs": ["carboplatin", "paclitaxel"], "line": 1, "outcome": "relapse"}],
    }
    carbo = next(o for o in real_engine.recommend(ovary).options if o.regimen == "carboplatin+paclitaxel")
    assert carbo.group != "failed_before" and "failure.repeat" not in carbo.trace
