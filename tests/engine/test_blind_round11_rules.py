"""Rules added after blind rounds 11 and 12 (tests/engine/vignettes/blind-2026-12m/n.yaml). Each is
policy or knowledge-base data with its source in the data file; these tests pin the behaviour on
profiles other than the vignettes'."""

from __future__ import annotations

from tests.engine.conftest import regimens


def _opt(answer, regimen):
    return next((o for o in answer.options if o.regimen == regimen), None)


def _tnbc(relapse: str):
    # NCCN Breast / ASCENT: TNBC after neoadjuvant chemotherapy and adjuvant capecitabine
    return {
        "age": 45,
        "sex": "female",
        "ecog": 1,
        "cancer": {"oncotree_code": "IDC", "stage": "IV", "recurrent_metastatic": True},
        "biomarkers": [
            {"name": "ER", "value": "0%"},
            {"name": "PR", "value": "0%"},
            {"name": "HER2", "value": "IHC 0"},
        ],
        "prior_therapies": [
            {
                "drugs": ["doxorubicin", "cyclophosphamide", "paclitaxel"],
                "setting": "neoadjuvant",
                "start": "2024-01",
                "end": "2024-06",
            },
            {
                "drugs": ["capecitabine"],
                "setting": "adjuvant",
                "start": "2024-08",
                "end": "2025-02",
                "progression_date": relapse,
            },
        ],
    }


def test_breast_relapse_within_12_months_of_adjuvant_chemotherapy_is_a_second_line(real_engine):
    early = real_engine.recommend(_tnbc("2025-11"))  # 9 months after capecitabine
    sg = _opt(early, "sacituzumab-govitecan")
    assert sg is not None and sg.condition is None and regimens(early)[0] == "sacituzumab-govitecan"
    late = real_engine.recommend(_tnbc("2026-06"))  # 16 months: a first line for advanced disease
    assert "first line" in late.options[0].setting


def test_a_negative_germline_test_leaves_the_tumour_result_open(real_engine):
    # NCCN Thyroid: sporadic medullary cancer, germline RET negative, tumour not sequenced
    profile = {
        "age": 60,
        "ecog": 1,
        "cancer": {"oncotree_code": "THME", "stage": "IVC", "metastatic_sites": ["liver"]},
        "biomarkers": [{"gene": "RET", "value": "negative", "origin": "germline"}],
    }
    answer = real_engine.recommend(profile)
    sel = _opt(answer, "selpercatinib")
    assert sel is not None and sel.condition is not None
    assert any("germline" in w for w in answer.warnings)
    # a negative tumour test still rules it out
    profile["biomarkers"] = [{"gene": "RET", "value": "negative"}]
    assert _opt(real_engine.recommend(profile), "selpercatinib") is None


def test_a_negative_germline_brca_test_rules_out_only_the_germline_items(real_engine):
    # NCCN Pancreatic: olaparib maintenance is for germline BRCA (POLO)
    profile = {
        "age": 58,
        "ecog": 1,
        "cancer": {"oncotree_code": "PAAD", "stage": "IV"},
        "biomarkers": [{"gene": "BRCA2", "value": "negative", "origin": "germline"}],
        "prior_therapies": [
            {
                "drugs": ["fluorouracil", "leucovorin", "irinotecan", "oxaliplatin"],
                "line": 1,
                "outcome": "response",
                "best_response": "PR",
            }
        ],
    }
    assert "olaparib" not in regimens(real_engine.recommend(profile))


def test_long_qt_excludes_vandetanib_with_the_reason(real_engine):
    profile = {
        "age": 50,
        "ecog": 1,
        "comorbidities": ["long QT syndrome"],
        "cancer": {"oncotree_code": "THME", "stage": "IVC"},
        "biomarkers": [{"gene": "RET", "alteration": "M918T"}],
    }
    answer = real_engine.recommend(profile)
    assert "vandetanib" not in regimens(answer)
    assert any(x.regimen == "vandetanib" and "QT" in x.reasons[0] for x in answer.excluded)
    zh = real_engine.recommend(profile, lang="zh-Hans")
    assert any(x.regimen == "vandetanib" and "QT间期" in x.reasons[0] for x in zh.excluded)
    profile["comorbidities"] = []
    assert "vandetanib" in regimens(real_engine.recommend(profile))


