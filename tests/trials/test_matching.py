"""Matching verdicts, ordering and the labelled-set accuracy floors."""

from __future__ import annotations

import sys
from pathlib import Path

from onconav.trials.matching import compile_trial, match_trials

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import trial_criteria  # noqa: E402

TEXT = """Inclusion Criteria:
* Histologically confirmed diffuse large B-cell lymphoma
* ECOG 0-1
* Adequate organ function:
  * Creatinine clearance ≥ 60 mL/min
  * ANC ≥ 1.0 x 10^9/L
Exclusion Criteria:
* Prior CAR-T therapy
* Pregnant or breastfeeding women
"""

PROFILE = {
    "age": 58,
    "sex": "male",
    "ecog": 1,
    "cancer": {"oncotree_code": "DLBCLNOS"},
    "prior_therapies": [{"regimen": "R-CHOP", "line": 1, "outcome": "relapse"}],
    "organ_function": {"creatinine_clearance_ml_min": 75},
    "preferences": {"cities": ["Guangzhou"]},
}


def _trial(nct: str, text: str = TEXT, city: str = "Shanghai", status: str = "RECRUITING", **kw):  # type: ignore[no-untyped-def]
    sites = [
        {"facility": "Closed site", "city": "Beijing", "country": "China", "status": "COMPLETED"},
        {"facility": "Open site", "city": city, "country": "China", "status": "RECRUITING"},
    ]
    return compile_trial(
        {"nct_id": nct, "title": nct, "status": status, "criteria_text": text, "sites": sites, **kw}
    )


def test_verdicts_with_reasons_in_both_languages():
    # given a lymphoma trial and a matching profile
    [out] = match_trials(PROFILE, [_trial("NCT00000001")])
    verdicts = {c["text"]: c["verdict"] for c in out["criteria"]}
    # then what the profile shows is met, what it lacks is unknown, nothing is not_met
    assert verdicts["Histologically confirmed diffuse large B-cell lymphoma"] == "met"
    assert verdicts["ECOG 0-1"] == "met"
    assert verdicts["ANC ≥ 1.0 x 10^9/L"] == "unknown"
    assert verdicts["Adequate organ function:"] == "unknown"  # one part unknown
    assert verdicts["Prior CAR-T therapy"] == "met"  # clear of the exclusion
    assert verdicts["Pregnant or breastfeeding women"] == "met"  # does not apply to a man
    assert out["not_met"] == 0
    # and the reasons are given in Chinese when asked
    [zh] = match_trials(PROFILE, [_trial("NCT00000001")], lang="zh-hans")
    assert any("ECOG评分1" in c["reason"] for c in zh["criteria"])
    # and only recruiting sites are open; open sites come first
    assert [s["open"] for s in out["sites"]] == [True, False]


def test_not_met_only_on_clear_contradiction_and_ranked_last():
    # given a patient after CAR-T with ECOG 2
    after_cart = {
        **PROFILE,
        "ecog": 2,
        "prior_therapies": [*PROFILE["prior_therapies"], {"drugs": ["axicabtagene ciloleucel"], "line": 2}],
    }
    other = "Inclusion Criteria:\n* Age ≥ 18 years\n* Life expectancy ≥ 12 weeks"
    out = match_trials(after_cart, [_trial("NCT00000001"), _trial("NCT00000002", other)])
    # then the trial whose criteria the profile contradicts comes after the one without a not_met
    assert [t["nct_id"] for t in out] == ["NCT00000002", "NCT00000001"]
    failed = {c["text"] for c in out[1]["criteria"] if c["verdict"] == "not_met"}
    assert failed == {"ECOG 0-1", "Prior CAR-T therapy"}


def test_unknowns_then_preferred_city_order_and_closed_trials_left_out():
    a = _trial("NCT00000003", city="Shanghai")
    b = _trial("NCT00000004", city="Guangzhou")
    closed = _trial("NCT00000005", status="COMPLETED")
    out = match_trials(PROFILE, [a, b, closed])
    # then the trial with an open site in the patient's city comes first; closed trials are not shown
    assert [t["nct_id"] for t in out] == ["NCT00000004", "NCT00000003"]


