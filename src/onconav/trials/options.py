"""Trials for a profile, in the shape the options page, the case view and the API show.

``trial_options_for(profile, lang)`` returns only trials without any ``not_met`` criterion whose
conditions cover the patient's cancer, as ``clinical_trial`` options: NCT id, phase, status,
investigational label, sites (open ones first, China first), and ``trial`` in the shape of the
engine answer's ``TrialInfo`` so that the engine can carry them as options.
"""

from __future__ import annotations

from typing import Any

from onconav.engine.profile import ProfileError, parse_profile
from onconav.trials.matching import OPEN_SITE_STATUSES, PatientFacts, match_trials

INVESTIGATIONAL = {
    "en": "Investigational: a research study. The treatment is not approved for this use; taking part is voluntary and the trial team decides who can join.",
    "zh": "试验性治疗：这是一项临床研究。该治疗尚未获批用于此用途；是否参加完全自愿，能否入组由试验团队决定。",
}


def investigational_label(lang: str) -> str:
    return INVESTIGATIONAL["zh" if lang.lower().startswith("zh") else "en"]


def trial_options_for(profile: Any, lang: str = "en", *, limit: int = 5) -> list[dict[str, Any]]:
    """``clinical_trial`` options for the profile (empty when the profile is invalid or nothing fits)."""
    from onconav.trials.selectors import compiled_trials

    try:
        facts = PatientFacts.from_profile(parse_profile(profile))
    except ProfileError:
        return []
    trials = compiled_trials()
    related = {t.nct_id for t in trials if set(t.condition_codes) & set(facts.lineage)}
    out = []
    for t in match_trials(facts, [t for t in trials if t.nct_id in related], lang=lang):
        if t["not_met"]:
            continue
        open_sites = [s for s in t["sites"] if s["status"].upper() in OPEN_SITE_STATUSES]
        met = sum(1 for c in t["criteria"] if c["verdict"] == "met")
        out.append(
            {
                "modality": "clinical_trial",
                "nct_id": t["nct_id"],
                "title": t["title"],
                "phase": t["phase"],
                "status": t["status"],
                "to_confirm": t["unknown"],
                "criteria_met": met,
                "criteria_total": len(t["criteria"]),
                "sites": open_sites[:5],
                "label": investigational_label(lang),
                # The engine answer's TrialInfo shape (engine/answer.py), for a clinical_trial option.
                "trial": {
                    "nct_id": t["nct_id"],
                    "phase": t["phase"] or None,
                    "status": t["status"] or None,
                    "met": met,
                    "unknown": t["unknown"],
                    "not_met": t["not_met"],
                    "sites": [
                        {k: (s.get(k) or None) for k in ("facility", "city", "country", "status", "contact")}
                        for s in open_sites[:5]
                    ],
                    "label": "investigational",
                },
                "is_demo": t["is_demo"],
                "intervention_kinds": t["intervention_kinds"],
            }
        )
        if len(out) >= limit:
            break
    return out
