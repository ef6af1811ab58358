"""The hospitals of an answer, from a compact per-process copy of the directory index.

An answer lists, for each option, the best few hospitals recorded as offering everything the
option needs (``onconav.options.services.option_hospitals``). Asking the database once per option
costs more than the engine itself, so each process keeps the few columns this needs (no record
data), in rank order, with lists of positions by capability, city and language: an answer reads
from the start of the shortest that applies and stops as soon as nothing further on can reach
its list, so its cost does not grow with the size of the directory (it was a pass over every
hospital able to deliver each option and set operations over every hospital: 15 ms of the
endpoint's 30 ms in process at 100x data). At most every ``CHECK_SECONDS`` it checks with one
small query (``count`` and ``max(id)`` of the index: every rebuild and every change writes
new rows) that the directory has not changed; the process that rebuilds the index forgets its
copy at once (``directory_reset``), the others within ``CHECK_SECONDS``. The order is
``hospital_match``'s: points, then name, then key.
"""

from __future__ import annotations

import heapq
import threading
import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from onconav.hospitals.matching import POINTS


class Light(NamedTuple):
    """A hospital: strings and integers only (no sets: fewer objects). The garbage collector
    still tracks it (it untracks exact tuples only, not a named tuple's instances): the copy is
    moved out of its generations once built (``_build``)."""

    key: str
    name: str
    name_zh: str
    city: str
    base2: int  # doubled points that do not depend on the request
    languages: str  # ``|a|b|`` lists as in the index ('' when none): ``'|a|' in`` finds a member
    capabilities: str = ""
    audiences: str = ""  # special audiences; '' for adults in general


Where = tuple[str | None, str | None, str]  # (city or None, language or None, capability)


@dataclass
class Directory:
    """Hospitals not marked as without oncology (the others are never listed for an option), best
    base points first, then name, key. ``lists`` holds, by capability, by city and capability, by
    language and capability and by the three, the positions in ``hospitals`` ascending: a list
    read from its start is read best first."""

    stamp: tuple[Any, ...]
    hospitals: list[Light] = field(default_factory=list)
    lists: dict[Where, list[int]] = field(default_factory=dict)

    @staticmethod
    def audiences_for(*, age: float | None, lineage: list[str]) -> frozenset[str]:
        """The special audiences whose hospitals fit this patient (``fits_patient``)."""
        from onconav.hospitals.audience import FITS

        out = {"children"} if age is not None and age < 18 else set()
        lineage_set = set(lineage)
        out |= {aud for aud, fits in FITS.items() if lineage_set & fits}
        return frozenset(out)

    def choose(
        self,
        needs: list[tuple[str, tuple[str, ...]]],
        *,
        audiences: frozenset[str],
        cities: list[str],
        languages: set[str],
        limit: int,
    ) -> list[Light]:
        """The ``limit`` best hospitals recorded as offering every need (any one capability of
        each) and fitting the patient (``audiences``), in ``cities`` when any there is, else
        anywhere; ranked as ``hospital_match`` ranks (points, then name, then key).

        Never a pass over the directory: each walk starts at the best of one need's lists (the
        shortest) and stops at its ``limit``-th fitting hospital or when nothing further on can
        reach the list. Every candidate of a walk has the same city points (in the cities, or
        none is); the language points split them in two: those who speak a preferred language
        (read from their own lists) and the others, each read in its own rank order."""
        if not needs or limit <= 0:
            return []
        any_ofs = [tuple(dict.fromkeys(any_of)) for _need, any_of in needs]
        need_members = [[f"|{cap}|" for cap in any_of] for any_of in any_ofs]
        audience_members = [f"|{a}|" for a in audiences]
        language_members = [f"|{lang}|" for lang in languages]

        def fits(h: Light) -> bool:
            if h.audiences and not any(m in h.audiences for m in audience_members):
                return False
            caps = h.capabilities
            return all(any(m in caps for m in ms) for ms in need_members)

        def silent_fits(h: Light) -> bool:
            return not any(m in h.languages for m in language_members) and fits(h)

        lang_pts = int(2 * POINTS["language"])
        for where in ([*cities], [None]) if cities else ([None],):
            if not languages:
                found = self._first(self._lists(any_ofs, where, [None]), fits, limit)
            else:
                speaking = self._first(self._lists(any_ofs, where, sorted(languages)), fits, limit, lang_pts)
                cutoff = speaking[-1][0] if len(speaking) >= limit else None
                others = self._first(self._lists(any_ofs, where, [None]), silent_fits, limit, 0, cutoff)
                found = sorted(speaking + others, key=lambda x: x[0])[:limit]
            if found:  # in the cities when any there is
                return [h for _, h in found]
        return []

    def _lists(
        self, any_ofs: list[tuple[str, ...]], cities: list[Any], languages: list[Any]
    ) -> list[list[int]]:
        """The lists of the need with the fewest hospitals."""
        per_need = [
            [
                ls
                for c in cities
                for lang in languages
                for cap in any_of
                if (ls := self.lists.get((c, lang, cap)))
            ]
            for any_of in any_ofs
        ]
        return min(per_need, key=lambda ls: sum(map(len, ls)))

    def _first(
        self,
        lists: list[list[int]],
        fits: Any,
        limit: int,
        bonus: int = 0,
        cutoff: tuple[int, str, str] | None = None,
    ) -> list[tuple[tuple[int, str, str], Light]]:
        """The first ``limit`` hospitals of ``lists`` (merged, in rank order) that ``fits``, with
        their sort keys (``bonus`` points added); none ranked after ``cutoff``."""
        if not lists:
            return []
        source = lists[0] if len(lists) == 1 else heapq.merge(*lists)
        hospitals = self.hospitals
        out: list[tuple[tuple[int, str, str], Light]] = []
        last = -1
        for i in source:
            if i == last:  # in two of the merged lists
                continue
            last = i
            h = hospitals[i]
            key = (-(h.base2 + bonus), h.name, h.key)
            if cutoff is not None and key > cutoff:
                break
            if fits(h):
                out.append((key, h))
                if len(out) >= limit:
                    break
        return out


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
        if onc is False:
            continue  # marked as without oncology: never listed for an option
        rows.append(Light(key, name, name_zh, city, base2, langs or "", caps or "", auds or ""))
    rows.sort(key=lambda light: (-light.base2, light.name, light.key))
    d = Directory(stamp=stamp, hospitals=rows)
    split = lambda s: dict.fromkeys(x for x in s.split("|") if x)  # noqa: E731
    for i, light in enumerate(rows):
        caps = split(light.capabilities)
        for city in (None, light.city):
            for lang in (None, *split(light.languages)):
                for cap in caps:
                    d.lists.setdefault((city, lang, cap), []).append(i)
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
    _freeze()
    return built


def _freeze() -> None:
    """Move the copy just built (and what else lives in this process now) out of the garbage
    collector's generations, as ``warm_up`` does with the knowledge base at start: the copy's
    objects (13,400 hospitals at 100x data) would otherwise be walked again at every full
    collection of the process (20-30 ms each at 100x, about every hundred requests). The copy is
    freed as usual when it is replaced (no reference cycles); a collection first, so that no
    garbage of this moment is kept. Only in a process that froze its start-up state (a web or
    task worker after ``warm_up``; not a test run or a management command)."""
    import gc

    if gc.get_freeze_count():
        gc.collect()
        gc.freeze()
