"""Engine rules added for the blind round 8 / 9 fixes (branch fix6, docs/engine.md "Blind
vignettes"): free text after a stage, no re-challenge after a serious toxicity, failed treatment
after the trial referral, transplant and checkpoint inhibitors, capecitabine and the kidney."""

from __future__ import annotations

from onconav.engine.stage_priors import _stage_prefixes
from tests.engine.conftest import regimens


def test_free_text_after_a_stage_gives_the_leading_words():
    assert _stage_prefixes("BCLC C (PORTAL VEIN INVASION)") == ["BCLC C", "BCLC"]
    assert _stage_prefixes("IVB, LIVER AND BONE") == ["IVB"]
    assert _stage_prefixes("IVA") == []


def test_a_bclc_stage_with_a_parenthesis_is_read(real_engine):
    # given an HCC stage written with free text in a parenthesis
    profile = {
        "age": 68,
        "ecog": 1,
        "child_pugh": "A6",
        "cancer": {"oncotree_code": "HCC", "stage": "BCLC C (portal vein invasion)"},
    }
    # when the engine answers
    answer = real_engine.recommend(profile)
    # then the stage is read (no warning) and no local treatment comes first
    assert not [w for w in answer.warnings if "stage" in w.lower() and "recogn" in w.lower()]
    top = regimens(answer)[:3]
    assert "liver-transplant" not in top and "ablation-liver" not in top, top


def test_the_trial_referral_comes_before_a_repeat_of_failed_treatment(real_engine):
    # given colorectal cancer after FOLFIRI + bevacizumab failed, with few active options left
    profile = {
        "age": 68,
        "ecog": 1,
        "cancer": {"oncotree_code": "COAD", "stage": "IV", "left_sided_primary": True},
        "biomarkers": [{"gene": "KRAS", "value": "wild type"}, {"gene": "NRAS", "value": "wild type"}],
        "prior_therapies": [
            {"drugs": ["FOLFOX", "panitumumab"], "line": 1, "outcome": "progression"},
            {"drugs": ["FOLFIRI", "bevacizumab"], "line": 2, "outcome": "progression"},
            {"drugs": ["TAS-102", "bevacizumab"], "line": 3, "outcome": "progression"},
        ],
    }
    # when the engine answers
    answer = real_engine.recommend(profile)
    ids = regimens(answer)
    repeats = [i for i, o in enumerate(answer.options) if o.group == "failed_before"]
    # then the trial referral ranks before every repeat of a failed treatment
    assert repeats, ids
    trial = ids.index("clinical-trial-referral")
    assert trial < repeats[0], ids
    assert "rank.trial_before_repeat" in answer.options[trial].trace
    # and the other supportive options stay after the repeats
    supportive = [i for i, o in enumerate(answer.options) if o.group == "supportive" and i != trial]
    assert min(supportive) > max(repeats), ids
