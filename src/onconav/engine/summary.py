"""Answer step: the one-line profile summary and the patient facts the answer asked about."""

from __future__ import annotations

from onconav.engine.answer import FactOut
from onconav.engine.messages import t
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
        return t("ps_stage", lang, stage=case.stage, group=groups)
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
        parts.append(t("ps_biomarkers", lang, items=sep.join(e.label() for e in prof.biomarkers)))
    if case.advanced_lines:
        drugs = sep.join(drug_label(vocab, d, lang) for d in sorted(case.received))
        parts.append(t("ps_prior", lang, lines=case.advanced_lines, drugs=drugs, next=case.line))
    elif "advanced" in case.stage_groups and case.stage_known:
        parts.append(t("ps_no_prior", lang))
    if case.failed:
        drugs = sep.join(drug_label(vocab, d, lang) for d in sorted(case.failed))
        parts.append(t("ps_failed", lang, drugs=drugs))
    return parts


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