def test_avapritinib_for_pdgfra_exon_18_after_imatinib(real_engine):
    profile = {
        "age": 62,
        "ecog": 1,
        "cancer": {"oncotree_code": "GIST", "stage": "IV"},
        "biomarkers": [{"gene": "PDGFRA", "alteration": "D842V"}],
        "prior_therapies": [{"drugs": ["imatinib"], "line": 1, "outcome": "progression"}],
    }
    assert regimens(real_engine.recommend(profile))[0] == "avapritinib"


def test_cholangiocarcinoma_second_line_waits_on_fgfr2_with_the_fgfr_inhibitors_shown(real_engine):
    profile = {
        "age": 63,
        "ecog": 1,
        "cancer": {"oncotree_code": "IHCH", "stage": "IV"},
        "biomarkers": [{"gene": "FGFR2", "value": "pending"}],
        "prior_therapies": [
            {"drugs": ["gemcitabine", "cisplatin", "durvalumab"], "line": 1, "outcome": "progression"}
        ],
    }
    answer = real_engine.recommend(profile)
    pem = _opt(answer, "pemigatinib")
    assert pem is not None and pem.condition is not None
    assert any("FGFR2" in t.test for t in answer.tests_recommended)


def _dlbcl(prior, biomarkers=()):
    # NCCN B-cell lymphomas: relapsed DLBCL after two lines; re-biopsy for CD19 after CD19 CAR-T
    return {
        "age": 66,
        "ecog": 1,
        "cancer": {"oncotree_code": "DLBCLNOS", "stage": "IV"},
        "biomarkers": list(biomarkers),
        "prior_therapies": [
            {
                "drugs": ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"],
                "line": 1,
                "outcome": "progression",
            },
            {"drugs": prior, "line": 2, "outcome": "progression"},
        ],
    }


def test_cd19_directed_options_wait_on_cd19_after_a_cd19_car_t(real_engine):
    after_cart = _opt(real_engine.recommend(_dlbcl(["axicabtagene ciloleucel"])), "loncastuximab-tesirine")
    assert after_cart is not None and after_cart.condition is not None
    # CD19 shown on the new biopsy: active again; CD19 lost: not offered
    pos = _opt(
        real_engine.recommend(_dlbcl(["axicabtagene ciloleucel"], [{"name": "CD19", "value": "positive"}])),
        "loncastuximab-tesirine",
    )
    assert pos is not None and pos.condition is None
    neg = real_engine.recommend(_dlbcl(["axicabtagene ciloleucel"], [{"name": "CD19", "value": "negative"}]))
    assert _opt(neg, "loncastuximab-tesirine") is None
    # without any CD19-directed treatment before, CD19 is not asked for
    chemo = _opt(
        real_engine.recommend(_dlbcl(["rituximab", "gemcitabine", "oxaliplatin"])), "loncastuximab-tesirine"
    )
    assert chemo is not None and chemo.condition is None


def test_low_creatinine_clearance_replaces_high_dose_methotrexate_in_cns_lymphoma(real_engine):
    def pcnsl(crcl):
        return {
            "age": 70,
            "ecog": 1,
            "organ_function": {"creatinine_clearance_ml_min": crcl},
            "cancer": {"oncotree_code": "PCNSL", "stage": "IE"},
        }

    low = real_engine.recommend(pcnsl(25))
    assert regimens(low)[0] == "wbrt-pcnsl"
    assert any(x.regimen == "r-mpv" and "50 mL/min" in x.reasons[0] for x in low.excluded)
    assert "r-mpv" in regimens(real_engine.recommend(pcnsl(80)))


def test_lung_disease_rules_out_bleomycin(real_engine):
    def gct(comorbidities):
        return {
            "age": 30,
            "sex": "male",
            "ecog": 0,
            "comorbidities": comorbidities,
            "cancer": {"oncotree_code": "NSGCT", "stage": "IIIC", "risk_groups": {"IGCCCG": "poor"}},
        }

    ild = real_engine.recommend(gct(["pulmonary fibrosis"]))
    assert "bep-x4" not in regimens(ild) and "vip-x4" in regimens(ild)[:2]
    assert any(x.regimen == "bep-x4" and "bleomycin" in x.reasons[0] for x in ild.excluded)
    assert "bep-x4" in regimens(real_engine.recommend(gct([])))


