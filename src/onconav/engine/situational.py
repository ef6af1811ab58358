"""Named decisive tests for the patient's situation (knowledge/policy/tests).

A rule applies in its cancer (and descendants), after failure of any of ``after_failure_of``,
not after ``not_after``, at ``stage_groups``, when its ``when`` conditions hold. Its tests are
recommended first, by name ("T790M (tissue or plasma ctDNA)"), and an option waiting on an
alteration one of them decides may be shown as a conditional option.
"""

from __future__ import annotations

from onconav.engine.answer import TestRecommended
from onconav.engine.model import Run, text
from onconav.engine.msg import kb_text
from onconav.engine.normalize import Vocabulary
from onconav.engine.recommended_tests import coded
from onconav.kbdata.loader import KnowledgeBase
from onconav.kbdata.policy import NamedTest, TestRule


def _applies(rule: TestRule, run: Run) -> bool:
    case = run.case
    if rule.cancer not in case.lineage:
        return False
    if rule.stage_groups and not (set(rule.stage_groups) & case.stage_groups and case.stage_known):
        return False
    if rule.after_failure_of and not any(
        tok in case.failed or tok in case.failed_tags for tok in rule.after_failure_of
    ):
        return False
    if any(tok in case.received or tok in case.received_tags for tok in rule.not_after):
        return False
    if rule.when:
        if run.facts is None:
            return False
        return all(run.facts.condition(c) is True for c in rule.when)
    return True


def applicable(run: Run, kb: KnowledgeBase) -> list[tuple[TestRule, NamedTest]]:
    """The named tests of every rule that applies, in file order."""
    return [(rule, nt) for rule in kb.policy.tests if _applies(rule, run) for nt in rule.tests]


def decided_markers(named: list[tuple[TestRule, NamedTest]], vocab: Vocabulary) -> frozenset[str]:
    """Biomarker ids the named tests decide, with what they imply and what implies them."""
    out: set[str] = set()
    for _, nt in named:
        for bid in nt.biomarkers:
            out |= vocab.closure.get(bid, frozenset({bid}))
            out |= vocab.implied_by.get(bid, frozenset({bid}))
    return frozenset(out)


def recommended(
    named: list[tuple[TestRule, NamedTest]], run: Run, vocab: Vocabulary
) -> list[TestRecommended]:
    """Named tests still useful: skip one whose every biomarker is already known, unless it is a
    re-test (``retest``: the result may have changed under treatment)."""
    lang = run.case.lang
    out: list[TestRecommended] = []
    seen: set[str] = set()
    for rule, nt in named:
        known = nt.biomarkers and all(run.case.state(b) is not None for b in nt.biomarkers)
        if known and not nt.retest:
            continue
        name = text(nt.name, lang)
        if name in seen:
            continue
        seen.add(name)
        decides = sorted(
            {
                c.reg.regimen.id
                for c in run.options
                if set(c.cond_markers) & decided_markers([(rule, nt)], vocab)
            }
        )
        src = f"test.{rule.id}"
        out.append(
            coded(
                kb_text(nt.name, src),
                kb_text(nt.reason, src),
                lang,
                biomarkers=sorted(nt.biomarkers),
                kind="situational" if nt.biomarkers else "rebiopsy",
                decides=decides,
            )
        )
    return out
