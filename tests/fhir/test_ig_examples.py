"""The mCODE IG's published examples (hl7.fhir.us.mcode@4.0.0, vendored under data/): what comes
through. docs/fhir.md reports the same, field by field."""

from __future__ import annotations

import pytest

from onconav.engine.profile import parse_profile
from onconav.fhir.mcode import import_bundle
from onconav.kbdata.loader import load_knowledge_base
from tests.fhir.helpers import FIXTURE_KB, MCODE, example_patient_bundle, load_json


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base(FIXTURE_KB)


def keys(result):
    return [n.key for n in result.notes]


def test_jenny_m_bundle(kb):
    result = import_bundle(load_json(MCODE / "Bundle-mcode-patient-bundle-jenny-m.json"), kb=kb)
    p = result.profile
    assert (p["age"], p["sex"], p["ecog"]) == (53, "female", 0)
    # primary malignant neoplasm of left breast + infiltrating duct carcinoma: IDC, else BRCA in this KB
    assert p["cancer"] == {"oncotree_code": "BRCA", "stage": "IIB", "resected": True}
    assert p["biomarkers"] == [
        {"gene": "PALB2", "alteration": "p.Y1183*", "origin": "somatic"},
        {"name": "ER", "value": "positive"},
        {"name": "PR", "value": "negative"},
        {"name": "HER2", "value": "negative"},
    ]
    assert p["prior_therapies"] == [
        {
            "drugs": ["cyclophosphamide", "doxorubicin", "paclitaxel"],
            "start": "2018-04-01",
            "end": "2018-04-12",
            "setting": "adjuvant",
        },
        {
            "drugs": [],
            "with_radiotherapy": True,
            "start": "2018-08-15",
            "end": "2018-10-25",
            "setting": "adjuvant",
        },
        {"drugs": ["anastrozole"], "start": "2018-09-30", "setting": "adjuvant", "outcome": "response"},
    ]
    # the IG's condition says stage IIIC, its clinical stage group Observation IIB: both named
    conflict = dict(next(n for n in result.notes if n.key == "stage_conflict").params)
    assert (conflict["used"], conflict["other"]) == ("IIB", "IIIC")
    parse_profile(p)


def test_adam_anyperson_genomics_bundle_has_no_diagnosis(kb):
    result = import_bundle(load_json(MCODE / "Bundle-gx-genomic-bundle-adam-anyperson.json"), kb=kb)
    p = result.profile
    assert "cancer" not in p and "no_cancer_condition" in keys(result)
    assert {"gene": "ALK", "alteration": "MET::ALK fusion", "origin": "somatic"} in p["biomarkers"]
    assert {"gene": "MYCN", "alteration": "amplification", "origin": "somatic"} in p["biomarkers"]
    assert {"gene": "CDKN2A", "alteration": "deletion", "origin": "somatic"} in p["biomarkers"]
    assert {"gene": "BAP1", "alteration": "p.Q590*", "origin": "somatic"} in p["biomarkers"]
    assert {"gene": "BRAF", "alteration": "negative"} in p["biomarkers"]
    assert {"name": "TMB", "value": 57.1, "unit": "mut/Mb"} in p["biomarkers"]
    assert len(p["biomarkers"]) == 13


def test_john_anyperson_examples(kb):
    result = import_bundle(example_patient_bundle("cancer-patient-john-anyperson"), kb=kb)
    p = result.profile
    assert p["cancer"] == {
        "recurrent_metastatic": True,
        "metastatic_sites": ["brain"],
        "oncotree_code": "LUAD",  # NSCLC + adenocarcinoma histology
        "stage": "IIIC",
        "resected": True,
    }
    assert {"gene": "STK11", "alteration": "p.G242E", "origin": "somatic"} in p["biomarkers"]
    # gefitinib from 2019-04-30, cisplatin 2019-05-15 (stopped: not tolerated) and again 2019-06-15
    assert p["prior_therapies"] == [
        {
            "drugs": ["cisplatin", "gefitinib"],
            "start": "2019-04-30",
            "end": "2019-06-15",
            "setting": "adjuvant",
        }
    ]
    notes = keys(result)
    # FIGO, Binet, ISS and R-ISS examples about another condition; Karnofsky; stage IIIC with brain metastases
    assert notes.count("stage_other_condition") == 4
    assert {"karnofsky_not_converted", "stage_below_metastases", "drug_stopped"} <= set(notes)
    parse_profile(p)


def test_brian_l_examples(kb):
    p = import_bundle(example_patient_bundle("cancer-patient-brian-l"), kb=kb).profile
    assert (p["age"], p["cancer"]["oncotree_code"]) == (3, "BLL")
    assert p["biomarkers"] == [{"gene": "RUNX1", "alteration": "ETV6::RUNX1 fusion", "origin": "somatic"}]
    assert p["prior_therapies"] == [
        {
            "drugs": ["cyclophosphamide", "idarubicin", "prednisone", "vincristine"],
            "start": "2024-01-09",
            "setting": "curative",
            "outcome": "response",
        }
    ]


def test_adam_everyman_examples_warn_a_second_primary(kb):
    result = import_bundle(example_patient_bundle("cancer-patient-adam-everyman"), kb=kb)
    assert result.profile["cancer"] == {
        "oncotree_code": "CLLSLL",
        "recurrent_metastatic": True,
        "metastatic_sites": ["liver"],
        "stage": "Binet B",
    }
    assert {"second_primary", "cancer_not_in_kb", "metastasis_history"} <= set(keys(result))


def test_eve_anyperson_examples(kb):
    result = import_bundle(example_patient_bundle("cancer-patient-eve-anyperson"), kb=kb)
    assert result.profile["cancer"] == {"oncotree_code": "BREAST", "stage": "IIIC"}
    assert {"in_situ_histology", "histology_not_coded"} <= set(keys(result))
