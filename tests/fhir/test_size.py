"""A Synthea-style record of several MB goes through; nothing is silently dropped."""

from __future__ import annotations

import json

import pytest

from onconav.fhir.mcode import MAX_BUNDLE_BYTES, BundleError, import_bundle, parse_bundle_bytes
from tests.fhir.synthea_like import synthea_like_bundle

VISITS = 700


@pytest.fixture(scope="module")
def raw() -> bytes:
    return json.dumps(synthea_like_bundle(VISITS)).encode()


def test_a_several_mb_record_is_read_whole(raw):
    assert 5 * 1024 * 1024 < len(raw) < MAX_BUNDLE_BYTES
    result = import_bundle(parse_bundle_bytes(raw))
    p = result.profile
    assert p["cancer"] == {"oncotree_code": "NSCLC", "stage": "IV"}
    assert (p["sex"], p["ecog"]) == ("male", 1)
    # four cycles of cisplatin + paclitaxel are one line; the worsening is its progression
    assert p["prior_therapies"] == [
        {
            "drugs": ["cisplatin", "paclitaxel"],
            "start": p["prior_therapies"][0]["start"],
            "end": p["prior_therapies"][0]["end"],
            "outcome": "progression",
            "progression_date": p["prior_therapies"][0]["progression_date"],
        }
    ]
    # Cockcroft-Gault from creatinine 1.0 mg/dL and 80 kg at the patient's age
    age = p["age"]
    assert p["organ_function"]["creatinine_clearance_ml_min"] == round((140 - age) * 80 / 72, 1)


def test_every_resource_not_used_is_counted(raw):
    result = import_bundle(parse_bundle_bytes(raw))
    counts = {
        dict(n.params)["type"]: int(dict(n.params)["count"])
        for n in result.notes
        if n.key == "unused_resources"
    }
    assert counts == {
        "Claim": VISITS,
        "Condition": 1,  # hypertension
        "DiagnosticReport": VISITS,
        "Encounter": VISITS,
        "ExplanationOfBenefit": VISITS,
        "MedicationRequest": VISITS,  # lisinopril
    }
    obs = dict(next(n for n in result.notes if n.key == "unused_observations").params)
    # seven kinds of laboratory result per visit; haemoglobin (718-7) is read as a blood count
    assert int(obs["count"]) == 5 * VISITS and obs["kinds"] == "5"


def test_a_file_over_the_limit_is_refused_before_it_is_parsed(raw):
    with pytest.raises(BundleError) as err:
        parse_bundle_bytes(raw, limit=len(raw) - 1)
    assert err.value.key == "too_large"
