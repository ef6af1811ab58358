"""Builders of small FHIR resources for the importer tests, and the IG example loaders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
MCODE = DATA / "mcode-4.0.0"
GX = DATA / "genomics-reporting-3.0.0"
FIXTURE_KB = Path(__file__).resolve().parents[1] / "engine" / "fixtures" / "kb"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
HGNC = "http://www.genenames.org"
HGVS = "http://varnomen.hgvs.org"
NCIT = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"
SO = "http://www.sequenceontology.org"
MCODE_SD = "http://hl7.org/fhir/us/mcode/StructureDefinition/"


def cc(system: str, code: str, display: str = "") -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def bundle(*resources: dict[str, Any], timestamp: str | None = None) -> dict[str, Any]:
    b: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }
    if timestamp:
        b["timestamp"] = timestamp
    return b


def patient(birth: str = "1960-06-15", gender: str = "female") -> dict[str, Any]:
    return {"resourceType": "Patient", "id": "p1", "birthDate": birth, "gender": gender}


def condition(
    code: dict[str, Any], rid: str = "c1", primary: bool = True, onset: str = "2025-01-10", **extra: Any
) -> dict[str, Any]:
    res: dict[str, Any] = {"resourceType": "Condition", "id": rid, "code": code, "onsetDateTime": onset}
    if primary:
        res["meta"] = {"profile": [MCODE_SD + "mcode-primary-cancer-condition"]}
    res.update(extra)
    return res


def histology_ext(system: str, code: str) -> dict[str, Any]:
    return {
        "url": MCODE_SD + "mcode-histology-morphology-behavior",
        "valueCodeableConcept": cc(system, code),
    }


def obs(code: dict[str, Any], rid: str = "o1", date: str = "2025-02-01", **value: Any) -> dict[str, Any]:
    res: dict[str, Any] = {"resourceType": "Observation", "id": rid, "status": "final", "code": code}
    res["effectiveDateTime"] = date
    res.update(value)
    return res


def comp(loinc: str, **value: Any) -> dict[str, Any]:
    return {"code": cc(LOINC, loinc), **value}


def gene(symbol: str, hgnc: str = "") -> dict[str, Any]:
    return comp("48018-6", valueCodeableConcept=cc(HGNC, hgnc or f"HGNC:{symbol}", symbol))


def variant(*components: dict[str, Any], present: bool = True, rid: str = "v1") -> dict[str, Any]:
    answer = cc(LOINC, "LA9633-4", "Present") if present else cc(LOINC, "LA9634-2", "Absent")
    return obs(cc(LOINC, "69548-6"), rid=rid, valueCodeableConcept=answer, component=list(components))


def med_request(rxcui: str, start: str, rid: str, display: str = "", **extra: Any) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": "completed",
        "intent": "order",
        "medicationCodeableConcept": cc(RXNORM, rxcui, display),
        "authoredOn": start,
        "meta": {"profile": [MCODE_SD + "mcode-cancer-related-medication-request"]},
    }
    res.update(extra)
    return res


def intent_ext(code: str) -> dict[str, Any]:
    return {"url": MCODE_SD + "mcode-procedure-intent", "valueCodeableConcept": cc(SNOMED, code)}


def load_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def example_patient_bundle(patient_id: str) -> dict[str, Any]:
    """One collection Bundle of the IG's single-resource examples about one patient."""
    entries = []
    for path in sorted((MCODE / "examples").glob("*.json")):
        res = load_json(path)
        ref = (res.get("subject") or res.get("patient") or {}).get("reference", "")
        if ref == f"Patient/{patient_id}" or (res["resourceType"] == "Patient" and res["id"] == patient_id):
            entries.append(
                {"fullUrl": f"http://example.org/{res['resourceType']}/{res['id']}", "resource": res}
            )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}
