"""Candidate generation: evidence predicates against the normalised profile (ENGINE.md step 2)."""

from __future__ import annotations

from tests.engine.conftest import advanced_luad, regimens


def test_sensitizing_egfr_first_line_offers_egfr_tkis_not_immunotherapy(engine):
    # given stage IV LUAD with EGFR L858R and PD-L1 60%
    answer = engine.recommend(
        advanced_luad(
            biomarkers=[{"gene": "EGFR", "alteration": "L858R"}, {"name": "PD-L1 TPS", "value": 60}]
        )
    )
    # then osimertinib ranks first, gefitinib is offered, pembrolizumab (needs EGFR negative) is not
    regs = regimens(answer)
    assert regs[0] == "osimertinib"
    assert "gefitinib" in regs
    assert "pembrolizumab" not in regs and "pembrolizumab+pemetrexed+platinum" not in regs


def test_biomarkers_absent_unknown_makes_a_conditional_option_and_a_test(engine):
    # given PD-L1 80% but EGFR/ALK unknown
    answer = engine.recommend(advanced_luad(biomarkers=[{"name": "PD-L1 TPS", "value": 80}]))
    # then pembrolizumab is offered only as conditional on the driver tests (missing data never
    # hides standard care), and the driver tests are recommended (as one NGS panel)
    pembro = next(o for o in answer.options if o.regimen == "pembrolizumab")
    assert pembro.condition is not None and pembro.group == "conditional"
    assert "EGFR:sensitizing" in pembro.condition.biomarkers or "EGFR:mutation" in pembro.condition.biomarkers
    assert pembro.condition.tests
    ids = {b for t in answer.tests_recommended for b in t.biomarkers}
    assert {"EGFR:mutation", "ALK:fusion"} <= ids
    assert answer.tests_recommended[0].test.startswith("Comprehensive NGS panel")


def test_known_negative_drivers_and_high_pdl1_offer_pembrolizumab(engine):
    answer = engine.recommend(
        advanced_luad(
            biomarkers=[
                {"gene": "EGFR", "alteration": "wild-type"},
                {"gene": "ALK", "alteration": "negative"},
                {"name": "PD-L1 TPS", "value": "≥50%"},
            ]
        )
    )
    regs = regimens(answer)
    assert "pembrolizumab" in regs and "pembrolizumab+pemetrexed+platinum" in regs
    assert not any("NGS" in t.test for t in answer.tests_recommended)


def test_threshold_below_cutoff_excludes_monotherapy(engine):
    answer = engine.recommend(
        advanced_luad(
            biomarkers=[
                {"gene": "EGFR", "alteration": "wt"},
                {"gene": "ALK", "alteration": "neg"},
                {"name": "TPS", "value": "10%"},
            ]
        )
    )
    assert "pembrolizumab" not in regimens(answer)
    assert "pembrolizumab+pemetrexed+platinum" in regimens(answer)


def test_unknown_pdl1_recommends_the_pdl1_test(engine):
    answer = engine.recommend(
        advanced_luad(biomarkers=[{"gene": "EGFR", "alteration": "wt"}, {"gene": "ALK", "alteration": "neg"}])
    )
    tests = {b: t for t in answer.tests_recommended for b in t.biomarkers}
    assert "PD-L1:TPS" in tests
    assert tests["PD-L1:TPS"].reason


def test_first_line_items_do_not_apply_at_second_line(engine):
    # given EGFR 19del that progressed on gefitinib (line 1)
    answer = engine.recommend(
        advanced_luad(
            biomarkers=[{"gene": "EGFR", "alteration": "19del"}],
            prior_therapies=[{"drugs": ["gefitinib"], "line": 1, "outcome": "progression"}],
        )
    )
    # then later-line options appear and first-line-only items do not
    regs = regimens(answer)
    assert "docetaxel" in regs
    assert "gefitinib" not in regs
    assert "pemetrexed+platinum" not in regs


