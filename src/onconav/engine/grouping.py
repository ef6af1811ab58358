"""Pipeline step 10, ``group``, and the ranking explanation (docs/engine.md, "Groups").

Groups, in the order the answer lists them (``rank`` stays the global order):

* ``preferred``   the top active options that are equivalent choices (level 1-2, primary setting,
                  not demoted, not waiting on a result);
* ``reasonable``  other active options for now;
* ``conditional`` options waiting on an unknown test result or patient fact;
* ``failed_before`` options that repeat a treatment that already failed: every drug failed,
                  itself or as a class that fails together (not an option for now; clinical
                  trials, group ``trial`` added by ``onconav.trials.answer``, come before them);
* ``later``       options for progression (later-line while the current line works, maintenance
                  before a response);
* ``supportive``  supportive and palliative care, alongside treatment.
"""

from __future__ import annotations

from dataclasses import dataclass

from onconav.engine.answer import RankReason
from onconav.engine.messages import t
from onconav.engine.model import LEVEL_RANK, SUPPORTIVE_MODALITIES, Candidate, Run
from onconav.engine.msg import Join, Msg, codes, msg, render
from onconav.engine.ranking import china_access, evidence_key, matched_standard

GROUP_ORDER = ("preferred", "reasonable", "conditional", "failed_before", "later", "supportive")


@dataclass
class Placement:
    group: str
    reasons: list[RankReason]
    tie_with: list[int]
    preference: dict[str, str] | None


def is_supportive(c: Candidate) -> bool:
    return c.reg.regimen.modality.value in SUPPORTIVE_MODALITIES or c.ev.setting == "supportive"


def _group(c: Candidate) -> str:
    if is_supportive(c):
        return "supportive"
    if c.fit == 1 and c.ev.setting in ("later_line", "maintenance"):
        return "later"  # for progression (or after a response), even when it also waits on a result
    if c.repeats_failure:
        return "failed_before"  # repeats what already failed: after the options for now
    if c.conditional:
        return "conditional"
    return "reasonable"


def _preference(c: Candidate, lang: str) -> dict[str, str] | None:
    p = c.ev.preference
    if p is None:
        return None
    nccn = t(f"pref_nccn_{p.nccn}", lang)
    csco = t(f"pref_csco_{p.csco}", lang)
    return {"nccn": p.nccn, "csco": p.csco, "label": t("rr_preference", lang, nccn=nccn, csco=csco)}


_REASONS: dict[tuple[str, Msg, str], RankReason] = {}


def _reason(step: str, m: Msg, lang: str) -> RankReason:
    """The rank reason, rendered and coded; memoised (few distinct reasons, frozen models)."""
    key = (step, m, lang)
    r = _REASONS.get(key)
    if r is None:
        if len(_REASONS) >= 4096:
            _REASONS.clear()
        r = _REASONS[key] = RankReason(step=step, text=render(m, lang), code=codes([m])[0])
    return r


def _reasons(c: Candidate, lang: str) -> list[RankReason]:
    out: list[tuple[str, Msg]] = []
    fit_key = ("rr_setting_fit", "rr_setting_other", "rr_setting_support")[c.fit]
    out.append(("setting_fit", msg(fit_key)))
    if c.tier:
        out.append(("fitness_tier", msg("rr_tier_failed" if c.tier == 2 else "rr_tier_demoted")))
    if c.conditional:
        key = {True: "rr_condition_likely", False: "rr_condition_unlikely"}.get(c.likely, "rr_condition_open")  # type: ignore[arg-type]
        if c.awaits_test and c.likely is None:
            key = "rr_condition_awaiting"
        out.append(("condition", msg(key)))
    if matched_standard(c.ev) == 0:
        out.append(("matched_standard", msg("rr_matched")))
    out.append(("level", msg("rr_level", level=c.ev.level.value)))
    p = c.ev.preference
    if p is not None:
        out.append(
            (
                "preference",
                msg("rr_preference", nccn=msg(f"pref_nccn_{p.nccn}"), csco=msg(f"pref_csco_{p.csco}")),
            )
        )
    access, _, _, nrdl = china_access(c)
    if access != "not_applicable":
        out.append(("china_access", msg("rr_access", access=msg(f"access_{access}"))))
        yn = msg("yes" if nrdl else "no" if nrdl is False else "unknown")
        out.append(("nrdl", msg("rr_nrdl", nrdl=yn)))
    return [_reason(step, m, lang) for step, m in out]


def place(run: Run, lang: str) -> list[Placement]:
    """Group, ranking reasons and ties for ``run.options`` (in rank order)."""
    opts = run.options
    keys = [evidence_key(c) for c in opts]
    supportive = [is_supportive(c) for c in opts]
    same: dict[tuple, list[int]] = {}  # type: ignore[type-arg]  # positions by key, ascending
    for j, k in enumerate(keys):
        same.setdefault(k, []).append(j)
    ties: list[list[int]] = [
        [j + 1 for j in same[k] if j != i and not supportive[j]] for i, k in enumerate(keys)
    ]
    groups = [_group(c) for c in opts]
    # preferred: the first active option and its equivalents, when standard (level 1-2, tier 0)
    first = next((i for i, g in enumerate(groups) if g == "reasonable"), None)
    if first is not None:
        c = opts[first]
        if c.fit == 0 and c.tier == 0 and LEVEL_RANK.get(c.ev.level.value, 9) <= LEVEL_RANK["2"]:
            for i, k in enumerate(keys):
                if groups[i] == "reasonable" and k == keys[first]:
                    groups[i] = "preferred"
    out: list[Placement] = []
    for i, c in enumerate(opts):
        reasons = _reasons(c, lang)
        if ties[i] and not supportive[i]:
            ranks = Join(tuple(str(r) for r in ties[i]))
            reasons.append(_reason("tie", msg("rr_tie", ranks=ranks), lang))
        out.append(
            Placement(
                group=groups[i],
                reasons=reasons,
                tie_with=ties[i] if not supportive[i] else [],
                preference=_preference(c, lang),
            )
        )
    return out


def group_labels(used: set[str], lang: str) -> list[dict[str, str]]:
    return [{"id": g, "label": t(f"grp_{g}", lang)} for g in GROUP_ORDER if g in used]
