"""Cancer surgery and radiotherapy Procedures, disease status, and the prior_therapies entries."""

from __future__ import annotations

from typing import Any

from onconav.fhir.codes import SNOMED, as_date, codes, effective, label, profiles
from onconav.fhir.context import Context
from onconav.fhir.treatments import Line, _intent, group_lines, medication_events

SKIP_STATUS = {"entered-in-error", "not-done", "preparation", "stopped-before-start"}


def read_procedures(ctx: Context) -> list[tuple[str | None, str | None, str | None]]:
    """Sets cancer.resected; returns the radiotherapy courses as (start, end, intent)."""
    courses = []
    for proc in ctx.of_type("Procedure"):
        if proc.get("status") in SKIP_STATUS:
            continue
        kind = _kind(ctx, proc)
        if kind is None:
            if "cancer-related-surgical-procedure" in profiles(proc):
                ctx.use(proc)
                _surgery(ctx, proc, known=False)
            continue
        ctx.use(proc)
        if kind == "resection":
            _surgery(ctx, proc, known=True)
        elif kind in ("radiotherapy", "chemoradiation"):
            start, end = effective(proc)
            courses.append((start, end, _intent(ctx, proc)))
    return courses


def _kind(ctx: Context, proc: dict[str, Any]) -> str | None:
    for code in codes(proc.get("code"), SNOMED):
        hit = ctx.maps.procedure(code)
        if hit:
            return str(hit["kind"])
    if "radiotherapy-course-summary" in profiles(proc):
        return "radiotherapy"
    return None


def _surgery(ctx: Context, proc: dict[str, Any], known: bool) -> None:
    intent = _intent(ctx, proc)
    if known or intent == "curative":
        ctx.cancer["resected"] = True
        when = effective(proc)[0]
        if when:
            ctx.resection_dates.append(when)
        if not known:
            ctx.note("surgery_assumed_resection", code=label(proc.get("code")))
    else:
        ctx.note("surgery_unknown_extent", code=label(proc.get("code")))


def disease_status(ctx: Context, kinds: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str]]:
    """(date, status word) of the disease-status Observations, oldest first."""
    table = ctx.maps.observations.get("disease_status", {})
    out = []
    for obs in kinds.get("disease_status", []):
        when = effective(obs)[0]
        word = next((table[c] for c in codes(obs.get("valueCodeableConcept"), SNOMED) if c in table), None)
        if word is None or when is None:
            ctx.note("disease_status_unread", code=label(obs.get("valueCodeableConcept")))
            continue
        ctx.use(obs)
        out.append((when, str(word)))
    return sorted(out)


def _line_at(lines: list[Line], when: str) -> Line | None:
    """The last line started on or before a date."""
    found = None
    for line in lines:
        if line.start and line.start <= when:
            found = line
    return found


def _apply_status(lines: list[Line], statuses: list[tuple[str, str]]) -> None:
    for when, word in statuses:
        line = _line_at(lines, when)
        if line is None or line.outcome == "progression":
            continue
        if word == "progression":
            line.outcome, line.progression = "progression", when
        elif word == "complete remission":
            line.outcome, line.best_response = "response", "CR"
        elif word == "partial remission":
            line.outcome, line.best_response = "response", line.best_response or "PR"
        elif word in ("response", "no progression") and line.outcome is None:
            line.outcome = word


def _setting(ctx: Context, line: Line) -> str | None:
    if "curative" not in line.intents:
        return None
    if not ctx.resection_dates or not line.start:
        return "curative"
    first_surgery = min(ctx.resection_dates)
    return "adjuvant" if line.start >= first_surgery else "neoadjuvant"


def _during(line: Line, when: str | None, window_days: int) -> bool:
    """A date from a line's start to its end (or its start) plus the regimen window."""
    start, last, day = as_date(line.start), as_date(line.end or line.start), as_date(when)
    if start is None or last is None or day is None:
        return False
    return start <= day and (day - last).days <= window_days


def _attach_radiotherapy(
    lines: list[Line], courses: list[tuple[str | None, str | None, str | None]], window_days: int
) -> list[Line]:
    """Radiotherapy given during a line is marked on it (chemoradiation); other courses are their own entries."""
    alone = []
    for start, end, intent in courses:
        hit = next((ln for ln in lines if ln.drugs and _during(ln, start, window_days)), None)
        if hit is not None:
            hit.radiotherapy = True
            continue
        rt = Line(start=start, end=end, radiotherapy=True)
        if intent:
            rt.intents.add(intent)
        alone.append(rt)
    return alone


def _stop_reasons(ctx: Context, line: Line) -> None:
    """A reason the whole line stopped is its outcome; a drug stopped alone is only reported."""
    reasons = set(line.stop_reasons.values())
    if len(reasons) == 1 and set(line.stop_reasons) == set(line.drugs):
        reason = reasons.pop()
        if line.outcome is None or reason == "refractory":
            line.outcome = reason
        return
    for inn, reason in sorted(line.stop_reasons.items()):
        ctx.note("drug_stopped", inn=inn, reason=reason)


def build_prior_therapies(ctx: Context, kinds: dict[str, list[dict[str, Any]]], cancer_ids: set[str]) -> None:
    courses = read_procedures(ctx)
    events = medication_events(ctx, cancer_ids)
    window = int(ctx.maps.treatments.get("regimen_window_days", 28))
    statuses = disease_status(ctx, kinds)
    lines = group_lines(events, window, tuple(when for when, word in statuses if word == "progression"))
    lines = sorted(lines + _attach_radiotherapy(lines, courses, window), key=lambda ln: ln.start or "9999")
    _apply_status(lines, statuses)
    for line in lines:
        _stop_reasons(ctx, line)
    if lines and not statuses and not any(ln.outcome for ln in lines):
        ctx.note("outcomes_not_coded")
    if any(not ln.start for ln in lines):
        ctx.note("treatment_without_date")
    ctx.prior_therapies = [_entry(ctx, ln) for ln in lines]


def _entry(ctx: Context, line: Line) -> dict[str, Any]:
    entry: dict[str, Any] = {"drugs": sorted(line.drugs)}
    if line.radiotherapy:
        entry["with_radiotherapy"] = True
    for key, value in (
        ("start", line.start),
        ("end", line.end if line.end != line.start or not line.drugs else None),
        ("setting", _setting(ctx, line)),
        ("outcome", line.outcome),
        ("best_response", line.best_response),
        ("progression_date", line.progression),
    ):
        if value:
            entry[key] = value
    return entry
