"""Pipeline steps: merge (one option per regimen, the best item decides) and rank (the
deterministic lexicographic key, head-to-head supersession)."""

from __future__ import annotations

import re
from collections.abc import Collection

from onconav.engine.model import LEVEL_RANK, Candidate, Run
from onconav.engine.msg import Txt, msg
from onconav.kbdata.schema import Evidence


def best_hr(ev: Evidence) -> float | None:
    """The hazard ratio of the item's first outcome that has one (curators list the primary
    endpoint first); None when no hazard ratio is recorded."""
    for o in ev.outcomes:
        if o.hazard_ratio is not None:
            return o.hazard_ratio
    return None


def china_access(c: Candidate) -> tuple[str, int, bool | None, bool | None]:
    """(access, access rank, nmpa_approved, nrdl_reimbursed) for the option's best item."""
    reg, ev = c.reg, c.ev
    acc = reg.drug_access
    if acc == "not_applicable":
        return acc, 0, None, None
    if ev.nmpa_indication is True and acc in ("approved", "approved_other_indication", "unknown"):
        acc, rank = "approved", 0
    elif ev.nmpa_indication is False and acc == "approved":
        acc, rank = "approved_other_indication", 2
    elif acc == "approved":
        rank = 1
    else:
        rank = {"approved_other_indication": 2, "boao_only": 3, "trial_only": 4, "not_available": 5}.get(
            acc, 6
        )
    nmpa: bool | None
    if acc == "approved":
        nmpa = True
    elif acc in ("approved_other_indication", "boao_only", "trial_only", "not_available"):
        nmpa = False
    else:
        nmpa = None
    nrdl = ev.nrdl_indication if ev.nrdl_indication is not None else reg.nrdl_all
    return acc, rank, nmpa, nrdl


def cost_rank(c: Candidate, budget: float | None) -> int:
    if budget is None:
        return 0
    cost = c.reg.cost_month
    if cost is None:
        return 1
    return 0 if cost * 12 <= budget else 2


def matched(ev: Evidence) -> int:
    """0 when the item is matched to a biomarker the patient has (biomarkers / biomarkers_any),
    1 otherwise: at the same level, a therapy directed at the patient's alteration comes first."""
    return 0 if (ev.biomarkers or ev.biomarkers_any) else 1


def _gene(biomarker_id: str) -> str:
    return biomarker_id.split(":", 1)[0]


def match_specificity(ev: Evidence, pending: Collection[str] = ()) -> int:
    """How specific the item's biomarker match is: the number of distinct genes among the
    biomarkers it requires that the patient is known to have (``biomarkers``, plus one for a
    ``biomarkers_any`` set of other genes), and at least 1 for any biomarker-matched item; 0
    unmatched. Markers still waiting on a test (``pending``) never add to the count, so an option
    conditional on a second alteration does not pass one that is not. More genes is a narrower
    match: at the same level, savolitinib + osimertinib (EGFR sensitising and MET amplification,
    SACHI) comes before options written for any EGFR-mutant cancer after osimertinib."""
    if not (ev.biomarkers or ev.biomarkers_any):
        return 0
    genes = {_gene(b) for b in ev.biomarkers if b not in pending}
    any_genes = {_gene(b) for b in ev.biomarkers_any if b not in pending} - genes
    return max(1, len(genes) + (1 if any_genes else 0))


def matched_standard(ev: Evidence) -> int:
    """0 for a biomarker-matched option with guideline-level evidence (levels 1-2), 1 otherwise.
    In the same setting such an option comes before unmatched ones of any level, as guidelines
    prefer the matched drug (sotorasib or adagrasib over docetaxel for KRAS G12C after first-line
    treatment; trastuzumab deruxtecan for HER2-mutant NSCLC). Weaker matched evidence (3A-4) and
    tumour-agnostic items (written for every solid tumour, evidence from basket trials) do not
    jump ahead of the cancer's own standard care."""
    if ev.cancer in ("SOLID", "HEME"):
        return 1
    return 0 if matched(ev) == 0 and LEVEL_RANK.get(ev.level.value, 9) <= LEVEL_RANK["2"] else 1


NCCN_RANK = {"preferred": 0, "other_recommended": 1, "certain_circumstances": 2, "not_listed": 3}
CSCO_RANK = {"I": 0, "II": 1, "III": 2, "not_listed": 3}


