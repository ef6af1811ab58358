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


def _her2_after_tdxd(reason=None, comorbidities=()):
    line = {"drugs": ["trastuzumab deruxtecan"], "line": 2, "outcome": "intolerance"}
    if reason:
        line["reason"] = reason
    return {
        "age": 52,
        "ecog": 1,
        "comorbidities": list(comorbidities),
        "cancer": {"oncotree_code": "IDC", "stage": "IV"},
        "biomarkers": [{"name": "HER2", "value": "3+"}, {"name": "ER", "value": "negative"}],
        "prior_therapies": [
            {"drugs": ["trastuzumab", "pertuzumab", "docetaxel"], "line": 1, "outcome": "progression"},
            line,
        ],
    }


def test_tdxd_stopped_for_grade_2_ild_is_not_offered_again(real_engine):
    # given T-DXd stopped for grade 2 ILD, written as the line's reason or as a comorbidity
    for profile in (
        _her2_after_tdxd(reason="grade 2 pneumonitis"),
        _her2_after_tdxd(comorbidities=["间质性肺炎2级（德曲妥珠单抗相关，已缓解）"]),
    ):
        # when the engine answers
        answer = real_engine.recommend(profile)
        # then it is excluded with the label's reason, and T-DM1 is still offered
        assert "trastuzumab-deruxtecan" not in regimens(answer)
        ex = [e for e in answer.excluded if e.regimen == "trastuzumab-deruxtecan"]
        assert ex and any(c["code"] == "x_no_rechallenge" for c in ex[0].reason_codes), ex
        assert "trastuzumab-emtansine" in regimens(answer)


def test_tdxd_stopped_for_grade_1_ild_or_without_a_reason_is_only_failed_before(real_engine):
    for profile in (_her2_after_tdxd(reason="grade 1 ILD"), _her2_after_tdxd()):
        answer = real_engine.recommend(profile)
        opt = next(o for o in answer.options if o.regimen == "trastuzumab-deruxtecan")
        # a drug stopped for intolerance with nothing new beside it is not among the options for now
        assert opt.group == "failed_before"
        assert "failure.intolerance_repeat" in opt.trace
        assert "failure.no_rechallenge" not in opt.trace


def test_checkpoint_myocarditis_excludes_every_checkpoint_inhibitor(real_engine):
    def profile(reason):
        return {
            "age": 60,
            "ecog": 1,
            "cancer": {"oncotree_code": "SKCM", "stage": "IV"},
            "biomarkers": [{"gene": "BRAF", "value": "wild type"}],
            "prior_therapies": [
                {"drugs": ["nivolumab"], "setting": "adjuvant", "outcome": "intolerance", "reason": reason}
            ],
        }

    # given adjuvant nivolumab stopped for grade 2 myocarditis
    answer = real_engine.recommend(profile("myocarditis grade 2"))
    # then no checkpoint inhibitor is offered (all moved to excluded)
    excluded = {e.regimen for e in answer.excluded}
    assert {"pembrolizumab", "nivolumab", "nivolumab+ipilimumab"} <= excluded
    assert not {"pembrolizumab", "nivolumab"} & set(regimens(answer))
    # and a rash does not exclude them (pembrolizumab is still offered)
    assert "pembrolizumab" in regimens(real_engine.recommend(profile("rash")))


def test_checkpoint_inhibitors_are_demoted_after_a_solid_organ_transplant(real_engine):
    def profile(comorbidity):
        return {
            "age": 70,
            "ecog": 1,
            "comorbidities": [comorbidity],
            "cancer": {"oncotree_code": "LUSC", "stage": "metastatic"},
            "biomarkers": [{"name": "PD-L1 TPS", "value": "80%"}],
        }

    for text in ("kidney transplant 2018", "on tacrolimus and mycophenolate", "肝移植术后"):
        # given a solid-organ transplant (or its immunosuppression)
        answer = real_engine.recommend(profile(text))
        # then chemotherapy without a checkpoint inhibitor comes first and the
        # checkpoint-inhibitor options are demoted, never preferred
        assert regimens(answer)[0] == "carboplatin+paclitaxel", (text, regimens(answer)[:4])
        pembro = next(o for o in answer.options if o.regimen == "pembrolizumab+carboplatin+paclitaxel")
        assert "fitness.comorbidity_demote" in pembro.trace and pembro.group != "preferred"
        assert all(u.value != text for u in answer.unused_inputs)  # the comorbidity is read
    # and without it pembrolizumab + chemotherapy is not demoted
    answer = real_engine.recommend(profile("gout"))
    pembro = next(o for o in answer.options if o.regimen == "pembrolizumab+carboplatin+paclitaxel")
    assert "fitness.comorbidity_demote" not in pembro.trace