def test_after_failure_of_needs_a_failed_prior_of_that_class(engine):
    t790m = [{"gene": "EGFR", "alteration": "T790M"}, {"gene": "EGFR", "alteration": "19del"}]
    # given T790M and a failed first-generation TKI: osimertinib (AURA3-type item) first
    after = engine.recommend(
        advanced_luad(biomarkers=t790m, prior_therapies=[{"drugs": ["gefitinib"], "outcome": "progression"}])
    )
    assert regimens(after)[0] == "osimertinib"
    assert "nsclc-osimertinib-t790m" in after.options[0].evidence
    # given the same T790M after a response (no failure): the after-failure item does not hold
    responded = engine.recommend(
        advanced_luad(biomarkers=t790m, prior_therapies=[{"drugs": ["gefitinib"], "outcome": "response"}])
    )
    assert all("nsclc-osimertinib-t790m" not in o.evidence for o in responded.options)


def test_early_stage_unresected_offers_surgery_not_adjuvant(engine):
    answer = engine.recommend(
        {
            "ecog": 0,
            "cancer": {"oncotree_code": "LUAD", "stage": "IB"},
            "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}],
        }
    )
    regs = regimens(answer)
    assert regs[0] == "surgery-lobectomy"
    assert "osimertinib" not in regs  # adjuvant needs a resected primary
    assert "sbrt-lung" not in regs  # SBRT item needs operable: false


def test_resected_early_stage_offers_adjuvant_not_surgery(engine):
    answer = engine.recommend(
        {
            "ecog": 0,
            "cancer": {"oncotree_code": "LUAD", "stage": "IIA", "resected": True},
            "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}],
        }
    )
    regs = regimens(answer)
    assert regs[0] == "osimertinib"
    assert "surgery-lobectomy" not in regs


def test_inoperable_early_stage_offers_sbrt_and_drops_surgery(engine):
    answer = engine.recommend(
        {"ecog": 2, "operable": False, "cancer": {"oncotree_code": "LUAD", "stage": "IA", "tumor_size_cm": 2}}
    )
    regs = regimens(answer)
    assert regs[0] == "sbrt-lung"
    assert "surgery-lobectomy" not in regs
    assert any(x.regimen == "surgery-lobectomy" for x in answer.excluded)


def test_tumor_size_limit(engine):
    answer = engine.recommend(
        {"operable": False, "cancer": {"oncotree_code": "LUAD", "stage": "IB", "tumor_size_cm": 7}}
    )
    assert "sbrt-lung" not in regimens(answer)
    unknown = engine.recommend({"operable": False, "cancer": {"oncotree_code": "LUAD", "stage": "IB"}})
    sbrt = next(o for o in unknown.options if o.regimen == "sbrt-lung")
    assert any("5 cm" in c for c in sbrt.cautions)


def test_tumour_agnostic_items_apply_to_every_solid_tumour(engine):
    # given an NTRK fusion in breast cancer and in lung cancer
    for code in ("BRCA", "LUAD", "HCC"):
        answer = engine.recommend(
            {
                "cancer": {"oncotree_code": code, "stage": "IV"},
                "biomarkers": [{"gene": "NTRK1", "alteration": "fusion"}],
            }
        )
        # then larotrectinib (written for SOLID) is offered as written (level 1)
        opt = next(o for o in answer.options if o.regimen == "larotrectinib")
        assert opt.evidence_level == "1"
        assert "cancer.agnostic" in opt.trace


def test_solid_items_do_not_apply_to_haematological_cancers(engine):
    answer = engine.recommend(
        {
            "cancer": {"oncotree_code": "DLBCLNOS", "stage": "IV"},
            "biomarkers": [{"gene": "NTRK1", "alteration": "fusion"}],
        }
    )
    assert "larotrectinib" not in regimens(answer)


