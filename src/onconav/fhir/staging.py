"""Stage group Observations (mCODE TNM stage group, other staging systems) and Condition.stage ->
cancer.stage / cancer.risk_groups; different stages warned, naming each and where it came from."""

from __future__ import annotations

import re
from typing import Any

from onconav.fhir.codes import NCIT, SNOMED, codes, effective, label, reference_id
from onconav.fhir.context import Context

# Which stage wins when several are recorded: pathological (after surgery), then clinical, then
# the Condition's stage summary, then a stage carried by the condition code; the latest within one.
EARLIER_THAN_IV = re.compile(r"^(0|I{1,3})(?![V])")
BASIS_ORDER = {"pathological": 0, "clinical": 1, "other": 2, "condition": 3, "code": 4}


def stage_value(ctx: Context, concept: Any) -> dict[str, str] | None:
    """{"value": "IIIC"} or {"risk": "R-ISS", "value": "II"} or {"value": "FIGO IIIA", "scheme": ...}."""
    ajcc = ctx.maps.staging.get("snomed_ajcc", {}).get("codes", {})
    for code in codes(concept, SNOMED):
        if code in ajcc:
            return {"value": str(ajcc[code])}
    ncit = ctx.maps.staging.get("ncit", {}).get("codes", {})
    for code in codes(concept, NCIT):
        hit = ncit.get(code)
        if hit and "risk" in hit:
            return {"risk": str(hit["risk"]), "value": str(hit["value"])}
        if hit:
            stage = str(hit["stage"])
            return {"value": stage, "scheme": stage.split(" ", 1)[0]}
    return None


def read_stage_observations(ctx: Context, by_kind: dict[str, list[dict[str, Any]]]) -> None:
    for kind in ("stage_group", "stage_other"):
        for obs in by_kind.get(kind, []):
            _stage_observation(ctx, obs)


def _stage_observation(ctx: Context, obs: dict[str, Any]) -> None:
    if ctx.primary_id and not _about_primary(ctx, obs):
        ctx.note("stage_other_condition", code=label(obs.get("valueCodeableConcept")))
        return
    value = stage_value(ctx, obs.get("valueCodeableConcept"))
    if value is None:
        ctx.note("stage_unmapped", code=label(obs.get("valueCodeableConcept")))
        return
    info = _kind_of(ctx, obs)
    ctx.stages.append(
        {
            **value,
            "basis": info.get("basis", "other"),
            "where": label(obs.get("code")),
            "date": effective(obs)[0] or "",
        }
    )


def _kind_of(ctx: Context, obs: dict[str, Any]) -> dict[str, Any]:
    for code in codes(obs.get("code")):
        hit = ctx.maps.observation_kind(code)
        if hit:
            return hit
    return {}


def _about_primary(ctx: Context, obs: dict[str, Any]) -> bool:
    """True unless the Observation's focus names another Condition than the primary cancer."""
    focus = [reference_id(f) for f in obs.get("focus") or []]
    focus = [f for f in focus if f]
    return not focus or ctx.primary_id in focus


def resolve_stage(ctx: Context) -> None:
    if not ctx.stages:
        return
    schemes = ctx.maps.staging.get("schemes", {})
    usable = []
    for st in ctx.stages:
        scheme = st.get("scheme") or st.get("risk")
        if scheme and ctx.organ not in schemes.get(scheme, []):
            ctx.note("stage_scheme_mismatch", stage=_text(st), where=st["where"])
            continue
        if "risk" in st:
            ctx.cancer.setdefault("risk_groups", {})[st["risk"]] = st["value"]
            continue
        usable.append(st)
    if not usable:
        return
    usable.sort(key=lambda s: (BASIS_ORDER.get(s["basis"], 9), _neg_date(s["date"])))
    chosen = usable[0]
    ctx.cancer["stage"] = chosen["value"]
    if ctx.cancer.get("recurrent_metastatic") and EARLIER_THAN_IV.match(chosen["value"]):
        ctx.note("stage_below_metastases", stage=chosen["value"])
    different = [s for s in usable[1:] if s["value"] != chosen["value"]]
    for other in different:
        ctx.note(
            "stage_conflict",
            used=_text(chosen),
            used_where=chosen["where"],
            used_basis=chosen["basis"],
            other=_text(other),
            other_where=other["where"],
            other_basis=other["basis"],
        )


def _text(st: dict[str, str]) -> str:
    return f"{st['risk']} {st['value']}" if "risk" in st else st["value"]


def _neg_date(date: str) -> str:
    """Sort key: later dates first."""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in date) if date else "\U0010ffff"
