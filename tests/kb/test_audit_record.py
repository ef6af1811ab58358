"""The fact audit's machine-readable record (knowledge/audit/2026-12.yaml) is complete and its
totals are the sum of its verdicts; the sampling script draws the same sample for the same seed
(issue 10)."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from onconav.kbdata.loader import load_knowledge_base

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "knowledge" / "audit" / "2026-12.yaml"
VERDICTS = {"correct", "wrong", "misleading", "unverifiable"}
REFERENCE = re.compile(r"^(PMID|DOI|URL|LABEL|GUIDELINE|NOTICE|BOOK):\S")


@pytest.fixture(scope="module")
def record():
    return yaml.safe_load(RECORD.read_text(encoding="utf-8"))


def _sampler():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("kb_audit_sample", ROOT / "scripts" / "kb_audit_sample.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_fact_has_a_verdict_a_source_and_an_owner_when_not_correct(record):
    facts = record["facts"]
    assert [f["n"] for f in facts] == list(range(1, len(facts) + 1))
    assert len({f["id"] for f in facts}) == len(facts) == record["result"]["checked"]
    for f in facts:
        assert f["verdict"] in VERDICTS, f["id"]
        assert f["finding"].strip(), f["id"]
        assert all(REFERENCE.match(r) for r in f["checked_against"]), f["id"]
        if f["verdict"] != "unverifiable":
            assert f["checked_against"], f"{f['id']}: a verdict other than unverifiable needs the source seen"
        if f["verdict"] != "correct":
            assert f["owner"], f["id"]


def test_totals_and_error_rate_are_the_sum_of_the_verdicts(record):
    facts, result = record["facts"], record["result"]
    counts = Counter(f["verdict"] for f in facts)
    for verdict in VERDICTS:
        assert result[verdict] == counts.get(verdict, 0), verdict
    assert result["error_rate"] == pytest.approx((counts["wrong"] + counts["misleading"]) / len(facts))
    assert result["unverifiable_rate"] == pytest.approx(counts["unverifiable"] / len(facts))
    by_kind = Counter((f["kind"], f["verdict"]) for f in facts)
    for kind, verdicts in result["by_kind"].items():
        for verdict, n in verdicts.items():
            assert by_kind[(kind, verdict)] == n, (kind, verdict)
    assert sum(result["by_kind"][k].get(v, 0) for k in result["by_kind"] for v in VERDICTS) == len(facts)


def test_the_sample_follows_the_recorded_quotas(record):
    quotas = record["method"]["quotas"]
    assert Counter(f["kind"] for f in record["facts"]) == Counter(quotas)
    assert _sampler().QUOTAS == quotas


def test_the_sampler_is_reproducible_for_a_seed():
    sampler = _sampler()
    kb = load_knowledge_base()
    first, again, other = sampler.sample(kb, 20261207), sampler.sample(kb, 20261207), sampler.sample(kb, 7)
    assert first == again
    assert [f["id"] for f in first] != [f["id"] for f in other]
    assert Counter(f["kind"] for f in first) == Counter(sampler.QUOTAS)
