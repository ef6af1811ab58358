"""The code maps (``maps/*.yaml``), loaded once with PyYAML's C loader.

The maps are data: each mapping names its source (``maps/sources.yaml``). Nothing here decides a
clinical threshold; the importer only translates codes into the profile's words.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAPS_DIR = Path(__file__).resolve().parent / "maps"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(name: str) -> dict[str, Any]:
    with (MAPS_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_Loader)  # noqa: S506 - a safe loader
    if not isinstance(data, dict):  # pragma: no cover - a broken map file
        raise ValueError(f"maps/{name}.yaml must hold a mapping")
    return data


def _str_keys(table: dict[Any, Any] | None) -> dict[str, Any]:
    return {str(k): v for k, v in (table or {}).items()}


def _normalised(data: dict[str, Any]) -> dict[str, Any]:
    """Top-level tables with string keys (YAML reads some codes as numbers)."""
    return {k: _str_keys(v) if isinstance(v, dict) else v for k, v in data.items()}


@dataclass(frozen=True)
class Maps:
    sources: dict[str, str]
    conditions: dict[str, Any]
    observations: dict[str, Any]
    staging: dict[str, Any]
    treatments: dict[str, Any]

    # --- conditions ---------------------------------------------------------------------
    def organ_codes(self, organ: str) -> list[str]:
        return list(self.conditions["organs"].get(organ, []))

    def snomed_condition(self, code: str) -> dict[str, Any] | None:
        return self.conditions.get("snomed", {}).get(code)

    def icd10(self, code: str) -> dict[str, Any] | None:
        """The longest ICD-10 prefix entry for a code ("C34.11" -> C34)."""
        table = self.conditions.get("icd10", {})
        c = code.strip().upper()
        for n in range(len(c), 2, -1):
            hit = table.get(c[:n])
            if hit is not None:
                return hit
        return None

    def icd10_secondary(self, code: str) -> str | None:
        table = self.conditions.get("icd10_secondary", {})
        c = code.strip().upper()
        for n in range(len(c), 2, -1):
            if c[:n] in table:
                return str(table[c[:n]])
        return None

    # --- observations -------------------------------------------------------------------
    def observation_kind(self, code: str) -> dict[str, Any] | None:
        return self.observations.get("kinds", {}).get(code)

    def marker(self, code: str) -> dict[str, Any] | None:
        return self.observations.get("markers", {}).get(code)

    def answer(self, code: str) -> str | None:
        hit = self.observations.get("answers", {}).get(code)
        return None if hit is None else str(hit)

    # --- treatments ---------------------------------------------------------------------
    def rxnorm(self, code: str) -> str | None:
        hit = self.treatments.get("rxnorm", {}).get(code)
        return None if hit is None else str(hit["inn"])

    def procedure(self, code: str) -> dict[str, Any] | None:
        return self.treatments.get("procedures", {}).get(code)


@functools.cache
def maps() -> Maps:
    """All maps, loaded once per process."""
    return Maps(
        sources=_load("sources"),
        conditions=_normalised(_load("conditions")),
        observations=_normalised(_load("observations")),
        staging=_normalised(_load("staging")),
        treatments=_normalised(_load("treatments")),
    )
