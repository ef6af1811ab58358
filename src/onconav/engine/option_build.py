"""Answer step: one :class:`Option` from a ranked candidate -- its rationale lines, outcomes,
references, cautions, badge, China access and placement."""

from __future__ import annotations

from onconav.engine import conditions, grouping
from onconav.engine.answer import China, Option, OutcomeOut
from onconav.engine.messages import localise_endpoint, localise_value
from onconav.engine.model import LEVEL_RANK, SUPPORTIVE_MODALITIES, Candidate, text
from onconav.engine.msg import Join, Msg, Txt, codes, kb_text, msg, render_cached, render_unique
from onconav.engine.normalize import Case, Vocabulary, drug_label
from onconav.engine.ranking import best_hr, china_access
from onconav.kbdata.loader import KnowledgeBase
from onconav.kbdata.schema import Evidence


def setting_label(ev: Evidence, case: Case) -> Msg:
    key = f"s_{ev.setting}"
    if ev.setting == "later_line" and case.line < ev.line_min:
        # reached through an early relapse after curative-intent treatment (setting.line_after_curative_failure)
        setting = msg("s_later_line_after_curative")
    elif ev.setting == "later_line":
        setting = msg(key, line=case.line)
    else:
        setting = msg(key)
    if case.stage:
        return msg("setting_with_stage", setting=setting, stage=case.stage)
    groups = [
        g
        for g in ("early", "locally_advanced", "advanced")
        if g in ev.stage_groups and g in case.stage_groups
    ]
    if not groups:
        return setting
    return msg("setting_with_group", setting=setting, group=Join(tuple(msg(f"g_{g}") for g in groups)))


def marker_name(vocab: Vocabulary, bid: str) -> Txt | str:
    b = vocab.biomarker.get(bid)
    return Txt.of(b.name) if b else bid


def _marker_lines(ev: Evidence, case: Case, vocab: Vocabulary) -> list[Msg]:
    """Why the item's biomarker predicates hold."""
    out: list[Msg] = []
    for bid in ev.biomarkers:
        if case.state(bid) is True:
            out.append(msg("r_marker_present", marker=marker_name(vocab, bid)))
    for bid in ev.biomarkers_any:
        if case.state(bid):
            out.append(msg("r_marker_present", marker=marker_name(vocab, bid)))
    for bid in ev.biomarkers_absent:
        if case.state(bid) is False:
            out.append(msg("r_marker_absent", marker=marker_name(vocab, bid)))
    for th in ev.thresholds:
        rng = case.numeric.get(th.marker)
        patient = case.labels.get(th.marker, "") if rng else ""
        out.append(
            msg(
                "r_threshold",
                marker=marker_name(vocab, th.marker),
                op=th.op,
                value=f"{th.value:g}",
                patient=patient,
            )
        )
    return out


def _origin_lines(ev: Evidence, case: Case, kb: KnowledgeBase, vocab: Vocabulary) -> list[Msg]:
    """The cancer the item is written for, and the failure it is written after."""
    out: list[Msg] = []
    cancer = kb.cancer_by_code.get(ev.cancer)
    if cancer is not None and cancer.parent is None:
        out.append(msg("r_agnostic", root=Txt.of(cancer.name)))
    elif cancer is not None:
        name = msg("ps_cancer", name=Txt.of(cancer.name), code=cancer.oncotree_code)
        out.append(msg("r_written_for", cancer=name))
    if ev.after_failure_of:
        tokens = set(ev.after_failure_of)
        failed = sorted(d for d in case.failed if d in tokens or vocab.drug_tags.get(d, frozenset()) & tokens)
        if failed:
            what = Join(tuple(Txt.drug(vocab.drug_zh, d) for d in failed))
        else:
            what = Join(tuple(tok.replace("_", " ") for tok in ev.after_failure_of))
        out.append(msg("r_after_failure", what=what))
    return out


def _setting_lines(c: Candidate, case: Case, label: Msg) -> list[Msg]:
    out: list[Msg] = []
    if c.fit == 2:
        out.append(msg("r_setting_support"))
    elif c.fit == 0:
        out.append(msg("r_setting_fit", setting=label))
    else:
        out.append(msg("r_setting_other", setting=label))
    if "fitness.ps_supportive_first" in c.trace and c.reg.regimen.modality.value in SUPPORTIVE_MODALITIES:
        out.append(msg("r_ps_first", ecog=case.ecog))
    return out


