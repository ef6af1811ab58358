"""The code maps are data with sources; the codes they take from the mCODE IG are in the IG's
value sets (vendored), with the same displays."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from onconav.fhir.maps import maps
from onconav.kbdata.loader import load_knowledge_base
from tests.fhir.helpers import MCODE, load_json

KB_DIR = Path(__file__).resolve().parents[2] / "knowledge"


def vs_codes(name: str) -> dict[str, str]:
    vs = load_json(MCODE / "valuesets" / f"{name}.json")
    return {
        c["code"]: c.get("display", "") for inc in vs["compose"]["include"] for c in inc.get("concept", [])
    }


def walk_sources(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        src = node.get("source")
        if isinstance(src, list):
            out.extend(src)
        for v in node.values():
            walk_sources(v, out)
    elif isinstance(node, list):
        for v in node:
            walk_sources(v, out)


def test_every_source_named_is_described():
    m = maps()
    named: list[str] = []
    for table in (m.conditions, m.observations, m.staging, m.treatments):
        walk_sources(table, named)
    assert named and set(named) <= set(m.sources)


def test_icd10_prefixes_are_in_the_mcode_value_sets():
    primary = vs_codes("mcode-primary-malignant-neoplasm-disorder-vs")
    secondary = vs_codes("mcode-secondary-cancer-disorder-vs")
    for prefix in maps().conditions["icd10"]:
        assert any(code.startswith(prefix) for code in primary), prefix
    for prefix in maps().conditions["icd10_secondary"]:
        assert any(code.startswith(prefix) for code in secondary), prefix


def test_tumour_marker_codes_are_in_the_mcode_value_set_with_their_display():
    vs = vs_codes("mcode-tumor-marker-test-vs")
    for code, entry in maps().observations["markers"].items():
        if entry.get("outside_vs"):
            continue
        assert code in vs, code
        assert entry["display"] == vs[code], code


def test_stage_values_and_kinds_are_in_the_mcode_value_sets():
    ncit: dict[str, str] = {}
    for name in (
        "mcode-figo-stage-value-vs",
        "mcode-myeloma-iss-stage-value-vs",
        "mcode-myeloma-riss-stage-value-vs",
        "mcode-binet-stage-value-vs",
        "mcode-rai-stage-value-vs",
    ):
        ncit.update(vs_codes(name))
    for code, entry in maps().staging["ncit"]["codes"].items():
        assert code in ncit, code
        value = entry.get("stage") or f"{entry['risk']} Stage {entry['value']}"
        assert value.split()[-1] in ncit[code], (code, ncit[code])
    types = vs_codes("mcode-tnm-stage-group-staging-type-vs") | vs_codes(
        "mcode-tnm-stage-group-staging-type-max-vs"
    )
    stage_kinds = [c for c, k in maps().observations["kinds"].items() if k["kind"] == "stage_group"]
    assert set(stage_kinds) == set(types)


@pytest.mark.parametrize(
    ("table", "valueset"),
    [
        ("intents", "mcode-procedure-intent-vs"),
        ("termination_reasons", "mcode-treatment-termination-reason-vs"),
    ],
)
def test_treatment_codes_are_in_the_mcode_value_sets(table, valueset):
    assert set(maps().treatments[table]) <= set(vs_codes(valueset))


def test_disease_status_codes_are_in_the_mcode_value_set():
    assert set(maps().observations["disease_status"]) <= set(vs_codes("mcode-condition-status-trend-max-vs"))


def test_every_organ_resolves_in_the_knowledge_base():
    kb = load_knowledge_base(KB_DIR)
    for organ, candidates in maps().conditions["organs"].items():
        assert any(c in kb.cancer_by_code for c in candidates), organ
