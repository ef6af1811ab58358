"""Pipeline step ``sequence``: which treatment comes first (knowledge/policy/sequencing).

Some untreated local cancers are treated before surgery as a rule (stage II-III triple-negative
and HER2-positive breast cancer, locally advanced rectal cancer): when a sequencing rule holds
and an option in one of its preferred settings (neoadjuvant, perioperative) is on offer, the
options it defers (surgery) move to the related-setting step of the ranking, with the rule's
message in their rationale and ``sequence.<rule id>`` in their trace. Unknown conditions leave
the order as it is (docs/engine.md, "Sequencing").
"""

from __future__ import annotations

from onconav.engine.fitness_policy import selects
from onconav.engine.rules import Candidate, Run, text
from onconav.kbdata.policy import SequencingRule


def _holds(rule: SequencingRule, run: Run) -> bool:
    if run.facts is None or rule.cancer not in run.case.lineage:
        return False
    return all(run.facts.condition(c) is True for c in rule.when)


def _deferred(rule: SequencingRule, c: Candidate, lineage: list[str]) -> bool:
    if rule.defer.cancers and not set(rule.defer.cancers) & set(lineage):
        return False
    if rule.action == "exclude":
        return selects(rule.defer, c)
    return c.fit == 0 and c.ev.setting not in rule.prefer_settings and selects(rule.defer, c)


def apply(run: Run, rules: tuple[SequencingRule, ...]) -> None:
    """Defer the options a holding rule names behind its preferred settings."""
    if not rules or run.case.resected:
        return
    lineage = list(run.case.lineage)
    for rule in rules:
        if not _holds(rule, run):
            continue
        if rule.prefer_settings and not any(
            c.ev.setting in rule.prefer_settings and c.fit == 0 for c in run.candidates
        ):
            continue
        msg = text(rule.message, run.case.lang)
        keep: list[Candidate] = []
        for c in run.candidates:
            if not _deferred(rule, c, lineage):
                keep.append(c)
            elif rule.action == "exclude":
                c.exclude(msg, f"sequence.{rule.id}")
                run.excluded.append(c)
            else:
                c.fit = 1
                c.notes.append(msg)
                c.trace.append(f"sequence.{rule.id}")
                keep.append(c)
        run.candidates = keep
