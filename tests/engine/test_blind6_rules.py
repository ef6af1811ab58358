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
