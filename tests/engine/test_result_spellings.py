"""Result spellings of real records (branch fix5c): HGNC fusion pairs ("PML::RARA"), presence
words ("del(5q) isolated") and percent-positive flow / IHC results ("CD22 95% positive").
Real knowledge base; each case was not read (a warning, the marker unknown) before the fix."""

from __future__ import annotations

import pytest

from onconav.engine import Engine
from onconav.engine.normalize import normalize
from onconav.engine.profile import parse_profile
from onconav.kbdata.loader import load_knowledge_base


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_knowledge_base())


def _case(engine: Engine, code: str, entry: dict[str, str]):
    profile = {"age": 50, "ecog": 1, "cancer": {"oncotree_code": code, "stage": "newly diagnosed"}}
    profile["biomarkers"] = [entry]
    return normalize(engine.vocab, engine.kb, parse_profile(profile), "en")


@pytest.mark.parametrize(
    ("entry", "present"),
    [
        ({"gene": "PML::RARA", "alteration": "fusion"}, "PML-RARA:fusion"),
        ({"gene": "BCR::ABL1", "alteration": "fusion"}, "BCR-ABL1:fusion"),
        ({"name": "BCR::ABL1 fusion", "value": "positive"}, "BCR-ABL1:fusion"),
        ({"gene": "KMT2A::AFF1", "alteration": "fusion"}, "KMT2A:fusion"),
        ({"name": "KMT2A::MLLT1"}, "KMT2A:fusion"),
        ({"gene": "FIP1L1::PDGFRA", "alteration": "rearrangement"}, "FIP1L1-PDGFRA:fusion"),
        ({"gene": "ETV6::NTRK3", "alteration": "fusion"}, "NTRK:fusion"),
        ({"gene": "EML4::ALK"}, "ALK:fusion"),
        ({"gene": "BCR::ABL1", "alteration": "T315I"}, "BCR-ABL1:T315I"),
    ],
)
def test_hgnc_fusion_pair_is_read_as_the_kb_fusion(engine, entry, present):
    case = _case(engine, "BLL", entry)
    assert present in case.present
    assert not any(w.key == "w_biomarker_unrecognised" for w in case.warnings)


@pytest.mark.parametrize(
    "entry",
    [
        {"gene": "BCR::ABL1", "alteration": "fusion", "value": "negative"},
        {"gene": "BCR::ABL1", "value": "not detected"},
        {"name": "PML::RARA", "value": "negative"},
    ],
)
def test_negative_hgnc_fusion_pair_is_a_negative_result(engine, entry):
    case = _case(engine, "BLL", entry)
    bid = "PML-RARA:fusion" if "PML" in str(entry) else "BCR-ABL1:fusion"
    assert bid in case.absent and bid not in case.present


def test_bcr_abl1_negative_rules_out_its_kinase_domain_mutation(engine):
    # a Ph-negative leukaemia cannot carry BCR::ABL1 T315I (no T315I test recommended)
    case = _case(engine, "BLL", {"gene": "BCR::ABL1", "alteration": "fusion", "value": "negative"})
    assert "BCR-ABL1:T315I" in case.absent


def test_pair_with_another_partner_is_not_the_pair_named_fusion(engine):
    # NPM1::RARA (a variant APL) is not PML::RARA: unknown, with a warning, never present
    for entry in (
        {"gene": "NPM1::RARA", "alteration": "fusion"},
        {"gene": "RARA", "alteration": "NPM1::RARA fusion"},
    ):
        case = _case(engine, "AML", entry)
        assert "PML-RARA:fusion" not in case.present
        assert any(w.key == "w_biomarker_unrecognised" for w in case.warnings)


@pytest.mark.parametrize(
    ("entry", "bid"),
    [
        ({"name": "del(5q)", "value": "isolated"}, "5q:deletion"),
        ({"name": "del(5q)", "value": "present in 30% of metaphases"}, "5q:deletion"),
        ({"name": "CD22", "value": "95% positive"}, "CD22:positive"),
        ({"gene": "CD22", "alteration": "95% positive"}, "CD22:positive"),
        ({"name": "CD19", "value": "98% of blasts positive"}, "CD19:positive"),
        ({"gene": "CD19", "alteration": "positive 98%"}, "CD19:positive"),
    ],
)
def test_presence_and_percent_positive_results_are_present(engine, entry, bid):
    case = _case(engine, "BLL" if "CD" in str(entry) else "MDS", entry)
    assert bid in case.present
    assert not case.warnings or all(
        w.key not in ("w_biomarker_value", "w_biomarker_unrecognised") for w in case.warnings
    )


def test_percent_negative_and_not_detected_stay_negative(engine):
    assert "CD22:positive" in _case(engine, "BLL", {"name": "CD22", "value": "negative (2%)"}).absent
    assert "5q:deletion" in _case(engine, "MDS", {"name": "del(5q)", "value": "not detected"}).absent


def test_bare_percent_without_a_cutoff_stays_unknown(engine):
    # "CD19 98%" names no result and CD19 has no positive_cutoff_percent: not guessed
    case = _case(engine, "BLL", {"name": "CD19", "value": "98%"})
    assert "CD19:positive" not in case.present and "CD19:positive" not in case.absent
