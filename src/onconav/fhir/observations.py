"""Observations sorted by code into kinds (maps/observations.yaml), and tumour marker tests
(mCODE TumorMarkerTest LOINC codes) -> biomarkers."""

from __future__ import annotations

import re
from typing import Any

from onconav.fhir.codes import LOINC, codes, integer, label, quantity
from onconav.fhir.context import Context
from onconav.fhir.genomics import read_msi, read_tmb, read_variant

IHC_RE = re.compile(r"^\s*([0-3])\s*\+?\s*$")
SKIP_STATUS = {"entered-in-error", "cancelled"}


def by_kind(ctx: Context) -> dict[str, list[dict[str, Any]]]:
    """Observations grouped by what they are; markers under "marker"."""
    out: dict[str, list[dict[str, Any]]] = {}
    for obs in ctx.of_type("Observation"):
        if obs.get("status") in SKIP_STATUS:
            ctx.use(obs)
            continue
        kind = _kind(ctx, obs)
        if kind:
            out.setdefault(kind, []).append(obs)
    return out


def _kind(ctx: Context, obs: dict[str, Any]) -> str | None:
    for code in codes(obs.get("code")):
        hit = ctx.maps.observation_kind(code)
        if hit:
            return str(hit["kind"])
        if ctx.maps.marker(code):
            return "marker"
    return None


def read_genomics_and_markers(ctx: Context, kinds: dict[str, list[dict[str, Any]]]) -> None:
    for obs in kinds.get("variant", []):
        read_variant(ctx, obs)
    for obs in kinds.get("tmb", []):
        read_tmb(ctx, obs)
    for obs in kinds.get("msi", []):
        read_msi(ctx, obs)
    for obs in kinds.get("marker", []):
        _marker(ctx, obs)


def _marker(ctx: Context, obs: dict[str, Any]) -> None:
    entry = None
    for code in codes(obs.get("code"), LOINC):
        entry = ctx.maps.marker(code)
        if entry:
            break
    if entry is None:  # pragma: no cover - sorted into "marker" by its code
        return
    value = _marker_value(ctx, obs, entry)
    if value is None:
        ctx.note("marker_no_value", code=label(obs.get("code")))
        return
    ctx.use(obs)
    if entry.get("gene"):
        alteration = str(entry.get("positive", "positive")) if value == "positive" else "negative"
        if value not in ("positive", "negative"):
            ctx.note("marker_no_value", code=label(obs.get("code")))
            return
        item: dict[str, Any] = {"gene": entry["gene"], "alteration": alteration}
    else:
        name = str(entry["name"])
        if name.startswith("HER2") and isinstance(value, str) and IHC_RE.match(value):
            name = "HER2 IHC"
        item = {"name": name, "value": value}
        if entry.get("unit") and isinstance(value, float):
            item["unit"] = entry["unit"]
    if item not in ctx.biomarkers:
        ctx.biomarkers.append(item)


def _marker_value(ctx: Context, obs: dict[str, Any], entry: dict[str, Any]) -> float | str | None:
    q = quantity(obs)
    if q is not None:
        return q[0]
    for code in codes(obs.get("valueCodeableConcept")):
        hit = ctx.maps.answer(code)
        if hit in ("positive", "present"):
            return "positive"
        if hit in ("negative", "absent"):
            return "negative"
    if str(entry.get("name", "")).startswith("HER2"):
        n = integer(obs)
        raw = str(n) if n is not None else obs.get("valueString")
        m = IHC_RE.match(raw) if isinstance(raw, str) else None
        if m:
            return "0" if m.group(1) == "0" else f"{m.group(1)}+"
    return None
