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

from onconav.engine.facts import PLATINUM
from onconav.engine.normalize import Vocabulary
from onconav.engine.profile import Outcome, Profile

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
