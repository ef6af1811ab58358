"""Shared checks for the test files of cancers added to the knowledge base (v5 onwards)."""

from __future__ import annotations

import re
from typing import Any

from onconav.kbdata.loader import KnowledgeBase

CJK = re.compile(r"[\u4e00-\u9fff]")


def profile(extra: dict[str, Any]) -> dict[str, Any]:
    return {"ecog": 1, "prior_therapies": [], **extra}


def assert_named_node_with_standard_evidence(kb: KnowledgeBase, code: str) -> None:
    """A cancer the KB did not cover is a node of its own, named and described in both languages,
    with level 1-2 evidence of its own."""
    node = kb.cancer_by_code[code]
    assert kb.lineage(code)[0] == code and node.name.en and CJK.search(node.name.zh)
    assert node.description and CJK.search(node.description.zh)
    assert any(e.cancer == code and e.level.value in ("1", "2") for e in kb.evidence)
