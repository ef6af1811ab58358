"""The options engine as the web and API layers use it: one compiled engine per process."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings

from onconav.engine import Answer, Engine, ProfileError
from onconav.kbdata.loader import load_knowledge_base

_lock = threading.Lock()
_engine: Engine | None = None


def engine_get() -> Engine:
    """The engine over the knowledge base at KNOWLEDGE_BASE_PATH, built once per process."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = Engine(load_knowledge_base(settings.KNOWLEDGE_BASE_PATH))
    return _engine


def engine_reset() -> None:
    global _engine
    _engine = None


def options_for_profile(*, profile: dict[str, Any], lang: str = "en") -> Answer:
    """Raises ProfileError (with field errors) for a profile that cannot be understood. Where the
    guidelines would consider a trial (knowledge/policy/trials), recruiting trials that may fit
    join the answer as ``clinical_trial`` options (docs/trials.md)."""
    from onconav.trials.answer import with_trials

    engine = engine_get()
    answer = engine.recommend(profile, lang="zh-hans" if lang.lower().startswith("zh") else "en")
    return with_trials(answer, profile, engine)


__all__ = [
    "ProfileError",
    "answer_groups",
    "condition_notes_once",
    "engine_get",
    "engine_reset",
    "option_hospitals",
    "options_for_profile",
    "options_joined",
]


# --- the joined answer: options with their groups and the hospitals that deliver them -------

GROUP_ORDER = ("preferred", "reasonable", "conditional", "trial", "failed_before", "later", "supportive")
NO_HOSPITAL_MODALITIES = frozenset({"supportive_care", "palliative_care"})
HOSPITALS_PER_OPTION = 3


def option_hospitals(
    answer: Answer, profile: dict[str, Any], *, limit: int = HOSPITALS_PER_OPTION
) -> dict[int, list[dict[str, Any]]]:
    """For each option (by rank): the hospitals known to deliver it, in the patient's preferred
    cities when they gave any (else anywhere), best fit first, at most ``limit``. Supportive and
    palliative care are given everywhere: no list. Each hospital carries ``in_preferred_city``."""
    from urllib.parse import quote

    from django.urls import reverse

    from onconav.hospitals.directory import directory
    from onconav.hospitals.matching import needed_capabilities
    from onconav.hospitals.selectors import _lineage

    prefs = profile.get("preferences") or {}
    cities = [str(c) for c in prefs.get("cities") or []]
    langs = {str(x).lower() for x in prefs.get("languages") or []}
    d = directory()
    # hospitals for adults in general, or whose special audience fits this patient
    audiences = d.audiences_for(
        age=profile.get("age"), lineage=_lineage(str((profile.get("cancer") or {}).get("oncotree_code", "")))
    )
    # the hospital page's address, resolved once (then quoted as reverse() quotes)
    url = reverse("hospitals:detail", kwargs={"hospital_id": "HOSPITAL-ID"})
    head, tail = url.split("HOSPITAL-ID")
    out: dict[int, list[dict[str, Any]]] = {}
    for o in answer.options:
        if o.modality in NO_HOSPITAL_MODALITIES or o.trial is not None:  # a trial lists its own sites
            out[o.rank] = []
            continue
        # Only hospitals recorded as offering every need can be listed, ranked by the points of
        # ``hospital_match`` (the same order as ranking every hospital and keeping the able ones).
        needs = needed_capabilities(modalities=[o.modality], regimens=[o.regimen])
        if not needs:
            out[o.rank] = []
            continue
        chosen = d.choose(needs, audiences=audiences, cities=cities, languages=langs, limit=limit)
        out[o.rank] = [
            {
                "id": h.key,
                "name": h.name,
                "name_zh": h.name_zh or None,
                "city": h.city,
                "url": head + quote(h.key, safe="!$&'()*+,;=/~:@") + tail,
                "in_preferred_city": h.city in cities,
            }
            for h in chosen
        ]
    return out


def answer_groups(answer: Answer) -> list[dict[str, Any]]:
    """The answer's options in their groups, in the engine's group order (``answer.groups``),
    else in the documented order; a group without options is left out."""
    from onconav.pages.labels import label

    order = [g.get("id", "") for g in answer.groups] or list(GROUP_ORDER)
    order += [g for g in GROUP_ORDER if g not in order]
    order += [o.group for o in answer.options if o.group not in order]
    given = {g.get("id"): g.get("label") for g in answer.groups}
    groups = []
    for gid in dict.fromkeys(order):
        opts = [o for o in answer.options if o.group == gid]
        if opts:
            groups.append(
                {
                    "id": gid,
                    "label": given.get(gid) or label("group", gid),
                    "intro": label("group_intro", gid),
                    "options": opts,
                }
            )
    return groups


def condition_notes_once(answer: Answer, groups: list[dict[str, Any]]) -> dict[int, str]:
    """The co-occurrence note of conditional options, each note once: {rank: note} for the first
    option (in the order shown) that carries it, and for none when the answer's warnings, shown
    above the options, already say it. (The engine gives the note on every option it explains.)"""
    seen = set(answer.warnings or [])
    out: dict[int, str] = {}
    for g in groups:
        for o in g["options"]:
            note = o.condition.note if o.condition else None
            if note and note not in seen:
                out[o.rank] = note
                seen.add(note)
    return out


def options_joined(*, profile: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """The patient's answer joined up: the engine's options in their groups, each with the
    hospitals that deliver it (raises ProfileError like ``options_for_profile``)."""
    answer = options_for_profile(profile=profile, lang=lang)
    groups = answer_groups(answer)
    return {
        "answer": answer,
        "groups": groups,
        "condition_notes": condition_notes_once(answer, groups),
        "hospitals": option_hospitals(answer, profile),
        "currency": ((profile.get("preferences") or {}).get("currency") or "").upper() or None,
    }


def trial_options(profile: dict[str, Any], lang: str, answer: Answer | None = None) -> list[dict[str, Any]]:
    """Recruiting trials that may fit, shown below the engine's answer ("Clinical trials that may
    fit"): ``clinical_trial`` options from the trials app (docs/trials.md), less those the answer
    already carries as options."""
    from onconav.trials.options import trial_options_for

    shown = {o.trial.nct_id for o in answer.options if o.trial} if answer is not None else set()
    return [t for t in trial_options_for(profile, lang) if t["nct_id"] not in shown]
