"""Condition codes -> OncoTree, metastatic sites, second primaries; stages and their conflicts."""

from __future__ import annotations

import pytest

from onconav.fhir.mcode import import_bundle
from onconav.kbdata.loader import load_knowledge_base
from tests.fhir.helpers import (
    FIXTURE_KB,
    ICD10,
    ICDO3,
    LOINC,
    MCODE_SD,
    NCIT,
    SNOMED,
    bundle,
    cc,
    condition,
    histology_ext,
    obs,
    patient,
)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base(FIXTURE_KB)


def keys(result):
    return [n.key for n in result.notes]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (cc(SNOMED, "254637007"), "NSCLC"),  # Non-small cell lung cancer
        (cc(SNOMED, "254632001"), "SCLC"),  # Small cell carcinoma of lung
        (cc(SNOMED, "92814006"), "CLLSLL"),  # Chronic lymphoid leukemia
        (cc(SNOMED, "109989006"), "PCM"),  # Multiple myeloma
        (cc(ICD10, "C22.0"), "HCC"),  # Liver cell carcinoma
        (cc(ICD10, "C34.11"), "LUNG"),  # upper lobe, right lung: the organ without a histology
        (cc(ICD10, "C92.00"), "AML"),
    ],
)
def test_condition_code_maps_to_oncotree_without_kb(code, expected):
    result = import_bundle(bundle(patient(), condition(code)))
    assert result.profile["cancer"]["oncotree_code"] == expected


def test_display_text_alone_is_not_read():
    # given a condition with no code, only a display text naming the cancer
    result = import_bundle(bundle(patient(), condition({"text": "Lung adenocarcinoma"}, primary=False)))
    # then no cancer is made up from the text
    assert "cancer" not in result.profile
    assert "no_cancer_condition" in keys(result)


def test_icd10_organ_with_icdo3_histology_refines_to_the_subtype(kb):
    cond = condition(cc(ICD10, "C34.90"), extension=[histology_ext(ICDO3, "8140/3")])
    result = import_bundle(bundle(patient(), cond), kb=kb)
    assert result.profile["cancer"]["oncotree_code"] == "LUAD"
    assert "histology_not_coded" not in keys(result)


def test_histology_observation_refines_the_organ(kb):
    histo = obs(cc(LOINC, "31206-6"), valueCodeableConcept=cc(ICDO3, "8070/3"))
    result = import_bundle(bundle(patient(), condition(cc(ICD10, "C34.1")), histo), kb=kb)
    assert result.profile["cancer"]["oncotree_code"] == "LUSC"


def test_organ_only_is_warned_and_kb_picks_its_own_node(kb):
    # breast ductal carcinoma: IDC is not in the fixture KB, so its parent BRCA is used
    cond = condition(cc(SNOMED, "254837009"), extension=[histology_ext(SNOMED, "82711006")])
    assert import_bundle(bundle(patient(), cond), kb=kb).profile["cancer"]["oncotree_code"] == "BRCA"
    assert import_bundle(bundle(patient(), cond)).profile["cancer"]["oncotree_code"] == "IDC"
    organ_only = import_bundle(bundle(patient(), condition(cc(SNOMED, "254837009"))), kb=kb)
    assert organ_only.profile["cancer"]["oncotree_code"] == "BREAST"
    assert "histology_not_coded" in keys(organ_only)


def test_in_situ_histology_is_not_used():
    cond = condition(cc(ICD10, "C50.911"), extension=[histology_ext(ICDO3, "8500/2")])
    result = import_bundle(bundle(patient(), cond))
    assert result.profile["cancer"]["oncotree_code"] == "BREAST"
    assert "in_situ_histology" in keys(result)


def test_secondary_conditions_become_metastatic_sites():
    brain = condition(cc(SNOMED, "94225005"), rid="m1", primary=False)
    liver = condition(cc(ICD10, "C78.7"), rid="m2", primary=False)
    bone = condition(
        cc(SNOMED, "128462008"),
        rid="m3",
        primary=False,
        meta={"profile": [MCODE_SD + "mcode-secondary-cancer-condition"]},
        bodySite=[cc(SNOMED, "39607008")],
    )
    result = import_bundle(bundle(patient(), condition(cc(SNOMED, "254637007")), brain, liver, bone))
    cancer = result.profile["cancer"]
    assert cancer["oncotree_code"] == "NSCLC"
    assert cancer["metastatic_sites"] == ["brain", "liver", "lung"]
    assert cancer["recurrent_metastatic"] is True


