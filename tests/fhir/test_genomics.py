"""Genomic variants, fusions, copy number, TMB, MSI and tumour marker tests -> biomarkers."""

from __future__ import annotations

import pytest

from onconav.fhir.genomics import hgvs_protein, one_letter
from onconav.fhir.mcode import import_bundle
from tests.fhir.helpers import (
    GX,
    HGVS,
    LOINC,
    SNOMED,
    SO,
    bundle,
    cc,
    comp,
    condition,
    gene,
    load_json,
    obs,
    patient,
    variant,
)


def markers(*resources):
    result = import_bundle(bundle(patient(), condition(cc(SNOMED, "254637007")), *resources))
    return result.profile.get("biomarkers", []), [n.key for n in result.notes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NP_005219.2:p.Leu858Arg", "p.L858R"),
        ("NP_004647.1:p.(Gln590Ter)", "p.Q590*"),
        ("p.Gly12Cys", "p.G12C"),
        ("NM_024675.3(PALB2):c.3549C>A (p.Tyr1183Ter)", "p.Y1183*"),
        ("p.E746_A750del", "p.E746_A750del"),
        ("c.2573T>G", None),
    ],
)
def test_hgvs_protein_change_in_one_letter_code(text, expected):
    assert hgvs_protein(text) == expected


def test_one_letter_leaves_one_letter_text_alone():
    assert one_letter("T790M") == "T790M"


def test_variant_reads_gene_protein_change_and_origin():
    v = variant(
        gene("EGFR", "HGNC:3236"),
        comp("48005-3", valueCodeableConcept=cc(HGVS, "NP_005219.2:p.Leu858Arg")),
        comp("48004-6", valueCodeableConcept=cc(HGVS, "NM_005228.4:c.2573T>G")),
        comp("48002-0", valueCodeableConcept=cc(LOINC, "LA6684-0", "Somatic")),
    )
    found, _ = markers(v)
    assert found == [{"gene": "EGFR", "alteration": "p.L858R", "origin": "somatic"}]


def test_coding_change_is_used_without_a_protein_change_and_germline_origin_is_kept():
    v = variant(
        gene("BRCA2"),
        comp("48004-6", valueCodeableConcept=cc(HGVS, "NM_000059.4:c.5946del")),
        comp("48002-0", valueCodeableConcept=cc(LOINC, "LA6683-2", "Germline")),
    )
    found, _ = markers(v)
    assert found == [{"gene": "BRCA2", "alteration": "c.5946del", "origin": "germline"}]


def test_fusion_keeps_both_partners():
    v = variant(gene("EML4"), gene("ALK"), comp("48019-4", valueCodeableConcept=cc(SO, "SO:1000044")))
    found, _ = markers(v)
    assert found == [{"gene": "ALK", "alteration": "EML4::ALK fusion"}]


def test_copy_number_gain_and_loss_are_kept_with_the_copy_number():
    gain = variant(
        gene("MET"),
        comp("48019-4", valueCodeableConcept=cc(SO, "SO:0001742")),
        comp("82155-3", valueQuantity={"value": 12}),
        rid="v1",
    )
    loss = variant(gene("CDKN2A"), comp("48019-4", valueCodeableConcept=cc(SO, "SO:0001743")), rid="v2")
    found, _ = markers(gain, loss)
    assert {"gene": "MET", "alteration": "amplification", "value": 12.0, "unit": "copies"} in found
    assert {"gene": "CDKN2A", "alteration": "deletion"} in found


def test_absent_result_is_negative_for_each_gene():
    v = variant(gene("NRAS"), gene("KRAS"), present=False)
    found, _ = markers(v)
    assert found == [{"gene": "NRAS", "alteration": "negative"}, {"gene": "KRAS", "alteration": "negative"}]


def test_variant_without_coded_change_is_reported_not_guessed():
    v = variant(gene("ROS1"), comp("81252-9", valueCodeableConcept={"text": "ROS1 fusion"}))
    found, notes = markers(v)
    assert found == [] and "variant_no_change" in notes


def test_tmb_and_msi():
    tmb = obs(cc(LOINC, "94076-7"), rid="t", valueQuantity={"value": 12.5, "code": "1/1000000{Base}"})
    msi = obs(cc(LOINC, "81695-9"), rid="m", valueCodeableConcept=cc(LOINC, "LA26203-2", "MSI-H"))
    found, _ = markers(tmb, msi)
    assert {"name": "TMB", "value": 12.5, "unit": "mut/Mb"} in found
    assert {"name": "MSI", "value": "MSI-H"} in found


def test_tumour_markers_by_loinc_code():
    er = obs(cc(LOINC, "85337-4"), rid="er", valueCodeableConcept=cc(LOINC, "LA6576-8"))
    pr = obs(cc(LOINC, "85339-0"), rid="pr", valueCodeableConcept=cc(SNOMED, "260385009"))
    her2 = obs(cc(LOINC, "85319-2"), rid="h", valueInteger=2)
    tps = obs(cc(LOINC, "83053-9"), rid="pd", valueQuantity={"value": 60, "code": "%"})
    alk = obs(cc(LOINC, "79206-9"), rid="alk", valueCodeableConcept=cc(LOINC, "LA6576-8"))
    found, _ = markers(er, pr, her2, tps, alk)
    assert {"name": "ER", "value": "positive"} in found
    assert {"name": "PR", "value": "negative"} in found
    assert {"name": "HER2 IHC", "value": "2+"} in found
    assert {"name": "PD-L1 TPS", "value": 60.0, "unit": "%"} in found
    assert {"gene": "ALK", "alteration": "EML4::ALK fusion"} in found


def test_egfr_protein_immunostain_is_not_taken_for_an_egfr_mutation():
    egfr_ihc = obs(cc(LOINC, "39004-7"), valueCodeableConcept=cc(SNOMED, "10828004"))
    found, notes = markers(egfr_ihc)
    assert found == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Observation-EGFR-L858R-var.json", [{"gene": "EGFR", "alteration": "p.L858R", "origin": "somatic"}]),
        ("Observation-MSIExample.json", [{"name": "MSI", "value": "MSI-H"}]),
        ("Observation-MicrosatelliteInstabilityExample01.json", [{"name": "MSI", "value": "MSS"}]),
        ("Observation-TMBExample.json", [{"name": "TMB", "value": 29.8, "unit": "mut/Mb"}]),
        ("Observation-PDL1Example.json", [{"name": "PD-L1", "value": "positive"}]),
        ("Observation-ROS1-Fusion-var.json", []),  # the fusion is only in text: reported, not read
        ("Observation-ExampleSomaticCNV.json", []),  # no gene studied
    ],
)
def test_genomics_reporting_ig_examples(name, expected):
    found, _ = markers(load_json(GX / name))
    assert found == expected
