"""Relapse stated through platinum sensitivity (docs/engine.md, "Relapse stated by platinum
sensitivity").

A platinum-free interval (``cancer.platinum_free_interval_months``) or a stated platinum
resistance (``cancer.platinum_sensitivity``: resistant / refractory) describes a relapse after
platinum: a profile that states it is asking about the treatment of that relapse ("sensitive"
alone is not read this way: it may only mean that the cancer responded to platinum). When the last recorded line still reads as working (response, no progression, or no
outcome), it is read as followed by relapse, so the engine does not offer maintenance as if the
disease were still in remission (a relapse 21 months after completing olaparib maintenance). The
exception: a last line that is itself a platinum re-treatment after an earlier platinum line
(the stated sensitivity then describes the relapse before it). The answer warns when this
inference is made.
"""

from __future__ import annotations

from onconav.engine.facts import PLATINUM, months
from onconav.engine.normalize import Vocabulary
from onconav.engine.profile import Outcome, PriorTherapy, Profile
from onconav.engine.profile_types import FAILED_OUTCOMES
from onconav.engine.stage_priors import SURGERY_SETTINGS

WORKING = (None, Outcome.RESPONSE, Outcome.NO_PROGRESSION)


def _has_platinum(drugs: list[str], vocab: Vocabulary) -> bool:
    return any(vocab.drug_alias.get(d.strip().lower(), d.strip().lower()) in PLATINUM for d in drugs)


def infer(prof: Profile, vocab: Vocabulary) -> tuple[Profile, bool]:
    """(profile, inferred): the profile with its last line read as relapsed when it should be."""
    c = prof.cancer
    priors = list(prof.prior_therapies)
    sensitivity = c.platinum_sensitivity.value if c.platinum_sensitivity else None
    # "sensitive" alone may mean "it responded to platinum"; a platinum-free interval, or
    # resistance, dates a relapse
    if not priors or (
        c.platinum_free_interval_months is None and sensitivity not in ("resistant", "refractory")
    ):
        return prof, False
    last = priors[-1]
    if last.outcome not in WORKING:
        return prof, False
    if _has_platinum(last.drugs, vocab) and any(_has_platinum(p.drugs, vocab) for p in priors[:-1]):
        return prof, False
    priors[-1] = last.model_copy(update={"outcome": Outcome.RELAPSE})
    return prof.model_copy(update={"prior_therapies": priors}), True


# Settings of curative-intent treatment (stage_priors.NON_ADVANCED_SETTINGS) and maintenance.
_CURATIVE = frozenset(
    {"adjuvant", "neoadjuvant", "perioperative", "definitive", "consolidation", "chemoradiation", "curative"}
)


def _advanced(p: PriorTherapy) -> bool:
    return bool(p.drugs) and (p.setting or "").lower() not in _CURATIVE


def _maintenance(p: PriorTherapy) -> bool:
    return (p.setting or "").lower() == "maintenance"


EARLY_MONTHS = 6  # as stage_priors.LATE_RELAPSE_MONTHS: platinum-resistant / -refractory window


def _early(end: str | None, progressed: str | None) -> bool:
    """Progression within 6 months of the end of a treatment (both dates known)."""
    from onconav.engine.facts import months

    e, p = months(end), months(progressed)
    return e is not None and p is not None and p - e < EARLY_MONTHS


def infer_sequence(prof: Profile) -> tuple[Profile, bool]:
    """(profile, inferred): lines recorded as still working that a record shows have ended.

    * Early progression on maintenance (within 6 months of the end of the induction) ends the
      whole line: the induction of the same line recorded as responding is read as relapsed on or
      after it, at the maintenance's progression date: "progression on or after platinum" for the
      small cell lung cancer progressing on durvalumab two months after platinum-etoposide. Later
      progression on maintenance (lenalidomide maintenance years after induction) blames only
      the maintenance drugs. Maintenance stopped for side effects (outcome intolerance) with a
      later ``progression_date`` ends the whole line at that date: the induction relapsed then,
      and its platinum-free interval is read from the dates.
    * A line recorded as responding but with a ``progression_date`` relapsed at that date.
    * The last line for advanced disease with an end date and no outcome ended by progression.
    * A later line for advanced disease means the one before it ended: a line recorded as
      responding (or with no outcome) that is followed by a higher-numbered line is read as
      relapsed, no later than the next line's start (rule ``relapse.next_line``). Intolerance
      stays intolerance.
    """
    priors = list(prof.prior_therapies)
    changed = _ended_lines(priors)
    changed = _relapse_after_first_line(prof, priors) or changed
    changed = _relapse_after_surgery(priors) or changed
    last = _ended_without_outcome(priors)
    if last is not None:
        priors[last] = priors[last].model_copy(update={"outcome": Outcome.PROGRESSION})
        changed = True
    if not changed:
        return prof, False
    return prof.model_copy(update={"prior_therapies": priors}), True


