"""Language at the edge: pipeline steps say what they mean as message codes with parameters
(:class:`Msg`), never as finished sentences; the answer step renders them into the answer's one
language (:func:`render`) and exposes the codes next to the text (:func:`code`).

A parameter is a plain value (str, int, float), a nested :class:`Msg`, a :class:`Txt` (a text
given in both languages: knowledge-base text, a drug's INN and Chinese name) or a :class:`Join`
(values joined with the language's list separator, or with another separator message). The same
profile gives the same codes and parameters in every language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from onconav.engine.messages import MESSAGES

if TYPE_CHECKING:
    from onconav.kbdata.schema import Text


class Txt(NamedTuple):
    """A text in both languages (``en``, ``zh-hans``)."""

    en: str
    zh: str

    @classmethod
    def of(cls, tx: Text | None) -> Txt:
        return cls("", "") if tx is None else cls(tx.en, tx.zh)

    @classmethod
    def drug(cls, drug_zh: dict[str, str], inn: str) -> Txt:
        """The INN in English, the Chinese name in Chinese (the INN when unknown)."""
        return cls(inn, drug_zh.get(inn, inn))


class Join(NamedTuple):
    """Values joined with the message ``sep`` (the list separator by default)."""

    items: tuple[Any, ...]
    sep: str = "list_sep"


class Msg(NamedTuple):
    """A message code (a key of the message table) with its parameters; immutable (a named
    tuple: cheap to build, the pipeline builds a hundred per answer)."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()


_RICH = (Msg, Txt, Join)
_CODE_CACHE_MAX = 8192  # memoised codes / texts kept (cleared when full)


_PLAIN: dict[str, Msg] = {}  # messages without parameters, one (immutable) instance per code


def msg(key: str, **params: Any) -> Msg:
    if params:
        return Msg(key, tuple(params.items()))
    m = _PLAIN.get(key)
    if m is None:
        if len(_PLAIN) >= _CODE_CACHE_MAX:
            _PLAIN.clear()
        m = _PLAIN[key] = Msg(key)
    return m


def kb_text(tx: Text | Txt, source: str) -> Msg:
    """Knowledge-base text (already in both languages), with where it comes from."""
    return msg("kb_text", text=tx if isinstance(tx, Txt) else Txt.of(tx), source=source)


def render(value: Any, lang: str) -> Any:
    """``value`` in ``lang``: a message rendered, a text chosen, a list joined; plain values as is."""
    tp = type(value)
    if tp is Msg:
        text = MESSAGES[value.key][lang]
        if value.params:
            return text.format(**{k: render(v, lang) if type(v) in _RICH else v for k, v in value.params})
        return text
    if tp is Txt:
        return value.en if lang == "en" else value.zh
    if tp is Join:
        return MESSAGES[value.sep][lang].join(
            [render(v, lang) if type(v) in _RICH else v for v in value.items]
        )
    return value


def _json(value: Any) -> Any:
    tp = type(value)
    if tp is Msg:
        return code(value)
    if tp is Txt:
        return {"en": value.en, "zh-hans": value.zh}
    if tp is Join:
        items = [_json(v) for v in value.items]
        # a list joined with another separator message (" and ") names it
        return items if value.sep == "list_sep" else {"join": value.sep, "items": items}
    return value


def code(m: Msg) -> dict[str, Any]:
    """The message as JSON-ready data: ``{"code": key, "params": {...}}``."""
    return {"code": m.key, "params": {k: _json(v) if type(v) in _RICH else v for k, v in m.params}}


_TEXT_CACHE: dict[tuple[Any, str], str] = {}


def render_cached(m: Any, lang: str) -> str:
    """:func:`render`, memoised per (message, language): answers repeat the same lines."""
    key = (m, lang)
    line = _TEXT_CACHE.get(key)
    if line is None:
        if len(_TEXT_CACHE) >= _CODE_CACHE_MAX:
            _TEXT_CACHE.clear()
        line = _TEXT_CACHE[key] = render(m, lang)
    return line


def render_unique(msgs: list[Msg], lang: str) -> tuple[list[str], list[Msg]]:
    """The messages rendered, without repeated lines (the first message of each line is kept),
    and the messages kept: two parallel lists."""
    lines: list[str] = []
    kept: list[Msg] = []
    for m in msgs:
        line = render_cached(m, lang)
        if line not in lines:
            lines.append(line)
            kept.append(m)
    return lines, kept


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and "code" in value:
        return from_code(value)
    if isinstance(value, dict) and set(value) == {"en", "zh-hans"}:
        return Txt(value["en"], value["zh-hans"])
    if isinstance(value, dict) and set(value) == {"join", "items"}:
        return Join(tuple(_from_json(v) for v in value["items"]), value["join"])
    if isinstance(value, list):
        return Join(tuple(_from_json(v) for v in value))
    return value


def from_code(data: dict[str, Any]) -> Msg:
    """The inverse of :func:`code`: a client holding an answer's codes can render them in either
    language (``render(from_code(c), "zh-hans")``)."""
    return Msg(data["code"], tuple((k, _from_json(v)) for k, v in (data.get("params") or {}).items()))


_CODE_CACHE: dict[Msg, dict[str, Any]] = {}


def codes(msgs: list[Any]) -> list[dict[str, Any]]:
    """The messages as JSON-ready codes (the answer's ``*_codes`` fields). Most messages repeat
    from answer to answer, so codes are memoised (the answer models copy them on validation). A
    plain string (a step that still writes finished text) becomes ``kb_text`` with that text."""
    out = []
    for m in msgs:
        if type(m) is not Msg:
            out.append(code(msg("kb_text", text=m, source="text")))
            continue
        c = _CODE_CACHE.get(m)
        if c is None:
            if len(_CODE_CACHE) >= _CODE_CACHE_MAX:
                _CODE_CACHE.clear()
            c = _CODE_CACHE[m] = code(m)
        out.append(c)
    return out
