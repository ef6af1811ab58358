"""Blood counts as profile fields (organ_function.platelets_10e9_l, neutrophils_10e9_l,
hemoglobin_g_dl): the myelofibrosis facts read the numbers (NCCN MPN: pacritinib for platelets
below 50 x 10^9/L, momelotinib for anaemia), and lutetium-177 PSMA carries a caution below the
VISION trial's entry limits (DOI 10.1056/NEJMoa2107322). Sources are in the data files."""

from __future__ import annotations

from onconav.engine.profile import parse_profile
from tests.engine.conftest import regimens


def _mf(**organ):
    # NCCN MPN: symptomatic DIPSS intermediate-2 primary myelofibrosis, no JAK inhibitor yet
    return {
        "age": 71,
        "ecog": 1,
        "organ_function": organ,
        "cancer": {"oncotree_code": "PMF", "risk_groups": {"DIPSS": "intermediate-2"}},
        "biomarkers": [{"gene": "JAK2", "alteration": "V617F"}],
        "comorbidities": [],
        "prior_therapies": [],
    }


def test_the_counts_are_profile_fields_not_unused_inputs(real_engine):
    p = parse_profile(_mf(platelets_10e9_l=40, neutrophils_10e9_l=2.1, hemoglobin_g_dl=8.7))
    assert p.organ_function.platelets_10e9_l == 40
    answer = real_engine.recommend(_mf(platelets_10e9_l=40, neutrophils_10e9_l=2.1, hemoglobin_g_dl=8.7))
    assert not [u for u in answer.unused_inputs if "platelet" in u.field or "hemoglobin" in u.field]


def test_a_platelet_count_under_50_brings_pacritinib_and_holds_ruxolitinib_back(real_engine):
    low = regimens(real_engine.recommend(_mf(platelets_10e9_l=38)))
    assert "pacritinib" in low[:3]
    assert "ruxolitinib" not in low
    normal = regimens(real_engine.recommend(_mf(platelets_10e9_l=180)))
    assert "ruxolitinib" in normal[:3]
    assert "pacritinib" not in normal
    # no count given: as before, ruxolitinib is not held back
    assert "ruxolitinib" in regimens(real_engine.recommend(_mf()))[:3]


def test_haemoglobin_under_10_brings_momelotinib(real_engine):
    assert (
        "momelotinib" in regimens(real_engine.recommend(_mf(platelets_10e9_l=150, hemoglobin_g_dl=8.9)))[:3]
    )
    assert "momelotinib" not in regimens(
        real_engine.recommend(_mf(platelets_10e9_l=150, hemoglobin_g_dl=12.4))
    )


def _mcrpc(**organ):
    # NCCN Prostate: mCRPC after an androgen-receptor pathway inhibitor and a taxane, PSMA-PET positive
    return {
        "age": 72,
        "sex": "male",
        "ecog": 1,
        "organ_function": organ,
        "cancer": {"oncotree_code": "PRAD", "stage": "IV", "castration_status": "resistant"},
        "biomarkers": [{"name": "PSMA PET", "value": "positive"}],
        "prior_therapies": [
            {"drugs": ["leuprorelin", "enzalutamide"], "line": 1, "outcome": "progression"},
            {"drugs": ["docetaxel"], "line": 2, "outcome": "progression"},
        ],
    }


def _lu(answer):
    return next(o for o in answer.options if o.regimen == "lutetium-177-vipivotide-tetraxetan")


def test_lutetium_psma_is_cautioned_below_the_vision_entry_counts(real_engine):
    low = _lu(
        real_engine.recommend(_mcrpc(platelets_10e9_l=80, neutrophils_10e9_l=1.9, hemoglobin_g_dl=10.2))
    )
    assert "fitness.prostate-lu-psma-low-counts" in low.trace
    assert any("VISION" in c and "80" in c for c in low.cautions)
    ok = _lu(
        real_engine.recommend(_mcrpc(platelets_10e9_l=210, neutrophils_10e9_l=3.0, hemoglobin_g_dl=12.5))
    )
    assert "fitness.prostate-lu-psma-low-counts" not in ok.trace
    # no counts given: no caution from a number nobody stated
    assert "fitness.prostate-lu-psma-low-counts" not in _lu(real_engine.recommend(_mcrpc())).trace


def test_the_caution_is_wholly_chinese_in_a_chinese_answer(real_engine):
    answer = real_engine.recommend(_mcrpc(platelets_10e9_l=80), lang="zh-Hans")
    text = next(c for c in _lu(answer).cautions if "VISION" in c)
    assert "血小板80×10^9/L" in text
    assert "Blood" not in text


def test_counts_written_as_measured_markers_are_read_in_the_profile_units(real_engine):
    # given the counts as biomarker entries, as a referral letter lists them
    from onconav.engine.biomarkers import blood_count
    from onconav.engine.profile import BiomarkerEntry

    def read(name, value, unit=None):
        return blood_count(BiomarkerEntry(name=name, value=value, unit=unit))

    assert read("platelet count", 42, "x10^9/L") == ("platelets_10e9_l", 42.0)
    assert read("PLT", "42,000/uL") == ("platelets_10e9_l", 42.0)
    assert read("血小板", 42000) == ("platelets_10e9_l", 42.0)
    assert read("haemoglobin", 8.2, "g/dL") == ("hemoglobin_g_dl", 8.2)
    assert read("Hb", "82 g/L") == ("hemoglobin_g_dl", 8.2)
    assert read("ANC", 1.2, "10^9/L") == ("neutrophils_10e9_l", 1.2)
    assert read("PD-L1", "80%") is None
    assert read("haemoglobin", "pending") is None
    # and the myelofibrosis facts read them when organ_function does not give them
    profile = _mf()
    profile["biomarkers"] = [
        *profile["biomarkers"],
        {"name": "platelet count", "value": 42, "unit": "x10^9/L"},
        {"name": "haemoglobin", "value": 8.2, "unit": "g/dL"},
    ]
    regs = regimens(real_engine.recommend(profile))
    assert {"pacritinib", "momelotinib"} <= set(regs[:3]) and "ruxolitinib" not in regs
    # organ_function wins over a marker entry
    profile["organ_function"] = {"platelets_10e9_l": 160}
    assert "ruxolitinib" in regimens(real_engine.recommend(profile))
