"""mCODE / FHIR R4 Bundle -> OncoNav patient profile v1 (pure Python, no Django).

``bundle_to_profile(bundle)`` returns ``(profile_dict, warnings)``. It reads:

* Patient: ``birthDate`` -> ``age`` (at the bundle's ``timestamp`` or ``meta.lastUpdated``,
  else today), ``gender`` -> ``sex``;
* the primary cancer Condition: ``code`` (ICD-10 / SNOMED / text, plus the mCODE histology
  extension) -> ``cancer.oncotree_code`` through a small mapping table, ``stage.summary``;
* Observations: TNM stage group (LOINC 21908-9 / 21902-2 / 21914-7), ECOG (89247-1), genomic
  variants (69548-6 / 81252-9 with gene 48018-6, HGVS 48005-3 / 48004-6 components), PD-L1 (by
  name), TMB (94076-7), MSI (81695-9);
* MedicationStatement / MedicationAdministration / MedicationRequest -> ``prior_therapies``
  (lowercase INN from the display text; statements starting on the same date form one entry).

Whatever cannot be mapped is named in the warnings; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"

STAGE_LOINC = {"21908-9", "21902-2", "21914-7", "21900-6", "21901-4", "21899-0"}
ECOG_LOINC = "89247-1"
VARIANT_LOINC = {"69548-6", "81252-9"}
GENE_LOINC = "48018-6"
AA_CHANGE_LOINC = "48005-3"
DNA_CHANGE_LOINC = "48004-6"
VARIANT_TYPE_LOINC = {"48019-4", "81304-8"}
TMB_LOINC = "94076-7"
MSI_LOINC = "81695-9"
ECOG_ANSWERS = {"LA9622-7": 0, "LA9623-5": 1, "LA9624-3": 2, "LA9625-0": 3, "LA9626-8": 4, "LA9627-6": 5}
ABSENT_ANSWERS = {"LA9634-2"}  # "Absent"

# ICD-10 (longest prefix wins) -> OncoTree code of the KB. Where ICD-10 does not tell the
# histology (C34 lung), the organ node is used and a warning asks for the histology.
ICD10_TO_ONCOTREE = {
    "C34": "LUNG",
    "C50": "BRCA",
    "C22.0": "HCC",
    "C22": "LIVER",
    "C16": "STAD",
    "C15": "ESOPHAGUS",
    "C18": "COADREAD",
    "C19": "COADREAD",
    "C20": "COADREAD",
    "C11": "NPC",
    "C32": "LXSC",
    "C53": "CESC",
    "C25": "PAAD",
    "C56": "OVARY",
    "C61": "PRAD",
    "C64": "KIDNEY",
    "C43": "SKCM",
    "C83.3": "DLBCLNOS",
    "C82": "FL",
    "C90.0": "PCM",
    "C91.0": "BLL",
}
AMBIGUOUS_ORGANS = {"LUNG", "LIVER", "ESOPHAGUS", "OVARY", "KIDNEY"}
SNOMED_TO_ONCOTREE = {
    "254637007": "NSCLC",  # Non-small cell lung cancer
    "363358000": "LUNG",  # Malignant tumour of lung
    "93880001": "LUNG",  # Primary malignant neoplasm of lung
    "254837009": "BRCA",  # Malignant neoplasm of breast
    "25370001": "HCC",  # Hepatocellular carcinoma
    "372244006": "SKCM",  # Malignant melanoma
    "109989006": "PCM",  # Multiple myeloma
}
# Display / text patterns, most specific first (all must match).
TEXT_TO_ONCOTREE: tuple[tuple[tuple[str, ...], str], ...] = (
    (("non-small", "lung"), "NSCLC"),
    (("non small", "lung"), "NSCLC"),
    (("small cell", "lung"), "SCLC"),
    (("adenocarcinoma", "lung"), "LUAD"),
    (("squamous", "lung"), "LUSC"),
    (("nsclc",), "NSCLC"),
    (("sclc",), "SCLC"),
    (("hepatocellular",), "HCC"),
    (("breast",), "BRCA"),
    (("nasopharyn",), "NPC"),
    (("laryn",), "LXSC"),
    (("cervi",), "CESC"),
    (("pancrea",), "PAAD"),
    (("ovar",), "HGSOC"),
    (("prostat",), "PRAD"),
    (("renal cell",), "CCRCC"),
    (("melanoma",), "SKCM"),
    (("diffuse large b",), "DLBCLNOS"),
    (("dlbcl",), "DLBCLNOS"),
    (("follicular lymphoma",), "FL"),
    (("myeloma",), "PCM"),
    (("b-lymphoblastic",), "BLL"),
    (("b-cell acute lymphoblastic",), "BLL"),
    (("oesophag", "squamous"), "ESCC"),
    (("esophag", "squamous"), "ESCC"),
    (("colorectal",), "COADREAD"),
    (("colon",), "COADREAD"),
    (("rectal",), "COADREAD"),
    (("rectum",), "COADREAD"),
    (("gastric",), "STAD"),
    (("stomach",), "STAD"),
    (("lung",), "LUNG"),
)
SALT_WORDS = {
    "mesylate",
    "hydrochloride",
    "hcl",
    "tartrate",
    "maleate",
    "tosylate",
    "malate",
    "citrate",
    "sodium",
    "dimaleate",
    "besylate",
    "succinate",
    "sulfate",
    "phosphate",
    "acetate",
    "tablet",
    "tablets",
    "capsule",
    "capsules",
    "injection",
    "oral",
    "iv",
    "for",
    "solution",
    "infusion",
    "film-coated",
}


def _codings(concept: Any) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding") or [] if isinstance(c, dict)]


def _text(concept: Any) -> str:
    if not isinstance(concept, dict):
        return ""
    if isinstance(concept.get("text"), str) and concept["text"].strip():
        return concept["text"].strip()
    for c in _codings(concept):
        if isinstance(c.get("display"), str) and c["display"].strip():
            return c["display"].strip()
    return ""


def _has_code(concept: Any, codes: set[str] | str) -> bool:
    wanted = {codes} if isinstance(codes, str) else codes
    return any(str(c.get("code")) in wanted for c in _codings(concept))


def _resources(bundle: Any) -> list[dict[str, Any]]:
    if not isinstance(bundle, dict):
        return []
    if bundle.get("resourceType") != "Bundle":
        return [bundle] if bundle.get("resourceType") else []
    out = []
    for entry in bundle.get("entry") or []:
        res = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(res, dict):
            out.append(res)
    return out


def _reference_date(bundle: dict[str, Any]) -> dt.date:
    for raw in (bundle.get("timestamp"), (bundle.get("meta") or {}).get("lastUpdated")):
        if isinstance(raw, str) and len(raw) >= 10:
            try:
                return dt.date.fromisoformat(raw[:10])
            except ValueError:
                continue
    return dt.datetime.now(dt.UTC).date()


def _age(birth: str, on: dt.date) -> int | None:
    try:
        parts = [int(p) for p in birth.split("-")]
    except ValueError:
        return None
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 7
    day = parts[2] if len(parts) > 2 else 1
    age = on.year - year - ((on.month, on.day) < (month, day))
    return age if 0 <= age <= 130 else None


def _oncotree(concept: Any, extra_text: str = "") -> tuple[str | None, str]:
    """(OncoTree code, how it was found) from a Condition.code (+ histology text)."""
    for c in _codings(concept):
        system = str(c.get("system") or "").lower()
        code = str(c.get("code") or "").upper()
        if "snomed" in system and code in SNOMED_TO_ONCOTREE:
            found = SNOMED_TO_ONCOTREE[code]
            if found in AMBIGUOUS_ORGANS or found == "LUNG":
                refined = _from_text(f"{_text(concept)} {extra_text}")
                if refined and refined != found:
                    return refined, "text"
            return found, "snomed"
    text = f"{_text(concept)} {' '.join(str(c.get('display') or '') for c in _codings(concept))} {extra_text}"
    refined = _from_text(text)
    for c in _codings(concept):
        system = str(c.get("system") or "").lower()
        code = str(c.get("code") or "").upper()
        if "icd-10" in system or "icd10" in system or re.fullmatch(r"C\d{2}(\.\d{1,2})?", code):
            for n in (5, 4, 3):
                found = ICD10_TO_ONCOTREE.get(code[:n])
                if found:
                    if refined and (found in AMBIGUOUS_ORGANS or found == "LUNG"):
                        return refined, "text"
                    return found, "icd10"
    if refined:
        return refined, "text"
    return None, ""


def _from_text(text: str) -> str | None:
    low = text.lower()
    for words, code in TEXT_TO_ONCOTREE:
        if all(w in low for w in words):
            return code
    return None


STAGE_RE = re.compile(r"(?:stage\s*)?\b[cpy]?(0|IV|I{1,3}|[1-4])([ABC]\d?)?\b", re.I)


def _stage(concept: Any) -> str | None:
    candidates = [str(c.get("code") or "") for c in _codings(concept)] + [_text(concept)]
    candidates += [str(c.get("display") or "") for c in _codings(concept)]
    for raw in candidates:
        s = raw.strip()
        if not s:
            continue
        if re.search(r"bclc|extensive|limited|iss|figo", s, re.I):
            return s
        m = STAGE_RE.fullmatch(s.strip()) or STAGE_RE.search(s if "stage" in s.lower() else "")
        if m:
            roman = {"1": "I", "2": "II", "3": "III", "4": "IV"}.get(m.group(1), m.group(1).upper())
            return roman + (m.group(2) or "").upper()
    return None


def _drug_name(text: str) -> str:
    words = []
    for w in re.split(r"\s+", text.strip().lower()):
        if re.match(r"^\d", w) or w in ("mg", "mg/m2", "ml"):
            break
        if w in SALT_WORDS:
            continue
        words.append(w.strip(",;()"))
    return " ".join(w for w in words if w)


def _value_text(obs: dict[str, Any]) -> str:
    for key in ("valueString", "valueBoolean", "valueInteger"):
        if key in obs:
            return str(obs[key])
    if "valueCodeableConcept" in obs:
        return _text(obs["valueCodeableConcept"])
    if "valueQuantity" in obs and isinstance(obs["valueQuantity"], dict):
        return str(obs["valueQuantity"].get("value", ""))
    return ""


def _component(obs: dict[str, Any], code: str | set[str]) -> dict[str, Any] | None:
    for comp in obs.get("component") or []:
        if isinstance(comp, dict) and _has_code(comp.get("code"), code):
            return comp
    return None


def _variant(obs: dict[str, Any], warnings: list[str]) -> dict[str, Any] | None:
    gene_comp = _component(obs, GENE_LOINC)
    gene = ""
    if gene_comp:
        concept = gene_comp.get("valueCodeableConcept")
        gene = _text(concept)
        for c in _codings(concept):
            if c.get("display"):
                gene = str(c["display"])
                break
    alteration = ""
    for code in (AA_CHANGE_LOINC, DNA_CHANGE_LOINC, VARIANT_TYPE_LOINC):
        comp = _component(obs, code)
        if comp:
            alteration = _value_text(comp)
            if alteration:
                break
    vcc = obs.get("valueCodeableConcept")
    absent = isinstance(vcc, dict) and (
        _has_code(vcc, ABSENT_ANSWERS) or _text(vcc).lower() in ("absent", "negative", "not detected")
    )
    present_answer = isinstance(vcc, dict) and (
        _has_code(vcc, {"LA9633-4"}) or _text(vcc).lower() in ("present", "detected")
    )
    if not alteration and not absent and not present_answer:
        alteration = _value_text(obs)
    if not gene:
        text = _text(obs.get("code"))
        m = re.match(r"^([A-Z0-9]{2,8})\b\s*(.*)$", text)
        if m and m.group(1) not in ("DNA", "GENE"):
            gene, alteration = m.group(1), alteration or m.group(2)
    if not gene:
        warnings.append(
            f"genomic Observation {obs.get('id', '?')}: no gene studied (LOINC 48018-6); not used"
        )
        return None
    if absent:
        return {"gene": gene, "alteration": f"{alteration} negative".strip() if alteration else "negative"}
    if not alteration:
        warnings.append(f"genomic Observation {obs.get('id', '?')} ({gene}): no variant given; not used")
        return None
    return {"gene": gene, "alteration": alteration}


def bundle_to_profile(bundle: dict[str, Any], kb: Any = None) -> tuple[dict[str, Any], list[str]]:
    """Convert an mCODE / FHIR R4 Bundle into a profile v1 dict plus warnings.

    ``kb`` (optional, a loaded KnowledgeBase) lets ICD-10 codes map through the KB's own
    ``icd10`` lists when the static table does not know them.
    """
    warnings: list[str] = []
    profile: dict[str, Any] = {}
    cancer: dict[str, Any] = {}
    biomarkers: list[dict[str, Any]] = []
    meds: dict[str, list[dict[str, Any]]] = {}
    if not isinstance(bundle, dict):
        return {}, ["not a FHIR resource (expected a JSON object)"]
    resources = _resources(bundle)
    if not resources:
        warnings.append("the bundle holds no resources")
    on = _reference_date(bundle)
    conditions: list[dict[str, Any]] = []
    for res in resources:
        rtype = res.get("resourceType")
        if rtype == "Patient":
            birth = res.get("birthDate")
            if isinstance(birth, str):
                age = _age(birth, on)
                if age is not None:
                    profile["age"] = age
                else:
                    warnings.append(f"Patient.birthDate {birth!r} could not be read")
            gender = res.get("gender")
            if gender in ("female", "male", "other"):
                profile["sex"] = gender
        elif rtype == "Condition":
            conditions.append(res)
        elif rtype == "Observation":
            _observation(res, profile, cancer, biomarkers, warnings)
        elif rtype in ("MedicationStatement", "MedicationAdministration", "MedicationRequest"):
            concept = res.get("medicationCodeableConcept")
            name = _drug_name(_text(concept)) if concept else ""
            if not name:
                warnings.append(f"{rtype} {res.get('id', '?')}: no medication name; not used")
                continue
            start = ""
            period = res.get("effectivePeriod") or {}
            if isinstance(period, dict) and isinstance(period.get("start"), str):
                start = period["start"][:10]
            elif isinstance(res.get("effectiveDateTime"), str):
                start = res["effectiveDateTime"][:10]
            elif isinstance(res.get("authoredOn"), str):
                start = res["authoredOn"][:10]
            end = (
                period.get("end", "")[:10]
                if isinstance(period, dict) and isinstance(period.get("end"), str)
                else ""
            )
            meds.setdefault(start, []).append({"name": name, "end": end})
        elif rtype not in (
            "Bundle",
            "Practitioner",
            "Organization",
            "Encounter",
            "Specimen",
            "DiagnosticReport",
            "Procedure",
        ):
            warnings.append(f"{rtype} resources are not used")

    primary = _primary_condition(conditions)
    if primary is not None:
        histology = ""
        for ext in primary.get("extension") or []:
            if isinstance(ext, dict) and "histology" in str(ext.get("url", "")).lower():
                histology = _text(ext.get("valueCodeableConcept"))
        code, _how = _oncotree(primary.get("code"), histology)
        if code is None and kb is not None:
            code = _from_kb_icd10(primary.get("code"), kb)
        if code is None:
            warnings.append(
                f"cancer diagnosis {(_text(primary.get('code')) or '?')!r} could not be mapped to an OncoTree code"
            )
        else:
            cancer["oncotree_code"] = code
            if code in AMBIGUOUS_ORGANS or code == "LUNG":
                warnings.append(
                    f"the histology is not coded: mapped to the organ ({code}); give the OncoTree code of the subtype for specific options"
                )
        for st in primary.get("stage") or []:
            if isinstance(st, dict) and "stage" not in cancer:
                stage = _stage(st.get("summary"))
                if stage:
                    cancer["stage"] = stage
    elif conditions:
        warnings.append("no Condition could be read as the primary cancer")
    else:
        warnings.append("no Condition (cancer diagnosis) in the bundle")
    if cancer:
        profile["cancer"] = cancer
    if biomarkers:
        profile["biomarkers"] = biomarkers
    if meds:
        prior = []
        for start in sorted(meds):
            drugs = sorted({m["name"] for m in meds[start]})
            entry: dict[str, Any] = {"drugs": drugs}
            if start:
                entry["start"] = start[:7]
            ends = sorted(m["end"] for m in meds[start] if m["end"])
            if ends:
                entry["end"] = ends[-1][:7]
            prior.append(entry)
        profile["prior_therapies"] = prior
        warnings.append(
            "treatment outcomes (response, progression) are not coded in the bundle: add them to the profile"
        )
    return profile, warnings


def _primary_condition(conditions: list[dict[str, Any]]) -> dict[str, Any] | None:
    def score(c: dict[str, Any]) -> tuple[int, str]:
        profiles = " ".join((c.get("meta") or {}).get("profile") or [])
        primary = "primary-cancer-condition" in profiles
        text = _text(c.get("code")).lower()
        cancerish = any(
            w in text
            for w in ("cancer", "carcinoma", "neoplasm", "lymphoma", "myeloma", "melanoma", "tumo", "leuk")
        )
        secondary = "secondary-cancer-condition" in profiles or "metasta" in text
        return (0 if primary else 1 if cancerish and not secondary else 2, str(c.get("id", "")))

    cands = [
        c
        for c in conditions
        if _oncotree(c.get("code"))[0] or "primary-cancer-condition" in str(c.get("meta"))
    ]
    if not cands:
        return None
    return sorted(cands, key=score)[0]


def _from_kb_icd10(concept: Any, kb: Any) -> str | None:
    codes = [str(c.get("code") or "").upper() for c in _codings(concept)]
    for code in codes:
        matches = [
            c.oncotree_code
            for c in kb.cancers
            if any(code.startswith(i) or i.startswith(code) for i in c.icd10)
        ]
        if len(matches) == 1:
            return matches[0]
        if matches:
            # the deepest node shared by every match (C34 -> LUNG)
            lineages = [kb.lineage(m) for m in matches]
            common = [n for n in lineages[0] if all(n in lin for lin in lineages)]
            if common and common[0] not in ("SOLID", "HEME"):
                return common[0]
    return None


def _observation(
    obs: dict[str, Any],
    profile: dict[str, Any],
    cancer: dict[str, Any],
    biomarkers: list[dict[str, Any]],
    warnings: list[str],
) -> None:
    code = obs.get("code")
    text = _text(code).lower()
    if _has_code(code, STAGE_LOINC) or ("stage group" in text and "tnm" in text):
        stage = _stage(obs.get("valueCodeableConcept"))
        if stage:
            cancer["stage"] = stage
        else:
            warnings.append(f"stage Observation {obs.get('id', '?')}: value could not be read")
        return
    if _has_code(code, ECOG_LOINC) or "ecog" in text:
        value: int | None = None
        if isinstance(obs.get("valueInteger"), int):
            value = obs["valueInteger"]
        else:
            vc = obs.get("valueCodeableConcept")
            for c in _codings(vc):
                if str(c.get("code")) in ECOG_ANSWERS:
                    value = ECOG_ANSWERS[str(c.get("code"))]
                elif str(c.get("code")).isdigit():
                    value = int(str(c.get("code")))
            if value is None:
                m = re.search(r"\b([0-5])\b", _text(vc))
                value = int(m.group(1)) if m else None
        if value is not None and 0 <= value <= 4:
            profile["ecog"] = value
        else:
            warnings.append(f"ECOG Observation {obs.get('id', '?')}: value {value!r} is not 0-4; not used")
        return
    if _has_code(code, VARIANT_LOINC) or "variant" in text:
        v = _variant(obs, warnings)
        if v:
            biomarkers.append(v)
        return
    if _has_code(code, TMB_LOINC) or "mutational burden" in text or re.search(r"\btmb\b", text):
        q = obs.get("valueQuantity")
        if isinstance(q, dict) and isinstance(q.get("value"), int | float):
            biomarkers.append({"name": "TMB", "value": q["value"], "unit": "mut/Mb"})
        else:
            warnings.append(f"TMB Observation {obs.get('id', '?')}: no numeric value; not used")
        return
    if _has_code(code, MSI_LOINC) or "microsatellite" in text or re.search(r"\bmsi\b|mismatch repair", text):
        val = _value_text(obs)
        if val:
            biomarkers.append({"name": "MSI", "value": val})
        else:
            warnings.append(f"MSI Observation {obs.get('id', '?')}: no value; not used")
        return
    if "pd-l1" in text or "pd l1" in text or "cd274" in text:
        kind = "CPS" if "cps" in text or "combined positive" in text else "TPS"
        q = obs.get("valueQuantity")
        if isinstance(q, dict) and isinstance(q.get("value"), int | float):
            biomarkers.append(
                {"name": f"PD-L1 {kind}", "value": q["value"], "unit": "%" if kind == "TPS" else None}
            )
        elif _value_text(obs):
            biomarkers.append({"name": f"PD-L1 {kind}", "value": _value_text(obs)})
        else:
            warnings.append(f"PD-L1 Observation {obs.get('id', '?')}: no value; not used")
        return
    if re.search(r"\b(her2|erbb2|estrogen|oestrogen|progesterone)\b", text):
        name = (
            "HER2 IHC"
            if "her2" in text or "erbb2" in text
            else ("ER" if "estrogen" in text or "oestrogen" in text else "PR")
        )
        val = _value_text(obs)
        if val:
            biomarkers.append({"name": name, "value": val})
            return
    label = _text(code) or obs.get("id", "?")
    warnings.append(f"Observation {label!r} is not used")
