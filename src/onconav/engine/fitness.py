"""Pipeline step: built-in fitness checks, per item (called from ``generate``): ECOG, intensity,
age, organ function, Child-Pugh, tumour size, comorbidities.

The thresholds, drug lists, class tags and keywords are clinical policy, read from
``knowledge/policy/fitness-builtin.yaml`` (``BuiltinFitness``) and compiled once per engine
(:class:`Builtin`); this module keeps only the mechanics (which check runs in which order, which
message and trace id each outcome gives)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from onconav.engine.model import SUPPORTIVE_MODALITIES, Candidate, RegimenInfo, Run
from onconav.engine.msg import Join, kb_text, msg
from onconav.engine.normalize import Case
from onconav.kbdata.policy_builtin import BuiltinFitness
from onconav.kbdata.schema import Evidence


@dataclass(frozen=True)
class Builtin:
    """The built-in fitness policy, compiled: the data model plus the lookup sets and the
    comorbidity patterns (whole words, English or Chinese)."""

    policy: BuiltinFitness
    kidney_drugs: frozenset[str]
    heart_tags: frozenset[str]
    comorbidity: tuple[tuple[re.Pattern[str], frozenset[str], str, str], ...]

    @classmethod
    def compile(cls, policy: BuiltinFitness) -> Builtin:
        patterns = tuple(
            (
                re.compile("|".join(rf"(?<![a-z]){re.escape(w)}(?![a-z])" for w in r.keywords)),
                frozenset(
                    {*r.class_tags, *(f"intensity:{i}" for i in r.intensity), *(f"drug:{d}" for d in r.drugs)}
                ),
                r.message,
                r.action,
            )
            for r in policy.comorbidity
        )
        return cls(policy, frozenset(policy.kidney.drugs), frozenset(policy.heart.class_tags), patterns)


def is_driver_targeted(ev: Evidence, reg: RegimenInfo) -> bool:
    return reg.regimen.modality.value == "targeted_therapy" and bool(ev.biomarkers or ev.biomarkers_any)


def _fitness(c: Candidate, case: Case, run: Run) -> None:
    """The built-in fitness checks, in order (the order of the cautions they add)."""
    b = run.builtin
    if b is None:
        raise ValueError("no built-in fitness policy (knowledge/policy/fitness-builtin.yaml)")
    _performance(c, case, b)
    _intensity(c, case, b)
    _organs(c, case, b)
    _liver_and_tumour(c, case, run)
    _comorbidity(c, case, b)
    for tx in c.ev.cautions:
        c.caution(kb_text(tx, f"evidence.{c.ev.id}"))


def _performance(c: Candidate, case: Case, b: Builtin) -> None:
    """Operability for surgery, ECOG above the item's limit, poor performance status."""
    ev, reg = c.ev, c.reg
    poor = b.policy.performance.poor_ecog
    modality = reg.regimen.modality.value
    ecog = case.ecog
    supportive = modality in SUPPORTIVE_MODALITIES or ev.setting == "supportive"
    if modality == "surgery" and (case.operable is False or case.resectable is False):
        c.exclude(msg("x_inoperable"), "operability.surgery")
    if ecog is not None and ecog > ev.ecog_max:
        if ecog >= poor and is_driver_targeted(ev, reg):
            c.demote(1, msg("c_ps_targeted", ecog=ecog), "fitness.ps_targeted_kept")
        else:
            c.exclude(msg("x_ecog", ecog=ecog, max=ev.ecog_max), "fitness.ecog")
    if ecog is not None and ecog >= poor and not supportive and not c.exclusions:
        if is_driver_targeted(ev, reg):
            c.demote(1, msg("c_ps_targeted", ecog=ecog), "fitness.ps_targeted_kept")
        else:
            c.demote(1, msg("c_ecog_intensive", ecog=ecog), "fitness.ps_supportive_first")


