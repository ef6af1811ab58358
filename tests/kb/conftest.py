"""Fixtures of the knowledge-base tests: the real knowledge base and an engine on it, once per
module (a module may define its own)."""

from __future__ import annotations

import pytest

from onconav.engine.core import Engine
from onconav.kbdata.loader import KnowledgeBase, load_knowledge_base


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="module")
def engine(kb: KnowledgeBase) -> Engine:
    return Engine(kb)
