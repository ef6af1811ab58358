"""The options engine as the web and API layers use it: one compiled engine per process."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings

from onconav.engine import Answer, Engine, ProfileError
from onconav.kbdata.loader import load_knowledge_base

_lock = threading.Lock()
_engine: Engine | None = None


def engine_get() -> Engine:
    """The engine over the knowledge base at KNOWLEDGE_BASE_PATH, built once per process."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = Engine(load_knowledge_base(settings.KNOWLEDGE_BASE_PATH))
    return _engine


def engine_reset() -> None:
    global _engine
    _engine = None


def options_for_profile(*, profile: dict[str, Any], lang: str = "en") -> Answer:
    """Raises ProfileError (with field errors) for a profile that cannot be understood."""
    return engine_get().recommend(profile, lang="zh-hans" if lang.lower().startswith("zh") else "en")


__all__ = ["ProfileError", "engine_get", "engine_reset", "options_for_profile"]
