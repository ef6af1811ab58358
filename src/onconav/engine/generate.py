"""Pipeline step: generate -- candidates whose evidence predicates hold; pending items (unknown
biomarker) are remembered for the tests step."""

from __future__ import annotations

import math

from onconav.engine import fitness_policy
from onconav.engine.fitness import _fitness
from onconav.engine.model import (
    LEVEL_RANK,
    LINE_SETTINGS,
    LOCAL_UNRESECTED_SETTINGS,
    PRIMARY_SETTINGS,
    SUPPORTIVE_MODALITIES,
    Candidate,
    Pending,
    RegimenInfo,
    Run,
)
from onconav.engine.msg import msg
from onconav.engine.normalize import Case, threshold_holds
from onconav.engine.ranking import preference_rank
from onconav.kbdata.schema import Evidence


def _biomarkers(ev: Evidence, case: Case) -> tuple[bool, dict[str, str], list[str]]:
    """(no known contradiction, unknown ids with their role, trace)."""
    unknown: dict[str, str] = {}
    trace: list[str] = []
    for bid in ev.biomarkers:
        s = case.state(bid)
        if s is False:
            return False, {}, trace
        if s is None:
            unknown[bid] = "present"
    if ev.biomarkers:
        trace.append("biomarker.present")
    if ev.biomarkers_any:
        states = [case.state(b) for b in ev.biomarkers_any]
        if True not in states:
            if all(s is False for s in states):
                return False, {}, trace
            for b, s in zip(ev.biomarkers_any, states, strict=True):
                if s is None:
                    unknown.setdefault(b, "any")  # any one of them present would do
        trace.append("biomarker.any")
    for bid in ev.biomarkers_absent:
        s = case.state(bid)
        if s is True:
            return False, {}, trace
        if s is None:
            unknown.setdefault(bid, "absent")
    if ev.biomarkers_absent:
        trace.append("biomarker.absent")
    for th in ev.thresholds:
        rng = case.numeric.get(th.marker)
        if rng is None:
            unknown.setdefault(th.marker, "threshold")
            continue
        ok = threshold_holds(rng, th.op, th.value)
        if ok is False:
            return False, {}, trace
        if ok is None:
            unknown.setdefault(th.marker, "threshold")
    if ev.thresholds:
        trace.append("biomarker.threshold")
    return True, unknown, trace


def _matches_prior(tokens: list[str], drugs: set[str], tags: set[str]) -> bool:
    for tok in tokens:  # (a loop, not any() over a generator: called for most items)
        if tok in drugs or tok in tags:
            return True
    return False


def _setting_and_line(ev: Evidence, case: Case, drugs: tuple[str, ...] = ()) -> tuple[bool, list[str]]:
    trace = ["stage.group"]
    groups = case.stage_groups
    if not groups.intersection(ev.stage_groups):
        return False, trace
    s = ev.setting
    resected = case.resected
    if ev.requires_resected is True or (ev.requires_resected is None and s == "adjuvant"):
        if resected is not True:
            return False, trace
        trace.append("setting.adjuvant_needs_resection")
    if ev.requires_resected is False or (ev.requires_resected is None and s in LOCAL_UNRESECTED_SETTINGS):
        if resected is True:
            return False, trace
        trace.append("setting.local_needs_unresected")
    if resected is True and _resected_not_advanced(ev, case):
        return False, [*trace, "setting.resected_not_advanced"]
    if s in LINE_SETTINGS:
        lo = ev.line_min
        hi = ev.line_max if ev.line_max is not None else (1 if s == "first_line" else math.inf)
        if s == "later_line" and "line_min" not in ev.model_fields_set:
            lo = max(lo, 2)  # a later line follows a first one, unless the item says otherwise
        # maintenance continues the line that just responded (line 1 maintenance after first-line chemo)
        line = case.maintenance_line if s == "maintenance" else case.line
        if lo <= line <= hi:
            trace.append("setting.line")
        elif _curative_failure_is_a_line(ev, case, line, lo, hi):
            trace.append("setting.line_after_curative_failure")
        else:
            return False, trace
    if ev.after_failure_of:
        if _matches_prior(ev.after_failure_of, case.failed, case.failed_tags):
            trace.append("prior.after_failure_of")
        elif ev.intolerance_counts and _matches_prior(
            ev.after_failure_of, case.intolerant, case.intolerant_tags
        ):
            trace.append("prior.after_intolerance_of")  # the label: "resistance or intolerance"
        elif case.unread_failed:
            trace.append("prior.after_failure_unread")  # what failed is unknown, not "nothing"
        else:
            return False, trace
    if ev.not_after and _blocked_by_not_after(ev.not_after, case, drugs):
        return False, [*trace, "prior.not_after"]
    if ev.requires_inoperable is True:
        if case.operable is not False:
            return False, trace
        trace.append("operability.requires_inoperable")
    elif ev.requires_inoperable is False and case.operable is False:
        return False, trace
    return True, trace