def test_registry_age_fields_bind():
    out = match_trials({**PROFILE, "age": 80}, [_trial("NCT00000006", min_age=18, max_age=75)])
    age = [c for c in out[0]["criteria"] if "registry eligibility fields" in c["text"]]
    assert age and age[0]["verdict"] == "not_met"


def test_labelled_set_accuracy_floors():
    # given the labelled set (>= 300 criteria, >= 40 trials, >= 20 in China)
    r = trial_criteria.evaluate_labelled()
    assert r["criteria"] >= 300 and r["trials"] >= 40 and r["trials_china"] >= 20
    assert not r["split_errors"]
    # then accuracy stays above the published figures (TrialGPT 87.3%) and not_met stays trustworthy
    assert r["accuracy"] >= 0.93
    assert r["checked_accuracy"] >= 0.97
    assert r["not_met_precision"] >= 0.97
    assert r["not_met_recall"] >= 0.90


def test_an_example_list_does_not_exclude_another_drug_of_the_class():
    text = (
        "Inclusion Criteria:\n* Disease progression on or after a third-generation EGFR tyrosine kinase "
        "inhibitor (e.g. osimertinib, almonertinib or furmonertinib)"
    )
    base = {"cancer": {"oncotree_code": "LUAD"}}
    verdict = {}
    for drug in ("osimertinib", "befotertinib", "pemetrexed"):
        profile = {**base, "prior_therapies": [{"drugs": [drug], "line": 1, "outcome": "progression"}]}
        [out] = match_trials(profile, [compile_trial({"nct_id": "NCT00000009", "criteria_text": text})])
        verdict[drug] = out["criteria"][0]["verdict"]
    # a named drug fits; another drug of the class is left to the trial team; no EGFR-TKI at all does not fit
    assert verdict == {"osimertinib": "met", "befotertinib": "unknown", "pemetrexed": "not_met"}


BLOOD = """Inclusion Criteria:
* Platelets ≥ 100,000/mm3
* ANC ≥ 1.5 x 10^9/L
* Hemoglobin ≥ 90 g/L
* Creatinine clearance ≥ 60 mL/min
"""


def test_blood_counts_in_the_profile_decide_lab_criteria_in_either_unit():
    # given counts in the profile's units (10^9/L, g/dL) and criteria in others (per mm3, g/L)
    profile = {
        **PROFILE,
        "organ_function": {
            "creatinine_clearance_ml_min": 75,
            "platelets_10e9_l": 80,
            "neutrophils_10e9_l": 2.4,
            "hemoglobin_g_dl": 10.5,
        },
    }
    [out] = match_trials(profile, [_trial("NCT00000009", BLOOD)])
    verdicts = {c["text"]: c["verdict"] for c in out["criteria"]}
    # then each count is compared after the unit is converted
    assert verdicts["Platelets ≥ 100,000/mm3"] == "not_met"
    assert verdicts["ANC ≥ 1.5 x 10^9/L"] == "met"
    assert verdicts["Hemoglobin ≥ 90 g/L"] == "met"
    # and the reasons name the value in the answer's language only
    [zh] = match_trials(profile, [_trial("NCT00000009", BLOOD)], lang="zh-hans")
    reasons = " ".join(c["reason"] for c in zh["criteria"])
    assert "血小板80×10^9/L" in reasons and "肌酐清除率75 mL/min" in reasons
    assert "Platelets" not in reasons and "Creatinine" not in reasons
    # and without counts the same criteria stay unknown
    [none] = match_trials(PROFILE, [_trial("NCT00000009", BLOOD)])
    assert {c["text"]: c["verdict"] for c in none["criteria"]}["Platelets ≥ 100,000/mm3"] == "unknown"