def test_an_item_for_another_cancer_is_not_used(engine):
    # given HER2-positive lung adenocarcinoma; THP is written for breast cancer (BRCA)
    answer = engine.recommend(advanced_luad(biomarkers=[{"name": "HER2 IHC", "value": "3+"}]))
    # then it is not offered to the lung cancer patient
    assert "trastuzumab+pertuzumab+docetaxel" not in regimens(answer)


def test_unknown_stage_considers_all_settings_and_recommends_staging(engine):
    answer = engine.recommend({"ecog": 1, "cancer": {"oncotree_code": "LUAD"}})
    assert answer.tests_recommended[0].test.startswith("Staging")
    assert "surgery-lobectomy" in regimens(answer) and "pemetrexed+platinum" in regimens(answer)
    lob = next(o for o in answer.options if o.regimen == "surgery-lobectomy")
    assert any("stage" in c for c in lob.cautions)


def test_child_pugh_unknown_gives_a_caution_and_a_test(engine):
    answer = engine.recommend({"ecog": 1, "cancer": {"oncotree_code": "HCC", "stage": "BCLC C"}})
    opt = next(o for o in answer.options if o.regimen == "atezolizumab+bevacizumab")
    assert any("Child-Pugh" in c for c in opt.cautions)
    assert any("Child-Pugh" in t.test for t in answer.tests_recommended)


def test_maintenance_follows_a_first_line_that_worked(engine):
    # given first-line platinum-pemetrexed with a response
    after = engine.recommend(
        advanced_luad(
            prior_therapies=[{"drugs": ["carboplatin", "pemetrexed"], "line": 1, "outcome": "response"}]
        )
    )
    # then pemetrexed maintenance fits now (rank 1), and first-line items are gone
    assert regimens(after)[0] == "pemetrexed"
    assert "pemetrexed+platinum" not in regimens(after)
    # given no treatment yet: maintenance is listed as a related setting, with a caution
    naive = engine.recommend(advanced_luad())
    assert regimens(naive)[0] == "pemetrexed+platinum"
    maint = next(o for o in naive.options if o.regimen == "pemetrexed")
    assert "setting.maintenance" in maint.trace
    # given progression on first line: maintenance no longer applies
    failed = engine.recommend(
        advanced_luad(
            prior_therapies=[{"drugs": ["carboplatin", "pemetrexed"], "line": 1, "outcome": "progression"}]
        )
    )
    assert "pemetrexed" not in regimens(failed)


def test_options_waiting_on_tests_are_announced(engine):
    answer = engine.recommend(advanced_luad())
    assert any("depend on test results" in w for w in answer.warnings)


def test_no_waiting_warning_when_no_test_is_recommended(engine):
    # given an EGFR driver: ALK-only options are not worth a test (drivers rarely overlap)
    answer = engine.recommend(
        advanced_luad(biomarkers=[{"gene": "EGFR", "alteration": "L858R"}, {"name": "TPS", "value": 5}])
    )
    assert not any("ALK:fusion" in t.biomarkers for t in answer.tests_recommended)
    assert not any("depend on test results" in w for w in answer.warnings)


def test_age_max_excludes_an_item_above_the_age_limit(real_engine):
    # given relapsed ALK-positive ALCL; the crizotinib item carries age_max 21 (label: children
    # and young adults)
    def alcl(age: int) -> dict:
        return {
            "age": age,
            "ecog": 1,
            "cancer": {"oncotree_code": "ALCL", "stage": "relapsed"},
            "biomarkers": [{"gene": "ALK", "alteration": "fusion"}, {"name": "CD30", "value": "positive"}],
            "prior_therapies": [
                {"drugs": ["cyclophosphamide", "doxorubicin", "prednisone"], "line": 1, "outcome": "relapse"}
            ],
        }

    # when the patient is 21, then crizotinib is offered; at 22 it is not
    assert "crizotinib" in regimens(real_engine.recommend(alcl(21)))
    assert "crizotinib" not in regimens(real_engine.recommend(alcl(22)))
