"""Resistance, prior failure and fitness rules (ENGINE.md step 3)."""

from __future__ import annotations

from tests.engine.conftest import advanced_luad, regimens


def t790m_after(drug: str, outcome: str = "progression", **extra):
    return advanced_luad(
        biomarkers=[
            {"gene": "EGFR", "alteration": "T790M"},
            {"gene": "EGFR", "alteration": "exon 19 deletion"},
        ],
        prior_therapies=[{"drugs": [drug], "line": 1, "outcome": outcome}],
        **extra,
    )


def test_met_amplification_demotes_osimertinib_but_not_the_combination_designed_for_it(engine):
    # given MET amplification after osimertinib failure
    answer = engine.recommend(
        advanced_luad(
            biomarkers=[
                {"gene": "EGFR", "alteration": "L858R"},
                {"gene": "MET", "alteration": "amplification"},
            ],
            prior_therapies=[{"drugs": ["osimertinib"], "line": 1, "outcome": "progression"}],
        )
    )
    regs = regimens(answer)
    # then savolitinib + osimertinib is first (it is meant for MET amplification)
    assert regs[0] == "savolitinib+osimertinib"
    assert "resistance.R2" not in answer.options[0].trace


def test_r1_resistance_removes_the_option_with_the_reason(engine, kb):
    # given T790M present at first line (de novo), gefitinib's first-line item would hold
    answer = engine.recommend(
        advanced_luad(
            biomarkers=[{"gene": "EGFR", "alteration": "T790M"}, {"gene": "EGFR", "alteration": "L858R"}]
        )
    )
    # then gefitinib is removed (R1) with its reason, osimertinib stays
    assert "gefitinib" not in regimens(answer)
    assert "osimertinib" in regimens(answer)
    ex = next(x for x in answer.excluded if x.regimen == "gefitinib")
    assert any("T790M" in r for r in ex.reasons)
    assert any("Gefitinib" in w for w in answer.warnings)


def test_r2_resistance_demotes_with_a_caution(engine):
    answer = engine.recommend(
        advanced_luad(
            biomarkers=[
                {"gene": "EGFR", "alteration": "L858R"},
                {"gene": "MET", "alteration": "amplification"},
            ],
            prior_therapies=[{"drugs": ["gefitinib"], "line": 1, "outcome": "progression"}],
        )
    )
    # osimertinib is not a candidate at line 2 without T790M here; docetaxel is
    assert "docetaxel" in regimens(answer)


def test_pending_resistance_marker_recommends_its_test(engine):
    # given EGFR 19del after gefitinib progression, T790M present, MET unknown
    answer = engine.recommend(t790m_after("gefitinib"))
    met = [t for t in answer.tests_recommended if "MET:amplification" in t.biomarkers]
    assert met and "resistance" in met[0].reason


def test_what_failed_is_not_offered_first_again(engine):
    # given osimertinib failed in line 1 (no new marker)
    answer = engine.recommend(
        advanced_luad(
            biomarkers=[{"gene": "EGFR", "alteration": "L858R"}],
            prior_therapies=[{"drugs": ["osimertinib"], "line": 1, "outcome": "progression"}],
        )
    )
    assert regimens(answer)[0] != "osimertinib"


def test_failed_drug_is_shown_lower_with_a_caution(engine):
    # given T790M; gefitinib failed; adjusting: osimertinib also failed before (rechallenge)
    answer = engine.recommend(
        advanced_luad(
            biomarkers=[{"gene": "EGFR", "alteration": "T790M"}, {"gene": "EGFR", "alteration": "19del"}],
            prior_therapies=[
                {"drugs": ["gefitinib"], "line": 1, "outcome": "progression"},
                {"drugs": ["osimertinib"], "line": 2, "outcome": "progression"},
            ],
        )
    )
    regs = regimens(answer)
    assert regs[0] == "docetaxel"
    osi = next(o for o in answer.options if o.regimen == "osimertinib")
    assert "failure.same_drug" in osi.trace
    assert any("already failed" in c for c in osi.cautions)


def test_checkpoint_inhibitors_fail_together(engine):
    # given MSI-high NSCLC that progressed on atezolizumab (a PD-L1 antibody)
    answer = engine.recommend(
        advanced_luad(
            biomarkers=[{"name": "MSI", "value": "MSI-H"}],
            prior_therapies=[{"drugs": ["atezolizumab"], "line": 1, "outcome": "progression"}],
        )
    )
    pembro = next(o for o in answer.options if o.regimen == "pembrolizumab")
    assert "failure.same_class" in pembro.trace
    assert regimens(answer).index("pembrolizumab") > regimens(answer).index("docetaxel")


def test_intolerance_is_a_caution(engine):
    answer = engine.recommend(
        advanced_luad(
            biomarkers=[{"gene": "EGFR", "alteration": "L858R"}, {"gene": "EGFR", "alteration": "T790M"}],
            prior_therapies=[
                {"drugs": ["gefitinib"], "line": 1, "outcome": "progression"},
                {"drugs": ["docetaxel"], "line": 2, "outcome": "intolerance"},
            ],
        )
    )
    doc = next(o for o in answer.options if o.regimen == "docetaxel")
    assert any("intolerance" in c.lower() for c in doc.cautions)


