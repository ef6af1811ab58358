"""Pipeline step 3, ``facts``: patient facts from knowledge/policy/facts, three-valued.

A fact is True, False or None (unknown). An ``explicit`` profile field wins; otherwise its
``all`` / ``any`` conditions decide, with the ``false_when`` grey zone and ``if_unknown``
(docs/engine.md, "Facts"). Evidence items name facts in ``requires`` / ``requires_not``.

The engine's view of a profile (``view``) maps the dotted field paths of
``onconav.kbdata.policy.FIELDS`` to values, including the ``derived.*`` line data (months from
the end of the last failed line to relapse, platinum-free interval, last outcome, best
response, what was received, failed, refractory). Unknown stays None: nothing here reads
today's date, so answers stay deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from onconav.engine.normalize import Case, Vocabulary
from onconav.engine.profile import FAILED_OUTCOMES, Profile
from onconav.engine.stage_priors import refractory_line
from onconav.kbdata.policy import Condition, Fact
from onconav.kbdata.policy_loader import Policy

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
PLATINUM = frozenset({"cisplatin", "carboplatin", "oxaliplatin", "nedaplatin", "lobaplatin"})


@dataclass(frozen=True)
class FactValue:
    value: bool | None
    derived: bool  # estimated from other fields, not stated (an explicit field was absent)


def months(date: str | None) -> float | None:
    """``YYYY[-MM[-DD]]`` as months since year 0 (mid-month / mid-year when parts are missing)."""
    if not date:
        return None
    m = DATE_RE.match(date.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    mo = int(month) if month else 6.5
    d = int(day) if day else 15
    return year * 12 + (mo - 1) + (d - 1) / 30.0


def _interval(start: str | None, end: str | None) -> float | None:
    a, b = months(start), months(end)
    if a is None or b is None or b < a:
        return None
    return round(b - a, 1)


def _line_data(vocab: Vocabulary, profile: Profile) -> dict[str, Any]:
    """The ``derived.*`` values read from the prior therapies."""
    priors = list(profile.prior_therapies)
    received: set[str] = set()
    failed: set[str] = set()
    refractory: set[str] = set()
    to_relapse: float | None = None
    pfi: float | None = profile.cancer.platinum_free_interval_months
    last_outcome = last_best = None
    for i, p in enumerate(priors):
        inns = {vocab.drug_alias.get(d.strip().lower(), d.strip().lower()) for d in p.drugs}
        tags = set().union(*(vocab.drug_tags.get(d, frozenset()) for d in inns)) if inns else set()
        received |= inns | tags
        progressed = p.progression_date or (priors[i + 1].start if i + 1 < len(priors) else None)
        if p.outcome in FAILED_OUTCOMES:
            failed |= inns | tags
            gap = _interval(p.end, progressed)
            if gap is None and p.end is None and p.progression_date and p.setting in _ADJUVANT_LIKE:
                gap = 0.0  # relapse during adjuvant-type treatment (no end): 0 months after it
            if gap is not None:
                to_relapse = gap
            if inns & PLATINUM and profile.cancer.platinum_free_interval_months is None and gap is not None:
                pfi = gap
        if refractory_line(priors, i):
            refractory |= inns | tags
        if p.outcome is not None:
            last_outcome = p.outcome.value
        if p.best_response is not None:
            last_best = p.best_response.value
    return {
        "derived.neoadjuvant_given": neoadjuvant_given(priors),
        "derived.definitive_given": any(p.setting in DEFINITIVE_SETTINGS for p in priors),
        "derived.months_to_relapse": to_relapse,
        "derived.platinum_free_interval_months": pfi,
        "derived.last_outcome": last_outcome,
        "derived.last_best_response": last_best,
        "derived.received": sorted(received),
        "derived.failed": sorted(failed),
        "derived.refractory": sorted(refractory),
    }


# curative-intent settings whose relapse with no end date recorded is a relapse while on the
# treatment (anastrozole from 2022-12, relapse 2026-10 "while still on anastrozole")
_ADJUVANT_LIKE = frozenset({"adjuvant", "neoadjuvant", "perioperative"})
PRE_SURGERY_SETTINGS = frozenset({"neoadjuvant", "perioperative"})
DEFINITIVE_SETTINGS = frozenset({"definitive", "chemoradiation", "curative"})


def neoadjuvant_given(priors: list[Any]) -> bool | None:
    """True when a prior therapy was given before surgery; False when the history records none
    (every line has another stated setting, or no prior therapy is listed); None when a line of
    unstated setting could have been."""
    if any(p.setting in PRE_SURGERY_SETTINGS for p in priors):
        return True
    return False if all(p.setting for p in priors) else None


def view(vocab: Vocabulary, profile: Profile, case: Case) -> dict[str, Any]:
    """The profile as the dotted paths policy conditions read."""
    c = profile.cancer
    stage = (c.stage or "").upper().replace("STAGE", "").strip() or None
    v: dict[str, Any] = {
        "age": profile.age,
        "sex": profile.sex.value if profile.sex else None,
        "ecog": profile.ecog,
        "smoking": profile.smoking.value if profile.smoking else None,
        "menopausal_status": profile.menopausal_status.value if profile.menopausal_status else None,
        "child_pugh": case.child_pugh,
        "operable": profile.operable,
        "transplant_eligible": profile.transplant_eligible,
        "comorbidities": list(case.comorbidities),
        "organ_function.creatinine_clearance_ml_min": case.crcl,
        "organ_function.bilirubin_x_uln": profile.organ_function.bilirubin_x_uln,
        "organ_function.lvef_percent": case.lvef,
        **{f"organ_function.{k}": v for k, v in _counts(profile, case).items()},
        "cancer.stage": stage if case.stage_known else None,
        "cancer.stage_group": sorted(case.stage_groups) if case.stage_known else None,
        "cancer.resected": case.resected,
        "cancer.resectable": case.resectable,
        "cancer.castration_status": c.castration_status.value if c.castration_status else None,
        "cancer.platinum_sensitivity": c.platinum_sensitivity.value if c.platinum_sensitivity else None,
        "cancer.metastatic_sites": [s.lower() for s in c.metastatic_sites] or None,
        "cancer.residual_disease": c.residual_disease,
        "cancer.histologic_transformation": (c.histologic_transformation or "").lower() or None,
        "cancer.left_sided_primary": c.left_sided_primary,
        "derived.line": case.line,
        "derived.prior_lines": case.advanced_lines,
        "derived.had_radiotherapy": case.had_radiotherapy,
    }
    for name, value in case.risk_from_biomarkers.items():
        for system in vocab.risk_systems.get(name, (name,)):
            v[f"cancer.risk_groups.{system}"] = value.lower() if isinstance(value, str) else value
    for system, value in c.risk_groups.items():
        v[f"cancer.risk_groups.{system}"] = value.lower() if isinstance(value, str) else value
    v.update(_line_data(vocab, profile))
    return v


def _counts(profile: Profile, case: Case) -> dict[str, float | None]:
    """Blood counts: organ_function, else a count written as a biomarker entry."""
    of = profile.organ_function
    given = {
        "platelets_10e9_l": of.platelets_10e9_l,
        "neutrophils_10e9_l": of.neutrophils_10e9_l,
        "hemoglobin_g_dl": of.hemoglobin_g_dl,
    }
    return {k: v if v is not None else case.counts_from_biomarkers.get(k) for k, v in given.items()}


def _words(value: Any) -> list[str]:
    return [str(x).lower() for x in (value if isinstance(value, list) else [value])]


def _compare(have: Any, op: str, want: Any) -> bool | None:
    if have is None:
        return None
    if op == "keywords":
        text = " ".join(_words(have))
        pats = [re.escape(w.lower()) for w in _words(want)]
        return bool(re.search("|".join(rf"(?<![a-z]){p}(?![a-z])" for p in pats), text))
    if op in ("in", "contains"):
        wants = set(_words(want))
        haves = set(_words(have))
        return (
            bool(wants & haves) if op == "contains" or isinstance(have, list) else str(have).lower() in wants
        )
    if isinstance(want, int | float) and not isinstance(want, bool):
        x = _number(have)
        if x is None:
            return None
        return {
            "<": x < want,
            "<=": x <= want,
            ">": x > want,
            ">=": x >= want,
            "==": x == want,
            "!=": x != want,
        }[op]
    same = str(have).lower() == str(want).lower()
    return same if op == "==" else not same if op == "!=" else None


_NUMBER = re.compile(r"\s*(\d+(?:\.\d+)?)\s*%?\s*")


def _number(have: Any) -> float | None:
    """A number, also written as text with a percent sign ("15%", "15 %")."""
    if isinstance(have, bool):
        return None
    if isinstance(have, int | float):
        return float(have)
    m = _NUMBER.fullmatch(str(have))
    return float(m.group(1)) if m else None


def _and(values: list[bool | None]) -> bool | None:
    if any(v is False for v in values):
        return False
    return True if all(v is True for v in values) else None


def _or(values: list[bool | None]) -> bool | None:
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


class FactBook:
    """Evaluates the policy's facts for one patient (memoised, cycle-safe)."""

    def __init__(self, policy: Policy, data: dict[str, Any], case: Case, origins: dict[str, str]):
        self.policy = policy
        self.data = data
        self.case = case
        self.origins = origins
        self.values: dict[str, FactValue] = {}

    def condition(self, cond: Condition, stack: tuple[str, ...] = ()) -> bool | None:
        if cond.fact:
            fv = self.get(cond.fact, stack)
            out = fv.value
        elif cond.biomarker:
            out = self.case.state(cond.biomarker)
            if out is True and cond.origin is not None:
                got = self.origins.get(cond.biomarker)
                out = None if got is None else got == cond.origin
        else:
            assert cond.field is not None and cond.op is not None
            out = _compare(self.data.get(cond.field), cond.op, cond.value)
        if out is None or not cond.negate:
            return out
        return not out

    def get(self, fid: str, stack: tuple[str, ...] = ()) -> FactValue:
        if fid in self.values:
            return self.values[fid]
        fact = self.policy.fact_by_id.get(fid)
        if fact is None or fid in stack:
            return FactValue(None, False)
        fv = self._evaluate(fact, (*stack, fid))
        self.values[fid] = fv
        return fv

    def _evaluate(self, fact: Fact, stack: tuple[str, ...]) -> FactValue:
        if fact.explicit and self.data.get(fact.explicit) is not None:
            return FactValue(bool(self.data[fact.explicit]), False)
        parts: list[bool | None] = []
        if fact.all:
            parts.append(_and([self.condition(c, stack) for c in fact.all]))
        if fact.any:
            parts.append(_or([self.condition(c, stack) for c in fact.any]))
        value = _and(parts) if parts else None
        if fact.false_when and value is not True:
            value = False if _or([self.condition(c, stack) for c in fact.false_when]) is True else None
        if value is None and fact.if_unknown == "false":
            value = False
        return FactValue(value, bool(fact.explicit))

    def origin_facts(self, biomarker: str, origin: str) -> list[str]:
        """The facts that test ``biomarker`` with ``origin`` ("the BRCA mutation is germline"):
        an item written for that origin waits on them while the origin is not given."""
        return [
            f.id
            for f in self.policy.facts
            if any(c.biomarker == biomarker and c.origin == origin for c in (*f.all, *f.any))
        ]

    def check(self, requires: list[str], requires_not: list[str]) -> tuple[bool, list[str]]:
        """(no fact contradicts, fact ids still unknown) for an evidence item."""
        unknown: list[str] = []
        for fid in requires:
            v = self.get(fid).value
            if v is False:
                return False, []
            if v is None:
                unknown.append(fid)
        for fid in requires_not:
            v = self.get(fid).value
            if v is True:
                return False, []
            if v is None:
                unknown.append(fid)
        return True, unknown
