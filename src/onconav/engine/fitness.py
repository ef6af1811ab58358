"""Pipeline step: built-in fitness checks, per item (called from ``generate``): ECOG, intensity,
age, organ function, Child-Pugh, tumour size, comorbidities."""

from __future__ import annotations

import re

from onconav.engine.model import SUPPORTIVE_MODALITIES, Candidate, RegimenInfo, Run
from onconav.engine.msg import Join, kb_text, msg
from onconav.engine.normalize import Case
from onconav.kbdata.schema import Evidence

CARDIOTOXIC_TAGS = frozenset({"anti_her2_antibody", "anthracycline"})
# Comorbidity fitness rules (cautions only): (words in the comorbidity text, applies to
# intensities or class tags, message key). Kept small and generic on purpose.
COMORBIDITY_RULES: tuple[tuple[tuple[str, ...], frozenset[str], str], ...] = (
    (
        (
            "heart failure",
            "copd",
            "dialysis",
            "kidney failure",
            "renal failure",
            "cirrhosis",
            "stroke",
            "myocardial infarction",
            "frail",
            "dementia",
            "心衰",
            "慢阻肺",
            "透析",
            "肝硬化",
        ),
        frozenset({"intensity:high", "intensity:very_high"}),
        "c_comorbidity_intensive",
    ),
    (
        (
            "autoimmune",
            "lupus",
            "rheumatoid",
            "crohn",
            "ulcerative colitis",
            "interstitial lung",
            "ild",
            "pneumonitis",
            "organ transplant",
            "自身免疫",
            "间质性肺",
        ),
        frozenset({"checkpoint_inhibitor"}),
        "c_comorbidity_io",
    ),
    (
        ("hepatitis b", "hbv", "乙肝", "乙型肝炎"),
        frozenset({"checkpoint_inhibitor", "anti_cd20", "chemotherapy", "car_t"}),
        "c_comorbidity_hbv",
    ),
)
_COMORBIDITY_PATTERNS = tuple(
    (re.compile("|".join(rf"(?<![a-z]){re.escape(w)}(?![a-z])" for w in words)), applies, key)
    for words, applies, key in COMORBIDITY_RULES
)


def is_driver_targeted(ev: Evidence, reg: RegimenInfo) -> bool:
    return reg.regimen.modality.value == "targeted_therapy" and bool(ev.biomarkers or ev.biomarkers_any)


def _fitness(c: Candidate, case: Case, run: Run) -> None:
    """The built-in fitness checks, in order (the order of the cautions they add)."""
    _performance(c, case)
    _intensity(c, case)
    _organs(c, case)
    _liver_and_tumour(c, case, run)
    _comorbidity(c, case)
    for tx in c.ev.cautions:
        c.caution(kb_text(tx, f"evidence.{c.ev.id}"))


def _performance(c: Candidate, case: Case) -> None:
    """Operability for surgery, ECOG above the item's limit, ECOG 3-4."""
    ev, reg = c.ev, c.reg
    modality = reg.regimen.modality.value
    ecog = case.ecog
    supportive = modality in SUPPORTIVE_MODALITIES or ev.setting == "supportive"
    if modality == "surgery" and (case.operable is False or case.resectable is False):
        c.exclude(msg("x_inoperable"), "operability.surgery")
    if ecog is not None and ecog > ev.ecog_max:
        if ecog >= 3 and is_driver_targeted(ev, reg):
            c.demote(1, msg("c_ps_targeted", ecog=ecog), "fitness.ps_targeted_kept")
        else:
            c.exclude(msg("x_ecog", ecog=ecog, max=ev.ecog_max), "fitness.ecog")
    if ecog is not None and ecog >= 3 and not supportive and not c.exclusions:
        if is_driver_targeted(ev, reg):
            c.demote(1, msg("c_ps_targeted", ecog=ecog), "fitness.ps_targeted_kept")
        else:
            c.demote(1, msg("c_ecog_intensive", ecog=ecog), "fitness.ps_supportive_first")


def _intensity(c: Candidate, case: Case) -> None:
    """Very-high intensity (CAR-T, transplant) and high intensity against ECOG and age."""
    intensity = c.reg.regimen.intensity
    ecog = case.ecog
    if intensity == "very_high":
        if ecog is not None and ecog >= 3:
            c.exclude(msg("x_very_high_ps"), "fitness.very_high")
        elif ecog == 2 and case.age is not None and case.age >= 75:
            # two risk factors together: limited performance status and advanced age
            c.exclude(msg("x_very_high_frail", ecog=ecog, age=_num(case.age)), "fitness.very_high")
        elif ecog == 2:
            c.demote(1, msg("c_very_high_ecog", ecog=ecog), "fitness.very_high")
        if ecog is None:
            c.caution(msg("c_very_high_ecog_unknown"))
        if case.age is not None and case.age >= 70:
            c.caution(msg("c_very_high_age", age=_num(case.age)))
        c.caution(msg("c_very_high_organ"))
    elif intensity == "high":
        if ecog == 2:
            c.demote(1, msg("c_ecog_intensive", ecog=ecog), "fitness.high_ecog2")
        if case.age is not None and case.age >= 75:
            c.demote(1, msg("c_age_intensive", age=_num(case.age)), "fitness.high_age75")


def _organs(c: Candidate, case: Case) -> None:
    """Kidney function with cisplatin, heart function with cardiotoxic classes."""
    reg = c.reg
    if case.crcl is not None and case.crcl < 45 and "cisplatin" in reg.regimen.drugs:
        c.caution(msg("c_crcl_cisplatin", crcl=_num(case.crcl)))
        c.trace.append("fitness.crcl_cisplatin")
    if case.lvef is not None and case.lvef < 50 and reg.tags & CARDIOTOXIC_TAGS:
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


def _comorbidity(c: Candidate, case: Case) -> None:
    """Comorbidity keywords (English or Chinese) add cautions only (COMORBIDITY_RULES)."""
    if not case.comorbidities:
        return
    keys = set(c.reg.tags) | {f"intensity:{c.reg.regimen.intensity}"}
    for pattern, applies, key in _COMORBIDITY_PATTERNS:
        if not applies & keys:
            continue
        hits = [cm for cm in case.comorbidities if pattern.search(cm.lower())]
        if hits:
            c.caution(msg(key, what=Join(tuple(hits))))
            if "fitness.comorbidity" not in c.trace:
                c.trace.append("fitness.comorbidity")


def _num(x: float) -> str:
    return f"{x:g}"
