"""Cancer Conditions -> cancer.oncotree_code, metastatic sites, histology; second primaries warned.

Codes only (SNOMED CT, ICD-10, ICD-O-3 and SNOMED CT morphology, body sites): a display text is
never read to decide the cancer. The organ comes from the condition code or its body site; the
histology refines it (maps/conditions.yaml ``refine``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from onconav.fhir.codes import ICD10, ICDO3, SNOMED, codes, effective, extensions, label, profiles
from onconav.fhir.context import Context
from onconav.fhir.staging import stage_value

HISTOLOGY_LOINC = "31206-6"  # mCODE HistologicBehaviorAndType
ICDO3_RE = re.compile(r"^(\d{4})\d?/(\d)$")
DROP_VERIFICATION = {"entered-in-error", "refuted"}


@dataclass
class Cancer:
    """One cancer Condition as the codes describe it."""

    resource: dict[str, Any]
    organ: str | None = None
    oncotree: list[str] = field(default_factory=list)
    stage: str | None = None
    metastatic: bool = False
    uncertain: bool = False
    declared_primary: bool = False
    onset: str = ""

    @property
    def group(self) -> str:
        """Cancers of one group are one disease (several codes for it); two groups = two primaries."""
        if self.organ == "blood":
            return "blood:" + (self.oncotree[0] if self.oncotree else "?")
        return self.organ or "?"


def read_conditions(ctx: Context) -> None:
    cancers: list[Cancer] = []
    unmapped: list[str] = []  # declared primary cancers whose code has no mapping
    for cond in ctx.of_type("Condition"):
        if _verification(cond) in DROP_VERIFICATION:
            ctx.use(cond)
            ctx.note("condition_refuted", code=label(cond.get("code")))
            continue
        if _secondary(ctx, cond):
            continue
        cancer = _cancer(ctx, cond)
        if cancer is not None:
            cancers.append(cancer)
        elif "primary-cancer-condition" in profiles(cond):
            unmapped.append(label(cond.get("code")))
    if not cancers:
        ctx.note("no_cancer_condition")
        return
    primary = _choose_primary(ctx, cancers)
    if unmapped:
        ctx.note(
            "second_primary", used=label(primary.resource.get("code")), others=", ".join(sorted(unmapped))
        )
    _apply(ctx, primary, [c for c in cancers if c.group == primary.group])


def _verification(cond: dict[str, Any]) -> str:
    found = codes(cond.get("verificationStatus"))
    return found[0] if found else ""


def _secondary(ctx: Context, cond: dict[str, Any]) -> bool:
    """A metastasis (SecondaryCancerCondition, ICD-10 C77-C79, a SNOMED secondary disorder)."""
    concept = cond.get("code")
    site = None
    for code in codes(concept, ICD10):
        site = site or ctx.maps.icd10_secondary(code)
    for code in codes(concept, SNOMED):
        hit = ctx.maps.conditions.get("snomed_secondary", {}).get(code)
        site = site or (hit["site"] if hit else None)
    declared = "secondary-cancer-condition" in profiles(cond)
    if site is None and declared:
        site = _body_site(ctx, cond, "site")
        if site is None:
            ctx.use(cond)
            ctx.note("secondary_site_unknown", code=label(concept))
            ctx.cancer["recurrent_metastatic"] = True
            return True
    if site is None:
        return False
    ctx.use(cond)
    ctx.cancer["recurrent_metastatic"] = True
    if site != "other":
        sites = ctx.cancer.setdefault("metastatic_sites", [])
        if site not in sites:
            sites.append(site)
    else:
        ctx.note("secondary_site_unknown", code=label(concept))
    return True


def _body_site(ctx: Context, cond: dict[str, Any], key: str) -> str | None:
    table = ctx.maps.conditions.get("body_sites", {})
    for concept in cond.get("bodySite") or []:
        for code in codes(concept, SNOMED):
            hit = table.get(code)
            if hit and hit.get(key):
                return str(hit[key])
    return None


def _cancer(ctx: Context, cond: dict[str, Any]) -> Cancer | None:
    concept = cond.get("code")
    declared = "primary-cancer-condition" in profiles(cond)
    c = Cancer(resource=cond, declared_primary=declared, onset=effective(cond)[0] or "")
    table = ctx.maps.conditions
    for code in codes(concept, SNOMED):
        if code in table.get("snomed_in_situ", {}):
            ctx.use(cond)
            ctx.note("in_situ_condition", code=f"SNOMED {code}")
            return None
        hit = ctx.maps.snomed_condition(code)
        if hit:
            _fill(c, hit)
        elif code in table.get("snomed_unspecified", {}):
            c.metastatic = c.metastatic or bool(table["snomed_unspecified"][code].get("metastatic"))
            declared = True
    if c.organ is None:
        for code in codes(concept, ICD10):
            hit = ctx.maps.icd10(code)
            if hit:
                _fill(c, hit)
                break
    if c.organ is None:
        c.organ = _body_site(ctx, cond, "organ")
    if c.organ is None and not c.oncotree:
        kb_code = _kb_icd10(ctx, concept)
        if kb_code:
            c.oncotree = [kb_code]
            c.organ = "kb:" + kb_code
    if c.organ is None and not c.oncotree:
        if declared:
            ctx.use(cond)
            ctx.note("cancer_code_unmapped", code=label(concept))
        return None
    ctx.use(cond)
    return c


def _fill(c: Cancer, hit: dict[str, Any]) -> None:
    c.organ = c.organ or hit.get("organ")
    if hit.get("oncotree") and not c.oncotree:
        c.oncotree = list(hit["oncotree"])
    c.stage = c.stage or hit.get("stage")
    c.metastatic = c.metastatic or bool(hit.get("metastatic"))
    c.uncertain = c.uncertain or bool(hit.get("uncertain"))


def _kb_icd10(ctx: Context, concept: Any) -> str | None:
    """An ICD-10 code the maps do not know, read through the KB's own icd10 lists."""
    kb = ctx.kb
    if kb is None:
        return None
    for code in codes(concept, ICD10):
        c = code.upper()
        matches = [x.oncotree_code for x in kb.cancers if any(c.startswith(i) for i in x.icd10)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            lineages = [kb.lineage(m) for m in matches]
            common = [n for n in lineages[0] if all(n in lin for lin in lineages)]
            if common and common[0] not in ("SOLID", "HEME"):
                return common[0]
    return None


def _choose_primary(ctx: Context, cancers: list[Cancer]) -> Cancer:
    groups: dict[str, list[Cancer]] = {}
    for c in cancers:
        groups.setdefault(c.group, []).append(c)
    ranked = sorted(cancers, key=lambda c: (c.declared_primary, c.organ is not None, c.onset), reverse=True)
    chosen = ranked[0]
    if len(groups) > 1:
        others = sorted({label(c.resource.get("code")) for c in cancers if c.group != chosen.group})
        ctx.note(
            "second_primary",
            used=label(chosen.resource.get("code")),
            others=", ".join(others),
        )
    return chosen


def _apply(ctx: Context, primary: Cancer, same: list[Cancer]) -> None:
    ctx.organ = primary.organ
    ctx.primary_id = str(primary.resource.get("id") or "")
    for c in same:
        if c.stage:
            ctx.stages.append(
                {"value": c.stage, "basis": "code", "where": label(c.resource.get("code")), "date": c.onset}
            )
        if c.metastatic:
            ctx.cancer["recurrent_metastatic"] = True
        if c.uncertain:
            ctx.note("cancer_uncertain", code=label(c.resource.get("code")))
        _histology(ctx, c.resource)
        _condition_stages(ctx, c.resource)
    specific = next((c.oncotree for c in same if c.oncotree), [])
    code = _oncotree(ctx, primary.organ, specific)
    if code is None:  # not in the knowledge base: the engine says so in its answer
        candidates = specific or ctx.maps.organ_codes(primary.organ or "")
        if not candidates:
            ctx.note("cancer_code_unmapped", code=label(primary.resource.get("code")))
            return
        code = candidates[0]
        ctx.note("cancer_not_in_kb", code=code)
    ctx.cancer["oncotree_code"] = code
    organ_level = ctx.maps.organ_codes(primary.organ or "")
    if organ_level and code == ctx.pick_oncotree(organ_level) and not ctx.histology:
        ctx.note("histology_not_coded", code=code)


def _oncotree(ctx: Context, organ: str | None, specific: list[str]) -> str | None:
    """Histology first (organ + histology, or a histology that names the cancer), then the
    condition code's own OncoTree codes, then the organ."""
    table = ctx.maps.conditions
    for hist in sorted(ctx.histology):
        only = table.get("histology_only", {}).get(hist)
        if only and organ in (None, "blood"):
            found = ctx.pick_oncotree(list(only))
            if found:
                return found
        for row in table.get("refine", []):
            if row["organ"] == organ and row["histology"] == hist:
                found = ctx.pick_oncotree(list(row["oncotree"]))
                if found:
                    return found
    return ctx.pick_oncotree(specific) or ctx.pick_oncotree(ctx.maps.organ_codes(organ or ""))


def _histology(ctx: Context, cond: dict[str, Any]) -> None:
    for ext in extensions(cond, "histology-morphology-behavior"):
        _read_histology(ctx, ext.get("valueCodeableConcept"))


def read_histology_observations(ctx: Context) -> None:
    """mCODE HistologicBehaviorAndType Observations (LOINC 31206-6) about the primary cancer."""
    for obs in ctx.of_type("Observation"):
        if HISTOLOGY_LOINC in codes(obs.get("code")):
            ctx.use(obs)
            _read_histology(ctx, obs.get("valueCodeableConcept"))


def read_metastasis_history(ctx: Context) -> None:
    """mCODE HistoryOfMetastaticCancer: metastatic disease (and its site when the code names it)."""
    table = ctx.maps.conditions.get("history_metastatic", {})
    for obs in ctx.of_type("Observation"):
        hit = next((table[c] for c in codes(obs.get("code"), SNOMED) if c in table), None)
        if hit is None:
            continue
        ctx.use(obs)
        if obs.get("valueBoolean") is False:
            continue
        ctx.cancer["recurrent_metastatic"] = True
        site = hit.get("site")
        if site:
            sites = ctx.cancer.setdefault("metastatic_sites", [])
            if site not in sites:
                sites.append(str(site))
            ctx.note("metastasis_history", site=site)


def _read_histology(ctx: Context, concept: Any) -> None:
    table = ctx.maps.conditions
    for code in codes(concept, ICDO3):
        m = ICDO3_RE.match(code)
        hit = table.get("icdo3", {}).get(m.group(1)) if m else None
        if m and m.group(2) == "2":
            ctx.note("in_situ_histology", code=f"ICD-O-3 {code}")
        elif hit:
            ctx.histology.add(str(hit["histology"]))
        else:
            ctx.note("histology_unmapped", code=f"ICD-O-3 {code}")
    for code in codes(concept, SNOMED):
        hit = table.get("snomed_morphology", {}).get(code)
        if hit and hit.get("in_situ"):
            ctx.note("in_situ_histology", code=f"SNOMED {code}")
        elif hit:
            ctx.histology.add(str(hit["histology"]))
        else:
            ctx.note("histology_unmapped", code=f"SNOMED {code}")


def _condition_stages(ctx: Context, cond: dict[str, Any]) -> None:
    for st in cond.get("stage") or []:
        if not isinstance(st, dict):
            continue
        value = stage_value(ctx, st.get("summary"))
        if value is not None:
            ctx.stages.append(
                {
                    **value,
                    "basis": "condition",
                    "where": label(cond.get("code")),
                    "date": effective(cond)[0] or "",
                }
            )
        elif st.get("summary"):
            ctx.note("stage_unmapped", code=label(st.get("summary")))
