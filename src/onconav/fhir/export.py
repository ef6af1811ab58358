"""A case as a FHIR R4 Bundle (Patient, Condition, Observations, MedicationStatements,
DocumentReferences) and as an International Patient Summary-style document Bundle.

Pure Python: the caller passes plain data (``CaseExport``), so this module is testable without
the database and never decides who may export (the view does, through the access helper).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

LOINC = "http://loinc.org"
ONCOTREE = "http://oncotree.mskcc.org"
ECOG_LOINC = "89247-1"
ECOG_ANSWERS = {0: "LA9622-7", 1: "LA9623-5", 2: "LA9624-3", 3: "LA9625-0", 4: "LA9626-8", 5: "LA9627-6"}
DOC_LOINC = {
    "imaging_dicom": ("18748-4", "Diagnostic imaging study"),
    "imaging_report": ("18748-4", "Diagnostic imaging study"),
    "pathology": ("11526-1", "Pathology study"),
    "ngs": ("51969-4", "Genetic analysis report"),
    "blood_tests": ("11502-2", "Laboratory report"),
    "discharge": ("18842-5", "Discharge summary"),
}


@dataclass(frozen=True)
class ExportDocument:
    id: str
    kind: str
    content_type: str
    size: int
    sha256: str
    created: str
    title: str = ""


@dataclass(frozen=True)
class CaseExport:
    case_id: str
    name: str
    sex: str = ""
    birth_date: str = ""
    profile: dict[str, Any] = field(default_factory=dict)
    cancer_display: str = ""
    diagnosis_date: str = ""
    documents: tuple[ExportDocument, ...] = ()


def _urn(seed: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def _gender(sex: str) -> str:
    return {"female": "female", "male": "male", "other": "other"}.get(sex, "unknown")


def _resources(c: CaseExport) -> list[dict[str, Any]]:
    patient_ref = _urn(f"{c.case_id}/patient")
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": patient_ref.rsplit(":", 1)[1],
        "name": [{"text": c.name}],
        "gender": _gender(c.sex),
    }
    if c.birth_date:
        patient["birthDate"] = c.birth_date
    out: list[dict[str, Any]] = [patient]
    cancer = c.profile.get("cancer", {})
    condition_ref = _urn(f"{c.case_id}/condition")
    if cancer.get("oncotree_code"):
        condition: dict[str, Any] = {
            "resourceType": "Condition",
            "id": condition_ref.rsplit(":", 1)[1],
            "meta": {
                "profile": ["http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-primary-cancer-condition"]
            },
            "clinicalStatus": {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}
                ]
            },
            "verificationStatus": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                        "code": "confirmed",
                    }
                ]
            },
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/condition-category",
                            "code": "problem-list-item",
                        }
                    ]
                }
            ],
            "code": {
                "coding": [
                    {
                        "system": ONCOTREE,
                        "code": cancer["oncotree_code"],
                        "display": c.cancer_display or cancer["oncotree_code"],
                    }
                ],
                "text": c.cancer_display or cancer["oncotree_code"],
            },
            "subject": {"reference": patient_ref},
        }
        if cancer.get("stage"):
            condition["stage"] = [{"summary": {"text": str(cancer["stage"])}}]
        if c.diagnosis_date:
            condition["onsetDateTime"] = c.diagnosis_date
        out.append(condition)
    if c.profile.get("ecog") is not None:
        ecog = int(c.profile["ecog"])
        out.append(
            {
                "resourceType": "Observation",
                "id": _urn(f"{c.case_id}/ecog").rsplit(":", 1)[1],
                "status": "final",
                "code": {
                    "coding": [{"system": LOINC, "code": ECOG_LOINC, "display": "ECOG performance status"}]
                },
                "subject": {"reference": patient_ref},
                "valueCodeableConcept": {
                    "coding": [{"system": LOINC, "code": ECOG_ANSWERS.get(ecog, ""), "display": str(ecog)}],
                    "text": str(ecog),
                },
            }
        )
    for n, marker in enumerate(c.profile.get("biomarkers", [])):
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "id": _urn(f"{c.case_id}/bm/{n}").rsplit(":", 1)[1],
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "laboratory",
                        }
                    ]
                }
            ],
            "subject": {"reference": patient_ref},
        }
        if marker.get("gene"):
            obs["code"] = {
                "coding": [{"system": LOINC, "code": "69548-6", "display": "Genetic variant assessment"}]
            }
            obs["valueCodeableConcept"] = {"text": "Present"}
            obs["component"] = [
                {
                    "code": {"coding": [{"system": LOINC, "code": "48018-6", "display": "Gene studied"}]},
                    "valueCodeableConcept": {"text": marker["gene"]},
                },
                {
                    "code": {
                        "coding": [{"system": LOINC, "code": "48005-3", "display": "Amino acid change"}]
                    },
                    "valueCodeableConcept": {"text": str(marker.get("alteration", ""))},
                },
            ]
        else:
            obs["code"] = {"text": str(marker.get("name", ""))}
            value = marker.get("value")
            if isinstance(value, int | float):
                obs["valueQuantity"] = {
                    "value": value,
                    **({"unit": marker["unit"]} if marker.get("unit") else {}),
                }
            else:
                obs["valueString"] = str(value)
        out.append(obs)
    for n, therapy in enumerate(c.profile.get("prior_therapies", [])):
        for m, drug in enumerate(therapy.get("drugs", [])):
            out.append(
                {
                    "resourceType": "MedicationStatement",
                    "id": _urn(f"{c.case_id}/med/{n}/{m}").rsplit(":", 1)[1],
                    "status": "completed",
                    "medicationCodeableConcept": {"text": drug},
                    "subject": {"reference": patient_ref},
                    "note": [{"text": f"line {therapy.get('line', n + 1)}: {therapy.get('outcome', '')}"}],
                }
            )
    for d in c.documents:
        code, display = DOC_LOINC.get(d.kind, ("34133-9", "Summary of episode note"))
        out.append(
            {
                "resourceType": "DocumentReference",
                "id": _urn(f"{c.case_id}/doc/{d.id}").rsplit(":", 1)[1],
                "status": "current",
                "type": {"coding": [{"system": LOINC, "code": code, "display": display}]},
                "subject": {"reference": patient_ref},
                "date": d.created,
                "content": [
                    {
                        "attachment": {
                            "contentType": d.content_type,
                            "size": d.size,
                            "title": d.title or display,
                            "hash": d.sha256,
                        }
                    }
                ],
            }
        )
    return out


def _entries(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]


def case_to_bundle(c: CaseExport, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """A FHIR R4 collection Bundle of the case."""
    now = now or dt.datetime.now(dt.UTC)
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{c.case_id}/bundle")),
        "type": "collection",
        "timestamp": now.isoformat(),
        "entry": _entries(_resources(c)),
    }


def case_to_ips(c: CaseExport, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """An International Patient Summary-style document Bundle: a Composition first, with the
    problem list, medication and results sections referring to the resources that follow."""
    now = now or dt.datetime.now(dt.UTC)
    resources = _resources(c)
    patient_ref = f"urn:uuid:{resources[0]['id']}"

    def refs(rt: str) -> list[dict[str, str]]:
        return [{"reference": f"urn:uuid:{r['id']}"} for r in resources if r["resourceType"] == rt]

    def section(title: str, code: str, entries: list[dict[str, str]]) -> dict[str, Any]:
        sec: dict[str, Any] = {
            "title": title,
            "code": {"coding": [{"system": LOINC, "code": code}]},
            "text": {
                "status": "generated",
                "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{title}</div>',
            },
        }
        if entries:
            sec["entry"] = entries
        else:
            sec["emptyReason"] = {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/list-empty-reason",
                        "code": "unavailable",
                    }
                ]
            }
        return sec

    composition = {
        "resourceType": "Composition",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{c.case_id}/ips")),
        "meta": {"profile": ["http://hl7.org/fhir/uv/ips/StructureDefinition/Composition-uv-ips"]},
        "status": "final",
        "type": {"coding": [{"system": LOINC, "code": "60591-5", "display": "Patient summary Document"}]},
        "subject": {"reference": patient_ref},
        "date": now.isoformat(),
        "author": [{"display": "OncoNav"}],
        "title": "International Patient Summary",
        "section": [
            section("Problem list", "11450-4", refs("Condition")),
            section("Medication summary", "10160-0", refs("MedicationStatement")),
            section("Results", "30954-2", refs("Observation")),
        ],
    }
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{c.case_id}/ips-bundle")),
        "type": "document",
        "timestamp": now.isoformat(),
        "identifier": {
            "system": "urn:ietf:rfc:3986",
            "value": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, c.case_id)}",
        },
        "entry": _entries([composition, *resources]),
    }
