"""Patient (age, sex), performance status and organ function from coded Observations."""

from __future__ import annotations

from typing import Any

from onconav.fhir.codes import LOINC, codes, date_of, effective, integer, quantity
from onconav.fhir.context import Context

LB_TO_KG = 0.45359237
CREATININE_UMOL_PER_MG_DL = 88.4  # creatinine: 1 mg/dL = 88.4 umol/L


def read_patient(ctx: Context, reference_date: str | None) -> None:
    patients = ctx.of_type("Patient")
    if not patients:
        ctx.note("no_patient")
        return
    if len(patients) > 1:
        ctx.note("several_patients", count=len(patients))
    patient = patients[0]
    ctx.use(patient)
    if patient.get("gender") in ("female", "male", "other"):
        ctx.profile["sex"] = patient["gender"]
    birth = date_of(patient.get("birthDate"))
    if not birth:
        return
    if not reference_date:
        ctx.note("age_no_reference_date")
        return
    age = _years_between(birth, reference_date)
    if age is None:
        ctx.note("birth_date_unreadable", value=patient.get("birthDate"))
    else:
        ctx.profile["age"] = age
        ctx.note("age_at", date=reference_date, age=age)


def _years_between(birth: str, on: str) -> int | None:
    b = [int(p) for p in birth.split("-")]
    o = [int(p) for p in on.split("-")]
    if len(b) < 2 or len(o) < 2:
        age = o[0] - b[0]
    else:
        bd = (b[1], b[2] if len(b) > 2 else 1)
        od = (o[1], o[2] if len(o) > 2 else 28)
        age = o[0] - b[0] - (od < bd)
    return age if 0 <= age <= 130 else None


