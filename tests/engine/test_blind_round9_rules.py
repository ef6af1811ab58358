"""Rules added after blind rounds 8 and 9 (tests/engine/vignettes/blind-2026-12j/k.yaml): each is
policy data (knowledge/policy/fitness-builtin.yaml, co-occurrence/heme.yaml, biomarker cut-offs);
the sources are in the data files."""

from __future__ import annotations

import pytest

from tests.engine.conftest import regimens


def _opt(answer, regimen):
    return next(o for o in answer.options if o.regimen == regimen)


def _hr_breast(comorbidities):
    # NCCN Breast: HR+ HER2- after an AI + CDK4/6 inhibitor, PIK3CA and ESR1 mutated
    return {
        "age": 70,
        "sex": "female",
        "ecog": 1,
        "comorbidities": comorbidities,
        "cancer": {"oncotree_code": "IDC", "stage": "IV"},
        "biomarkers": [
            {"name": "ER", "value": "90%"},
            {"name": "HER2", "value": "IHC 0"},
            {"gene": "PIK3CA", "alteration": "H1047R"},
            {"gene": "ESR1", "alteration": "Y537S"},
        ],
        "prior_therapies": [{"drugs": ["letrozole", "palbociclib"], "line": 1, "outcome": "progression"}],
    }


def test_uncontrolled_diabetes_ranks_pi3k_and_akt_inhibitors_last(real_engine):
    answer = real_engine.recommend(_hr_breast(["uncontrolled type 2 diabetes on insulin (HbA1c 9.6%)"]))
    for rid in ("alpelisib+fulvestrant", "capivasertib+fulvestrant"):
        assert "fitness.relative_contraindication" in _opt(answer, rid).trace
        assert rid not in regimens(answer)[:3]
    # controlled diabetes changes nothing
    calm = real_engine.recommend(_hr_breast(["type 2 diabetes on metformin, HbA1c 6.4%"]))
    assert "fitness.relative_contraindication" not in _opt(calm, "capivasertib+fulvestrant").trace


def _her2_gastric(comorbidities):
    return {
        "age": 66,
        "ecog": 1,
        "comorbidities": comorbidities,
        "cancer": {"oncotree_code": "STAD", "stage": "IV"},
        "biomarkers": [{"name": "HER2", "value": "IHC 3+"}],
        "prior_therapies": [
            {"drugs": ["trastuzumab", "capecitabine", "oxaliplatin"], "line": 1, "outcome": "progression"}
        ],
    }


def test_interstitial_lung_disease_ranks_trastuzumab_deruxtecan_after_the_others(real_engine):
    answer = real_engine.recommend(_her2_gastric(["interstitial lung disease (UIP) on home oxygen"]))
    tdxd = _opt(answer, "trastuzumab-deruxtecan")
    assert "fitness.relative_contraindication" in tdxd.trace
    assert regimens(answer).index("trastuzumab-deruxtecan") > regimens(answer).index("ramucirumab+paclitaxel")
    plain = real_engine.recommend(_her2_gastric([]))
    assert "fitness.relative_contraindication" not in _opt(plain, "trastuzumab-deruxtecan").trace


def _uec(comorbidity):
    return {
        "age": 61,
        "sex": "female",
        "ecog": 1,
        "comorbidities": [comorbidity],
        "cancer": {"oncotree_code": "UEC", "stage": "IV"},
        "biomarkers": [{"name": "MMR", "value": "pMMR"}],
        "prior_therapies": [],
    }


def test_active_autoimmune_disease_shows_checkpoint_inhibitors_lower_quiet_disease_only_cautions(real_engine):
    active = real_engine.recommend(_uec("active ulcerative colitis on vedolizumab"))
    quiet = real_engine.recommend(_uec("ulcerative colitis in remission"))
    rid = "pembrolizumab+carboplatin+paclitaxel"
    assert "fitness.comorbidity_demote" in _opt(active, rid).trace
    assert "fitness.comorbidity_demote" not in _opt(quiet, rid).trace
    assert "fitness.comorbidity" in _opt(quiet, rid).trace


def _ovarian(reason, fra="85% PS2+ (VENTANA FOLR1)"):
    return {
        "age": 69,
        "sex": "female",
        "ecog": 1,
        "cancer": {"oncotree_code": "HGSOC", "stage": "recurrent", "platinum_sensitivity": "resistant"},
        "biomarkers": [{"name": "FRalpha", "value": fra}],
        "prior_therapies": [
            {"drugs": ["carboplatin", "paclitaxel"], "line": 1, "outcome": "relapse"},
            {"drugs": ["paclitaxel"], "line": 2, "outcome": "intolerance", "reason": reason},
        ],
    }


