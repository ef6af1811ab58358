"""Fixtures for the engine tests (no database, no Django)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from onconav.engine import Engine
from onconav.engine.answer import (
    CONTRACT_ANSWER_KEYS,
    CONTRACT_CHINA_KEYS,
    CONTRACT_OPTION_KEYS,
    CONTRACT_OUTCOME_KEYS,
    CONTRACT_TEST_KEYS,
    MODALITIES,
)
from onconav.kbdata.loader import KnowledgeBase, load_knowledge_base

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base(FIXTURE_KB, strict=True)


@pytest.fixture(scope="session")
def engine(kb: KnowledgeBase) -> Engine:
    return Engine(kb)


@pytest.fixture(scope="session")
def real_engine() -> Engine:
    """The engine over the real knowledge base (knowledge/), loaded once per session."""
    return Engine(load_knowledge_base(strict=False))


def advanced_luad(**extra: Any) -> dict[str, Any]:
    profile: dict[str, Any] = {"age": 60, "ecog": 1, "cancer": {"oncotree_code": "LUAD", "stage": "IV"}}
    profile.update(extra)
    return profile


def regimens(answer: Any) -> list[str]:
    return [o.regimen for o in answer.options]


def assert_contract(data: dict[str, Any]) -> None:
    """Every key contracts.md section 2 fixes is present with the right type."""
    for key in CONTRACT_ANSWER_KEYS:
        assert key in data, key
    assert isinstance(data["knowledge_base_version"], str)
    assert isinstance(data["profile_summary"], str) and data["profile_summary"]
    assert isinstance(data["disclaimer"], str) and data["disclaimer"]
    assert all(isinstance(w, str) for w in data["warnings"])
    for i, opt in enumerate(data["options"], start=1):
        for key in CONTRACT_OPTION_KEYS:
            assert key in opt, key
        assert opt["rank"] == i
        assert opt["modality"] in MODALITIES
        assert all(d == d.lower() for d in opt["drugs"])
        assert isinstance(opt["evidence_level"], str)
        assert all(isinstance(r, str) for r in opt["rationale"]) and opt["rationale"]
        assert all(isinstance(c, str) for c in opt["cautions"])
        for key in CONTRACT_CHINA_KEYS:
            assert key in opt["china"]
        assert opt["china"]["nmpa_approved"] in (True, False, None)
        assert opt["china"]["nrdl_reimbursed"] in (True, False, None)
        cost = opt["china"]["approx_cost_usd_per_month"]
        assert cost is None or (isinstance(cost, int) and cost >= 0)
        for oc in opt["outcomes"]:
            for key in CONTRACT_OUTCOME_KEYS:
                assert key in oc
            assert oc["reference"] in opt["references"]
        assert opt["references"], "every option carries its references"
    for tr in data["tests_recommended"]:
        for key in CONTRACT_TEST_KEYS:
            assert isinstance(tr[key], str) and tr[key]
