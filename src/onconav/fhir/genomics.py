"""Genomic variants (genomics-reporting Variant / mCODE GenomicVariant, LOINC 69548-6), TMB and MSI
-> biomarkers. Read by component codes: gene studied (48018-6, HGNC), HGVS (48005-3 p., 48004-6
c.), variant origin (48002-0), copy number (82155-3), change type (48019-4, Sequence Ontology).
Fusion partners are kept in the alteration ("EML4::ALK fusion"); copy-number results too."""

from __future__ import annotations

import re
from typing import Any

from onconav.fhir.codes import LOINC, SO, codes, codings, label, quantity
from onconav.fhir.context import Context

AA3 = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E", "Gly": "G",
    "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F", "Pro": "P", "Ser": "S",
    "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*", "Sec": "U",
}  # fmt: skip
_AA3_RE = re.compile("|".join(AA3))
_HGVS_P_RE = re.compile(
    r"p\.\(?([A-Za-z0-9_*>=?]+(?:delins[A-Za-z]+|del|dup|ins[A-Za-z]+|fs\*?\d*|ext\*?\d+)?)\)?"
)
_HGVS_C_RE = re.compile(r"c\.([0-9_+\-*]+[A-Za-z>0-9_]*)")
_SYMBOL_RE = re.compile(r"^[A-Z][A-Z0-9\-]{0,14}$")


def one_letter(protein: str) -> str:
    """HGVS p. with three-letter amino acids -> one-letter ("Leu858Arg" -> "L858R")."""
    return _AA3_RE.sub(lambda m: AA3[m.group(0)], protein)


def hgvs_protein(text: str) -> str | None:
    m = _HGVS_P_RE.search(text)
    return f"p.{one_letter(m.group(1))}" if m else None


def hgvs_coding(text: str) -> str | None:
    m = _HGVS_C_RE.search(text)
    return f"c.{m.group(1)}" if m else None


def _components(ctx: Context, obs: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    table = ctx.maps.observations.get("components", {})
    out: dict[str, list[dict[str, Any]]] = {}
    for comp in obs.get("component") or []:
        if not isinstance(comp, dict):
            continue
        for code in codes(comp.get("code"), LOINC) + codes(comp.get("code")):
            if code in table:
                out.setdefault(table[code], []).append(comp)
                break
        else:
            if "molecular-consequence" in codes(comp.get("code")):
                out.setdefault("change_type", []).append(comp)
    return out


def gene_symbol(concept: Any) -> str | None:
    """The gene's HGNC symbol: the display of its HGNC (or NCBI Gene) coding ("RUNx1" -> RUNX1),
    or a symbol written as the code."""
    for c in codings(concept):
        disp = str(c.get("display") or "").strip().upper()
        if disp and _SYMBOL_RE.match(disp):
            return disp
        code = str(c.get("code") or "").strip()
        if code and not code.upper().startswith("HGNC") and not code.isdigit() and _SYMBOL_RE.match(code):
            return code
    return None


def read_variant(ctx: Context, obs: dict[str, Any]) -> None:
    comps = _components(ctx, obs)
    genes = [g for g in (gene_symbol(c.get("valueCodeableConcept")) for c in comps.get("gene", [])) if g]
    if not genes:
        ctx.note("variant_no_gene", id=obs.get("id", "?"))
        return
    ctx.use(obs)
    presence = _answer(ctx, obs.get("valueCodeableConcept"))
    origin = _origin(ctx, comps)
    if presence == "absent":
        for gene in genes:
            _add(ctx, {"gene": gene, "alteration": "negative"}, origin)
        return
    alteration = _alteration(ctx, comps, genes)
    if alteration is None:
        ctx.note("variant_no_change", genes="/".join(genes))
        return
    gene = genes[-1] if len(genes) > 1 else genes[0]
    entry: dict[str, Any] = {"gene": gene, "alteration": alteration}
    copies = next((q for q in (quantity(c) for c in comps.get("copy_number", [])) if q is not None), None)
    if copies is not None and alteration in ("amplification", "deletion"):
        entry.update(value=copies[0], unit="copies")  # the copy number kept beside the alteration
    _add(ctx, entry, origin)


def _add(ctx: Context, entry: dict[str, Any], origin: str | None) -> None:
    if origin:
        entry["origin"] = origin
    if entry not in ctx.biomarkers:
        ctx.biomarkers.append(entry)


def _answer(ctx: Context, concept: Any) -> str | None:
    for code in codes(concept):
        hit = ctx.maps.answer(code)
        if hit:
            return hit
    return None


def _origin(ctx: Context, comps: dict[str, list[dict[str, Any]]]) -> str | None:
    for comp in comps.get("origin", []):
        value = _answer(ctx, comp.get("valueCodeableConcept"))
        if value in ("germline", "somatic"):
            return value
        ctx.note("variant_origin_unmapped", code=label(comp.get("valueCodeableConcept")))
    return None


def _change_words(ctx: Context, comps: dict[str, list[dict[str, Any]]]) -> list[str]:
    table = ctx.maps.observations.get("sequence_ontology", {})
    words = []
    for comp in comps.get("change_type", []):
        for code in codes(comp.get("valueCodeableConcept"), SO) + codes(comp.get("valueCodeableConcept")):
            if code in table and table[code] not in words:
                words.append(str(table[code]))
    return words


def _alteration(ctx: Context, comps: dict[str, list[dict[str, Any]]], genes: list[str]) -> str | None:
    words = _change_words(ctx, comps)
    if len(genes) > 1 or "fusion" in words:
        return ("::".join(genes) + " fusion") if len(genes) > 1 else "fusion"
    for key, reader in (("protein_change", hgvs_protein), ("dna_change", hgvs_coding)):
        for comp in comps.get(key, []):
            for text in _values(comp):
                found = reader(text)
                if found:
                    return found
    for comp in comps.get("variation_code", []):  # a ClinVar variation whose name is HGVS
        for text in _values(comp):
            found = hgvs_protein(text) or hgvs_coding(text)
            if found:
                ctx.note("hgvs_from_variation_name", value=found)
                return found
    if "amplification" in words or "deletion" in words:
        return "amplification" if "amplification" in words else "deletion"
    cn = [q for q in (quantity(c) for c in comps.get("copy_number", [])) if q is not None]
    return f"copy number {cn[0][0]:g}" if cn else None


def _values(comp: dict[str, Any]) -> list[str]:
    out = []
    for c in codings(comp.get("valueCodeableConcept")):
        for key in ("code", "display"):
            if isinstance(c.get(key), str):
                out.append(c[key])
    if isinstance(comp.get("valueString"), str):
        out.append(comp["valueString"])
    return out


def read_tmb(ctx: Context, obs: dict[str, Any]) -> None:
    q = quantity(obs)
    if q is None:
        ctx.note("tmb_no_value")
        return
    ctx.use(obs)
    _add(ctx, {"name": "TMB", "value": q[0], "unit": "mut/Mb"}, None)


def read_msi(ctx: Context, obs: dict[str, Any]) -> None:
    value = _answer(ctx, obs.get("valueCodeableConcept"))
    if value not in ("MSI-H", "MSS"):
        ctx.note("msi_unmapped", code=label(obs.get("valueCodeableConcept")))
        return
    ctx.use(obs)
    _add(ctx, {"name": "MSI", "value": value}, None)