def _blocked_by_not_after(not_after: list[str], case: Case, drugs: tuple[str, ...]) -> bool:
    """``not_after`` holds when one of its drugs or classes was received in a line not stopped for
    side effects, or when the regimen repeats a drug that was stopped for them: a drug stopped for
    intolerance does not rule out the others of its kind (enzalutamide after abiraterone hepatitis),
    but it is not started again through this item (rule line.intolerance_not_a_line)."""
    if _matches_prior(not_after, case.tolerated, case.tolerated_tags):
        return True
    repeated = set(drugs) & (case.intolerant - case.tolerated)
    return bool(repeated) and any(tok in repeated or tok in case.intolerant_tags for tok in not_after)


def _curative_failure_is_a_line(ev: Evidence, case: Case, line: int, lo: float, hi: float) -> bool:
    """A later-line item one line short counts the early failure of a curative-intent course as
    that line, when the course's drugs are what the item is written after (its
    ``after_failure_of`` or ``after_exposure_to``): lomustine for glioblastoma recurring after radiotherapy + temozolomide."""
    after = [*ev.after_failure_of, *ev.after_exposure_to]
    return (
        ev.setting == "later_line"
        and ev.curative_failure_counts
        and bool(after)
        and line + 1 == lo
        and lo <= hi
        and _matches_prior(after, case.curative_failed, case.curative_failed_tags)
    )


def _resected_not_advanced(ev: Evidence, case: Case) -> bool:
    """A solid cancer resected without advanced disease (adjuvant question: resected, stage not
    advanced, no relapse recorded) is not offered first-line treatment for unresectable or
    metastatic disease (chemo-immunotherapy after an oesophagectomy, CheckMate 577 territory)."""
    return (
        ev.setting == "first_line"
        and ev.requires_resected is None
        and case.resected is True
        and case.category != "heme"
        and "advanced" not in case.stage_groups
    )


def _fit(ev: Evidence, case: Case, reg: RegimenInfo) -> int:
    if ev.setting == "supportive" or reg.regimen.modality.value in SUPPORTIVE_MODALITIES:
        return 2
    if ev.setting == "any":
        return 0
    if (
        ev.setting == "later_line"
        and ev.after_failure_of
        and case.stage_groups == {"early"}
        and not case.responding
    ):
        return 0  # early disease after failure of its standard (BCG-unresponsive NMIBC, relapsed stage II lymphoma)
    for g in case.stage_groups.intersection(ev.stage_groups):
        if ev.setting in PRIMARY_SETTINGS[g]:
            if ev.setting == "consolidation" and not case.had_radiotherapy:
                return 1
            if ev.setting == "maintenance" and not case.responding:
                return 1  # maintenance follows a treatment that worked; none is recorded yet
            if ev.setting == "later_line" and case.responding:
                return 1  # the last treatment is working: later-line options are for progression
            return 0
    return 1


def _v2_filters(ev: Evidence, case: Case, run: Run) -> tuple[bool, list[str], list[str]]:
    """Evidence v2 predicates: facts (requires / requires_not), age_min, age_max, after_exposure_to,
    biomarker_origin. (holds, unknown fact ids, trace)."""
    trace: list[str] = []
    unknown: list[str] = []
    if (ev.requires or ev.requires_not) and run.facts is not None:
        ok, unknown = run.facts.check(ev.requires, ev.requires_not)
        if not ok:
            return False, [], trace
        trace.append("fact.requires")
    if ev.age_min is not None and case.age is not None:
        if case.age < ev.age_min:
            return False, [], trace
        trace.append("patient.age_min")
    if ev.age_max is not None and case.age is not None:
        if case.age > ev.age_max:
            return False, [], trace
        trace.append("patient.age_max")
    if ev.after_exposure_to:
        if not all(tok in case.received or tok in case.received_tags for tok in ev.after_exposure_to):
            return False, [], trace
        trace.append("prior.after_exposure_to")
    if ev.biomarker_origin == "germline" and (
        any(b in case.germline_absent for b in ev.biomarkers)
        or (ev.biomarkers_any and all(b in case.germline_absent for b in ev.biomarkers_any))
    ):
        return False, [], [*trace, "biomarker.germline_negative"]
    if ev.biomarker_origin:
        for bid in [*ev.biomarkers, *(b for b in ev.biomarkers_any if case.state(b))]:
            got = case.origins.get(bid)
            if got is not None and got != ev.biomarker_origin:
                return False, [], trace
            if got is None and case.state(bid) is True and run.facts is not None:
                # origin not given: the item waits on the origin fact and its test (decision 0001)
                waits = run.facts.origin_facts(bid, ev.biomarker_origin)
                unknown += [f for f in waits if f not in unknown]
                if waits:
                    trace.append("biomarker.origin_unknown")
        trace.append("biomarker.origin")
    return True, unknown, trace


