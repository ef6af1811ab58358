"""Pipeline step ``substitute``: a fitness rule's substitute regimens as options of their own
(knowledge/policy/fitness, ``substitutes``; docs/engine.md, "Substitutes").

When a fitness rule holds for the patient (creatinine clearance too low for cisplatin, LVEF too
low for an anthracycline, age 80 or over for full-dose R-CHOP), its substitute regimens whose own
evidence applies to the case are already candidates; this step says on each of them what it
stands in for and why ("In place of gemcitabine + cisplatin: ..."; trace
``fitness.substitute``). A regimen the rule drops whose evidence item was filtered out before
the rule could act (an item that ``requires_not`` the same fact) is listed in ``answer.excluded``
with the rule's message, so the contraindicated option drops with the reason shown.
"""

from __future__ import annotations

from onconav.engine import fitness_policy
from onconav.engine.messages import t
from onconav.engine.rules import Candidate, RegimenInfo, Run, _setting_and_line, text
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


def apply(
    run: Run, rules: tuple[FitnessRule, ...], items: list[Evidence], regimens: dict[str, RegimenInfo]
) -> None:
    lang = run.case.lang
    sep = t("list_sep", lang)
    for rule in _holding(run, rules):
        reason = fitness_policy._message(rule, run, lang)
        rid = f"fitness.{rule.id}"
        for c in _dropped(rule, run, items, regimens):
            c.exclude(reason, rid)
            run.excluded.append(c)
        # name what was dropped in this case (else what the rule selects)
        dropped = sorted({c.reg.regimen.id for c in [*run.excluded, *run.candidates] if rid in c.trace})
        ids = dropped or [r for r in rule.applies.regimens if r in regimens]
        what = sep.join(text(regimens[r].regimen.name, lang) for r in ids) or sep.join(rule.applies.drugs)
        for c in run.candidates:
            if c.reg.regimen.id in rule.substitutes:
                note = t("r_substitute", lang, what=what, reason=reason)
                if note not in c.notes:
                    c.notes.append(note)
                if "fitness.substitute" not in c.trace:
                    c.trace.append("fitness.substitute")
