"""mCODE / FHIR R4 Bundle -> profile v1."""

from __future__ import annotations

from pathlib import Path

import pytest

from onconav.engine import Engine
from onconav.fhir.mcode import bundle_to_profile
from onconav.kbdata.loader import load_knowledge_base

FIXTURE_KB = Path(__file__).resolve().parents[1] / "engine" / "fixtures" / "kb"


def entry(resource):
    return {"resource": resource}


def loinc(code, display=""):
    return {"coding": [{"system": "http://loinc.org", "code": code, "display": display}]}


def luad_bundle():
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": "2026-11-01T00:00:00Z",
        "entry": [
            entry({"resourceType": "Patient", "id": "p1", "birthDate": "1959-05-20", "gender": "female"}),
            entry(
                {
                    "resourceType": "Condition",
                    "id": "c1",
                    "meta": {
                        "profile": [
                            "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-primary-cancer-condition"
                        ]
                    },
                    "code": {
                        "coding": [
                            {
                                "system": "http://hl7.org/fhir/sid/icd-10-cm",
                                "code": "C34.1",
                                "display": "Malignant neoplasm of upper lobe, bronchus or lung",
                            }
                        ],
                        "text": "Adenocarcinoma of the right upper lobe of lung",
                    },
                }
            ),
            entry(
                {
                    "resourceType": "Observation",
                    "id": "stage",
                    "code": loinc("21908-9", "Stage group.clinical Cancer"),
                    "valueCodeableConcept": {"text": "Stage IVA"},
                }
            ),
            entry(
                {
                    "resourceType": "Observation",
                    "id": "ecog",
                    "code": loinc("89247-1", "ECOG Performance Status score"),
                    "valueCodeableConcept": {
                        "coding": [{"system": "http://loinc.org", "code": "LA9623-5", "display": "1"}]
                    },
                }
            ),
            entry(
                {
                    "resourceType": "Observation",
                    "id": "egfr",
                    "code": loinc("69548-6", "Genetic variant assessment"),
                    "valueCodeableConcept": {
                        "coding": [{"system": "http://loinc.org", "code": "LA9633-4", "display": "Present"}]
                    },
                    "component": [
                        {
                            "code": loinc("48018-6", "Gene studied"),
                            "valueCodeableConcept": {
                                "coding": [
                                    {
                                        "system": "http://www.genenames.org",
                                        "code": "HGNC:3236",
                                        "display": "EGFR",
                                    }
                                ]
                            },
                        },
                        {
                            "code": loinc("48005-3", "Amino acid change"),
                            "valueCodeableConcept": {"text": "p.L858R"},
                        },
                    ],
                }
            ),
            entry(
                {
                    "resourceType": "Observation",
                    "id": "alk",
                    "code": loinc("69548-6", "Genetic variant assessment"),
                    "valueCodeableConcept": {
                        "coding": [{"system": "http://loinc.org", "code": "LA9634-2", "display": "Absent"}]
                    },
                    "component": [
                        {"code": loinc("48018-6"), "valueCodeableConcept": {"coding": [{"display": "ALK"}]}}
                    ],
                }
            ),
            entry(
                {
                    "resourceType": "Observation",
                    "id": "pdl1",
                    "code": {"text": "PD-L1 tumor proportion score"},
                    "valueQuantity": {"value": 60, "unit": "%"},
                }
            ),
            entry(
                {
                    "resourceType": "Observation",
                    "id": "tmb",
                    "code": loinc("94076-7", "Mutations/Megabase [# Ratio] in Tumor"),
                    "valueQuantity": {"value": 4.2},
                }
            ),
            entry(
                {
                    "resourceType": "Observation",
                    "id": "msi",
                    "code": loinc("81695-9", "Microsatellite instability"),
                    "valueCodeableConcept": {"text": "MSS"},
                }
            ),
            entry(
                {
                    "resourceType": "MedicationStatement",
                    "id": "m1",
                    "medicationCodeableConcept": {"text": "Gefitinib 250 mg oral tablet"},
                    "effectivePeriod": {"start": "2025-01-10", "end": "2025-09-01"},
                }
            ),
            entry(
                {
                    "resourceType": "Observation",
                    "id": "weird",
                    "code": {"text": "Serum sodium"},
                    "valueQuantity": {"value": 140},
                }
            ),
        ],
    }