def _ended_lines(priors: list[PriorTherapy]) -> bool:
    """Lines recorded as working that a progression date, a later line or early progression on
    their maintenance show have ended (in place). True when any was changed."""
    changed = False
    for i, p in enumerate(priors):
        if p.drugs and p.outcome in WORKING and p.progression_date:
            # a progression date says the treatment's effect ended
            priors[i] = p.model_copy(update={"outcome": Outcome.RELAPSE})
            changed = True
            continue
        if not _advanced(p) or _maintenance(p) or p.outcome not in WORKING or p.line is None:
            continue
        ended, when = _ended_at(p, [q for q in priors[i + 1 :] if _advanced(q) and q.line is not None])
        if not ended:
            continue
        priors[i] = p.model_copy(
            update={"outcome": Outcome.RELAPSE, "progression_date": p.progression_date or when}
        )
        changed = True
    return changed


def _ended_at(p: PriorTherapy, later: list[PriorTherapy]) -> tuple[bool, str | None]:
    """(ended, when): whether line ``p`` ended, read from what followed it, and the date."""
    assert p.line is not None
    failed_maint = next(
        (q for q in later if q.line == p.line and _maintenance(q) and q.outcome in FAILED_OUTCOMES), None
    )
    if failed_maint is not None and _early(p.end, failed_maint.progression_date or failed_maint.end):
        return True, failed_maint.progression_date or failed_maint.end
    # maintenance stopped for side effects, then progression off treatment: the line's effect
    # ended at that date (durvalumab stopped for pneumonitis, relapse 16 months after
    # platinum-etoposide: a platinum-sensitive relapse; rule ``relapse.after_stopped_maintenance``)
    stopped = next(
        (
            q
            for q in later
            if q.line == p.line
            and _maintenance(q)
            and q.outcome == Outcome.INTOLERANCE
            and q.progression_date
        ),
        None,
    )
    if stopped is not None:
        return True, stopped.progression_date
    nxt = next((q for q in later if q.line is not None and q.line > p.line), None)
    if nxt is not None:
        return True, p.progression_date or nxt.start
    return False, None


def _relapse_after_first_line(prof: Profile, priors: list[PriorTherapy]) -> bool:
    """The first line before a recurrence relapsed (in place), dated no earlier than the end of
    its last part (maintenance included). True when any was changed."""
    first = _first_line_before_recurrence(prof, priors)
    if not first:
        return False
    ends = [priors[i].end for i in first if priors[i].end]
    last_end = max(ends, key=lambda d: months(d) or 0.0) if ends else None
    for i in first:
        update: dict[str, object] = {"outcome": Outcome.RELAPSE}
        if not priors[i].progression_date and last_end:
            update["progression_date"] = last_end
        priors[i] = priors[i].model_copy(update=update)
    return True


_BEFORE_SURGERY = frozenset({"neoadjuvant", "perioperative"})


def _relapse_after_surgery(priors: list[PriorTherapy]) -> bool:
    """A relapse recorded on the operation (setting surgery) of a curative course is the relapse
    of that course: the neoadjuvant treatment just before it, recorded without an outcome, is
    read as relapsed at the same date (neoadjuvant AC-T, surgery, relapse 9 months later)."""
    changed = False
    for i, p in enumerate(priors):
        if (p.setting or "") not in SURGERY_SETTINGS or p.outcome not in FAILED_OUTCOMES:
            continue
        j = i - 1
        while (
            j >= 0 and priors[j].setting in _BEFORE_SURGERY and priors[j].outcome is None and priors[j].drugs
        ):
            priors[j] = priors[j].model_copy(
                update={
                    "outcome": p.outcome,
                    "progression_date": p.progression_date or priors[j].progression_date,
                }
            )
            changed = True
            j -= 1
    return changed


def _ended_without_outcome(priors: list[PriorTherapy]) -> int | None:
    """The last line for advanced disease, when it has an end date and no outcome and nothing
    followed it: the patient is asking what comes next, so it is read as ended by progression
    (the warning says so; a treatment stopped for side effects should be recorded as
    intolerance). Without this, every option written for after that treatment stayed hidden and
    best supportive care came first (pancreatic cancer after gemcitabine + nab-paclitaxel)."""
    if not priors:
        return None
    i = len(priors) - 1
    p = priors[i]
    if not _advanced(p) or p.outcome is not None or not p.end or p.line is None:
        return None
    return i


_RECURRENT_WORDS = (
    "recurrent",
    "recurrence",
    "relapsed",
    "relapse",
    "progressive",
    "progression",
    "refractory",
)


def _first_line_before_recurrence(prof: Profile, priors: list[PriorTherapy]) -> list[int]:
    """The stage says the cancer came back ("recurrent", "relapsed") and the only treatment of
    advanced disease on record is the first line, recorded as still working (its maintenance
    completed): the recurrence came after it, so that line (and its maintenance) relapsed
    (ovarian cancer recurring after carboplatin-paclitaxel and two years of olaparib). A later
    line may be the treatment of the recurrence itself, so nothing is read then."""
    stage = (prof.cancer.stage or "").strip().lower()
    if not any(w in stage for w in _RECURRENT_WORDS):
        return []
    advanced = [i for i, p in enumerate(priors) if _advanced(p)]
    if not advanced or any((priors[i].line or 1) > 1 for i in advanced):
        return []
    if any(priors[i].outcome not in WORKING for i in advanced):
        return []
    return advanced
