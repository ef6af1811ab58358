"""Age (deterministic), sex, ECOG / Karnofsky, organ function (CrCl, bilirubin x ULN, LVEF)."""

from __future__ import annotations

from onconav.fhir.mcode import import_bundle
from tests.fhir.helpers import LOINC, SNOMED, bundle, cc, condition, obs, patient


def run(*resources, **kw):
    return import_bundle(bundle(patient(**kw), condition(cc(SNOMED, "254637007")), *resources))


def keys(result):
    return [n.key for n in result.notes]


def test_age_is_at_the_latest_date_in_the_records_not_today():
    # born 1960-06-15; latest record 2025-06-14 -> 64; the same bundle gives 64 whatever today is
    late = obs(cc(LOINC, "89247-1"), date="2025-06-14", valueInteger=1)
    result = run(late)
    assert result.profile["age"] == 64 and result.profile["sex"] == "female"
    assert "age_at" in keys(result)


def test_age_without_any_date_is_left_unknown():
    result = import_bundle(bundle(patient(), {"resourceType": "Condition", "code": cc(SNOMED, "254637007")}))
    assert "age" not in result.profile and "age_no_reference_date" in keys(result)


def test_age_uses_the_bundle_timestamp_when_no_record_is_dated():
    b = bundle(
        patient(),
        {"resourceType": "Condition", "code": cc(SNOMED, "254637007")},
        timestamp="2026-01-01T00:00:00Z",
    )
    assert import_bundle(b).profile["age"] == 65


def test_ecog_from_integer_or_loinc_answer_latest_wins():
    first = obs(cc(LOINC, "89247-1"), rid="e1", date="2025-01-01", valueInteger=0)
    later = obs(cc(LOINC, "89247-1"), rid="e2", date="2025-03-01", valueCodeableConcept=cc(LOINC, "LA9624-3"))
    assert run(first, later).profile["ecog"] == 2


def test_ecog_5_is_not_used_and_karnofsky_is_not_converted():
    dead = obs(cc(LOINC, "89247-1"), rid="e1", valueInteger=5)
    kps = obs(cc(LOINC, "89243-0"), rid="k1", valueInteger=70)
    result = run(dead, kps)
    assert "ecog" not in result.profile
    assert {"ecog_out_of_range", "karnofsky_not_converted"} <= set(keys(result))


def test_lvef_and_bilirubin_times_uln():
    lvef = obs(cc(LOINC, "10230-1"), rid="l", valueQuantity={"value": 45, "code": "%"})
    bili = obs(
        cc(LOINC, "1975-2"),
        rid="b",
        valueQuantity={"value": 2.4, "code": "mg/dL"},
        referenceRange=[{"high": {"value": 1.2, "code": "mg/dL"}}],
    )
    of = run(lvef, bili).profile["organ_function"]
    assert of == {"lvef_percent": 45.0, "bilirubin_x_uln": 2.0}


def test_bilirubin_without_the_laboratory_upper_limit_is_not_used():
    bili = obs(cc(LOINC, "1975-2"), valueQuantity={"value": 2.4, "code": "mg/dL"})
    result = run(bili)
    assert "organ_function" not in result.profile and "bilirubin_no_uln" in keys(result)


def test_measured_creatinine_clearance_is_used_as_given():
    crcl = obs(cc(LOINC, "2164-2"), valueQuantity={"value": 38, "code": "mL/min"})
    assert run(crcl).profile["organ_function"]["creatinine_clearance_ml_min"] == 38.0


def test_cockcroft_gault_estimate_from_creatinine_weight_age_sex():
    # woman, 64 on 2025-06-14; 150 lb (68.04 kg); creatinine 106.08 umol/L (1.2 mg/dL)
    # (140 - 64) * 68.04 / (72 * 1.2) * 0.85 = 50.9 mL/min
    weight = obs(
        cc(LOINC, "29463-7"), rid="w", date="2025-06-01", valueQuantity={"value": 150, "code": "[lb_av]"}
    )
    creat = obs(
        cc(LOINC, "2160-0"), rid="c", date="2025-06-14", valueQuantity={"value": 106.08, "code": "umol/L"}
    )
    result = run(weight, creat)
    assert result.profile["organ_function"]["creatinine_clearance_ml_min"] == 50.9
    assert "crcl_estimated" in keys(result)


def test_egfr_is_not_taken_for_creatinine_clearance():
    egfr = obs(cc(LOINC, "33914-3"), valueQuantity={"value": 40, "code": "mL/min/{1.73_m2}"})
    result = run(egfr)
    assert "organ_function" not in result.profile and "egfr_not_crcl" in keys(result)


def test_blood_counts_are_read_in_the_profile_units():
    # given a full blood count in common UCUM units (10*3/uL, g/L) and a later platelet count
    early = obs(
        cc(LOINC, "777-3"), rid="p1", date="2025-01-01", valueQuantity={"value": 150, "code": "10*3/uL"}
    )
    late = obs(
        cc(LOINC, "777-3"), rid="p2", date="2025-03-01", valueQuantity={"value": 42, "code": "10*3/uL"}
    )
    anc = obs(cc(LOINC, "751-8"), rid="n", date="2025-03-01", valueQuantity={"value": 1.2, "code": "10*9/L"})
    hb = obs(cc(LOINC, "718-7"), rid="h", date="2025-03-01", valueQuantity={"value": 87, "code": "g/L"})
    of = run(early, late, anc, hb).profile["organ_function"]
    # then the latest count is used, in 10^9/L and g/dL
    assert of == {"platelets_10e9_l": 42.0, "neutrophils_10e9_l": 1.2, "hemoglobin_g_dl": 8.7}


def test_a_blood_count_in_an_unknown_unit_is_not_used_and_said_so():
    hb = obs(cc(LOINC, "718-7"), valueQuantity={"value": 8.7, "code": "mg/mL"})
    result = run(hb)
    assert "organ_function" not in result.profile and "count_not_used" in keys(result)


def test_an_impossible_blood_count_is_not_used():
    # the mCODE IG's Jenny M example records neutrophils as 3000 x 10^3/uL (3000 x 10^9/L)
    anc = obs(cc(LOINC, "26499-4"), valueQuantity={"value": 3000, "code": "10*3/uL"})
    result = run(anc)
    assert "organ_function" not in result.profile and "count_not_used" in keys(result)
