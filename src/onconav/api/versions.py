from __future__ import annotations

from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=1)
def knowledge_base_version() -> str | None:
    from onconav.kbdata.loader import read_version

    return read_version(settings.KNOWLEDGE_BASE_PATH) or None
