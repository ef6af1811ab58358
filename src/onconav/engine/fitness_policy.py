"""Pipeline step 5 (policy part): fitness rules from knowledge/policy/fitness.

Each rule selects options (drugs, class tags, intensity, modality, regimens, cancers) and, when
all its conditions hold for the patient, excludes, demotes or cautions them; the message names
the substitute regimens. ``unless_regimen_has`` keeps a regimen that offers an alternative drug
(cisplatin *or* carboplatin) with the ``alternative`` note; ``if_unknown: caution`` warns when
the conditions cannot be decided. Rule ids appear in the option's ``trace`` as
``fitness.<rule id>``.
"""

from __future__ import annotations

from onconav.engine.fitness import is_driver_targeted
from onconav.engine.model import Candidate, Run
from onconav.engine.msg import Msg, Txt, kb_text
from onconav.kbdata.policy import FitnessRule, Selector


def selects(sel: Selector, c: Candidate) -> bool:
    """Whether the selector picks the candidate's regimen (cancers aside)."""
    reg = c.reg.regimen
    return bool(
        set(sel.drugs) & set(reg.drugs)
        or set(sel.class_tags) & c.reg.tags
        or reg.intensity in sel.intensity
        or reg.modality.value in sel.modality
        or reg.id in sel.regimens
        or c.ev.setting in sel.settings
    )


# regimen id -> the rules whose selector picks it (and the rules tuple it was computed from)
_CACHE: dict[str, tuple[FitnessRule, ...]] = {}
_CACHE_RULES: dict[str, tuple[FitnessRule, ...]] = {}


def _num(x: float | None) -> str:
    return "?" if x is None else f"{x:g}"


def _message(rule: FitnessRule, run: Run, unknown: bool = False) -> Msg:
    """The rule's message (knowledge-base text in both languages), its placeholders filled."""
    case = run.case
    tx = rule.unknown_message if unknown and rule.unknown_message else rule.message
    data = run.facts.data if run.facts is not None else {}
    values = dict(
        age=_num(case.age),
        ecog="?" if case.ecog is None else case.ecog,
        crcl=_num(case.crcl),
        lvef=_num(case.lvef),
        bilirubin=_num(data.get("organ_function.bilirubin_x_uln")),
        platelets=_num(data.get("organ_function.platelets_10e9_l")),
        neutrophils=_num(data.get("organ_function.neutrophils_10e9_l")),
        hemoglobin=_num(data.get("organ_function.hemoglobin_g_dl")),
        what=", ".join(case.comorbidities),
    )
    return kb_text(Txt(tx.en.format(**values), tx.zh.format(**values)), f"fitness.{rule.id}")


def _holds(rule: FitnessRule, run: Run) -> bool | None:
    if run.facts is None:
        return None
    values = [run.facts.condition(cond) for cond in rule.when]
    if any(v is False for v in values):
        return False
    return True if all(v is True for v in values) else None


def apply(c: Candidate, run: Run, rules: tuple[FitnessRule, ...]) -> None:
    """Apply every policy fitness rule that selects ``c`` (the selection is cached per regimen)."""
    key = c.reg.regimen.id
    key = f"{key}|{c.ev.setting}"
    chosen = _CACHE.get(key)
    if chosen is None or _CACHE_RULES.get(key) is not rules:
        chosen = tuple(r for r in rules if selects(r.applies, c))
        _CACHE[key] = chosen
        _CACHE_RULES[key] = rules
    lineage = run.case.lineage
    for rule in chosen:
        if rule.applies.cancers and not set(rule.applies.cancers) & set(lineage):
            continue
        holds = _holds(rule, run)
        rid = f"fitness.{rule.id}"
        if holds is None:
            if rule.if_unknown == "caution":
                c.caution(_message(rule, run, unknown=True))
                c.trace.append(rid)
            continue
        if not holds:
            continue
        msg = _message(rule, run)
        if rule.unless_regimen_has and set(rule.unless_regimen_has) & set(c.reg.regimen.drugs):
            c.caution(kb_text(rule.alternative, f"fitness.{rule.id}") if rule.alternative else msg)
            c.trace.append(rid)
        elif rule.action == "exclude" and not (rule.keep_driver_targeted and is_driver_targeted(c.ev, c.reg)):
            c.exclude(msg, rid)
        elif rule.action == "relative_contraindication":
            c.contraindicate(msg, rid)
            c.trace.append("fitness.relative_contraindication")
        elif rule.action in ("exclude", "demote"):
            c.demote(1, msg, rid)
        else:
            c.caution(msg)
            c.trace.append(rid)
