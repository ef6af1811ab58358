"""Medications, cancer surgery, radiotherapy and disease status -> prior_therapies (lines by date,
with outcomes where a disease-status Observation or a termination reason says so), resection."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from onconav.fhir.codes import (
    RXNORM,
    SNOMED,
    as_date,
    codes,
    date_of,
    displays,
    effective,
    extensions,
    label,
    profiles,
    reference_id,
)
from onconav.fhir.context import Context

MED_TYPES = ("MedicationRequest", "MedicationAdministration", "MedicationStatement")
SKIP_STATUS = {"entered-in-error", "cancelled", "draft", "not-done", "not-taken", "preparation"}
MIN_NAME_LENGTH = 5
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9\-]*")


@dataclass
class Event:
    inn: str
    start: str | None
    end: str | None
    intent: str | None = None
    stop_reason: str | None = None


@dataclass
class Line:
    start: str | None
    end: str | None = None
    drugs: list[str] = field(default_factory=list)
    intents: set[str] = field(default_factory=set)
    stop_reasons: dict[str, str] = field(default_factory=dict)  # INN -> refractory / intolerance
    radiotherapy: bool = False
    outcome: str | None = None
    progression: str | None = None
    best_response: str | None = None


# --- drugs ---------------------------------------------------------------------------------


def _kb_names(kb: Any) -> dict[str, str]:
    """Lower-case INN, brand and alias -> INN, from the knowledge base (built once per KB). Brands
    and aliases shorter than five characters ("R", "LV", "CDDP") are abbreviations that other
    words share: they are left out."""
    cached = getattr(kb, "_fhir_drug_names", None)
    if cached is not None:
        return cached
    names: dict[str, str] = {}
    for d in getattr(kb, "drugs", ()):
        names.setdefault(d.inn.strip().lower(), d.inn)
        for n in [*d.brands, *d.aliases]:
            if len(str(n).strip()) >= MIN_NAME_LENGTH:
                names.setdefault(str(n).strip().lower(), d.inn)
    try:
        object.__setattr__(kb, "_fhir_drug_names", names)
    except (AttributeError, TypeError):  # pragma: no cover - a KB that takes no attributes
        pass
    return names


def drug_inn(ctx: Context, concept: Any) -> tuple[str | None, bool]:
    """(INN, read from the display?) of a medication concept: RxNorm code first, then the KB's
    drug names, brands and aliases matched as whole words of the display."""
    for code in codes(concept, RXNORM):
        inn = ctx.maps.rxnorm(code)
        if inn:
            return inn, False
    if ctx.kb is None:
        return None, False
    names = _kb_names(ctx.kb)
    for text in displays(concept):
        words = _WORD_RE.findall(text.lower())
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                inn = names.get(" ".join(words[i : i + size]))
                if inn:
                    return inn, True
    return None, False


def _medication_concept(ctx: Context, res: dict[str, Any], meds: dict[str, dict[str, Any]]) -> Any:
    if isinstance(res.get("medicationCodeableConcept"), dict):
        return res["medicationCodeableConcept"]
    ref = reference_id(res.get("medicationReference"))
    med = meds.get(ref or "")
    if med is not None:
        ctx.use(med)
        return med.get("code")
    return None


def _dates(res: dict[str, Any]) -> tuple[str | None, str | None]:
    start, end = effective(res)
    if start is None and res.get("resourceType") == "MedicationRequest":
        for dose in res.get("dosageInstruction") or []:
            timing = (dose or {}).get("timing") or {}
            bounds = (timing.get("repeat") or {}).get("boundsPeriod") or {}
            start = start or date_of(bounds.get("start"))
            end = end or date_of(bounds.get("end"))
            events = sorted(d for d in (date_of(x) for x in timing.get("event") or []) if d)
            if events and not start:
                start, end = events[0], end or (events[-1] if len(events) > 1 else None)
        start = start or date_of(res.get("authoredOn"))
    return start, end


def _intent(ctx: Context, res: dict[str, Any]) -> str | None:
    table = ctx.maps.treatments.get("intents", {})
    for ext in extensions(res, "procedure-intent"):
        for code in codes(ext.get("valueCodeableConcept"), SNOMED):
            if code in table:
                return str(table[code])
    return None


def _stop_reason(ctx: Context, res: dict[str, Any]) -> str | None:
    table = ctx.maps.treatments.get("termination_reasons", {})
    concepts = [res.get("statusReason")] + [
        e.get("valueCodeableConcept") for e in extensions(res, "treatment-termination-reason")
    ]
    for concept in concepts:
        for code in codes(concept, SNOMED):
            if code in table:
                return str(table[code])
    return None


def _cancer_related(res: dict[str, Any], cancer_ids: set[str]) -> bool:
    if "cancer-related-medication" in profiles(res):
        return True
    return any(reference_id(r) in cancer_ids for r in res.get("reasonReference") or [])


def _for_another_condition(res: dict[str, Any], cancer_ids: set[str]) -> bool:
    """Prescribed for a Condition that is not the cancer (methotrexate for arthritis)."""
    reasons = [reference_id(r) for r in res.get("reasonReference") or []]
    reasons = [r for r in reasons if r]
    return bool(reasons) and not any(r in cancer_ids for r in reasons)


def medication_events(ctx: Context, cancer_ids: set[str]) -> list[Event]:
    meds = {str(m.get("id")): m for m in ctx.of_type("Medication")}
    not_a_line = set(ctx.maps.treatments.get("not_a_line", []))
    events = []
    for rtype in MED_TYPES:
        for res in ctx.of_type(rtype):
            if res.get("status") in SKIP_STATUS:
                continue
            concept = _medication_concept(ctx, res, meds)
            inn, from_display = drug_inn(ctx, concept)
            related = _cancer_related(res, cancer_ids)
            if inn is None or (inn in not_a_line and not related) or _for_another_condition(res, cancer_ids):
                if related:
                    ctx.use(res)
                    ctx.note("drug_unmapped", code=label(concept))
                continue
            ctx.use(res)
            if from_display:
                ctx.note("drug_from_display", code=label(concept), inn=inn)
            start, end = _dates(res)
            events.append(Event(inn, start, end, _intent(ctx, res), _stop_reason(ctx, res)))
    return events


# --- lines -----------------------------------------------------------------------------------


def group_lines(events: list[Event], window_days: int, progressions: tuple[str, ...] = ()) -> list[Line]:
    """Lines of treatment, by date. A drug started within ``window_days`` of a line's first drug
    joins that line; a drug of the current line given again (the next cycle) continues it unless a
    progression was recorded in between; any other drug opens a new line."""
    dated = sorted((e for e in events if e.start), key=lambda e: (e.start, e.inn))
    lines: list[Line] = []
    for e in dated:
        current = lines[-1] if lines else None
        if current is None or not _continues(current, e, window_days, progressions):
            current = Line(start=e.start)
            lines.append(current)
        _add_event(current, e)
    undated = [e for e in events if not e.start]
    if undated:
        line = Line(start=None)
        for e in undated:
            _add_event(line, e)
        lines.append(line)
    return lines


def _continues(line: Line, e: Event, window_days: int, progressions: tuple[str, ...]) -> bool:
    first, when = as_date(line.start), as_date(e.start)
    if first is None or when is None:
        return False
    if (when - first).days <= window_days:
        return True
    progressed = any(line.start and e.start and line.start < p <= e.start for p in progressions)
    return e.inn in line.drugs and not progressed


def _add_event(line: Line, e: Event) -> None:
    if e.inn not in line.drugs:
        line.drugs.append(e.inn)
    for when in (e.end, e.start):
        if when and (line.end is None or when > line.end):
            line.end = when
    if e.intent:
        line.intents.add(e.intent)
    if e.stop_reason:
        line.stop_reasons[e.inn] = e.stop_reason
