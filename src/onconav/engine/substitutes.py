"""Pipeline step ``substitute``: a fitness rule's substitute regimens as options of their own
(knowledge/policy/fitness, ``substitutes``; docs/engine.md, "Substitutes").

When a fitness rule holds for the patient (creatinine clearance too low for cisplatin, LVEF too
low for an anthracycline, age 80 or over for full-dose R-CHOP), its substitute regimens whose own
evidence applies to the case are already candidates; this step says on each of them what it
stands in for and why ("In place of gemcitabine + cisplatin: ..."; trace
``fitness.substitute``). A regimen the rule drops whose evidence item was filtered out before
the rule could act (an item that ``requires_not`` the same fact) is listed in ``answer.excluded``
with the rule's message, so the contraindicated option drops with the reason shown.

A substitute is checked against the other holding ``exclude`` rules: a rule is about the drugs
every regimen it drops shares and none of its own substitutes has (doxorubicin for R-CHOP and
Pola-R-CHP replaced by R-GCVP / R-CEOP), and a substitute of another rule that carries one of them
(R-mini-CHOP, the age-80 stand-in) is excluded with that rule's message (trace
``fitness.substitute_conflict``).
"""

from __future__ import annotations

from onconav.engine import fitness_policy
from onconav.engine.generate import _setting_and_line
from onconav.engine.model import Candidate, RegimenInfo, Run
from onconav.engine.msg import Join, Txt, msg
from onconav.kbdata.policy import FitnessRule
from onconav.kbdata.schema import Evidence


def _holding(run: Run, rules: tuple[FitnessRule, ...]) -> list[FitnessRule]:
    lineage = set(run.case.lineage)
    out = []
    for rule in rules:
        if not rule.substitutes or (rule.applies.cancers and not set(rule.applies.cancers) & lineage):
            continue
        if fitness_policy._holds(rule, run) is True:
            out.append(rule)
    return out


def _dropped(
    rule: FitnessRule, run: Run, items: list[Evidence], regimens: dict[str, RegimenInfo]
) -> list[Candidate]:
    """Items of the rule's regimens that fit the situation but are not offered: shown as excluded."""
    shown = {c.reg.regimen.id for c in run.candidates} | {c.reg.regimen.id for c in run.excluded}
    out: dict[str, Candidate] = {}
    for ev in items:
        rid = ev.regimen
        if rid not in rule.applies.regimens or rid in shown or rid in out or rid not in regimens:
            continue
        if _setting_and_line(ev, run.case)[0]:
            out[rid] = Candidate(ev=ev, reg=regimens[rid])
    return list(out.values())


def _offending_drugs(rule: FitnessRule, regimens: dict[str, RegimenInfo]) -> frozenset[str]:
    """What an exclude rule is about: the drugs every regimen it drops has and none of its
    substitutes has (doxorubicin for R-CHOP / Pola-R-CHP -> R-GCVP / R-CEOP)."""
    dropped = [set(regimens[r].regimen.drugs) for r in rule.applies.regimens if r in regimens]
    if not dropped:
        return frozenset()
    common = set.intersection(*dropped)
    for s in rule.substitutes:
        if s in regimens:
            common -= set(regimens[s].regimen.drugs)
    return frozenset(common)


def _conflicts(run: Run, holding: list[FitnessRule], regimens: dict[str, RegimenInfo]) -> None:
    """Substitutes that carry what another holding exclude rule is about move to excluded."""
    subs = {s for r in holding for s in r.substitutes}
    against = [(r, _offending_drugs(r, regimens)) for r in holding if r.action == "exclude"]
    keep = []
    for c in run.candidates:
        rid = c.reg.regimen.id
        hit = None
        if rid in subs:
            drugs = set(c.reg.regimen.drugs)
            hit = next((r for r, bad in against if rid not in r.substitutes and bad & drugs), None)
        if hit is None:
            keep.append(c)
            continue
        c.exclude(fitness_policy._message(hit, run), f"fitness.{hit.id}")
        c.trace.append("fitness.substitute_conflict")
        run.excluded.append(c)
    run.candidates = keep


def apply(
    run: Run, rules: tuple[FitnessRule, ...], items: list[Evidence], regimens: dict[str, RegimenInfo]
) -> None:
    holding = _holding(run, rules)
    _conflicts(run, holding, regimens)
    for rule in holding:
        reason = fitness_policy._message(rule, run)
        rid = f"fitness.{rule.id}"
        for c in _dropped(rule, run, items, regimens):
            c.exclude(reason, rid)
            run.excluded.append(c)
        # name what was dropped in this case (else what the rule selects)
        dropped = sorted({c.reg.regimen.id for c in [*run.excluded, *run.candidates] if rid in c.trace})
        ids = dropped or [r for r in rule.applies.regimens if r in regimens]
        names = [Txt.of(regimens[r].regimen.name) for r in ids]
        what = Join(tuple(names) if names else tuple(rule.applies.drugs))
        note = msg("r_substitute", what=what, reason=reason)
        for c in run.candidates:
            if c.reg.regimen.id in rule.substitutes:
                if note not in c.notes:
                    c.notes.append(note)
                if "fitness.substitute" not in c.trace:
                    c.trace.append("fitness.substitute")