def _intensity(c: Candidate, case: Case, b: Builtin) -> None:
    """Very-high intensity (CAR-T, transplant) and high intensity against ECOG and age."""
    intensity = c.reg.regimen.intensity
    ecog, age = case.ecog, case.age
    if intensity == "very_high":
        vh = b.policy.very_high
        if ecog is not None and ecog >= vh.exclude_ecog:
            c.exclude(msg("x_very_high_ps"), "fitness.very_high")
        elif ecog in vh.demote_ecog and age is not None and age >= vh.frail_age:
            # two risk factors together: limited performance status and advanced age
            c.exclude(msg("x_very_high_frail", ecog=ecog, age=_num(age)), "fitness.very_high")
        elif ecog in vh.demote_ecog:
            c.demote(1, msg("c_very_high_ecog", ecog=ecog), "fitness.very_high")
        if ecog is None:
            c.caution(msg("c_very_high_ecog_unknown"))
        if age is not None and age >= vh.caution_age:
            c.caution(msg("c_very_high_age", age=_num(age)))
        c.caution(msg("c_very_high_organ"))
    elif intensity == "high":
        hi = b.policy.high
        if ecog in hi.demote_ecog:
            c.demote(1, msg("c_ecog_intensive", ecog=ecog), "fitness.high_ecog2")
        if age is not None and age >= hi.demote_age:
            c.demote(1, msg("c_age_intensive", age=_num(age)), "fitness.high_age75")


def _organs(c: Candidate, case: Case, b: Builtin) -> None:
    """Kidney function with cisplatin, heart function with cardiotoxic classes."""
    reg = c.reg
    pol = b.policy
    if (
        case.crcl is not None
        and case.crcl < pol.kidney.below
        and not b.kidney_drugs.isdisjoint(reg.regimen.drugs)
    ):
        c.caution(msg("c_crcl_cisplatin", crcl=_num(case.crcl)))
        c.trace.append("fitness.crcl_cisplatin")
    if case.lvef is not None and case.lvef < pol.heart.below and reg.tags & b.heart_tags:
        c.caution(msg("c_lvef", lvef=_num(case.lvef)))
        c.trace.append("fitness.lvef")


def _liver_and_tumour(c: Candidate, case: Case, run: Run) -> None:
    """Child-Pugh class and tumour size / count limits of the item."""
    ev = c.ev
    if ev.child_pugh:
        classes = "/".join(ev.child_pugh)
        if case.child_pugh is None:
            c.caution(msg("c_child_pugh_unknown", classes=classes))
            run.need_child_pugh.add(classes)
        elif case.child_pugh not in ev.child_pugh:
            c.exclude(msg("x_child_pugh", cp=case.child_pugh, classes=classes), "fitness.child_pugh")
        else:
            c.trace.append("fitness.child_pugh")
    if ev.max_tumor_size_cm is not None:
        if case.tumor_size_cm is None:
            c.caution(msg("c_size_unknown", size=_num(ev.max_tumor_size_cm)))
        elif case.tumor_size_cm > ev.max_tumor_size_cm:
            c.exclude(msg("x_size", size=_num(ev.max_tumor_size_cm)), "fitness.tumor_size")
    if ev.max_tumor_count is not None:
        if case.tumor_count is None:
            c.caution(msg("c_count_unknown", count=ev.max_tumor_count))
        elif case.tumor_count > ev.max_tumor_count:
            c.exclude(msg("x_count", count=ev.max_tumor_count), "fitness.tumor_size")


def _comorbidity(c: Candidate, case: Case, b: Builtin) -> None:
    """Comorbidity keywords (English or Chinese) add cautions (``comorbidity`` rules), or demote
    the option for a rule with ``action: demote`` (trace ``fitness.comorbidity_demote``); with
    ``action: relative_contraindication`` it is also ranked after every option that is not
    contraindicated, conditional ones included (``fitness.relative_contraindication``)."""
    if not case.comorbidities:
        return
    keys = (
        set(c.reg.tags)
        | {f"intensity:{c.reg.regimen.intensity}"}
        | {f"drug:{d}" for d in c.reg.regimen.drugs}
    )
    for pattern, applies, key, action in b.comorbidity:
        if not applies & keys:
            continue
        hits = [cm for cm in case.comorbidities if pattern.search(cm.lower())]
        if hits and action == "exclude":
            c.exclude(msg(key, what=Join(tuple(hits))), "fitness.comorbidity_exclude")
        elif hits and action == "relative_contraindication":
            c.contraindicate(msg(key, what=Join(tuple(hits))), "fitness.comorbidity_demote")
            c.trace.append("fitness.relative_contraindication")
        elif hits and action == "demote":
            c.demote(1, msg(key, what=Join(tuple(hits))), "fitness.comorbidity_demote")
        elif hits:
            c.caution(msg(key, what=Join(tuple(hits))))
            if "fitness.comorbidity" not in c.trace:
                c.trace.append("fitness.comorbidity")


def _num(x: float) -> str:
    return f"{x:g}"
