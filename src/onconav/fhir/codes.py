"""Small readers of FHIR datatypes: codings by system, quantities, dates, extensions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

LOINC = "loinc"
SNOMED = "snomed"
ICD10 = "icd10"
ICDO3 = "icdo3"
RXNORM = "rxnorm"
HGNC = "hgnc"
NCIT = "ncit"
SO = "so"
HGVS = "hgvs"
NCBI_GENE = "ncbi-gene"

# Known system URIs (and the spellings seen in real files) -> short names.
_SYSTEMS: tuple[tuple[str, str], ...] = (
    ("loinc.org", LOINC),
    ("snomed.info", SNOMED),
    ("snomed.org", SNOMED),
    ("icd-o-3", ICDO3),
    ("icd-o", ICDO3),
    ("icd-10", ICD10),
    ("icd10", ICD10),
    ("rxnorm", RXNORM),
    ("genenames.org", HGNC),
    ("hgnc", HGNC),
    ("thesaurus.owl", NCIT),
    ("ncit", NCIT),
    ("sequenceontology", SO),
    ("varnomen.hgvs.org", HGVS),
    ("ncbi.nlm.nih.gov/gene", NCBI_GENE),
)


def system_name(uri: Any) -> str:
    low = str(uri or "").lower()
    for needle, name in _SYSTEMS:
        if needle in low:
            return name
    return ""


def codings(concept: Any) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding") or [] if isinstance(c, dict)]


def codes(concept: Any, system: str | None = None) -> list[str]:
    """The codes of a CodeableConcept, optionally of one system (short name)."""
    out = []
    for c in codings(concept):
        if system is None or system_name(c.get("system")) == system:
            code = c.get("code")
            if code is not None and str(code).strip():
                out.append(str(code).strip())
    return out


def first_code(concept: Any, system: str) -> str | None:
    found = codes(concept, system)
    return found[0] if found else None


def displays(concept: Any) -> list[str]:
    out = []
    if isinstance(concept, dict) and isinstance(concept.get("text"), str) and concept["text"].strip():
        out.append(concept["text"].strip())
    for c in codings(concept):
        if isinstance(c.get("display"), str) and c["display"].strip():
            out.append(c["display"].strip())
    return out


def label(concept: Any) -> str:
    """A short label for messages: system code, else the text."""
    for c in codings(concept):
        if c.get("code"):
            name = system_name(c.get("system")) or "code"
            return f"{name.upper()} {c['code']}"
    texts = displays(concept)
    return texts[0][:60] if texts else "?"


def profiles(resource: dict[str, Any]) -> str:
    meta = resource.get("meta")
    if not isinstance(meta, dict):
        return ""
    return " ".join(str(p) for p in meta.get("profile") or [])


def extensions(resource: Any, url_part: str) -> list[dict[str, Any]]:
    if not isinstance(resource, dict):
        return []
    return [
        e
        for e in resource.get("extension") or []
        if isinstance(e, dict) and url_part in str(e.get("url", ""))
    ]


def quantity(obj: Any) -> tuple[float, str] | None:
    """(value, unit code or unit) of a valueQuantity."""
    q = obj.get("valueQuantity") if isinstance(obj, dict) else None
    if not isinstance(q, dict):
        return None
    v = q.get("value")
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    unit = str(q.get("code") or q.get("unit") or "").strip()
    return float(v), unit


def integer(obj: dict[str, Any]) -> int | None:
    v = obj.get("valueInteger")
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    q = quantity(obj)
    if q is not None and q[0].is_integer():
        return int(q[0])
    return None


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_of(text: Any) -> str | None:
    """``YYYY[-MM[-DD]]`` from a FHIR date / dateTime, else None."""
    if not isinstance(text, str):
        return None
    m = _DATE_RE.match(text.strip())
    if not m:
        return None
    return "-".join(p for p in m.groups() if p)


def as_date(text: str | None) -> dt.date | None:
    """A comparable date (first day of a vague month or year)."""
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    try:
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None


def effective(resource: dict[str, Any]) -> tuple[str | None, str | None]:
    """(start, end) dates of a resource's effective / performed / occurrence time."""
    for key in ("effectivePeriod", "performedPeriod", "occurrencePeriod"):
        period = resource.get(key)
        if isinstance(period, dict):
            return date_of(period.get("start")), date_of(period.get("end"))
    for key in ("effectiveDateTime", "performedDateTime", "occurrenceDateTime", "issued", "onsetDateTime"):
        when = date_of(resource.get(key))
        if when:
            return when, None
    return None, None


def reference_id(ref: Any) -> str | None:
    """``Condition/abc`` or ``urn:uuid:abc`` -> ``abc``."""
    if not isinstance(ref, dict) or not isinstance(ref.get("reference"), str):
        return None
    raw = ref["reference"].strip()
    return raw.rsplit("/", 1)[-1].removeprefix("urn:uuid:") or None
