"""Recruiting trials as ``clinical_trial`` options in the engine's answer, where the guidelines
would consider a trial (``onconav.trials.gate``, ``knowledge/policy/trials``).

The trials are placed right after the options for now, conditional ones included (before later
and supportive ones) in their own group ``trial``; ranks after them move down and ``tie_with`` follows. Each trial
option says why a trial is considered, that it is investigational, and how many criteria are
met or still to be confirmed. Nothing here changes the engine's own options.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from onconav.engine.answer import China, Option, RankReason, TrialInfo
from onconav.trials.gate import trial_gate
from onconav.trials.options import investigational_label, trial_options_for

if TYPE_CHECKING:
    from onconav.engine import Engine
    from onconav.engine.answer import Answer
    from onconav.kbdata.policy import TrialGateRule

MAX_TRIAL_OPTIONS = 3
# trials come after the options for now, conditional ones included (standard care first)
BEFORE = frozenset({"preferred", "reasonable", "conditional"})

_TEXT = {
    "title": {"en": "Clinical trial {nct}", "zh-hans": "临床试验 {nct}"},
    "why": {
        "en": "A clinical trial is worth discussing here: {reason}.",
        "zh-hans": "此时值得讨论参加临床试验：{reason}。",
    },
    "criteria": {
        "en": "{met} of {total} eligibility criteria met on what you entered; {unknown} to confirm with the trial team.",
        "zh-hans": "根据您填写的信息，{total} 条入组标准中符合 {met} 条；另有 {unknown} 条需与试验团队确认。",
    },
    "demo": {
        "en": "Demo record: not a real trial.",
        "zh-hans": "演示记录：并非真实的临床试验。",
    },
    "group": {"en": "Clinical trials to discuss", "zh-hans": "可讨论的临床试验"},
    "step": {
        "en": "After the active options: the guidelines consider a trial at this point",
        "zh-hans": "排在当前可选治疗之后：指南建议此时考虑临床试验",
    },
}


def _tx(key: str, lang: str, **kw: Any) -> str:
    return _TEXT[key]["zh-hans" if lang == "zh-hans" else "en"].format(**kw)


def _option(trial: dict[str, Any], rule: TrialGateRule, lang: str) -> Option:
    reason = rule.reason.zh if lang == "zh-hans" else rule.reason.en
    why = _tx("why", lang, reason=reason)
    criteria = _tx(
        "criteria",
        lang,
        met=trial["criteria_met"],
        total=trial["criteria_total"],
        unknown=trial["to_confirm"],
    )
    cautions = [investigational_label(lang)]
    if trial["is_demo"]:
        cautions.insert(0, _tx("demo", lang))
    return Option(
        rank=0,
        title=_tx("title", lang, nct=trial["nct_id"]),
        modality="clinical_trial",
        drugs=[],
        setting="any",
        evidence_level="4",
        rationale=[why, criteria],
        outcomes=[],
        cautions=cautions,
        china=China(access="trial_only"),
        references=[f"NCT:{trial['nct_id']}"],
        regimen="clinical-trial-referral",
        evidence=[],
        trace=[f"trials.gate.{rule.id}", "trials.match.no_not_met"],
        badge="clinical_trial_only",
        summary=why,
        group="trial",
        rank_reasons=[RankReason(step=f"trials.gate.{rule.id}", text=_tx("step", lang))],
        trial=TrialInfo.model_validate(trial["trial"]),
    )


def _insert(answer: Answer, extra: list[Option]) -> Answer:
    """``extra`` after the last option of the active groups; ranks and ``tie_with`` renumbered."""
    opts = list(answer.options)
    at = max((i + 1 for i, o in enumerate(opts) if o.group in BEFORE), default=0)
    merged = [*opts[:at], *extra, *opts[at:]]
    new_rank = {o.rank: i + 1 for i, o in enumerate(opts[:at])}
    new_rank.update({o.rank: at + len(extra) + i + 1 for i, o in enumerate(opts[at:])})
    out = []
    for i, o in enumerate(merged):
        if o.modality == "clinical_trial" and o.trial is not None and o.rank == 0:
            out.append(o.model_copy(update={"rank": i + 1}))
        else:
            out.append(
                o.model_copy(
                    update={
                        "rank": new_rank[o.rank],
                        "tie_with": [new_rank[r] for r in o.tie_with if r in new_rank],
                    }
                )
            )
    groups = [g for g in answer.groups if g.get("id") != "trial"]
    pos = max((i + 1 for i, g in enumerate(groups) if g.get("id") in BEFORE), default=0)
    groups.insert(pos, {"id": "trial", "label": _tx("group", answer.language)})
    return answer.model_copy(update={"options": out, "groups": groups})


def with_trials(answer: Answer, profile: dict[str, Any], engine: Engine) -> Answer:
    """The answer with recruiting trials that may fit as ``clinical_trial`` options when a trial
    rule holds (else the answer unchanged)."""
    rule = trial_gate(answer, profile, engine)
    if rule is None:
        return answer
    # only trials with a site recruiting now (not "not yet recruiting")
    trials = [tr for tr in trial_options_for(profile, answer.language) if tr["sites"]][:MAX_TRIAL_OPTIONS]
    if not trials:
        return answer
    return _insert(answer, [_option(tr, rule, answer.language) for tr in trials])
