"""The state of one import: resources by type, what was used, the notes, the profile parts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from onconav.fhir.codes import date_of, effective
from onconav.fhir.maps import Maps, maps


@dataclass(frozen=True)
class Note:
    """A warning for the user: a message key and its parameters (rendered in one language)."""

    key: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, key: str, **params: object) -> Note:
        return cls(key, tuple(sorted((k, str(v)) for k, v in params.items())))


@dataclass
class Context:
    kb: Any = None
    maps: Maps = field(default_factory=maps)
    by_type: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)  # id() of the resources that were read
    notes: list[Note] = field(default_factory=list)
    _seen: set[Note] = field(default_factory=set)
    profile: dict[str, Any] = field(default_factory=dict)
    cancer: dict[str, Any] = field(default_factory=dict)
    biomarkers: list[dict[str, Any]] = field(default_factory=list)
    organ_function: dict[str, float] = field(default_factory=dict)
    prior_therapies: list[dict[str, Any]] = field(default_factory=list)
    organ: str | None = None  # the primary cancer's organ (maps/conditions.yaml)
    primary_id: str | None = None
    latest: str | None = None  # the latest clinical date in the bundle (YYYY[-MM[-DD]])
    stages: list[dict[str, str]] = field(default_factory=list)  # {value, basis, where, date}
    histology: set[str] = field(default_factory=set)
    resection_dates: list[str] = field(default_factory=list)

    def note(self, key: str, **params: object) -> None:
        n = Note.of(key, **params)
        if n not in self._seen:
            self._seen.add(n)
            self.notes.append(n)

    def use(self, resource: dict[str, Any]) -> None:
        self.used.add(id(resource))

    def of_type(self, rtype: str) -> list[dict[str, Any]]:
        return self.by_type.get(rtype, [])

    def unused_counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for rtype, items in self.by_type.items():
            for res in items:
                if id(res) not in self.used:
                    counts[rtype] += 1
        return counts

    def kb_has(self, code: str) -> bool:
        return self.kb is None or code in getattr(self.kb, "cancer_by_code", {})

    def pick_oncotree(self, candidates: list[str]) -> str | None:
        """The first candidate the knowledge base knows (the first one without a KB)."""
        for code in candidates:
            if self.kb_has(code):
                return code
        return None


def index(resources: list[dict[str, Any]]) -> tuple[dict[str, list[dict[str, Any]]], str | None]:
    """Resources by type (one pass) and the latest clinical date among them."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    latest = None
    for res in resources:
        rtype = str(res.get("resourceType") or "?")
        by_type.setdefault(rtype, []).append(res)
        start, end = effective(res)
        for when in (end, start, date_of(res.get("authoredOn"))):
            if when and (latest is None or when > latest):  # ISO dates order as text
                latest = when
    return by_type, latest