def _conditional_allowed(
    ev: Evidence, unknown: dict[str, str], named: frozenset[str] = frozenset(), now: bool = True
) -> bool:
    """An item waiting on an unknown biomarker is shown as a conditional option only with
    standard evidence (levels 1-2); waiting on a patient fact alone, always. An item that needs
    an untested alteration to be *present* is shown only when a named decisive test for the
    situation (knowledge/policy/tests) decides it and the item is for now (not for later:
    maintenance or a later line, the answer's group ``later``); otherwise the test is
    recommended (the germline test for pancreatic cancer does not bring olaparib maintenance
    into an untreated patient's answer)."""
    if not unknown:
        return True
    if ev.cancer in ("SOLID", "HEME"):
        return False  # tumour-agnostic items (basket trials) do not stand in for a cancer's own care
    lvl = LEVEL_RANK.get(ev.level.value, 9)
    present = [b for b, role in unknown.items() if role in ("present", "any")]
    if present and not (now and all(b in named for b in present)):
        return False
    return lvl <= LEVEL_RANK["2"]


def _active(c: Candidate) -> bool:
    """An anti-cancer option (not supportive care, not a trial referral)."""
    modality = c.reg.regimen.modality.value
    return (
        modality not in SUPPORTIVE_MODALITIES
        and modality != "clinical_trial"
        and c.ev.setting != "supportive"
    )


# conditional options shown per deciding marker while its test is awaited (_release_held)
AWAITING_PER_MARKER = 2


def _standard(ev: Evidence) -> bool:
    """Standard care that may wait on a test: level 1, or level 2 that a guideline prefers (NCCN
    preferred or CSCO I: the single-arm trials behind drugs for rare drivers, MET exon 14
    capmatinib, HER2-mutant trastuzumab deruxtecan)."""
    return ev.level.value == "1" or (ev.level.value in ("2", "2A") and preference_rank(ev)[0] == 0)


def _release_held(run: Run, held: list[Candidate]) -> None:
    """Standard care is never hidden behind a missing test. When nothing active is left for a
    patient fit for treatment (ECOG 0-2 or not given), the level-1 items that wait on an
    untested marker no named test decides are shown as conditional options (rule
    ``condition.no_active_option``), ranked as open conditions. Otherwise the best such item
    per deciding marker that is written for this very situation (setting and line) is shown
    too, ranked after the options that do not wait on a positive result (rule
    ``condition.awaiting_test``): "If EGFR is positive: osimertinib" while EGFR is pending.
    Equally preferred items waiting on the same result are shown together (up to
    ``AWAITING_PER_MARKER``), so one alphabetical winner does not stand for a choice the
    guideline leaves open. Their tests are already among the recommended ones."""
    ecog = run.case.ecog
    if not held or (ecog is not None and ecog > 2):
        return
    if not any(_active(c) for c in run.candidates):
        for cand in held:
            cand.trace.append("condition.no_active_option")
            _place(cand, run.case)
            run.candidates.append(cand)
        return
    if not _awaiting_applies(run):
        return
    per_marker: dict[frozenset[str], list[Candidate]] = {}
    for cand in held:
        _place(cand, run.case)
        if cand.fit != 0 or not _active(cand):
            continue
        key = frozenset(b for b, role in cand.cond_markers.items() if role in ("present", "any"))
        per_marker.setdefault(key, []).append(cand)
    for cands in per_marker.values():
        cands.sort(key=_held_key)
        best = preference_rank(cands[0].ev)[0]
        # the choices the result would open that a guideline ranks as high as the best one (gBRCA:
        # platinum and a PARP inhibitor; MET exon 14: tepotinib and capmatinib), two at most: the
        # others are for the care team with the result
        for cand in [c for c in cands if preference_rank(c.ev)[0] == best][:AWAITING_PER_MARKER]:
            cand.awaits_test = True
            cand.trace.append("condition.awaiting_test")
            run.candidates.append(cand)


def _awaiting_applies(run: Run) -> bool:
    """Driver-directed standard care is shown while its test is awaited only where that test is
    routine and still open: not once a driver alteration has been found (the first-line driver
    decision is made; co-occurrence policy speaks to the others), and not in squamous NSCLC,
    where driver testing is not routine (the same exception as the NSCLC panel)."""
    return not (run.case.squamous_nsclc() or run.driver_found)


