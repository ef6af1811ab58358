"""Pipeline step 10, ``group``, and the ranking explanation (docs/engine.md, "Groups").

Groups, in the order the answer lists them (``rank`` stays the global order):

* ``preferred``   the top active options that are equivalent choices (level 1-2, primary setting,
                  not demoted, not waiting on a result);
* ``reasonable``  other active options for now;
* ``conditional`` options waiting on an unknown test result or patient fact;
* ``later``       options for progression (later-line while the current line works, maintenance
                  before a response);
* ``supportive``  supportive and palliative care, alongside treatment.
"""

from __future__ import annotations

from dataclasses import dataclass

from onconav.engine.answer import RankReason
from onconav.engine.messages import t
from onconav.engine.rules import (
    LEVEL_RANK,
    SUPPORTIVE_MODALITIES,
    Candidate,
    Run,
    china_access,
    evidence_key,
    matched_standard,
)

GROUP_ORDER = ("preferred", "reasonable", "conditional", "later", "supportive")


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


def _reasons(c: Candidate, lang: str) -> list[RankReason]:
    out: list[RankReason] = []
    fit_key = ("rr_setting_fit", "rr_setting_other", "rr_setting_support")[c.fit]
    out.append(RankReason(step="setting_fit", text=t(fit_key, lang)))
    if c.tier:
        out.append(
            RankReason(
                step="fitness_tier", text=t("rr_tier_failed" if c.tier == 2 else "rr_tier_demoted", lang)
            )
        )
    if c.conditional:
        key = {True: "rr_condition_likely", False: "rr_condition_unlikely"}.get(c.likely, "rr_condition_open")  # type: ignore[arg-type]
        out.append(RankReason(step="condition", text=t(key, lang)))
    if matched_standard(c.ev) == 0:
        out.append(RankReason(step="matched_standard", text=t("rr_matched", lang)))
    out.append(RankReason(step="level", text=t("rr_level", lang, level=c.ev.level.value)))
    pref = _preference(c, lang)
    if pref is not None:
        out.append(RankReason(step="preference", text=pref["label"]))
    access, _, _, nrdl = china_access(c)
    if access != "not_applicable":
        out.append(
            RankReason(step="china_access", text=t("rr_access", lang, access=t(f"access_{access}", lang)))
        )
        yn = t("yes" if nrdl else "no" if nrdl is False else "unknown", lang)
        out.append(RankReason(step="nrdl", text=t("rr_nrdl", lang, nrdl=yn)))
    return out


def place(run: Run, lang: str) -> list[Placement]:
    """Group, ranking reasons and ties for ``run.options`` (in rank order)."""
    opts = run.options
    keys = [evidence_key(c) for c in opts]
    ties: list[list[int]] = []
    for i, k in enumerate(keys):
        ties.append(
            [j + 1 for j, other in enumerate(keys) if j != i and other == k and not is_supportive(opts[j])]
        )
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
        if ties[i] and not is_supportive(c):
            ranks = t("list_sep", lang).join(str(r) for r in ties[i])
            reasons.append(RankReason(step="tie", text=t("rr_tie", lang, ranks=ranks)))
        out.append(
            Placement(
                group=groups[i],
                reasons=reasons,
                tie_with=ties[i] if not is_supportive(c) else [],
                preference=_preference(c, lang),
            )
        )
    return out


def group_labels(used: set[str], lang: str) -> list[dict[str, str]]:
    return [{"id": g, "label": t(f"grp_{g}", lang)} for g in GROUP_ORDER if g in used]
