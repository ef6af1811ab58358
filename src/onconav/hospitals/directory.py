"""The hospitals of an answer, from a compact per-process copy of the directory index.

An answer lists, for each option, the best few hospitals recorded as offering everything the
option needs (``onconav.options.services.option_hospitals``). Asking the database once per option
costs more than the engine itself, so each process keeps the few columns this needs (no record
data) with sets by capability, city and audience. At most every ``CHECK_SECONDS`` it checks with
one small query (``count`` and ``max(id)`` of the index: every rebuild and every change writes
new rows) that the directory has not changed; the process that rebuilds the index forgets its
copy at once (``directory_reset``), the others within ``CHECK_SECONDS``. The order is
``hospital_match``'s: points, then name, then key.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from onconav.hospitals.matching import POINTS


@dataclass(frozen=True)
class Light:
    key: str
    name: str
    name_zh: str
    city: str
    base2: int  # doubled points that do not depend on the request
    languages: frozenset[str]


@dataclass
class Directory:
    stamp: tuple[Any, ...]
    hospitals: list[Light] = field(default_factory=list)  # best base points first, then name, key
    by_capability: dict[str, set[int]] = field(default_factory=dict)
    by_city: dict[str, set[int]] = field(default_factory=dict)
    by_audience: dict[str, set[int]] = field(default_factory=dict)
    general: set[int] = field(default_factory=set)  # for adults in general (no special audience)
    eligible: set[int] = field(default_factory=set)  # not marked as without oncology

    def fits(self, *, age: float | None, lineage: list[str]) -> set[int]:
        """``fits_patient`` as a set of hospitals."""
        from onconav.hospitals.audience import FITS

        out = set(self.general)
        if age is not None and age < 18:
            out |= self.by_audience.get("children", set())
        lineage_set = set(lineage)
        for aud, fits in FITS.items():
            if lineage_set & fits:
                out |= self.by_audience.get(aud, set())
        return out

    def able(self, needs: list[tuple[str, tuple[str, ...]]]) -> set[int]:
        """Hospitals recorded as offering every need (any one capability of each)."""
        out: set[int] | None = None
        for _need, any_of in needs:
            one: set[int] = set()
            for cap in any_of:
                one |= self.by_capability.get(cap, set())
            out = one if out is None else out & one
        return out or set()

    def best(self, pool: set[int], *, cities: set[str], languages: set[str], limit: int) -> list[Light]:
        """The ``limit`` best of ``pool`` by ``hospital_match``'s points, then name and key."""
        if not pool or limit <= 0:
            return []
        city_pts, lang_pts = int(2 * POINTS["city"]), int(2 * POINTS["language"])
        max_bonus = (city_pts if cities else 0) + (lang_pts if languages else 0)
        chosen: list[tuple[tuple[int, str, str], Light]] = []
        for i, h in enumerate(self.hospitals):
            if len(chosen) >= limit and h.base2 + max_bonus < -chosen[-1][0][0]:
                break  # nothing further on can reach the last chosen one
            if i not in pool:
                continue
            score = h.base2
            if h.city in cities:
                score += city_pts
            if languages & h.languages:
                score += lang_pts
            chosen.append(((-score, h.name, h.key), h))
            chosen.sort(key=lambda x: x[0])
            del chosen[limit:]
        return [h for _, h in chosen]


CHECK_SECONDS = 2.0
_lock = threading.Lock()
_current: Directory | None = None
_checked_at = 0.0


def directory_reset() -> None:
    """Forget this process's copy (called when the index is rebuilt or changed)."""
    global _current
    with _lock:
        _current = None


def _stamp() -> tuple[Any, ...]:
    from django.db.models import Count, Max

    from onconav.hospitals.models import HospitalEntry

    agg = HospitalEntry.objects.aggregate(n=Count("id"), last=Max("id"))
    return (agg["n"], agg["last"])


def _build(stamp: tuple[Any, ...]) -> Directory:
    from onconav.hospitals.models import HospitalEntry

    pts = {k: int(2 * v) for k, v in POINTS.items()}
    rows = []
    for r in HospitalEntry.objects.values_list(
        "key",
        "name",
        "name_zh",
        "city",
        "type",
        "oncology_relevant",
        "verified",
        "international_department",
        "accredited_verified",
        "capabilities",
        "languages",
        "audiences",
    ).iterator(chunk_size=2000):
        key, name, name_zh, city, kind, onc, verified, intl, accredited, caps, langs, auds = r
        base2 = (pts["cancer_centre"] if kind == "cancer_centre" else pts["oncology"] if onc else 0) + (
            (pts["international_department"] if intl else 0)
            + (pts["accreditation"] if accredited else 0)
            + (pts["verified"] if verified else 0)
        )
        split = lambda s: [x for x in s.split("|") if x]  # noqa: E731
        rows.append(
            (
                Light(key, name, name_zh, city, base2, frozenset(split(langs))),
                split(caps),
                split(auds),
                onc is not False,
            )
        )
    rows.sort(key=lambda r: (-r[0].base2, r[0].name, r[0].key))
    d = Directory(stamp=stamp)
    for i, (light, caps, auds, eligible) in enumerate(rows):
        d.hospitals.append(light)
        for c in caps:
            d.by_capability.setdefault(c, set()).add(i)
        d.by_city.setdefault(light.city, set()).add(i)
        for a in auds:
            d.by_audience.setdefault(a, set()).add(i)
        if not auds:
            d.general.add(i)
        if eligible:
            d.eligible.add(i)
    return d


def directory() -> Directory:
    """The compact directory, rebuilt when the index has changed."""
    global _current, _checked_at
    current = _current
    now = time.monotonic()
    if current is not None and now - _checked_at < CHECK_SECONDS:
        return current
    stamp = _stamp()
    _checked_at = now
    if current is not None and current.stamp == stamp:
        return current
    built = _build(stamp)
    with _lock:
        _current = built
    return built