def test_ecog_above_the_item_limit_excludes_with_the_reason(engine):
    answer = engine.recommend(
        advanced_luad(
            ecog=2,
            biomarkers=[
                {"gene": "EGFR", "alteration": "wt"},
                {"gene": "ALK", "alteration": "neg"},
                {"name": "TPS", "value": 5},
            ],
        )
    )
    assert "pembrolizumab+pemetrexed+platinum" not in regimens(answer)
    ex = next(x for x in answer.excluded if x.regimen == "pembrolizumab+pemetrexed+platinum")
    assert any("ECOG 2" in r for r in ex.reasons)


def test_high_intensity_is_demoted_for_ecog2_and_age_75(engine):
    base = {
        "biomarkers": [
            {"gene": "EGFR", "alteration": "wt"},
            {"gene": "ALK", "alteration": "neg"},
            {"name": "TPS", "value": 70},
        ]
    }
    old = engine.recommend(advanced_luad(age=80, **base))
    chemo = next(o for o in old.options if o.regimen == "pembrolizumab+pemetrexed+platinum")
    assert "fitness.high_age75" in chemo.trace
    assert regimens(old).index("pembrolizumab") < regimens(old).index("pembrolizumab+pemetrexed+platinum")
    young = engine.recommend(advanced_luad(age=50, **base))
    # at 50 the two guideline-preferred options are equivalent choices, said to be ties
    top = young.options[0]
    assert {top.regimen, young.options[1].regimen} == {"pembrolizumab", "pembrolizumab+pemetrexed+platinum"}
    assert top.tie_with == [2]


def test_poor_performance_status_puts_supportive_care_first_and_keeps_targeted_therapy(engine):
    # given ECOG 3 with an EGFR driver
    answer = engine.recommend(advanced_luad(ecog=3, biomarkers=[{"gene": "EGFR", "alteration": "L858R"}]))
    regs = regimens(answer)
    # then supportive care is first, the EGFR TKI is kept (with a caution), chemotherapy is excluded
    assert regs[0] == "best-supportive-care"
    assert "osimertinib" in regs
    osi = next(o for o in answer.options if o.regimen == "osimertinib")
    assert "fitness.ps_targeted_kept" in osi.trace
    assert "pemetrexed+platinum" not in regs
    assert any("ECOG 3" in w for w in answer.warnings)


def test_car_t_needs_good_performance_status(engine):
    relapsed = {
        "cancer": {"oncotree_code": "DLBCLNOS", "stage": "IV"},
        "prior_therapies": [{"drugs": ["docetaxel"], "outcome": "refractory"}],
    }
    fit = engine.recommend({**relapsed, "ecog": 1, "age": 55})
    assert regimens(fit)[0] == "axicabtagene-ciloleucel"
    ecog2 = engine.recommend({**relapsed, "ecog": 2, "age": 72})
    cart = next(o for o in ecog2.options if o.regimen == "axicabtagene-ciloleucel")
    assert "fitness.very_high" in cart.trace
    assert any("Age 72" in c for c in cart.cautions)
    poor = engine.recommend({**relapsed, "ecog": 3})
    assert "axicabtagene-ciloleucel" not in regimens(poor)


def test_kidney_and_heart_function_cautions(engine):
    lung = engine.recommend(advanced_luad(organ_function={"creatinine_clearance_ml_min": 30}))
    chemo = next(o for o in lung.options if o.regimen == "pemetrexed+platinum")
    assert any("cisplatin" in c for c in chemo.cautions)
    breast = engine.recommend(
        {
            "cancer": {"oncotree_code": "BRCA", "stage": "IV"},
            "biomarkers": [{"gene": "ERBB2", "alteration": "amplification"}],
            "organ_function": {"lvef_percent": 40},
        }
    )
    thp = next(o for o in breast.options if o.regimen == "trastuzumab+pertuzumab+docetaxel")
    assert any("LVEF 40%" in c for c in thp.cautions)


def test_child_pugh_b_excludes_items_requiring_a(engine):
    answer = engine.recommend(
        {"ecog": 1, "child_pugh": "B", "cancer": {"oncotree_code": "HCC", "stage": "BCLC C"}}
    )
    assert "atezolizumab+bevacizumab" not in regimens(answer)
    assert any(
        x.regimen == "atezolizumab+bevacizumab" and "Child-Pugh B" in x.reasons[0] for x in answer.excluded
    )


def test_comorbidities_give_cautions(engine):
    # given hepatitis B and an autoimmune disease with HCC first line
    answer = engine.recommend(
        {
            "ecog": 1,
            "child_pugh": "A",
            "comorbidities": ["hepatitis B", "rheumatoid arthritis"],
            "cancer": {"oncotree_code": "HCC", "stage": "BCLC C"},
        }
    )
    io = next(o for o in answer.options if o.regimen == "atezolizumab+bevacizumab")
    # then the checkpoint-inhibitor option carries both cautions; sorafenib neither
    assert any("Hepatitis B" in c for c in io.cautions)
    assert any("autoimmune" in c for c in io.cautions)
    assert "fitness.comorbidity" in io.trace
    sora = next(o for o in answer.options if o.regimen == "sorafenib")
    assert not any("Hepatitis B" in c for c in sora.cautions)
    # given severe COPD, a high-intensity combination is flagged
    lung = engine.recommend(advanced_luad(comorbidities=["severe COPD"]))
    chemo = next(o for o in lung.options if o.regimen == "pemetrexed+platinum")
    assert any("severe COPD" in c for c in chemo.cautions)
