"""Where the guidelines would consider a clinical trial (``knowledge/policy/trials``).

``trial_gate(answer, profile, engine)`` returns the first policy rule that holds for the patient, or
None. When one holds, recruiting trials that may fit join the answer as ``clinical_trial``
options (``onconav.trials.answer``); otherwise they are only listed below it. Pure Python.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from onconav.engine.profile import ProfileError, parse_profile
from onconav.trials.matching import PatientFacts

if TYPE_CHECKING:
    from collections.abc import Callable

    from onconav.engine import Engine
    from onconav.engine.answer import Answer
    from onconav.kbdata.policy import TrialGateRule

STANDARD_LEVELS = frozenset({"1", "1A", "1B", "2", "2A", "2B"})
# conditional options count: standard care that waits on a test result is still standard care
ACTIVE_GROUPS = frozenset({"preferred", "reasonable", "conditional"})
NOT_STANDARD_MODALITIES = frozenset({"supportive_care", "palliative_care", "clinical_trial"})


def has_standard_option(answer: Answer) -> bool:
    """A disease-directed option for now (active or conditional on a test, not for later) with
    level 1-2 evidence."""
    return any(
        o.group in ACTIVE_GROUPS
        and o.modality not in NOT_STANDARD_MODALITIES
        and str(o.evidence_level).upper() in STANDARD_LEVELS
        for o in answer.options
    )


def received_tags(profile: dict[str, Any], engine: Engine) -> set[str]:
    """Class tags of every drug the patient received (INNs, brands and aliases through the
    engine's compiled vocabulary)."""
    vocab = engine.vocab
    tags: set[str] = set()
    for t in profile.get("prior_therapies") or []:
        if not isinstance(t, dict):
            continue
        for drug in t.get("drugs") or []:
            inn = vocab.drug_alias.get(str(drug).strip().lower())
            tags.update(vocab.drug_tags.get(inn, ()) if inn else ())
    return tags


def _holds(rule: TrialGateRule, facts: PatientFacts, tags: Callable[[], set[str]], answer: Answer) -> bool:
    if not set(rule.cancers) & set(facts.lineage):
        return False
    if facts.ecog is not None and facts.ecog > rule.max_ecog:
        return False
    if rule.min_prior_lines and (facts.lines or 0) < rule.min_prior_lines:
        return False
    if rule.after_outcomes:
        last = facts.history[-1]["outcome"] if facts.history else ""
        if last not in rule.after_outcomes:
            return False
    if rule.after_class_tags and not set(rule.after_class_tags) & tags():
        return False
    return not (rule.no_standard_option and has_standard_option(answer))


def trial_gate(answer: Answer, profile: dict[str, Any], engine: Engine) -> TrialGateRule | None:
    """The first rule of the knowledge base's ``policy.trial_gates`` that holds, or None (also
    for a profile the trial matcher cannot read)."""
    gates = engine.kb.policy.trial_gates
    if not gates:
        return None
    try:
        facts = PatientFacts.from_profile(parse_profile(profile))
    except ProfileError:
        return None
    received: list[set[str]] = []  # computed once, only if a rule asks

    def tags() -> set[str]:
        if not received:
            received.append(received_tags(profile, engine))
        return received[0]

    for rule in gates:
        if _holds(rule, facts, tags, answer):
            return rule
    return None