def test_a_drug_stopped_for_side_effects_while_the_line_works_is_replaced_in_the_same_line(real_engine):
    # NCCN Prostate: mHSPC on ADT + abiraterone, abiraterone stopped for hepatitis, ADT goes on:
    # another androgen-receptor inhibitor with ADT, not a castration-resistant line
    profile = {
        "age": 75,
        "sex": "male",
        "ecog": 1,
        "cancer": {"oncotree_code": "PRAD", "stage": "IV", "castration_status": "sensitive"},
        "prior_therapies": [
            {
                "drugs": ["abiraterone", "prednisone"],
                "line": 1,
                "outcome": "intolerance",
                "reason": "grade 3 hepatitis",
            },
            {"drugs": ["leuprorelin"], "line": 1, "outcome": "response"},
        ],
    }
    answer = real_engine.recommend(profile)
    assert set(regimens(answer)[:3]) <= {"adt+apalutamide", "adt+darolutamide", "adt+enzalutamide"}
    # a whole line stopped for side effects is a line: second-line drugs "after resistance or
    # intolerance" (CML: dasatinib or nilotinib after imatinib) stay second line
    cml = real_engine.recommend(
        {
            "age": 50,
            "ecog": 0,
            "cancer": {"oncotree_code": "CML", "stage": "chronic phase"},
            "prior_therapies": [{"drugs": ["imatinib"], "line": 1, "outcome": "intolerance"}],
        }
    )
    assert "imatinib" not in regimens(cml)[:3]


def test_a_line_stopped_for_side_effects_then_progressing_has_failed(real_engine):
    # NCCN NSCLC: osimertinib stopped for grade 3 pneumonitis, progression later: chemotherapy next,
    # no osimertinib again
    profile = {
        "age": 60,
        "ecog": 1,
        "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
        "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}],
        "prior_therapies": [
            {
                "drugs": ["osimertinib"],
                "line": 1,
                "outcome": "intolerance",
                "reason": "grade 3 pneumonitis",
                "progression_date": "2026-10",
                "end": "2026-04",
            }
        ],
    }
    top = regimens(real_engine.recommend(profile))[:3]
    assert "osimertinib" not in top
    assert any("platinum" in r or "carboplatin" in r or "pemetrexed" in r for r in top)


def test_severe_immune_pneumonitis_rules_out_every_checkpoint_inhibitor(real_engine):
    # Keytruda label / ASCO irAE: grade 3-4 pneumonitis, permanently discontinue
    profile = {
        "age": 62,
        "ecog": 1,
        "cancer": {"oncotree_code": "STAD", "stage": "IV"},
        "biomarkers": [{"name": "HER2", "value": "IHC 0"}, {"name": "PD-L1 CPS", "value": "10"}],
        "prior_therapies": [
            {"drugs": ["nivolumab", "oxaliplatin", "capecitabine"], "line": 1, "outcome": "response"},
            {
                "drugs": ["nivolumab"],
                "line": 1,
                "outcome": "intolerance",
                "reason": "grade 3 immune-related pneumonitis",
            },
        ],
    }
    answer = real_engine.recommend(profile)
    assert regimens(answer)[0] in {"capecitabine+oxaliplatin", "fluorouracil+leucovorin+oxaliplatin"}
    assert not [o for o in answer.options if "pembrolizumab" in o.regimen or "nivolumab" in o.regimen]


def test_maintenance_after_a_working_induction(real_engine):
    # NCCN NSCLC (KEYNOTE-189): pembrolizumab + pemetrexed maintenance after 4 cycles that worked
    profile = {
        "age": 58,
        "ecog": 1,
        "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
        "biomarkers": [{"gene": "EGFR", "value": "negative"}, {"gene": "ALK", "value": "negative"}],
        "prior_therapies": [
            {"drugs": ["pembrolizumab", "carboplatin", "pemetrexed"], "line": 1, "outcome": "response"}
        ],
    }
    assert regimens(real_engine.recommend(profile))[0] == "pembrolizumab+pemetrexed"