def preference_rank(ev: Evidence) -> tuple[int, int]:
    """Guideline preference (NCCN preferred / CSCO level I first): (best, worst) of the two."""
    p = ev.preference
    if p is None:
        return (4, 4)
    a = NCCN_RANK.get(p.nccn, 4)
    if p.csco == "unknown":  # the CSCO tier could not be confirmed: no better than "not listed"
        return (a, max(a, CSCO_RANK["not_listed"]))
    b = CSCO_RANK.get(p.csco, 4)
    return (min(a, b), max(a, b))


def failed_before(c: Candidate) -> int:
    """1 when the option repeats a treatment that already failed (every drug failed, itself or as
    a class that fails together: ``failure.repeat``), else 0. Such an option is not an option for
    now: it comes after every other option of its setting, conditional ones included, and the
    answer lists it in the group ``failed_before``, after clinical trials (NCCN Multiple Myeloma:
    after a BCMA bispecific, a different target or a trial)."""
    return 1 if c.repeats_failure else 0


def evidence_key(c: Candidate) -> tuple:  # type: ignore[type-arg]
    """The clinical part of the ranking key (steps setting_fit .. preference of
    docs/engine.md "Ranking"): options equal on it are equivalent choices."""
    return (
        c.fit,
        failed_before(c),
        c.contraindicated,
        c.cond_rank(),
        c.tier,
        c.beaten,
        matched_standard(c.ev),
        LEVEL_RANK.get(c.ev.level.value, 9),
        -match_specificity(c.ev, c.cond_markers.keys()),
        preference_rank(c.ev),
    )


def item_key(c: Candidate) -> tuple:  # type: ignore[type-arg]
    return (*evidence_key(c), c.ev.id)


def merge(run: Run) -> None:
    by_reg: dict[str, list[Candidate]] = {}
    for c in run.candidates:
        by_reg.setdefault(c.reg.regimen.id, []).append(c)
    merged: list[Candidate] = []
    for rid in sorted(by_reg):
        group = sorted(by_reg[rid], key=item_key)
        best = group[0]
        best.merged = [g.ev for g in group]
        if len(group) > 1:
            best.trace.append("merge.regimen")
            for other in group[1:]:
                for cau in other.cautions:
                    if cau not in best.cautions and cau not in other.demotions:
                        best.cautions.append(cau)
        merged.append(best)
    run.candidates = merged


def _beats(a: Candidate, b: Candidate) -> tuple[Evidence, float] | None:
    """(item, HR) when ``a`` beat ``b`` in a randomised comparison: an outcome of ``a`` with
    HR < 1 whose comparator names ``b``'s single drug, or ``a`` adds drugs to ``b``'s regimen
    (toripalimab + gemcitabine-cisplatin against gemcitabine-cisplatin)."""
    da, db = set(a.reg.regimen.drugs), set(b.reg.regimen.drugs)
    if not db or a is b:
        return None
    add_on = db < da
    single = len(db) == 1 and not (db & da)
    if not (add_on or single):
        return None
    inn = next(iter(db))
    pattern = re.compile(rf"(?<![a-z]){re.escape(inn)}(?![a-z])")
    for item in a.merged or [a.ev]:
        for o in item.outcomes:
            if o.hazard_ratio is None or o.hazard_ratio >= 1 or not o.comparator:
                continue
            if add_on or pattern.search(o.comparator.lower()):
                return item, o.hazard_ratio
    return None


def supersede(run: Run) -> None:
    """Head-to-head evidence among equivalent choices: an option that another option with the
    same clinical key (setting, fitness, condition, level, guideline preference) beat in a
    randomised comparison is listed right after it. This is a direct comparison within one
    trial, never a comparison of hazard ratios across trials. Records ``c.superseded_by``."""
    # the candidates with each clinical key, in candidate order (what a pass over every
    # candidate keeping those with b's key would read)
    keys = {id(c): evidence_key(c) for c in run.candidates}
    same: dict[tuple, list[Candidate]] = {}  # type: ignore[type-arg]
    for c in run.candidates:
        same.setdefault(keys[id(c)], []).append(c)
    for b in run.candidates:
        for a in same[keys[id(b)]]:
            hit = _beats(a, b)
            if hit is None:
                continue
            item, hr = hit
            b.superseded_by.append(a)
            b.notes.append(
                msg(
                    "r_superseded",
                    other=Txt.of(a.reg.regimen.name),
                    trial=item.trial or item.id,
                    hr=f"{hr:g}",
                )
            )
            if "rank.superseded" not in b.trace:
                b.trace.append("rank.superseded")


