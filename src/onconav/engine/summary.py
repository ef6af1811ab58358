"""Answer step: the one-line profile summary and the patient facts the answer asked about."""

from __future__ import annotations

import re

from onconav.engine.answer import FactOut
from onconav.engine.biomarkers import PENDING_RE, pending
from onconav.engine.messages import MESSAGES
from onconav.engine.model import Run, text
from onconav.engine.msg import Join, Msg, Txt, msg, render
from onconav.engine.normalize import Case, Vocabulary
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


def _stage_part(case: Case) -> Msg:
    groups = Join(
        tuple(msg(f"g_{g}") for g in ("early", "locally_advanced", "advanced") if g in case.stage_groups)
    )
    if case.stage and case.stage_known:
        word = "sw_" + case.stage.strip().lower().replace(" ", "_").replace("-", "_")
        if word in MESSAGES:  # "recurrent", "extensive", "newly diagnosed": a word, not a stage number
            return msg("ps_stage_word", stage=msg(word), group=groups)
        return msg("ps_stage", stage=re.sub(r"\s*期$", "", case.stage), group=groups)
    if case.stage_known:
        return msg("ps_stage_groups", groups=groups)
    return msg("ps_stage_unknown")


def _drugs(vocab: Vocabulary, inns: set[str]) -> Join:
    return Join(tuple(Txt.drug(vocab.drug_zh, d) for d in sorted(inns)))


def _treatment_parts(prof: Profile, case: Case, vocab: Vocabulary) -> list[Msg]:
    """ECOG, Child-Pugh, biomarkers and prior treatment."""
    parts: list[Msg] = []
    if prof.ecog is not None:
        parts.append(msg("ps_ecog", ecog=prof.ecog))
    if prof.child_pugh is not None:
        parts.append(msg("ps_child_pugh", cp=prof.child_pugh.value))
    if prof.biomarkers:
        items = [
            msg("ps_pending", label=_without_status(e.label()))
            if pending(e)
            else _biomarker_label(e.label(), case, vocab)
            for e in prof.biomarkers
        ]
        parts.append(msg("ps_biomarkers", items=Join(tuple(dict.fromkeys(items)))))
    if case.advanced_lines:
        parts.append(
            msg("ps_prior", lines=case.advanced_lines, drugs=_drugs(vocab, case.received), next=case.line)
        )
    elif "advanced" in case.stage_groups and case.stage_known:
        parts.append(msg("ps_no_prior"))
    if case.failed:
        parts.append(msg("ps_failed", drugs=_drugs(vocab, case.failed)))
    return parts


def _without_status(label: str) -> str:
    """The marker a pending entry names, without the status words ("EGFR L858R pending" -> "EGFR
    L858R"): the summary adds "(no result yet)" in the answer's language."""
    return re.sub(r"\s{2,}", " ", PENDING_RE.sub("", label)).strip(" :,;-()（）") or label


def _biomarker_label(label: str, case: Case, vocab: Vocabulary) -> Txt:
    """A result as the profile stated it (English), and in Chinese the KB's Chinese name of what
    was read from it ("ER positive" -> "雌激素受体（ER）阳性"; a negative -> "HER2阴性")."""
    read = [bid for bid, lab in case.labels.items() if lab == label and bid in vocab.biomarker]
    names: list[str] = []
    for bid in sorted(read):
        b = vocab.biomarker[bid]
        if b.value_type == "numeric":
            return Txt(label, label)  # a measured value reads the same in both languages
        if bid in case.present:
            names.append(text(b.name, "zh-hans"))
        elif bid in case.absent:
            names.append(
                render(msg("ps_marker_negative", marker=Txt.of(b.condition_name or b.name)), "zh-hans")
            )
    return Txt(label, render(msg("list_sep"), "zh-hans").join(dict.fromkeys(names)) if names else label)


def profile_summary_msg(prof: Profile, case: Case, kb: KnowledgeBase, vocab: Vocabulary) -> Msg:
    """The one-line profile summary as a message (rendered by the answer step in one language;
    its code is ``answer.profile_summary_code``)."""
    parts: list[Msg | Join] = []
    first: list[Msg] = []
    if prof.age is not None:
        first.append(msg("ps_age", age=f"{prof.age:g}"))
    if prof.sex is not None:
        first.append(msg(f"ps_sex_{prof.sex.value}"))
    if first:
        parts.append(Join(tuple(first)))
    cancer = kb.cancer_by_code[case.code]
    parts.append(msg("ps_cancer", name=Txt.of(cancer.name), code=case.code))
    parts.append(_stage_part(case))
    if case.resected:
        parts.append(msg("ps_resected"))
    if case.operable is False:
        parts.append(msg("ps_inoperable"))
    parts += _treatment_parts(prof, case, vocab)
    return msg("ps_summary", parts=Join(tuple(parts), "part_sep"))


def profile_summary(prof: Profile, case: Case, kb: KnowledgeBase, vocab: Vocabulary) -> str:
    return render(profile_summary_msg(prof, case, kb, vocab), case.lang)
