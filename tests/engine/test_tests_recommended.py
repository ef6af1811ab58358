"""Which tests the engine asks for, and which it does not."""

from onconav.engine import Engine
from onconav.kbdata.loader import load_knowledge_base

KB = load_knowledge_base()
ENGINE = Engine(KB)


def _tests(profile):  # type: ignore[no-untyped-def]
    return ENGINE.recommend(profile).tests_recommended


def test_after_a_first_generation_egfr_tki_the_panel_covers_t790m_and_met():
    # Given EGFR 19del lung adenocarcinoma that progressed on gefitinib, resistance unknown
    tests = _tests(
        {
            "ecog": 1,
            "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
            "biomarkers": [{"gene": "EGFR", "alteration": "exon 19 deletion"}],
            "prior_therapies": [{"drugs": ["gefitinib"], "line": 1, "outcome": "progression"}],
        }
    )
    ids = {b for t in tests for b in t.biomarkers}
    # Then T790M and MET are asked for
    assert {"EGFR:T790M", "MET:amplification"} <= ids


def test_no_test_is_recommended_for_biological_evidence_only():
    tests = _tests(
        {
            "ecog": 1,
            "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
            "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}],
            "prior_therapies": [{"drugs": ["erlotinib"], "line": 1, "outcome": "progression"}],
        }
    )
    assert not any("HGF:high" in t.biomarkers for t in tests)


def test_advanced_adenocarcinoma_without_results_gets_one_ngs_panel():
    tests = _tests({"ecog": 1, "cancer": {"oncotree_code": "LUAD", "stage": "IV"}})
    panel = [t for t in tests if "NGS" in t.test]
    assert len(panel) == 1
    assert {"EGFR:sensitizing", "ALK:fusion"} & set(panel[0].biomarkers)