def route_rank(c: Candidate, route: str | None) -> int:
    """0 when the option matches the patient's preferred route (oral / infusion), else 1."""
    if route not in ("oral", "infusion"):
        return 0
    oral = c.reg.regimen.intensity == "low" and c.reg.regimen.modality.value == "targeted_therapy"
    return 0 if oral == (route == "oral") else 1


def rank_key(c: Candidate, budget: float | None, route: str | None = None) -> tuple:  # type: ignore[type-arg]
    _, arank, _, nrdl = china_access(c)
    nrank = 0 if nrdl is True else 1 if nrdl is None else 2
    return (*evidence_key(c), arank, nrank, route_rank(c, route), cost_rank(c, budget), c.reg.regimen.id)


def beaten(run: Run) -> None:
    """Head-to-head results recorded as data (``Evidence.superseded_by``): an option whose item
    lost a randomised trial to a regimen that is on offer for now (same setting fit, not
    conditional, not a repeat of a failed treatment, not demoted further) ranks after every
    option not beaten so, whatever its evidence level (LIBRETTO-531: selpercatinib before
    cabozantinib and vandetanib in RET-mutant medullary thyroid cancer). Rule ``rank.beaten``."""
    by_reg = {c.reg.regimen.id: c for c in run.candidates}
    for c in run.candidates:
        for item in c.merged or [c.ev]:
            for s in item.superseded_by:
                a = by_reg.get(s.regimen)
                if a is None or a is c or a.fit != c.fit or a.conditional or a.repeats_failure:
                    continue
                if a.tier > c.tier:
                    continue
                c.beaten = 1
                c.notes.append(
                    msg(
                        "r_superseded",
                        other=Txt.of(a.reg.regimen.name),
                        trial=s.trial,
                        hr=f"{s.hazard_ratio:g}",
                    )
                )
                if "rank.beaten" not in c.trace:
                    c.trace.append("rank.beaten")


def rank(run: Run) -> None:
    beaten(run)
    supersede(run)
    budget = run.case.budget_usd
    keys = {id(c): rank_key(c, budget, run.case.route) for c in run.candidates}
    memo: dict[int, tuple] = {}  # type: ignore[type-arg]

    def effective(c: Candidate, seen: frozenset[int] = frozenset()) -> tuple:  # type: ignore[type-arg]
        # an option beaten head-to-head sorts right after the last option that beat it
        if id(c) in memo:
            return memo[id(c)]
        own = keys[id(c)]
        beaters = [a for a in c.superseded_by if id(a) not in seen]
        if not beaters:
            eff: tuple = (own, 0)  # type: ignore[type-arg]
        else:
            worst = max(effective(a, seen | {id(c)}) for a in beaters)
            eff = (*worst, 1, own)
        memo[id(c)] = eff
        return eff

    run.options = trial_before_repeats(sorted(run.candidates, key=effective))
    for c in run.options:
        c.trace.append("rank.key")


def trial_before_repeats(options: list[Candidate]) -> list[Candidate]:
    """The referral to a clinical trial (when its item applies: ECOG 0-2) moves up to just before
    the first option that repeats a failed treatment (``failure.repeat``), so that with little
    active treatment left a trial comes before treatment that already failed (NCCN: the best
    management of any patient with cancer is in a clinical trial; NCCN Multiple Myeloma: after a
    BCMA bispecific, a different target or a trial). The other supportive options keep their
    place after the repeats. Rule ``rank.trial_before_repeat``."""
    first = next((i for i, c in enumerate(options) if c.repeats_failure), None)
    if first is None:
        return options
    trial = next(
        (
            i
            for i, c in enumerate(options)
            if i > first and c.reg.regimen.modality.value == "clinical_trial" and not c.repeats_failure
        ),
        None,
    )
    if trial is None:
        return options
    moved = options[trial]
    moved.trace.append("rank.trial_before_repeat")
    return [*options[:first], moved, *(c for i, c in enumerate(options[first:], first) if i != trial)]