def _ranking_lines(c: Candidate, case: Case, access: str, nrdl: bool | None) -> list[Msg]:
    """Level, benefit, China access, NRDL and cost: the ranking key explained."""
    ev, reg = c.ev, c.reg
    level = ev.level.value
    out: list[Msg] = []
    if level in LEVEL_RANK:
        out.append(msg("r_level", level=level, meaning=msg(f"level_{level}")))
    hr = best_hr(ev)
    if hr is not None:
        o = next(o for o in ev.outcomes if o.hazard_ratio is not None)
        trial = f", {ev.trial}" if ev.trial else ""
        # the endpoint in both languages: the KB's curated Chinese first, else the common names put into Chinese
        endpoint = Txt(o.endpoint, o.endpoint_zh or localise_endpoint(o.endpoint, "zh-hans"))
        out.append(msg("r_benefit", hr=f"{hr:g}", endpoint=endpoint, trial=trial))
    else:
        out.append(msg("r_benefit_none"))
    out.append(msg("r_access", access=msg(f"access_{access}")))
    if reg.regimen.drugs:
        out.append(msg("r_nrdl_yes" if nrdl is True else "r_nrdl_no" if nrdl is False else "r_nrdl_unknown"))
    if case.budget_usd is not None and reg.cost_month is not None:
        over = reg.cost_month * 12 > case.budget_usd
        out.append(msg("r_cost_over" if over else "r_cost_within", cost=reg.cost_month))
    return out


def rationale(
    c: Candidate, case: Case, kb: KnowledgeBase, vocab: Vocabulary, label: Msg, access: str, nrdl: bool | None
) -> list[Msg]:
    """The rationale lines, as messages."""
    out: list[Msg] = []
    if c.ev.summary is not None:
        out.append(kb_text(c.ev.summary, f"evidence.{c.ev.id}"))
    out += _marker_lines(c.ev, case, vocab)
    out += _origin_lines(c.ev, case, kb, vocab)
    out += _setting_lines(c, case, label)
    out += _ranking_lines(c, case, access, nrdl)
    out.extend(c.notes)
    _, demotions = render_unique(c.demotions, case.lang)
    for d in demotions:
        out.append(msg("r_demoted", reason=d))
    if len(c.merged) > 1:
        out.append(msg("r_merged", count=len(c.merged)))
    return out


def outcomes_and_references(c: Candidate, lang: str) -> tuple[list[OutcomeOut], list[str]]:
    """The outcomes and references of every merged item, in order, without repeats."""
    outcomes: list[OutcomeOut] = []
    references: list[str] = []
    for item in c.merged or [c.ev]:
        for o in item.outcomes:
            zh = (
                lang == "zh-hans"
            )  # the KB's curated Chinese first; else common names and units put into Chinese
            out = OutcomeOut(
                endpoint=(zh and o.endpoint_zh) or localise_endpoint(o.endpoint, lang),
                value=(zh and o.value_zh) or localise_value(o.value, lang),
                trial=item.trial,
                reference=o.reference,
                comparator=(zh and o.comparator_zh) or o.comparator,
                hazard_ratio=o.hazard_ratio,
            )
            if out not in outcomes:
                outcomes.append(out)
        for r in item.references:
            if r not in references:
                references.append(r)
    return outcomes, references


def badge(modality: str, access: str, level: str) -> str:
    if modality == "clinical_trial" or access == "trial_only":
        return "clinical_trial_only"
    if modality in SUPPORTIVE_MODALITIES:
        return "supportive_care"
    if level in ("1", "2"):
        return "standard_of_care"
    if access == "approved":
        return "approved_in_china"
    return "investigational"


def build_option(
    rank: int, c: Candidate, case: Case, placement: grouping.Placement, kb: KnowledgeBase, vocab: Vocabulary
) -> Option:
    lang = case.lang
    ev, reg = c.ev, c.reg
    access, _, nmpa, nrdl = china_access(c)
    level = ev.level.value
    label = setting_label(ev, case)
    outcomes, references = outcomes_and_references(c, lang)
    caution_msgs = list(c.cautions)
    if case.budget_usd is not None and reg.cost_month is not None and reg.cost_month * 12 > case.budget_usd:
        caution_msgs.append(msg("c_budget"))
    cautions, caution_msgs = render_unique(caution_msgs, lang)
    why = rationale(c, case, kb, vocab, label, access, nrdl)
    modality = reg.regimen.modality.value
    trace: list[str] = []
    for r in c.trace:
        if r not in trace:
            trace.append(r)
    return Option(
        rank=rank,
        title=text(reg.regimen.name, lang),
        modality=modality,
        drugs=list(reg.regimen.drugs),
        setting=render_cached(label, lang),
        setting_code=codes([label])[0],  # memoised: the same few setting lines recur
        evidence_level=level,
        rationale=[render_cached(m, lang) for m in why],
        outcomes=outcomes,
        cautions=cautions,
        china=China(
            nmpa_approved=nmpa,
            nrdl_reimbursed=nrdl,
            approx_cost_usd_per_month=reg.cost_month,
            access=access,
            boao_only=access == "boao_only",
        ),
        references=references,
        regimen=reg.regimen.id,
        evidence=[e.id for e in (c.merged or [ev])],
        trace=trace,
        badge=badge(modality, access, level),
        summary=text(ev.summary, lang),
        guideline=ev.guideline,
        drug_names=[drug_label(vocab, d, lang) for d in reg.regimen.drugs],
        group=placement.group,
        condition=conditions.condition_of(c, kb, vocab, lang),
        rank_reasons=placement.reasons,
        tie_with=placement.tie_with,
        preference=placement.preference,
        caution_codes=codes(caution_msgs),
        rationale_codes=codes(why),
    )
