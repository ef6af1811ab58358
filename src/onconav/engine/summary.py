"""Answer step: the one-line profile summary and the patient facts the answer asked about."""

from __future__ import annotations

import re

from onconav.engine.answer import FactOut
from onconav.engine.messages import MESSAGES, t
from onconav.engine.model import Run, text
from onconav.engine.normalize import Case, Vocabulary, drug_label
from onconav.engine.profile import Profile
from onconav.kbdata.loader import KnowledgeBase


def facts_out(run: Run, kb: KnowledgeBase) -> list[FactOut]:
    """The patient facts the evidence items of this answer asked about."""
    if run.facts is None:
        return []
    out = []
    for fid in sorted(run.facts.values):
        fact = kb.policy.fact_by_id.get(fid)
        if fact is None:
            continue
        fv = run.facts.values[fid]
        out.append(FactOut(id=fid, label=text(fact.label, run.case.lang), value=fv.value, derived=fv.derived))
    return out


def _stage_part(case: Case) -> str:
    lang = case.lang
    groups = t("list_sep", lang).join(
        t(f"g_{g}", lang) for g in ("early", "locally_advanced", "advanced") if g in case.stage_groups
    )
    if case.stage and case.stage_known:
        word = "sw_" + case.stage.strip().lower().replace(" ", "_").replace("-", "_")
        if word in MESSAGES:  # "recurrent", "extensive", "newly diagnosed": a word, not a stage number
            return t("ps_stage_word", lang, stage=t(word, lang), group=groups)
        return t("ps_stage", lang, stage=re.sub(r"\s*期$", "", case.stage), group=groups)
    if case.stage_known:
        return t("ps_stage_groups", lang, groups=groups)
    return t("ps_stage_unknown", lang)


def _treatment_parts(prof: Profile, case: Case, vocab: Vocabulary) -> list[str]:
    """ECOG, Child-Pugh, biomarkers and prior treatment."""
    lang = case.lang
    sep = t("list_sep", lang)
    parts: list[str] = []
    if prof.ecog is not None:
        parts.append(t("ps_ecog", lang, ecog=prof.ecog))
    if prof.child_pugh is not None:
        parts.append(t("ps_child_pugh", lang, cp=prof.child_pugh.value))
    if prof.biomarkers:
        items = [_biomarker_label(e.label(), case, vocab) for e in prof.biomarkers]
        parts.append(t("ps_biomarkers", lang, items=sep.join(dict.fromkeys(items))))
    if case.advanced_lines:
        drugs = sep.join(drug_label(vocab, d, lang) for d in sorted(case.received))
        parts.append(t("ps_prior", lang, lines=case.advanced_lines, drugs=drugs, next=case.line))
    elif "advanced" in case.stage_groups and case.stage_known:
        parts.append(t("ps_no_prior", lang))
    if case.failed:
        drugs = sep.join(drug_label(vocab, d, lang) for d in sorted(case.failed))
        parts.append(t("ps_failed", lang, drugs=drugs))
    return parts


def _biomarker_label(label: str, case: Case, vocab: Vocabulary) -> str:
    """A result as the profile stated it, or in Chinese answers the KB's Chinese name of what
    was read from it ("ER positive" -> "雌激素受体（ER）阳性"; a negative -> "HER2阴性")."""
    if case.lang == "en":
        return label
    read = [bid for bid, lab in case.labels.items() if lab == label and bid in vocab.biomarker]
    names = []
    for bid in sorted(read):
        b = vocab.biomarker[bid]
        if b.value_type == "numeric":
            return label  # a measured value reads the same in both languages
        if bid in case.present:
            names.append(text(b.name, case.lang))
        elif bid in case.absent:
            names.append(
                t("ps_marker_negative", case.lang, marker=text(b.condition_name or b.name, case.lang))
            )
    return t("list_sep", case.lang).join(dict.fromkeys(names)) if names else label


def profile_summary(prof: Profile, case: Case, kb: KnowledgeBase, vocab: Vocabulary) -> str:
    lang = case.lang
    sep = t("list_sep", lang)
    parts: list[str] = []
    first: list[str] = []
    if prof.age is not None:
        first.append(t("ps_age", lang, age=f"{prof.age:g}"))
    if prof.sex is not None:
        first.append(t(f"ps_sex_{prof.sex.value}", lang))
    if first:
        parts.append(sep.join(first))
    cancer = kb.cancer_by_code[case.code]
    parts.append(t("ps_cancer", lang, name=text(cancer.name, lang), code=case.code))
    parts.append(_stage_part(case))
    if case.resected:
        parts.append(t("ps_resected", lang))
    if case.operable is False:
        parts.append(t("ps_inoperable", lang))
    parts += _treatment_parts(prof, case, vocab)
    return t("part_sep", lang).join(parts)
