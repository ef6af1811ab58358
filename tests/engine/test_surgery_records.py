"""Operations written in the treatment list (blind round 3, docs/engine.md "Blind vignettes").

* An operation (``setting: surgery``) is local treatment, never a line of systemic therapy for
  advanced disease (rule ``line.surgery_not_a_line``): thyroidectomy + radioiodine made
  RAI-refractory thyroid cancer "line 3" and hid lenvatinib (``line_max: 2``).
* A relapse written on the operation belongs to the neoadjuvant treatment just before it.
* A relapse during adjuvant anastrozole (no end date) is 0 months after it, so the first-line
  AI + CDK4/6 inhibitor items (PALOMA-2 population) do not apply (fact ``nsai_resistant_relapse``).
"""

from __future__ import annotations

import pytest

from onconav.engine import Engine
from onconav.kbdata.loader import load_knowledge_base


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_knowledge_base())


def _thyroid(surgery_setting: str | None) -> dict[str, object]:
    return {
        "age": 66,
        "ecog": 1,
        "cancer": {"oncotree_code": "THPA", "stage": "metastatic", "metastatic_sites": ["lung"]},
        "prior_therapies": [
            {"drugs": ["thyroidectomy"], "setting": surgery_setting, "start": "2019-01", "end": "2019-01"},
            {
                "drugs": ["radioactive iodine"],
                "line": 1,
                "start": "2019-03",
                "end": "2021-06",
                "outcome": "progression",
            },
        ],
    }


def test_an_operation_is_not_a_line(engine):
    # given thyroidectomy recorded as surgery, then radioiodine that failed
    answer = engine.recommend(_thyroid("surgery"))
    # then lenvatinib (written for up to line 2, radioiodine counting as one) is offered, and the
    # operation's name is not reported as an unknown drug
    assert "lenvatinib" in [o.regimen for o in answer.options]
    assert not any("thyroidectomy" in w for w in answer.warnings)


def test_the_same_entry_without_the_surgery_setting_still_counts(engine):
    # given the same name with no setting (the engine cannot tell it is an operation)
    answer = engine.recommend(_thyroid(None))
    # then it is still counted as a line (the rule reads the setting, not the name)
    assert "lenvatinib" not in [o.regimen for o in answer.options]


def _tnbc(relapse: str) -> dict[str, object]:
    return {
        "age": 48,
        "sex": "female",
        "ecog": 0,
        "cancer": {"oncotree_code": "BRCA", "stage": "metastatic", "metastatic_sites": ["lung"]},
        "biomarkers": [
            {"name": "ER", "value": "0%"},
            {"name": "PR", "value": "0%"},
            {"name": "HER2", "value": "0"},
            {"name": "PD-L1 CPS", "value": 1},
        ],
        "prior_therapies": [
            {"drugs": ["AC-T"], "setting": "neoadjuvant", "start": "2025-06", "end": "2025-11"},
            {
                "drugs": ["mastectomy"],
                "setting": "surgery",
                "start": "2025-12",
                "end": "2025-12",
                "outcome": "relapse",
                "progression_date": relapse,
            },
        ],
    }


def test_a_relapse_on_the_operation_is_the_neoadjuvant_courses_relapse(engine):
    # given relapse 4 months after neoadjuvant AC-T, written on the mastectomy
    answer = engine.recommend(_tnbc("2026-04"))
    # then the AC-T failed early: paclitaxel is a repeat and sacituzumab govitecan (ASCENT) applies
    # with the early failure of the curative course as its prior line
    by_regimen = {o.regimen: o for o in answer.options}
    assert by_regimen["paclitaxel"].group == "failed_before"
    assert "setting.line_after_curative_failure" in by_regimen["sacituzumab-govitecan"].trace


def _hr_positive(anastrozole: dict[str, object]) -> dict[str, object]:
    return {
        "age": 60,
        "sex": "female",
        "ecog": 0,
        "cancer": {"oncotree_code": "IDC", "stage": "recurrent", "metastatic_sites": ["bone"]},
        "biomarkers": [
            {"name": "ER", "value": "90%"},
            {"name": "PR", "value": "30%"},
            {"name": "HER2", "value": "0"},
        ],
        "prior_therapies": [{"drugs": ["anastrozole"], "setting": "adjuvant", **anastrozole}],
    }


def test_relapse_during_adjuvant_anastrozole_drops_ai_plus_cdk46(engine):
    # given relapse while still on adjuvant anastrozole (no end date)
    answer = engine.recommend(
        _hr_positive({"start": "2022-12", "outcome": "relapse", "progression_date": "2026-10"})
    )
    regimens = [o.regimen for o in answer.options]
    # then letrozole-based CDK4/6 combinations are not offered, fulvestrant-based ones lead
    assert "palbociclib+letrozole" not in regimens
    assert answer.options[0].regimen.endswith("+fulvestrant")


def test_late_relapse_after_completed_anastrozole_keeps_ai_plus_cdk46(engine):
    # given relapse 3 years after completing 5 years of anastrozole (endocrine-sensitive)
    answer = engine.recommend(
        _hr_positive(
            {"start": "2018-01", "end": "2023-01", "outcome": "relapse", "progression_date": "2026-01"}
        )
    )
    # then AI + CDK4/6 inhibitor stays an option
    assert "palbociclib+letrozole" in [o.regimen for o in answer.options]


def _hcc_after_tace(setting: str | None) -> dict[str, object]:
    return {
        "age": 70,
        "sex": "male",
        "ecog": 1,
        "child_pugh": "B7",
        "cancer": {"oncotree_code": "HCC", "stage": "BCLC B"},
        "prior_therapies": [
            {
                "regimen": "TACE ×2",
                "setting": setting,
                "start": "2025-12",
                "end": "2026-06",
                "outcome": "progression",
            },
        ],
    }


def test_locoregional_treatment_is_not_a_line(engine):
    # given HCC (Child-Pugh B7) progressing after TACE recorded as locoregional treatment
    answer = engine.recommend(_hcc_after_tace("locoregional"))
    regs = [o.regimen for o in answer.options]
    # then first-line systemic therapy is offered (rule line.locoregional_not_a_line), and TACE
    # is not reported as an unknown drug
    assert "sorafenib" in regs
    assert not any("TACE" in w for w in answer.warnings)


def test_tace_without_the_locoregional_setting_still_counts(engine):
    # given the same entry with no setting, the engine cannot tell it is local treatment
    answer = engine.recommend(_hcc_after_tace(None))
    assert "sorafenib" not in [o.regimen for o in answer.options]
