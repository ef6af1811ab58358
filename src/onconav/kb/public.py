"""What of a knowledge-base record the public sees.

Curators keep working notes in the records (``notes``, ``search_note``, ``nmpa_search_note``, a
reference record's ``note``): where a figure was checked, what could not be confirmed, what a
seed document got wrong. They are for the people who maintain the knowledge base, not for
patients, so pages and public API responses never carry them. Public text is always a bilingual
``{en, zh}`` mapping; a curator note is a plain string. ``verified`` flags and ``searched`` dates
stay: they tell a reader honestly what is unconfirmed or unknown.
"""

from __future__ import annotations

import json
from typing import Any

# Keys whose plain-string values are curator notes, at any depth of a record.
CURATOR_KEYS = frozenset({"notes", "note", "search_note", "nmpa_search_note"})


def is_curator_note(key: str, value: Any) -> bool:
    """A curator note: a known key holding a plain string (a bilingual mapping is public text)."""
    return key in CURATOR_KEYS and (value is None or isinstance(value, str))


def public_data(value: Any) -> Any:
    """A copy of a record (or any part of one) without curator notes."""
    if isinstance(value, dict):
        return {k: public_data(v) for k, v in value.items() if not is_curator_note(k, v)}
    if isinstance(value, list):
        return [public_data(v) for v in value]
    return value


def _strip_object(obj: dict[str, Any]) -> dict[str, Any]:
    if CURATOR_KEYS.isdisjoint(obj):
        return obj
    return {k: v for k, v in obj.items() if not is_curator_note(k, v)}


def public_data_from_json(text: str) -> Any:
    """``public_data(json.loads(text))`` in one pass of the C JSON parser: each object is checked
    as it is read (inner objects first; whether a key is a note depends only on its own value,
    so the result is the same), and only an object holding a curator key is copied."""
    return json.loads(text, object_hook=_strip_object)


def curator_notes(value: Any) -> list[str]:
    """Every curator note in a record (for tests and audits: none of them may be shown)."""
    out: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if is_curator_note(k, v):
                if v:
                    out.append(v)
            else:
                out.extend(curator_notes(v))
    elif isinstance(value, list):
        for v in value:
            out.extend(curator_notes(v))
    return out
