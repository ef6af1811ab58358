"""Every string the engine writes itself, in English and Simplified Chinese.

Knowledge-base text (summaries, names, cautions) comes from the KB's bilingual ``Text`` fields;
everything else comes from the message table: the YAML files next to this module
(``NN_topic.yaml``, read in name order once, at import), each mapping a message key to its
``en`` and ``zh-hans`` text (``str.format`` placeholders in braces).
``tests/engine/test_messages.py`` checks that each key has both languages with the same
placeholders.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

LANGS = ("en", "zh-hans")

_LANG_ALIASES = {
    "en": "en",
    "en-us": "en",
    "en-gb": "en",
    "english": "en",
    "zh": "zh-hans",
    "zh-hans": "zh-hans",
    "zh-cn": "zh-hans",
    "zh_hans": "zh-hans",
    "zh-sg": "zh-hans",
}


def normalize_lang(lang: str | None) -> str:
    """``en`` or ``zh-hans``; raises ValueError for a language the engine does not speak."""
    key = (lang or "en").strip().lower().replace("_", "-")
    if key in _LANG_ALIASES:
        return _LANG_ALIASES[key]
    raise ValueError(f"unsupported language {lang!r}: use 'en' or 'zh-hans'")


MESSAGES_DIR = Path(__file__).resolve().parent


def load_messages(directory: Path = MESSAGES_DIR) -> dict[str, dict[str, str]]:
    """The message table: every ``*.yaml`` file of ``directory``, in name order; a key defined
    twice is an error."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
        for key, entry in data.items():
            if key in out:
                raise ValueError(f"{path.name}: message {key!r} is defined twice")
            out[key] = {lang: str(entry[lang]) for lang in entry}
    return out


MESSAGES: dict[str, dict[str, str]] = load_messages()


def t(key: str, lang: str = "en", **kw: object) -> str:
    """The message ``key`` in ``lang`` (``en`` or ``zh-hans``), formatted with ``kw``."""
    text = MESSAGES[key][lang]
    return text.format(**kw) if kw else text


# Outcome wording in the knowledge base is English (it follows the trial publications). In a
# Chinese answer the common endpoint names and units are given in Chinese; qualifiers in brackets
# (subgroup, analysis) stay as written.
_ENDPOINTS_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), zh)
    for p, zh in (
        (r"^median (overall survival|OS)\b", "中位总生存期"),
        (r"^median (progression-free survival|PFS)\b", "中位无进展生存期"),
        (r"^median (event-free survival|EFS)\b", "中位无事件生存期"),
        (r"^median (disease-free survival|DFS)\b", "中位无病生存期"),
        (r"^median duration of response\b", "中位缓解持续时间"),
        (r"^(objective response rate|ORR|overall response rate)\b", "客观缓解率"),
        (r"^(complete response|CR) rate\b", "完全缓解率"),
        (r"^pathological complete response\b", "病理完全缓解"),
        (r"^(\d+)-(year|month) (overall survival|OS)\b", r"\1\2总生存率"),
        (r"^(\d+)-(year|month) (progression-free survival|PFS)\b", r"\1\2无进展生存率"),
        (r"^(\d+)-(year|month) (invasive-disease-free survival|iDFS)\b", r"\1\2无浸润性疾病生存率"),
        (r"^(\d+)-(year|month) (relapse-free survival|RFS)\b", r"\1\2无复发生存率"),
        (r"^(\d+)-(year|month) (disease-free survival|DFS)\b", r"\1\2无病生存率"),
        (r"^HR for (OS|death)\b", "总生存风险比"),
        (r"^HR for (PFS|progression or death)\b", "无进展生存风险比"),
    )
)
_UNITS_ZH = (
    (re.compile(r"(\d)\s*months?\b"), r"\1个月"),
    (re.compile(r"(\d)\s*years?\b"), r"\1年"),
    (re.compile(r"^not reached\b", re.IGNORECASE), "未达到"),
)


def localise_endpoint(endpoint: str, lang: str) -> str:
    if lang != "zh-hans":
        return endpoint
    for pattern, zh in _ENDPOINTS_ZH:
        if pattern.search(endpoint):
            out = pattern.sub(zh, endpoint, count=1)
            return out.replace("year", "年").replace("month", "个月") if re.match(r"^\d", out) else out
    return endpoint


def localise_value(value: str, lang: str) -> str:
    if lang != "zh-hans":
        return value
    for pattern, zh in _UNITS_ZH:
        value = pattern.sub(zh, value)
    return value
