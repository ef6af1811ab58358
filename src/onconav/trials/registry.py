"""Read ClinicalTrials.gov API v2 study JSON into plain fields (pure Python, no Django)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

__all__ = ["RegistryError", "intervention_kind", "parse_age", "read_study", "studies_in"]


class RegistryError(ValueError):
    pass


_KIND_PATTERNS = (
    ("car_t", r"car-?\s?t\b|chimeric antigen receptor|cabtagene|car t[- ]cell|\bcar-nk\b"),
    (
        "bispecific",
        r"bispecific|bi-specific|glofitamab|epcoritamab|mosunetuzumab|odronextamab|teclistamab|elranatamab|"
        r"talquetamab|linvoseltamab|blinatumomab|tarlatamab|ivonescimab|cadonilimab|amivantamab|t-cell engager|\bbite\b",
    ),
    (
        "adc",
        r"antibody[- ]drug conjugate|\badc\b|deruxtecan|vedotin|tirumotecan|govitecan|emtansine|tesirine|mafodotin|"
        r"disitamab|ozogamicin|\bdxd\b",
    ),
)


def intervention_kind(name: str, description: str = "", other_names: list[str] | None = None) -> str:
    text = " ".join([name, description, *(other_names or [])]).lower()
    for kind, rx in _KIND_PATTERNS:
        if re.search(rx, text):
            return kind
    return "other"


def parse_age(value: str | None) -> float | None:
    """ "18 Years", "6 Months", "N/A" -> years."""
    if not value:
        return None
    m = re.match(r"\s*(\d+(?:\.\d+)?)\s*(year|month|week|day)", value, re.I)
    if not m:
        return None
    n = float(m.group(1))
    return round(n / {"year": 1, "month": 12, "week": 52.18, "day": 365.25}[m.group(2).lower()], 2)


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        parts = [int(x) for x in value.split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def studies_in(data: Any) -> list[dict[str, Any]]:
    """One study, a list of studies, or ``{"studies": [...]}``."""
    if isinstance(data, dict) and "studies" in data:
        data = data["studies"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise RegistryError('expected a study object, a list of studies or {"studies": [...]}')
    return data


def read_study(record: dict[str, Any]) -> dict[str, Any]:
    """Plain fields of one API v2 study. Raises RegistryError when it has no NCT id."""
    ps = record.get("protocolSection")
    if not isinstance(ps, dict):
        raise RegistryError("a study needs a 'protocolSection'")
    ident = ps.get("identificationModule") or {}
    nct = (ident.get("nctId") or "").strip().upper()
    if not re.fullmatch(r"NCT\d{8}", nct):
        raise RegistryError(f"a study needs an NCT id like NCT01234567 (got {nct or 'none'!r})")
    status = ps.get("statusModule") or {}
    design = ps.get("designModule") or {}
    elig = ps.get("eligibilityModule") or {}
    arms = ps.get("armsInterventionsModule") or {}
    sponsor = ((ps.get("sponsorCollaboratorsModule") or {}).get("leadSponsor") or {}).get("name", "")
    interventions = []
    for iv in arms.get("interventions") or []:
        name = iv.get("name", "")
        interventions.append(
            {
                "type": iv.get("type", ""),
                "name": name,
                "kind": intervention_kind(name, iv.get("description", ""), iv.get("otherNames")),
            }
        )
    central = (ps.get("contactsLocationsModule") or {}).get("centralContacts") or []
    sites = []
    for loc in (ps.get("contactsLocationsModule") or {}).get("locations") or []:
        contact = (loc.get("contacts") or [{}])[0] if loc.get("contacts") else (central[0] if central else {})
        sites.append(
            {
                "facility": loc.get("facility", "") or "",
                "city": loc.get("city", "") or "",
                "state": loc.get("state", "") or "",
                "country": loc.get("country", "") or "",
                "status": loc.get("status", "") or "",
                "contact_name": contact.get("name", "") or "",
                "contact_phone": contact.get("phone", "") or "",
                "contact_email": contact.get("email", "") or "",
            }
        )
    record_date = _date((status.get("lastUpdatePostDateStruct") or {}).get("date")) or _date(
        status.get("statusVerifiedDate")
    )
    return {
        "nct_id": nct,
        "title": ident.get("briefTitle", "") or ident.get("officialTitle", ""),
        "official_title": ident.get("officialTitle", "") or "",
        "brief_summary": (ps.get("descriptionModule") or {}).get("briefSummary", "") or "",
        "status": status.get("overallStatus", "") or "",
        "phases": list(design.get("phases") or []),
        "conditions": list((ps.get("conditionsModule") or {}).get("conditions") or []),
        "interventions": interventions,
        "intervention_kinds": sorted({i["kind"] for i in interventions if i["kind"] != "other"}),
        "sponsor": sponsor,
        "min_age_years": parse_age(elig.get("minimumAge")),
        "max_age_years": parse_age(elig.get("maximumAge")),
        "sex": (elig.get("sex") or "").upper(),
        "healthy_volunteers": elig.get("healthyVolunteers"),
        "criteria_text": elig.get("eligibilityCriteria", "") or "",
        "record_date": record_date,
        "sites": sites,
    }
