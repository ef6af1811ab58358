"""mCODE / FHIR R4 Bundle -> OncoNav patient profile (pure Python, no Django).

``import_bundle(bundle, kb=None)`` returns an :class:`ImportResult`: the profile dict and the
notes (warnings as message keys + parameters, rendered in English or Chinese). The importer maps
by code (SNOMED CT, ICD-10, ICD-O-3, LOINC, HGNC, HGVS, RxNorm, the mCODE value sets), never by
display text; every code table is data with its sources (``maps/*.yaml``). Every resource it does
not use is counted in the notes. Docs: docs/fhir.md.

``bundle_to_profile(bundle, kb=None, lang="en")`` keeps the old interface: (profile, warnings).
``parse_bundle_bytes(raw)`` reads an uploaded file with a size limit (:data:`MAX_BUNDLE_BYTES`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from onconav.fhir.clinical import read_organ_function, read_patient, read_performance, reference_date
from onconav.fhir.codes import label
from onconav.fhir.conditions import read_conditions, read_histology_observations, read_metastasis_history
from onconav.fhir.context import Context, Note, index
from onconav.fhir.messages import render_all
from onconav.fhir.observations import by_kind, read_genomics_and_markers
from onconav.fhir.staging import read_stage_observations, resolve_stage
from onconav.fhir.therapy import build_prior_therapies

MAX_BUNDLE_BYTES = 25 * 1024 * 1024  # a Synthea record of several MB fits; 25 MB is the limit
MAX_ENTRIES = 100_000
UNUSED_EXAMPLES = 8


class BundleError(ValueError):
    """A file that cannot be imported; ``key`` / ``params`` render in both languages."""

    MESSAGES = {
        "too_large": {
            "en": "The file is {size} MB; FHIR bundles up to {limit} MB are accepted.",
            "zh": "文件大小为 {size} MB；只接受不超过 {limit} MB 的 FHIR 数据包。",
        },
        "too_many_entries": {
            "en": "The bundle has {count} entries; up to {limit} are accepted.",
            "zh": "数据包有 {count} 个条目；最多接受 {limit} 个。",
        },
        "not_json": {
            "en": "The file is not valid JSON (UTF-8).",
            "zh": "该文件不是有效的 JSON（UTF-8）。",
        },
    }

    def __init__(self, key: str, **params: object):
        self.key = key
        self.params = {k: str(v) for k, v in params.items()}
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        code = "zh" if (lang or "").lower().startswith("zh") else "en"
        return self.MESSAGES[self.key][code].format(**self.params)


@dataclass(frozen=True)
class ImportResult:
    profile: dict[str, Any]
    notes: tuple[Note, ...]

    def warnings(self, lang: str = "en") -> list[str]:
        return render_all(list(self.notes), lang)


def parse_bundle_bytes(raw: bytes | str, limit: int = MAX_BUNDLE_BYTES) -> dict[str, Any]:
    """JSON text -> a dict, refusing files over ``limit`` bytes (checked before parsing)."""
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > limit:
        raise BundleError("too_large", size=f"{size / 1048576:.1f}", limit=f"{limit / 1048576:.0f}")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError("not_json") from exc
    if not isinstance(data, dict):
        raise BundleError("not_json")
    return data


def _resources(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    if bundle.get("resourceType") != "Bundle":
        return [bundle] if bundle.get("resourceType") else []
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        return []
    if len(entries) > MAX_ENTRIES:
        raise BundleError("too_many_entries", count=len(entries), limit=MAX_ENTRIES)
    out = []
    for entry in entries:
        res = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(res, dict) and res.get("resourceType"):
            out.append(res)
    return out


def import_bundle(bundle: Any, kb: Any = None) -> ImportResult:
    """Convert an mCODE / FHIR R4 Bundle (or one resource) into a profile dict and notes."""
    ctx = Context(kb=kb)
    if not isinstance(bundle, dict):
        ctx.note("not_a_bundle")
        return ImportResult({}, tuple(ctx.notes))
    resources = _resources(bundle)
    if not resources:
        ctx.note("empty_bundle")
        return ImportResult({}, tuple(ctx.notes))
    ctx.by_type, ctx.latest = index(resources)
    read_patient(ctx, reference_date(ctx, bundle))
    kinds = by_kind(ctx)
    read_histology_observations(ctx)
    read_conditions(ctx)
    read_metastasis_history(ctx)
    read_stage_observations(ctx, kinds)
    resolve_stage(ctx)
    read_performance(ctx, kinds)
    read_organ_function(ctx, kinds)
    read_genomics_and_markers(ctx, kinds)
    build_prior_therapies(ctx, kinds, _cancer_ids(ctx))
    _mark_read(ctx, kinds)
    _unused_summary(ctx)
    return ImportResult(_profile(ctx), tuple(ctx.notes))


def bundle_to_profile(bundle: Any, kb: Any = None, lang: str = "en") -> tuple[dict[str, Any], list[str]]:
    """The profile dict and the warnings in one language (``en`` or ``zh-hans``)."""
    result = import_bundle(bundle, kb=kb)
    return result.profile, result.warnings(lang)


def _cancer_ids(ctx: Context) -> set[str]:
    return {str(c.get("id")) for c in ctx.of_type("Condition") if id(c) in ctx.used and c.get("id")}


def _mark_read(ctx: Context, kinds: dict[str, list[dict[str, Any]]]) -> None:
    """Observations whose value went into the profile (performance, organ function, staging)."""
    for kind in (
        "ecog",
        "karnofsky",
        "lvef",
        "bilirubin",
        "creatinine",
        "creatinine_clearance",
        "egfr",
        "platelets",
        "neutrophils",
        "hemoglobin",
    ):
        for obs in kinds.get(kind, []):
            ctx.use(obs)
    for kind in ("stage_group", "stage_other", "body_weight"):
        for obs in kinds.get(kind, []):
            ctx.use(obs)


def _unused_summary(ctx: Context) -> None:
    counts = ctx.unused_counts()
    for rtype in sorted(counts):
        if rtype == "Observation":
            continue
        ctx.note("unused_resources", type=rtype, count=counts[rtype])
    if counts.get("Observation"):
        obs_codes: Counter[str] = Counter()
        for obs in ctx.of_type("Observation"):
            if id(obs) not in ctx.used:
                obs_codes[label(obs.get("code"))] += 1
        examples = ", ".join(code for code, _ in obs_codes.most_common(UNUSED_EXAMPLES))
        ctx.note("unused_observations", count=counts["Observation"], kinds=len(obs_codes), examples=examples)


def _profile(ctx: Context) -> dict[str, Any]:
    profile = dict(ctx.profile)
    if ctx.cancer.get("oncotree_code"):
        profile["cancer"] = dict(ctx.cancer)
    if ctx.organ_function:
        profile["organ_function"] = dict(ctx.organ_function)
    if ctx.biomarkers:
        profile["biomarkers"] = list(ctx.biomarkers)
    if ctx.prior_therapies:
        profile["prior_therapies"] = list(ctx.prior_therapies)
    return profile


__all__ = [
    "MAX_BUNDLE_BYTES",
    "BundleError",
    "ImportResult",
    "bundle_to_profile",
    "import_bundle",
    "parse_bundle_bytes",
]
