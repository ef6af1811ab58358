"""The engine's own strings exist in both languages with the same placeholders."""

from __future__ import annotations

import string

import pytest

from onconav.engine.messages import LANGS, MESSAGES, normalize_lang, t


def placeholders(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_is_complete_in_both_languages(key):
    entry = MESSAGES[key]
    assert set(entry) == set(LANGS)
    assert all(entry[lang].strip() for lang in LANGS)
    assert placeholders(entry["en"]) == placeholders(entry["zh-hans"])


def test_chinese_messages_are_translations_not_copies():
    copies = [
        k
        for k, v in MESSAGES.items()
        if v["en"] == v["zh-hans"] and any(c.isalpha() and c.isascii() for c in v["en"]) and len(v["en"]) > 12
    ]
    assert copies == []


def test_every_message_key_used_by_the_engine_exists():
    import pathlib
    import re

    src = pathlib.Path(__file__).resolve().parents[2] / "src" / "onconav" / "engine"
    used = set()
    for path in src.rglob("*.py"):
        used |= set(
            re.findall(r"""\b(?:t|msg)\(\s*["']([a-z0-9_A-Z]+)["']""", path.read_text(encoding="utf-8"))
        )
    assert used - set(MESSAGES) == set()


def test_language_aliases():
    assert (
        normalize_lang("zh") == "zh-hans"
        and normalize_lang("zh-Hans") == "zh-hans"
        and normalize_lang(None) == "en"
    )
    with pytest.raises(ValueError):
        normalize_lang("de")
    assert t("w_unknown_field", "en", field="x") == "Unknown field 'x' was kept but not used."