def test_bundle_maps_patient_condition_stage_ecog_variants_and_medications():
    # given an mCODE bundle for EGFR L858R lung adenocarcinoma
    profile, warnings = bundle_to_profile(luad_bundle())
    # then the profile holds what the bundle says
    assert profile["age"] == 67 and profile["sex"] == "female" and profile["ecog"] == 1
    assert profile["cancer"] == {"oncotree_code": "LUAD", "stage": "IVA"}
    markers = profile["biomarkers"]
    assert {"gene": "EGFR", "alteration": "p.L858R"} in markers
    assert {"gene": "ALK", "alteration": "negative"} in markers
    assert {"name": "PD-L1 TPS", "value": 60, "unit": "%"} in markers
    assert {"name": "TMB", "value": 4.2, "unit": "mut/Mb"} in markers
    assert {"name": "MSI", "value": "MSS"} in markers
    assert profile["prior_therapies"] == [{"drugs": ["gefitinib"], "start": "2025-01", "end": "2025-09"}]
    # and what it could not use is said
    assert any("Serum sodium" in w for w in warnings)
    assert any("outcomes" in w for w in warnings)


def test_converted_profile_runs_through_the_engine():
    profile, _ = bundle_to_profile(luad_bundle())
    profile.pop("prior_therapies")  # its outcome is not coded; first line is asked here
    answer = Engine(load_knowledge_base(FIXTURE_KB)).recommend(profile)
    assert answer.options[0].regimen == "osimertinib"


@pytest.mark.parametrize(
    ("coding", "expected"),
    [
        (
            {
                "system": "http://snomed.info/sct",
                "code": "254637007",
                "display": "Non-small cell lung cancer",
            },
            "NSCLC",
        ),
        (
            {"system": "http://snomed.info/sct", "code": "25370001", "display": "Hepatocellular carcinoma"},
            "HCC",
        ),
        ({"system": "http://hl7.org/fhir/sid/icd-10", "code": "C50.9"}, "BRCA"),
        ({"system": "http://hl7.org/fhir/sid/icd-10", "code": "C22.0"}, "HCC"),
        ({"system": "http://hl7.org/fhir/sid/icd-10", "code": "C83.3"}, "DLBCLNOS"),
    ],
)
def test_condition_codes_map_to_oncotree(coding, expected):
    bundle = {
        "resourceType": "Bundle",
        "entry": [entry({"resourceType": "Condition", "code": {"coding": [coding]}})],
    }
    profile, _ = bundle_to_profile(bundle)
    assert profile["cancer"]["oncotree_code"] == expected


def test_lung_without_histology_maps_to_the_organ_with_a_warning():
    bundle = {
        "resourceType": "Bundle",
        "entry": [
            entry(
                {
                    "resourceType": "Condition",
                    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "C34.9"}]},
                }
            )
        ],
    }
    profile, warnings = bundle_to_profile(bundle)
    assert profile["cancer"]["oncotree_code"] == "LUNG"
    assert any("histology" in w for w in warnings)


def test_condition_stage_summary_is_used():
    bundle = {
        "resourceType": "Bundle",
        "entry": [
            entry(
                {
                    "resourceType": "Condition",
                    "code": {"text": "Invasive ductal carcinoma of breast"},
                    "stage": [{"summary": {"text": "Stage IIB"}}],
                }
            )
        ],
    }
    profile, _ = bundle_to_profile(bundle)
    assert profile["cancer"] == {"oncotree_code": "BRCA", "stage": "IIB"}


@pytest.mark.parametrize(
    "bad",
    [
        None,
        [],
        "x",
        {},
        {"resourceType": "Bundle"},
        {
            "resourceType": "Bundle",
            "entry": [{"resource": {"resourceType": "Condition", "code": {"text": "headache"}}}],
        },
    ],
)
def test_unmappable_input_gives_warnings_not_exceptions(bad):
    profile, warnings = bundle_to_profile(bad)  # type: ignore[arg-type]
    assert "cancer" not in profile
    assert warnings


def test_ecog_out_of_range_is_not_used():
    bundle = {
        "resourceType": "Bundle",
        "entry": [entry({"resourceType": "Observation", "code": loinc("89247-1"), "valueInteger": 5})],
    }
    profile, warnings = bundle_to_profile(bundle)
    assert "ecog" not in profile and any("ECOG" in w for w in warnings)
