"""The importer's interface: bundle_to_profile / import_bundle / parse_bundle_bytes; warnings in
both languages; every resource not used is counted; the profile runs through the engine."""

from __future__ import annotations

import json

import pytest

from onconav.engine import Engine
from onconav.engine.profile import parse_profile
from onconav.fhir.mcode import BundleError, bundle_to_profile, import_bundle, parse_bundle_bytes
from onconav.kbdata.loader import load_knowledge_base
from tests.fhir.helpers import (
    FIXTURE_KB,
    HGVS,
    ICD10,
    ICDO3,
    LOINC,
    SNOMED,
    bundle,
    cc,
    comp,
    condition,
    gene,
    histology_ext,
    obs,
    patient,
    variant,
)


def luad_bundle():
    return bundle(
        patient(birth="1959-05-20"),
        condition(cc(ICD10, "C34.1"), extension=[histology_ext(ICDO3, "8140/3")]),
        obs(cc(LOINC, "21908-9"), rid="st", valueCodeableConcept=cc(SNOMED, "1222838008")),  # IVA
        obs(cc(LOINC, "89247-1"), rid="ecog", valueCodeableConcept=cc(LOINC, "LA9623-5")),
        variant(
            gene("EGFR"), comp("48005-3", valueCodeableConcept=cc(HGVS, "NP_005219.2:p.Leu858Arg")), rid="v1"
        ),
        variant(gene("ALK"), present=False, rid="v2"),
        obs(cc(LOINC, "83053-9"), rid="pdl1", valueQuantity={"value": 60, "code": "%"}),
        obs(cc(LOINC, "2947-0"), rid="na", date="2026-10-30", valueQuantity={"value": 140}),  # sodium
    )


def test_bundle_to_profile_keeps_its_interface_and_reads_codes():
    profile, warnings = bundle_to_profile(luad_bundle())
    assert profile["age"] == 67 and profile["sex"] == "female" and profile["ecog"] == 1
    assert profile["cancer"] == {"oncotree_code": "LUAD", "stage": "IVA"}
    assert {"gene": "EGFR", "alteration": "p.L858R"} in profile["biomarkers"]
    assert {"gene": "ALK", "alteration": "negative"} in profile["biomarkers"]
    assert {"name": "PD-L1 TPS", "value": 60.0, "unit": "%"} in profile["biomarkers"]
    assert any("LOINC 2947-0" in w for w in warnings)  # the sodium result is counted as not used
    parse_profile(profile)  # a valid profile


def test_warnings_come_in_chinese():
    _, zh = bundle_to_profile(luad_bundle(), lang="zh-hans")
    assert any("未使用" in w for w in zh)


def test_converted_profile_runs_through_the_engine():
    profile, _ = bundle_to_profile(luad_bundle())
    answer = Engine(load_knowledge_base(FIXTURE_KB)).recommend(profile)
    assert answer.options[0].regimen == "osimertinib"


def test_every_resource_not_used_is_counted_by_type():
    result = import_bundle(
        bundle(
            patient(),
            condition(cc(SNOMED, "254637007")),
            {"resourceType": "Encounter", "id": "e1"},
            {"resourceType": "Encounter", "id": "e2"},
            {"resourceType": "Claim", "id": "cl"},
            obs(cc(LOINC, "8302-2"), rid="h1"),
            obs(cc(LOINC, "8302-2"), rid="h2"),
        )
    )
    counts = {
        dict(n.params)["type"]: dict(n.params)["count"] for n in result.notes if n.key == "unused_resources"
    }
    assert counts == {"Claim": "1", "Encounter": "2"}
    obs_note = dict(next(n for n in result.notes if n.key == "unused_observations").params)
    assert obs_note["count"] == "2" and obs_note["examples"] == "LOINC 8302-2"


@pytest.mark.parametrize(
    "bad",
    [None, [], "x", {}, {"resourceType": "Bundle"}, {"resourceType": "Bundle", "entry": "x"}],
)
def test_unreadable_input_gives_notes_not_exceptions(bad):
    profile, warnings = bundle_to_profile(bad)
    assert "cancer" not in profile and warnings


def test_size_limit_is_checked_before_parsing():
    raw = b"{" + b" " * 2000 + b"}"
    with pytest.raises(BundleError) as err:
        parse_bundle_bytes(raw, limit=1000)
    assert err.value.key == "too_large"
    assert "MB" in err.value.message("en") and "数据包" in err.value.message("zh-hans")
    assert parse_bundle_bytes(raw, limit=5000) == {}


def test_not_json_is_a_clear_error():
    with pytest.raises(BundleError) as err:
        parse_bundle_bytes(b"\xff\xfe not json")
    assert err.value.key == "not_json"


def test_parse_then_import_round_trip():
    data = parse_bundle_bytes(json.dumps(luad_bundle()).encode())
    assert import_bundle(data).profile["cancer"]["oncotree_code"] == "LUAD"
