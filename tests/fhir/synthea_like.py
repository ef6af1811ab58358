"""A Synthea-style record of several MB, generated (never committed): years of encounters, claims,
explanation-of-benefit, vital signs and laboratory Observations, routine medicines, clinical notes
as base64 attachments, and within it a lung cancer coded the way Synthea codes it."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from tests.fhir.helpers import LOINC, RXNORM, SNOMED, cc

START = dt.date(2015, 1, 5)
NOTE = ("Patient seen for follow-up. Vital signs stable. Medications reviewed. " * 60).encode()


def _day(n: int) -> str:
    return (START + dt.timedelta(days=n)).isoformat()


def _ref(rtype: str, rid: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{rid}"}


def _encounter_block(i: int) -> list[dict[str, Any]]:
    """One visit: Encounter, Claim, ExplanationOfBenefit, vitals, labs, a note."""
    day, eid = _day(i * 7), f"enc-{i}"
    out: list[dict[str, Any]] = [
        {"resourceType": "Encounter", "id": eid, "status": "finished", "class": {"code": "AMB"},
         "type": [cc(SNOMED, "185349003", "Encounter for check up")], "subject": _ref("Patient", "pt"),
         "period": {"start": f"{day}T09:00:00Z", "end": f"{day}T09:30:00Z"}},
        {"resourceType": "Claim", "id": f"claim-{i}", "status": "active", "created": f"{day}T09:30:00Z",
         "patient": _ref("Patient", "pt"), "item": [{"sequence": n, "productOrService": cc(SNOMED, "185349003"),
         "net": {"value": 125.0 + n, "currency": "USD"}} for n in range(1, 6)]},
        {"resourceType": "ExplanationOfBenefit", "id": f"eob-{i}", "status": "active", "created": f"{day}T09:30:00Z",
         "patient": _ref("Patient", "pt"), "item": [{"sequence": n, "adjudication": [
             {"category": {"coding": [{"code": kind}]}, "amount": {"value": 20.0 * n, "currency": "USD"}}
             for kind in ("submitted", "benefit", "deductible", "copay", "coinsurance")]} for n in range(1, 6)]},
        {"resourceType": "DiagnosticReport", "id": f"note-{i}", "status": "final", "code": cc(LOINC, "34117-2"),
         "subject": _ref("Patient", "pt"), "effectiveDateTime": f"{day}T09:30:00Z",
         "presentedForm": [{"contentType": "text/plain", "data": base64.b64encode(NOTE).decode()}]},
    ]  # fmt: skip
    for code, value, unit in (("8302-2", 172.0, "cm"), ("8867-4", 70 + i % 9, "/min"), ("2339-0", 95.0, "mg/dL"),
                              ("2947-0", 140.0, "mmol/L"), ("6298-4", 4.2, "mmol/L"), ("718-7", 13.5, "g/dL")):  # fmt: skip
        out.append(
            {"resourceType": "Observation", "id": f"o-{code}-{i}", "status": "final", "code": cc(LOINC, code),
             "subject": _ref("Patient", "pt"), "encounter": _ref("Encounter", eid),
             "effectiveDateTime": f"{day}T09:10:00Z", "valueQuantity": {"value": value, "unit": unit, "code": unit}}
        )  # fmt: skip
    out.append(
        {"resourceType": "MedicationRequest", "id": f"rx-{i}", "status": "completed", "intent": "order",
         "medicationCodeableConcept": cc(RXNORM, "314076", "lisinopril 10 MG Oral Tablet"),
         "subject": _ref("Patient", "pt"), "authoredOn": f"{day}T09:20:00Z"}
    )  # fmt: skip
    return out


def _cancer(visits: int) -> list[dict[str, Any]]:
    """Lung cancer as Synthea writes it: NSCLC + "NSCLC, TNM stage 4", cisplatin and paclitaxel
    every 4 weeks, with ECOG, weight and creatinine, and one worsening."""
    dx = visits * 7 - 200
    out: list[dict[str, Any]] = [
        {"resourceType": "Condition", "id": "ca1", "code": cc(SNOMED, "254637007", "Non-small cell lung cancer (disorder)"),
         "subject": _ref("Patient", "pt"), "onsetDateTime": _day(dx)},
        {"resourceType": "Condition", "id": "ca2",
         "code": cc(SNOMED, "423121009", "Non-small cell carcinoma of lung, TNM stage 4 (disorder)"),
         "subject": _ref("Patient", "pt"), "onsetDateTime": _day(dx)},
        {"resourceType": "Condition", "id": "htn", "code": cc(SNOMED, "59621000", "Essential hypertension (disorder)"),
         "subject": _ref("Patient", "pt"), "onsetDateTime": _day(10)},
        {"resourceType": "Observation", "id": "ecog", "status": "final", "code": cc(LOINC, "89247-1"),
         "effectiveDateTime": _day(dx + 5), "valueInteger": 1},
        {"resourceType": "Observation", "id": "wt", "status": "final", "code": cc(LOINC, "29463-7"),
         "effectiveDateTime": _day(dx + 5), "valueQuantity": {"value": 80.0, "code": "kg"}},
        {"resourceType": "Observation", "id": "cr", "status": "final", "code": cc(LOINC, "38483-4"),
         "effectiveDateTime": _day(dx + 5), "valueQuantity": {"value": 1.0, "code": "mg/dL"}},
        {"resourceType": "Observation", "id": "prog", "status": "final", "code": cc(LOINC, "97509-4"),
         "effectiveDateTime": _day(dx + 150), "valueCodeableConcept": cc(SNOMED, "271299001")},
    ]  # fmt: skip
    for cycle in range(4):
        day = _day(dx + 10 + 28 * cycle)
        for rxcui, rid in (("1736854", "cis"), ("583214", "pac")):
            out.append(
                {"resourceType": "MedicationRequest", "id": f"{rid}-{cycle}", "status": "completed", "intent": "order",
                 "medicationCodeableConcept": cc(RXNORM, rxcui), "subject": _ref("Patient", "pt"),
                 "reasonReference": [_ref("Condition", "ca1")], "authoredOn": day}
            )  # fmt: skip
    return out


def synthea_like_bundle(visits: int = 700) -> dict[str, Any]:
    resources: list[dict[str, Any]] = [
        {"resourceType": "Patient", "id": "pt", "gender": "male", "birthDate": "1950-03-02"}
    ]
    for i in range(visits):
        resources.extend(_encounter_block(i))
    resources.extend(_cancer(visits))
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