def _coad(crcl):
    return {
        "age": 70,
        "ecog": 1,
        "organ_function": {"creatinine_clearance_ml_min": crcl},
        "cancer": {"oncotree_code": "COAD", "stage": "metastatic"},
    }


def test_capecitabine_is_not_given_below_creatinine_clearance_30(real_engine):
    # given metastatic colon cancer at creatinine clearance 24 mL/min
    answer = real_engine.recommend(_coad(24))
    # then no capecitabine regimen is offered; infusional 5-FU regimens are
    assert not [r for r in regimens(answer) if "capecitabine" in r], regimens(answer)
    assert "capecitabine+oxaliplatin+bevacizumab" in {e.regimen for e in answer.excluded}
    assert any(r.startswith("fluorouracil+leucovorin") for r in regimens(answer)[:3])


def test_capecitabine_at_creatinine_clearance_30_to_50_keeps_a_dose_note(real_engine):
    answer = real_engine.recommend(_coad(40))
    cape = [o for o in answer.options if "capecitabine" in o.drugs]
    assert cape and all("fitness.capecitabine-crcl-30-50" in o.trace for o in cape)
    # and at 80 mL/min there is no note
    answer = real_engine.recommend(_coad(80))
    assert not [o for o in answer.options if "fitness.capecitabine-crcl-30-50" in o.trace]


def _named_tests(answer):
    return [set(t.biomarkers) for t in answer.tests_recommended if t.kind == "situational"]


def test_pancreatic_cancer_gets_germline_testing(real_engine):
    # given untreated metastatic pancreatic adenocarcinoma, no germline test on record
    profile = {"age": 70, "ecog": 1, "cancer": {"oncotree_code": "PAAD", "stage": "metastatic"}}
    # then germline BRCA1/2 / PALB2 testing is recommended
    assert {"BRCA:mutation", "PALB2:mutation"} in _named_tests(real_engine.recommend(profile))


def test_biliary_profiling_at_first_line_after_adjuvant_capecitabine(real_engine):
    # given cholangiocarcinoma recurring after adjuvant capecitabine (no line for advanced disease)
    profile = {
        "age": 77,
        "ecog": 1,
        "cancer": {"oncotree_code": "IHCH", "stage": "recurrent"},
        "prior_therapies": [
            {
                "drugs": ["capecitabine"],
                "setting": "adjuvant",
                "end": "2024-09",
                "progression_date": "2026-10",
            }
        ],
    }
    # then FGFR2 / IDH1 profiling is recommended
    assert {"FGFR2:fusion", "IDH1:mutation"} in _named_tests(real_engine.recommend(profile))
    # and after a line for advanced disease it is the test before second-line treatment
    # (NCCN Biliary: FGFR2 / IDH1 decide the second line; knowledge/policy/tests chol-later-line-ngs)
    profile["prior_therapies"].append(
        {"drugs": ["gemcitabine", "cisplatin"], "line": 1, "outcome": "progression"}
    )
    later = real_engine.recommend(profile)
    assert {"FGFR2:fusion", "IDH1:mutation"} in _named_tests(later)
    assert any("before second-line treatment" in t.test for t in later.tests_recommended)


def test_tvec_is_demoted_with_visceral_metastases(real_engine):
    def answer(sites):
        return real_engine.recommend(
            {
                "age": 60,
                "ecog": 1,
                "cancer": {"oncotree_code": "SKCM", "stage": "IV", "metastatic_sites": sites},
                "biomarkers": [{"gene": "BRAF", "value": "wild type"}],
            }
        )

    def tvec(a):
        return next(o for o in a.options if o.regimen == "talimogene-laherparepvec")

    # given lung metastases, T-VEC is shown lower; with skin and nodal disease only it is not
    assert "fitness.tvec-visceral-metastases" in tvec(answer(["lung", "subcutaneous"])).trace
    assert "fitness.tvec-visceral-metastases" not in tvec(answer(["skin", "lymph nodes"])).trace
