"""Unused inputs (docs/engine.md, "Unused inputs"): anything the profile said that the engine
could not use is listed in ``answer.unused_inputs`` with the reason, never silently dropped."""

from __future__ import annotations

import re

from onconav.engine.answer import UnusedInput
from onconav.engine.messages import t
from onconav.engine.normalize import Case
from onconav.engine.profile import Profile
from onconav.kbdata.policy_loader import Policy


def comorbidity_words(policy: Policy) -> tuple[str, ...]:
    """Every comorbidity keyword a rule reads (policy facts and fitness rules, built-in cautions)."""
    builtin = policy.fitness_builtin
    words: set[str] = {w for r in builtin.comorbidity for w in r.keywords} if builtin else set()
    conditions = [c for f in policy.facts for c in (*f.all, *f.any, *f.false_when)]
    conditions += [c for r in policy.fitness for c in r.when]
    for c in conditions:
        if c.field == "comorbidities" and isinstance(c.value, list):
            words |= {str(w).lower() for w in c.value}
        elif c.field == "comorbidities" and isinstance(c.value, str):
            words.add(c.value.lower())
    return tuple(sorted(words))


def words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern for every comorbidity keyword a rule reads (built once per engine)."""
    return re.compile("|".join(rf"(?<![a-z]){re.escape(w)}(?![a-z])" for w in words) or r"(?!x)x")


def collect(profile: Profile, case: Case, words: re.Pattern[str], unknown: list[str]) -> list[UnusedInput]:
    lang = case.lang
    out: list[UnusedInput] = []
    for f in unknown:
        out.append(UnusedInput(field=f, value=f, reason=t("u_field", lang)))
    for field_name, value, reason in case.unused:
        out.append(UnusedInput(field=field_name, value=value, reason=t(reason, lang)))
    for cm in case.comorbidities:
        if not words.search(cm.lower()):
            out.append(UnusedInput(field="comorbidities", value=cm, reason=t("u_comorbidity", lang)))
    prefs = profile.preferences
    for name, value in (
        ("preferences.cities", ", ".join(prefs.cities)),
        ("preferences.insurance", prefs.insurance or ""),
        ("preferences.languages", ", ".join(prefs.languages)),
    ):
        if value:
            out.append(UnusedInput(field=name, value=value, reason=t("u_preference", lang)))
    return out