def test_second_primary_is_warned_naming_both():
    lung = condition(cc(SNOMED, "254637007"), rid="c1", onset="2024-01-01")
    myeloma = condition(cc(SNOMED, "109989006"), rid="c2", onset="2025-03-01")
    result = import_bundle(bundle(patient(), lung, myeloma))
    note = next(n for n in result.notes if n.key == "second_primary")
    params = dict(note.params)
    assert {params["used"], params["others"]} == {"SNOMED 109989006", "SNOMED 254637007"}
    assert result.profile["cancer"]["oncotree_code"] == "PCM"  # the latest diagnosis


def test_several_codes_of_one_cancer_are_not_a_second_primary():
    # Synthea writes NSCLC and "NSCLC, TNM stage 3" for one cancer
    general = condition(cc(SNOMED, "254637007"), rid="c1", primary=False)
    staged = condition(cc(SNOMED, "422968005"), rid="c2", primary=False)
    result = import_bundle(bundle(patient(), general, staged))
    assert "second_primary" not in keys(result)
    assert result.profile["cancer"] == {"oncotree_code": "NSCLC", "stage": "III"}


def test_refuted_diagnosis_is_not_used():
    cond = condition(cc(SNOMED, "254637007"), verificationStatus=cc("x", "refuted"))
    result = import_bundle(bundle(patient(), cond))
    assert "cancer" not in result.profile and "condition_refuted" in keys(result)


def test_stage_group_observation_sets_the_stage():
    stage = obs(
        cc(LOINC, "21908-9"),
        valueCodeableConcept=cc(SNOMED, "1222837003"),
        focus=[{"reference": "Condition/c1"}],
    )
    result = import_bundle(bundle(patient(), condition(cc(SNOMED, "254637007")), stage))
    assert result.profile["cancer"]["stage"] == "IV"


def test_conflicting_stages_are_warned_naming_both():
    clinical = obs(cc(LOINC, "21908-9"), rid="s1", valueCodeableConcept=cc(SNOMED, "1222802001"))  # IIIA
    patho = obs(cc(SNOMED, "399588009"), rid="s2", valueCodeableConcept=cc(SNOMED, "1222805004"))  # IIIB
    result = import_bundle(bundle(patient(), condition(cc(SNOMED, "254637007")), clinical, patho))
    assert result.profile["cancer"]["stage"] == "IIIB"  # pathological before clinical
    note = dict(next(n for n in result.notes if n.key == "stage_conflict").params)
    assert (note["used"], note["used_basis"], note["other"], note["other_basis"]) == (
        "IIIB",
        "pathological",
        "IIIA",
        "clinical",
    )
    assert any("IIIB" in w and "IIIA" in w and "pathological" in w for w in result.warnings("en"))
    assert any("IIIB" in w and "IIIA" in w and "病理分期" in w for w in result.warnings("zh-hans"))


def test_stage_of_another_staging_system_is_not_used_and_risk_groups_are_read():
    figo = obs(cc(SNOMED, "385361009"), rid="s1", valueCodeableConcept=cc(NCIT, "C96256"))
    riss = obs(cc(NCIT, "C141392"), rid="s2", valueCodeableConcept=cc(NCIT, "C141395"))
    lung = import_bundle(bundle(patient(), condition(cc(SNOMED, "254637007")), figo))
    assert "stage" not in lung.profile["cancer"] and "stage_scheme_mismatch" in keys(lung)
    myeloma = import_bundle(bundle(patient(), condition(cc(SNOMED, "109989006")), riss))
    assert myeloma.profile["cancer"]["risk_groups"] == {"R-ISS": "II"}


def test_stage_about_another_condition_is_not_used():
    stage = obs(
        cc(LOINC, "21908-9"),
        valueCodeableConcept=cc(SNOMED, "1222837003"),
        focus=[{"reference": "Condition/zz"}],
    )
    result = import_bundle(bundle(patient(), condition(cc(SNOMED, "254637007")), stage))
    assert "stage" not in result.profile["cancer"] and "stage_other_condition" in keys(result)