def _latest(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The Observation with the latest date (the last one given when dates tie or lack)."""
    best, best_date = None, ""
    for obs in items:
        when = effective(obs)[0] or ""
        if best is None or when >= best_date:
            best, best_date = obs, when
    return best


def read_performance(ctx: Context, by_kind: dict[str, list[dict[str, Any]]]) -> None:
    ecog_obs = _latest(by_kind.get("ecog", []))
    if ecog_obs is not None:
        value = _ecog_value(ctx, ecog_obs)
        if value is not None and 0 <= value <= 4:
            ctx.profile["ecog"] = value
        else:
            ctx.note("ecog_out_of_range", value=value if value is not None else "?")
    kps = _latest(by_kind.get("karnofsky", []))
    if kps is not None:
        ctx.note("karnofsky_not_converted", value=integer(kps) if integer(kps) is not None else "?")


def _ecog_value(ctx: Context, obs: dict[str, Any]) -> int | None:
    value = integer(obs)
    if value is not None:
        return value
    answers = ctx.maps.observations.get("ecog_answers", {})
    for concept in [obs.get("valueCodeableConcept"), *(obs.get("interpretation") or [])]:
        for code in codes(concept, LOINC):
            if code in answers:
                return int(answers[code])
    return None


def read_organ_function(ctx: Context, by_kind: dict[str, list[dict[str, Any]]]) -> None:
    of = ctx.organ_function
    lvef = _latest(by_kind.get("lvef", []))
    if lvef is not None and (q := quantity(lvef)) is not None and 0 <= q[0] <= 100:
        of["lvef_percent"] = q[0]
    bili = _latest(by_kind.get("bilirubin", []))
    if bili is not None:
        _bilirubin(ctx, bili)
    _blood_counts(ctx, by_kind)
    measured = _latest(by_kind.get("creatinine_clearance", []))
    if measured is not None and (q := quantity(measured)) is not None:
        of["creatinine_clearance_ml_min"] = round(q[0], 1)
        return
    if not _cockcroft_gault(ctx, by_kind) and by_kind.get("egfr"):
        egfr = _latest(by_kind["egfr"])
        q = quantity(egfr) if egfr else None
        ctx.note("egfr_not_crcl", value=f"{q[0]:g}" if q else "?")


# UCUM units of a blood count (compared in lower case) -> the factor to the profile's unit
# (10^9/L for cells, g/dL for haemoglobin; haemoglobin in mmol/L x 1.611, as the monomer) and the
# largest plausible value in that unit: a count above it is an entry error (an IG example gives
# neutrophils as 3000 x 10^3/uL) and is not used.
_CELLS = {"10*9/l": 1.0, "10*3/ul": 1.0, "10^9/l": 1.0, "k/ul": 1.0, "/ul": 0.001, "/mm3": 0.001}
_COUNT_UNITS: dict[str, tuple[str, dict[str, float], float]] = {
    "platelets": ("platelets_10e9_l", _CELLS, 3000.0),
    "neutrophils": ("neutrophils_10e9_l", _CELLS, 200.0),
    "hemoglobin": ("hemoglobin_g_dl", {"g/dl": 1.0, "g/l": 0.1, "mmol/l": 1.611}, 25.0),
}


def _blood_counts(ctx: Context, by_kind: dict[str, list[dict[str, Any]]]) -> None:
    for kind, (field, units, most) in _COUNT_UNITS.items():
        obs = _latest(by_kind.get(kind, []))
        q = quantity(obs) if obs is not None else None
        if q is None:
            continue
        factor = units.get(q[1].lower())
        if factor is None or not 0 <= q[0] * factor <= most:
            ctx.note("count_not_used", value=f"{q[0]:g} {q[1]}")
            continue
        ctx.organ_function[field] = round(q[0] * factor, 2)


def _bilirubin(ctx: Context, obs: dict[str, Any]) -> None:
    q = quantity(obs)
    high = None
    for rr in obs.get("referenceRange") or []:
        if isinstance(rr, dict) and isinstance(rr.get("high"), dict):
            h = rr["high"].get("value")
            if isinstance(h, int | float) and not isinstance(h, bool) and h > 0:
                high = float(h)
    if q is None or high is None:
        ctx.note("bilirubin_no_uln")
        return
    ctx.organ_function["bilirubin_x_uln"] = round(q[0] / high, 2)


def _weight_kg(obs: dict[str, Any] | None) -> float | None:
    q = quantity(obs) if obs else None
    if q is None:
        return None
    value, unit = q
    unit = unit.lower()
    if unit in ("kg", "kilogram", "kilograms"):
        return value
    if unit in ("[lb_av]", "lb", "lbs", "pound", "pounds"):
        return value * LB_TO_KG
    if unit == "g":
        return value / 1000
    return None


def _creatinine_mg_dl(obs: dict[str, Any] | None) -> float | None:
    q = quantity(obs) if obs else None
    if q is None:
        return None
    value, unit = q
    unit = unit.lower().replace("µ", "u")
    if unit in ("mg/dl",):
        return value
    if unit in ("umol/l", "umol / l"):
        return value / CREATININE_UMOL_PER_MG_DL
    return None


def _cockcroft_gault(ctx: Context, by_kind: dict[str, list[dict[str, Any]]]) -> bool:
    """CrCl estimated from serum creatinine, actual body weight, age and sex (maps/sources.yaml)."""
    creat_obs = _latest(by_kind.get("creatinine", []))
    weight_obs = _latest(by_kind.get("body_weight", []))
    scr, kg = _creatinine_mg_dl(creat_obs), _weight_kg(weight_obs)
    age, sex = ctx.profile.get("age"), ctx.profile.get("sex")
    if creat_obs is None:
        return False
    if scr is None or scr <= 0 or kg is None or age is None or sex not in ("female", "male"):
        ctx.note("crcl_not_estimated")
        return True
    crcl = (140 - age) * kg / (72 * scr) * (0.85 if sex == "female" else 1.0)
    ctx.organ_function["creatinine_clearance_ml_min"] = round(max(crcl, 0.0), 1)
    ctx.note(
        "crcl_estimated",
        crcl=f"{crcl:.0f}",
        creatinine=f"{scr:.2f}",
        weight=f"{kg:.1f}",
        date=effective(creat_obs)[0] or "?",
    )
    return True


def reference_date(ctx: Context, bundle: dict[str, Any]) -> str | None:
    """The date the profile describes: the latest clinical date, else the bundle's timestamp."""
    if ctx.latest:
        return ctx.latest
    for raw in (bundle.get("timestamp"), (bundle.get("meta") or {}).get("lastUpdated")):
        when = date_of(raw)
        if when:
            return when
    return None
