"""Who a hospital is for. Children's, dental, eye, skin, maternity and mental-health hospitals are
real hospitals, but an adult with lung cancer should not be sent to one: the directory and the
matching leave them out unless they fit the patient (a child; an oral, eye, skin, breast or
gynaecological cancer). Read from the record's names and specialties (knowledge/hospitals)."""

from __future__ import annotations

from typing import Any

# audience -> words in the English name, aliases or specialties that mark it
AUDIENCE_WORDS: dict[str, tuple[str, ...]] = {
    "children": ("children", "child ", "pediatric", "paediatric", "infant"),
    "maternity": ("maternity", "obstetric", "women", "gynecology hospital", "gynaecology hospital"),
    "dental": ("stomatolog", "dental", "osseointegration"),
    "eye": ("eye", "ophthalm"),
    "skin": ("skin disease", "dermatolog"),
    "mental": ("mental health", "psychiatr"),
}
# OncoTree roots (and codes) whose patients a specialised hospital may fit
FITS: dict[str, frozenset[str]] = {
    "maternity": frozenset({"BREAST", "CERVIX", "OVARY", "UTERUS"}),
    "dental": frozenset({"HEAD_NECK"}),
    "eye": frozenset({"EYE", "UM", "RBL"}),
    "skin": frozenset({"SKIN"}),
    "mental": frozenset(),
}


def audiences(data: dict[str, Any]) -> set[str]:
    """The special audiences a hospital record serves (empty: a hospital for adults in general)."""
    words = " ".join(
        [
            str(data.get("name", "")),
            *map(str, data.get("aliases", [])),
            *map(str, data.get("specialties", [])),
        ]
    ).lower()
    found = {aud for aud, keys in AUDIENCE_WORDS.items() if any(k in words for k in keys)}
    # "Women and Children's" hospitals serve both; a cancer centre is never "children only"
    if data.get("type") == "cancer_centre":
        found.discard("children")
    return found


def fits_patient(data: dict[str, Any], *, age: float | None = None, lineage: list[str] | None = None) -> bool:
    """True when the hospital is for adults in general, or its special audience fits this patient."""
    special = audiences(data)
    if not special:
        return True
    lineage_set = set(lineage or [])
    for aud in special:
        if aud == "children":
            if age is not None and age < 18:
                return True
            continue
        if lineage_set & FITS.get(aud, frozenset()):
            return True
    return False
