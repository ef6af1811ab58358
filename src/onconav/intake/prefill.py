"""Carrying a profile from the options page into the intake, so that nothing is typed twice.

The options form's profile (contract v1 with extensions) is turned into the intake's step answers
where a question matches; a step whose answers are complete is marked done, the others keep what
is known and wait for the rest. The whole profile is kept beside the answers
(``answers["options_profile"]``) so that what the intake does not ask (PD-L1 CPS, TMB, surgery
status, tumour size, liver function, currency) still reaches the case's profile."""

from __future__ import annotations

from typing import Any

from onconav.options.forms import EGFR_CHOICES

PROFILE_KEY = "options_profile"
EGFR_VALUES = {v for v, _label in EGFR_CHOICES if v}
VALUE_MARKERS = {"MSI": "msi", "HER2 IHC": "her2", "ER": "er", "PR": "pr"}


def _biomarkers(profile: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    others = []
    for b in profile.get("biomarkers") or []:
        gene, alteration = b.get("gene"), b.get("alteration")
        name, value = b.get("name"), b.get("value")
        if gene == "EGFR" and alteration in EGFR_VALUES and "egfr" not in out:
            out["egfr"] = alteration
        elif gene:
            others.append(f"{gene} {alteration or ''}".strip())
        elif name == "PD-L1 TPS" and value is not None:
            out["pdl1_tps"] = float(value)
        elif name in VALUE_MARKERS and value not in (None, ""):
            out[VALUE_MARKERS[name]] = str(value)
    if others:
        out["other_alterations"] = "\n".join(others)
    return out


def _treatment(profile: dict[str, Any]) -> dict[str, Any]:
    lines = []
    for p in profile.get("prior_therapies") or []:
        drugs = " + ".join(p.get("drugs") or [])
        if drugs:
            reason = f", {p['reason']}" if p.get("reason") else ""
            lines.append(f"{drugs}: {p.get('outcome') or 'progression'}{reason}")
    return {"prior_therapies": "\n".join(lines)} if lines else {}


def answers_from_profile(profile: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The intake step answers a profile gives (only the steps it says something about)."""
    cancer = profile.get("cancer") or {}
    prefs = profile.get("preferences") or {}
    answers: dict[str, dict[str, Any]] = {}
    if cancer.get("oncotree_code"):
        answers["diagnosis"] = {
            "cancer_type": cancer["oncotree_code"],
            "stage": str(cancer.get("stage") or ""),
            "diagnosis_date": None,
            "recurrent_metastatic": bool(cancer.get("recurrent_metastatic")),
        }
    if bio := _biomarkers(profile):
        answers["biomarkers"] = bio
    if treatment := _treatment(profile):
        answers["treatment"] = treatment
    if profile.get("ecog") is not None:
        answers["ecog"] = {"ecog": str(profile["ecog"])}
    if profile.get("sex") in ("female", "male", "other"):
        answers["patient"] = {"sex": profile["sex"]}
    if prefs.get("cities"):
        answers["cities"] = {"cities": list(prefs["cities"])}
    if prefs.get("budget_usd") is not None:
        answers["budget"] = {"budget_usd": int(prefs["budget_usd"])}
    return answers


def complete_steps(answers: dict[str, dict[str, Any]]) -> list[str]:
    """The steps whose carried-over answers pass the step's own form (so they count as done)."""
    from onconav.intake.forms import STEP_BY_SLUG

    done = []
    for slug, values in answers.items():
        spec = STEP_BY_SLUG.get(slug)
        if spec is None:
            continue
        data = {k: v for k, v in values.items() if v not in (None, "")}
        if spec.form(data=data).is_valid():
            done.append(slug)
    return done


def merge_profile(intake_profile: dict[str, Any], options_profile: dict[str, Any] | None) -> dict[str, Any]:
    """The case's profile: the intake's answers win; what only the options page asked is kept."""
    if not options_profile:
        return intake_profile
    merged = {**options_profile, **intake_profile}
    merged["cancer"] = {**(options_profile.get("cancer") or {}), **(intake_profile.get("cancer") or {})}
    prefs = {**(options_profile.get("preferences") or {}), **(intake_profile.get("preferences") or {})}
    if prefs:
        merged["preferences"] = prefs
    extra = [
        b
        for b in options_profile.get("biomarkers") or []
        if b.get("name") in ("PD-L1 CPS", "TMB")
        and not any(x.get("name") == b.get("name") for x in intake_profile.get("biomarkers") or [])
    ]
    if extra or intake_profile.get("biomarkers"):
        merged["biomarkers"] = [*(intake_profile.get("biomarkers") or []), *extra]
    return merged