def _held_key(c: Candidate) -> tuple[object, ...]:
    """Which held item stands for its marker: guideline preference (the ranking's), then id."""
    return (*preference_rank(c.ev), c.reg.regimen.id)


def _late_curative_failures_count(case: Case, items: list[Evidence]) -> None:
    """Where the knowledge base has no first-line treatment of advanced disease for the cancer
    that this patient can still have (glioblastoma after radiotherapy + temozolomide: what
    follows treats a recurrence; tumour-agnostic items aside), a late
    relapse after curative-intent treatment counts as its failure too."""
    if not case.curative_failed_late:
        return
    first_line = any(
        ev.setting == "first_line"
        and ev.cancer not in ("SOLID", "HEME")
        and not _matches_prior(ev.not_after, case.tolerated, case.tolerated_tags)
        for ev in items
    )
    if case.curative_failed_late and not first_line:
        case.curative_failed |= case.curative_failed_late
        case.curative_failed_tags |= case.curative_failed_late_tags


def generate(
    run: Run,
    items: list[Evidence],
    regimens: dict[str, RegimenInfo],
    staged: list[Evidence] | None = None,
) -> None:
    """``staged``: the items among ``items`` whose stage groups meet the case's (the engine keeps
    them per cancer and set of groups); the others would fail the first check below."""
    case = run.case
    held: list[Candidate] = []
    _late_curative_failures_count(case, items)
    for ev in items if staged is None else staged:
        reg = regimens.get(ev.regimen)
        if reg is None:
            continue  # a KB cross-reference problem: kb-check reports it
        ok, trace = _setting_and_line(ev, case, tuple(reg.regimen.drugs))
        if not ok:
            continue
        bm_ok, unknown, bm_trace = _biomarkers(ev, case)
        if not bm_ok:
            continue
        v2_ok, fact_unknown, v2_trace = _v2_filters(ev, case, run)
        if not v2_ok:
            continue
        cand = Candidate(ev=ev, reg=reg, trace=["cancer.lineage", *trace, *bm_trace, *v2_trace])
        if ev.cancer in ("SOLID", "HEME") or not ev.cancer:
            cand.trace.append("cancer.agnostic")
        if "prior.after_failure_unread" in cand.trace:
            # missing data never hides standard care: shown, lower, asking for the drugs
            cand.demote(
                1, msg("c_prior_unread", prior="; ".join(case.unread_failed)), "prior.after_failure_unread"
            )
            case.warn("w_prior_unread", prior="; ".join(case.unread_failed))
        _fitness(cand, case, run)
        if run.fitness_rules:
            fitness_policy.apply(cand, run, run.fitness_rules)
        if unknown or fact_unknown:
            if cand.exclusions:
                continue
            if unknown:
                run.pending.append(Pending(ev=ev, reg=reg, unknown=tuple(sorted(unknown)), roles=unknown))
            fit = _fit(ev, case, reg)
            later = fit == 2 or (fit == 1 and ev.setting in ("later_line", "maintenance"))
            allowed = _conditional_allowed(ev, unknown, run.named_markers, not later)
            cand.cond_markers = dict(unknown)
            cand.cond_facts = list(fact_unknown)
            cand.trace.append("condition.unknown")
            if not allowed:
                if _standard(ev) and _conditional_allowed(ev, unknown, frozenset(unknown)):
                    held.append(cand)  # standard care waiting on an unnamed test
                continue
        if cand.exclusions:
            run.excluded.append(cand)
            continue
        _place(cand, case)
        run.candidates.append(cand)
    _release_held(run, held)


def _place(cand: Candidate, case: Case) -> None:
    ev = cand.ev
    cand.fit = _fit(ev, case, cand.reg)
    if cand.fit == 0:
        cand.trace.append("setting.fit")
        if ev.setting == "later_line" and ev.after_failure_of and case.stage_groups == {"early"}:
            cand.trace.append("setting.early_after_failure")
    elif cand.fit == 1:
        cand.trace.append("setting.other")
        if ev.setting == "consolidation":
            cand.caution(msg("c_consolidation"))
            cand.trace.append("setting.consolidation")
        if ev.setting == "maintenance":
            cand.caution(msg("c_maintenance"))
            cand.trace.append("setting.maintenance")
        if ev.setting == "later_line":
            cand.caution(msg("c_later_line"))
            cand.trace.append("setting.later_line_on_progression")
    if not case.stage_known and len(set(ev.stage_groups)) < 3 and cand.fit < 2:
        cand.caution(msg("c_stage_unknown"))