def test_grade_3_taxane_neuropathy_ranks_taxanes_after_the_others_grade_2_does_not(real_engine):
    bad = real_engine.recommend(_ovarian("grade 3 peripheral neuropathy"))
    mild = real_engine.recommend(_ovarian("grade 2 peripheral neuropathy"))
    assert "failure.no_rechallenge_relative" in _opt(bad, "paclitaxel+bevacizumab").trace
    assert "failure.no_rechallenge_relative" not in _opt(mild, "paclitaxel+bevacizumab").trace
    # FRα 85% of cells at 2+ or more (share written first) reads as FRα-high: mirvetuximab first
    assert regimens(bad)[0] == "mirvetuximab-soravtansine"


@pytest.mark.parametrize(
    ("value", "present"),
    [("85% PS2+ (VENTANA FOLR1)", True), ("80%, 2+", True), ("60% PS2+", False), ("90% 1+", False)],
)
def test_fr_alpha_written_share_first_is_read_against_75_percent_at_2_plus(real_engine, value, present):
    answer = real_engine.recommend(_ovarian("grade 2 peripheral neuropathy", fra=value))
    mirv = [o for o in answer.options if o.regimen == "mirvetuximab-soravtansine"]
    assert bool(mirv and mirv[0].condition is None) is present


def test_idh1_makes_an_idh2_option_unlikely_in_aml(real_engine):
    answer = real_engine.recommend(
        {
            "age": 79,
            "ecog": 1,
            "cancer": {"oncotree_code": "AML", "stage": "relapsed"},
            "biomarkers": [{"gene": "IDH1", "alteration": "R132H"}],
            "prior_therapies": [{"drugs": ["venetoclax", "azacitidine"], "line": 1, "outcome": "relapse"}],
        }
    )
    assert regimens(answer)[0] in ("ivosidenib", "olutasidenib", "ivosidenib+azacitidine")
    assert "enasidenib" not in regimens(answer)[:3]


def test_talimogene_laherparepvec_is_not_offered_to_an_immunosuppressed_patient(real_engine):
    answer = real_engine.recommend(
        {
            "age": 64,
            "ecog": 1,
            "comorbidities": ["kidney transplant 2018 on tacrolimus"],
            "cancer": {"oncotree_code": "SKCM", "stage": "IIIC"},
            "biomarkers": [{"gene": "BRAF", "alteration": "wild-type"}],
            "prior_therapies": [],
        }
    )
    assert "talimogene-laherparepvec" not in regimens(answer)
    assert any(x.regimen == "talimogene-laherparepvec" for x in answer.excluded)


def _odg(prior):
    # NCCN CNS Cancers: grade 2 oligodendroglioma (IDH-mutant, 1p/19q-codeleted) after resection:
    # radiotherapy + PCV, or vorasidenib for residual / recurrent disease after surgery only
    return {
        "age": 34,
        "ecog": 0,
        "cancer": {"oncotree_code": "ODG", "stage": "grade 2"},
        "biomarkers": [{"gene": "IDH1", "alteration": "R132H"}, {"name": "1p/19q", "value": "codeleted"}],
        "prior_therapies": [prior],
    }


def test_an_operation_on_record_counts_as_resected_a_biopsy_does_not(real_engine):
    operated = real_engine.recommend(_odg({"regimen": "subtotal resection", "setting": "surgery"}))
    assert regimens(operated)[0] in ("vorasidenib", "radiotherapy+pcv")
    assert any("subtotal resection" in w and "taken as operated on" in w for w in operated.warnings)
    biopsied = real_engine.recommend(_odg({"regimen": "stereotactic biopsy", "setting": "surgery"}))
    assert not any("taken as operated on" in w for w in biopsied.warnings)


def test_a_fistula_ranks_bevacizumab_regimens_after_the_others(real_engine):
    answer = real_engine.recommend(
        {
            "age": 63,
            "ecog": 1,
            "comorbidities": ["vesicovaginal fistula after pelvic radiotherapy, repaired 2024"],
            "cancer": {"oncotree_code": "CESC", "stage": "recurrent"},
            "biomarkers": [{"name": "PD-L1 CPS", "value": 20}],
            "prior_therapies": [],
        }
    )
    top3 = regimens(answer)[:3]
    assert not [r for r in top3 if "bevacizumab" in r], top3
    assert "carboplatin+paclitaxel" in regimens(answer)


@pytest.mark.parametrize(
    ("value", "stored"), [(True, "transformed"), (False, "none"), ("Richter", "Richter")]
)
def test_histologic_transformation_may_be_written_as_yes_or_no(value, stored):
    from onconav.engine.profile import Profile

    prof = Profile.model_validate({"cancer": {"oncotree_code": "FL", "histologic_transformation": value}})
    assert prof.cancer.histologic_transformation == stored


