"""Earlier treatments written one per line in the web forms (options page and intake):
``drugs joined by "+" : outcome [, reason]``, for example ``gefitinib: progression`` or
``trastuzumab deruxtecan: intolerance, grade 2 pneumonitis``. The text after the outcome is the
line's ``reason`` (the engine reads it for toxicities after which a drug is not given again)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

OUTCOMES = ("progression", "relapse", "refractory", "response", "no progression", "intolerance")
_TRIM = " ,;:-–—()（）,，；。"


@dataclass(frozen=True)
class PriorLineError(ValueError):
    """A line that cannot be read: ``kind`` is ``drugs`` (no drug before the colon) or
    ``outcome`` (the text after it does not start with a known outcome); ``n`` is 1-based."""

    kind: str
    n: int
    text: str = ""


def _outcome(rest: str) -> tuple[str, str] | None:
    """(outcome, reason) when ``rest`` starts with a known outcome (longest first)."""
    low = rest.lower()
    for o in sorted(OUTCOMES, key=len, reverse=True):
        if low.startswith(o) and (len(low) == len(o) or not low[len(o)].isalnum()):
            return o, rest[len(o) :].strip(_TRIM)
    return None


def parse_prior_lines(raw: str) -> list[dict[str, Any]]:
    """The profile's ``prior_therapies`` from the text; raises :class:`PriorLineError`."""
    out: list[dict[str, Any]] = []
    for n, line in enumerate((x.strip() for x in raw.splitlines() if x.strip()), start=1):
        drugs_text, _sep, rest = line.partition(":")
        drugs = [d.strip().lower() for d in drugs_text.split("+") if d.strip()]
        if not drugs:
            raise PriorLineError("drugs", n)
        rest = rest.strip()
        found = _outcome(rest) if rest else ("progression", "")
        if found is None:
            raise PriorLineError("outcome", n, rest)
        outcome, reason = found
        entry: dict[str, Any] = {"drugs": drugs, "line": n, "outcome": outcome}
        if reason:
            entry["reason"] = reason[:300]
        out.append(entry)
    return out
