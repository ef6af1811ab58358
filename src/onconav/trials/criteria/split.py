"""Split registry eligibility free text into single criteria, keeping nesting (pure Python).

ClinicalTrials.gov API v2 gives ``eligibilityCriteria`` as Markdown-like text: an
"Inclusion Criteria:" heading, bullets (``*``, ``-``, ``•``) or numbers (``1.``, ``1)``, ``(1)``,
``a)``), nested items indented under a parent line that ends with a colon, and continuation lines
that wrap an item. Registrations from China often use numbered items ending with ``;`` and
sub-items lettered ``a)`` or ``①``. Nothing is reworded: each criterion keeps its text verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["RawCriterion", "split_criteria"]

INCLUSION, EXCLUSION = "inclusion", "exclusion"

_HEADING = re.compile(
    r"^\s*(?:#+\s*)?(?:\*\*)?\s*(?:key\s+|main\s+|major\s+|general\s+)?(?P<kind>inclusion|exclusion)"
    r"\s+criteria?\b[^:\n]*:?\s*(?:\*\*)?\s*$",
    re.IGNORECASE,
)
# A bullet or a number at the start of a line; the number forms need a following space or text.
_BULLET = re.compile(
    r"^(?P<indent>\s*)(?P<mark>[*\-•·▪◦]|\d{1,2}[.)、](?!\d)|\(\d{1,2}\)|[a-zA-Z][.)](?=\s)|\([a-zA-Z]\)|"
    r"[①-⑳]|[ivx]{1,4}[.)](?=\s))\s*(?P<text>.*)$"
)
_SUB_MARK = re.compile(r"^(?:[a-zA-Z][.)]|\([a-zA-Z]\)|[①-⑳]|[ivx]{1,4}[.)]|\(\d{1,2}\))$")


@dataclass(frozen=True, slots=True)
class RawCriterion:
    """One criterion: ``index`` in reading order, ``parent`` the index of its parent or None."""

    index: int
    kind: str
    text: str
    parent: int | None
    depth: int


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" ;；")


def split_criteria(text: str) -> list[RawCriterion]:
    """Split ``text`` into criteria. Lines before any heading count as inclusion criteria."""
    items: list[dict] = []  # {"kind", "text", "level", "parent"}
    kind = INCLUSION
    stack: list[tuple[int, int]] = []  # (level, item index) of open parents
    last: int | None = None
    for raw_line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw_line.strip():
            continue
        line = raw_line.expandtabs(4)
        heading = _HEADING.match(line)
        if heading:
            kind = heading.group("kind").lower()
            stack, last = [], None
            continue
        bullet = _BULLET.match(line)
        if bullet and bullet.group("text").strip():
            indent = len(bullet.group("indent"))
            mark = bullet.group("mark")
            # Lettered / circled marks are sub-items even when not indented (common in Chinese registrations).
            level = indent + (2 if _SUB_MARK.match(mark) else 0)
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = None
            if stack:
                p_level, p_index = stack[-1]
                if items[p_index]["text"].rstrip().endswith((":", "：")) or level > p_level:
                    parent = p_index
            if parent is None and last is not None and level > items[last]["level"]:
                parent = last
            items.append({"kind": kind, "text": bullet.group("text"), "level": level, "parent": parent})
            last = len(items) - 1
            stack.append((level, last))
            continue
        # A line without a mark: a wrapped continuation, or a stand-alone criterion.
        if last is not None and not items[last]["text"].rstrip().endswith((":", "：")):
            items[last]["text"] += " " + line.strip()
        elif last is not None and len(line) - len(line.lstrip()) > items[last]["level"]:
            items.append(
                {"kind": kind, "text": line, "level": len(line) - len(line.lstrip()), "parent": last}
            )
            last = len(items) - 1
        else:
            items.append({"kind": kind, "text": line, "level": 0, "parent": None})
            last = len(items) - 1
            stack = [(0, last)]
    out: list[RawCriterion] = []
    for i, it in enumerate(items):
        depth, p = 0, it["parent"]
        while p is not None:
            depth += 1
            p = items[p]["parent"]
        out.append(RawCriterion(i, it["kind"], _clean(it["text"]), it["parent"], depth))
    return [c for c in out if c.text]