@pytest.mark.parametrize(
    ("ki67", "first"),
    [("15%", "lutetium-177-dotatate"), (5, "lanreotide"), ("12 %", "lutetium-177-dotatate")],
)
def test_a_ki67_written_as_a_biomarker_with_a_percent_sign_decides_the_net_options(real_engine, ki67, first):
    # NETTER-2 (Ki-67 10-55%) vs CLARINET (Ki-67 < 10%): the fact reads cancer.risk_groups.Ki-67;
    # a record writes it as a biomarker, often with a percent sign (rule normalize.risk_score)
    answer = real_engine.recommend(
        {
            "age": 60,
            "ecog": 1,
            "cancer": {"oncotree_code": "PANET", "stage": "IV"},
            "biomarkers": [{"name": "Ki-67", "value": ki67}, {"name": "SSTR PET", "value": "positive"}],
            "prior_therapies": [],
        }
    )
    assert answer.options[0].regimen == first
    assert answer.options[0].condition is None
    assert not [u for u in answer.unused_inputs if "Ki-67" in u.value]


def test_a_marker_recorded_without_a_gene_is_named_by_its_condition_name_in_the_tests(real_engine):
    # uveal melanoma: tebentafusp needs HLA-A*02:01 (a tissue type, no gene field): the test is not "HLAA test"
    answer = real_engine.recommend(
        {"age": 60, "ecog": 1, "cancer": {"oncotree_code": "UM", "stage": "IV"}, "prior_therapies": []}
    )
    names = [t.test for t in answer.tests_recommended]
    assert any("HLA-A*02:01" in n for n in names), names
    assert not any("HLAA" in n for n in names), names


def test_in_squamous_nsclc_immunotherapy_needing_egfr_alk_absent_ranks_as_if_negative(real_engine):
    # NCCN NSCLC: in squamous histology broad driver testing is not routine; PD-L1 80%, ECOG 2,
    # age 81: pembrolizumab / atezolizumab / cemiplimab monotherapy (policy/co-occurrence, rare: true)
    answer = real_engine.recommend(
        {
            "age": 81,
            "ecog": 2,
            "smoking": "current",
            "cancer": {"oncotree_code": "LUSC", "stage": "IVA"},
            "biomarkers": [{"name": "PD-L1 TPS", "value": 80}],
            "prior_therapies": [],
        }
    )
    first = answer.options[0]
    assert first.regimen in ("pembrolizumab", "atezolizumab", "cemiplimab")
    assert "condition.likely" in first.trace
    # in adenocarcinoma the same profile still waits on the tests
    adeno = real_engine.recommend(
        {
            "age": 81,
            "ecog": 2,
            "cancer": {"oncotree_code": "LUAD", "stage": "IVA"},
            "biomarkers": [{"name": "PD-L1 TPS", "value": 80}],
            "prior_therapies": [],
        }
    )
    assert not any("condition.likely" in o.trace for o in adeno.options)


@pytest.mark.parametrize(
    ("written", "stored"), [("premenopausal", "pre"), ("绝经后", "post"), ("Peri-menopausal", "peri")]
)
def test_menopausal_status_is_read(written, stored):
    from onconav.engine.profile import Profile

    prof = Profile.model_validate({"cancer": {"oncotree_code": "IDC"}, "menopausal_status": written})
    assert prof.menopausal_status == stored


def _hr_early(status):
    profile = {
        "age": 48,
        "sex": "female",
        "ecog": 0,
        "cancer": {"oncotree_code": "IDC", "stage": "II", "resected": True},
        "biomarkers": [{"name": "ER", "value": "90%"}, {"name": "HER2", "value": "IHC 0"}],
        "prior_therapies": [],
    }
    if status:
        profile["menopausal_status"] = status
    return profile


def test_menopausal_status_decides_ovarian_suppression_options_and_cautions(real_engine):
    # NCCN Breast (adjuvant endocrine therapy): ovarian suppression + exemestane is for premenopausal
    # women (SOFT/TEXT); an aromatase inhibitor before the menopause needs ovarian suppression
    post = real_engine.recommend(_hr_early("postmenopausal"))
    assert "goserelin+exemestane" not in regimens(post)
    pre = real_engine.recommend(_hr_early("premenopausal"))
    assert "goserelin+exemestane" in regimens(pre)
    ai = next(o for o in pre.options if o.regimen == "anastrozole")
    assert any("ovaries are switched off" in c for c in ai.cautions)
    assert not [u for u in pre.unused_inputs if u.field == "menopausal_status"]
