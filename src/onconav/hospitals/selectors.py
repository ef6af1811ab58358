"""Reads of the hospital directory (mirrored from knowledge/hospitals/ into KB records), with the
reviewed changes hospital partners submitted applied on top."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404

from onconav.kb.models import KBRecord, RecordKind

CITIES = ["Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu", "Hangzhou", "Hainan"]
CITY_ZH = {
    "Beijing": "北京",
    "Shanghai": "上海",
    "Guangzhou": "广州",
    "Shenzhen": "深圳",
    "Chengdu": "成都",
    "Hangzhou": "杭州",
    "Hainan": "海南（博鳌乐城）",
}
# Approximate positions (longitude, latitude) for the offline overview map.
CITY_POSITION = {
    "Beijing": (116.4, 39.9),
    "Shanghai": (121.5, 31.2),
    "Guangzhou": (113.3, 23.1),
    "Shenzhen": (114.1, 22.5),
    "Chengdu": (104.1, 30.7),
    "Hangzhou": (120.2, 30.3),
    "Hainan": (110.6, 19.2),
}


@dataclass
class HospitalView:
    """A hospital record as shown: the KB data, with approved partner updates applied."""

    id: str
    data: dict[str, Any]
    updates: list[dict[str, Any]] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.data[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    @property
    def accredited_verified(self) -> list[dict[str, Any]]:
        return [a for a in self.data.get("accreditations", []) if a.get("verified")]


def _apply_updates(data: dict[str, Any], updates: list[dict[str, Any]]) -> dict[str, Any]:
    merged = dict(data)
    for u in updates:
        merged.update(u)
    return merged


def hospital_views(qs=None) -> list[HospitalView]:  # type: ignore[no-untyped-def]
    from onconav.hospitals.models import HospitalChangeRequest

    records = list(
        qs if qs is not None else KBRecord.objects.filter(kind=RecordKind.HOSPITAL).order_by("key")
    )
    approved: dict[str, list[dict[str, Any]]] = {}
    for cr in HospitalChangeRequest.objects.filter(
        status=HospitalChangeRequest.Status.APPROVED, hospital_id__in=[r.key for r in records]
    ).order_by("reviewed_at"):
        approved.setdefault(cr.hospital_id, []).append(cr.changes)
    return [
        HospitalView(
            id=r.key, data=_apply_updates(r.data, approved.get(r.key, [])), updates=approved.get(r.key, [])
        )
        for r in records
    ]


_cache_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], list[HospitalView]] | None = None


def _directory_stamp() -> tuple[Any, ...]:
    """What the directory depends on: the KB load, the hospital records, the approved changes."""
    from django.db.models import Count, Max

    from onconav.hospitals.models import HospitalChangeRequest
    from onconav.kb.models import KnowledgeBaseLoad

    load = KnowledgeBaseLoad.objects.order_by("-id").values_list("id", "loaded_at").first()
    n = KBRecord.objects.filter(kind=RecordKind.HOSPITAL).count()
    cr = HospitalChangeRequest.objects.filter(status=HospitalChangeRequest.Status.APPROVED).aggregate(
        n=Count("id"), last=Max("reviewed_at")
    )
    return (load, n, cr["n"], cr["last"])


def hospital_views_cached() -> list[HospitalView]:
    """Every hospital as shown, kept per process while the directory does not change (three
    small queries to check instead of reading and decoding every record on each request).
    The views are shared: read them, never change them."""
    global _cached
    stamp = _directory_stamp()
    current = _cached
    if current is not None and current[0] == stamp:
        return current[1]
    views = hospital_views()
    with _cache_lock:
        _cached = (stamp, views)
    return views


def hospital_get(hospital_id: str) -> HospitalView:
    rec = KBRecord.objects.filter(kind=RecordKind.HOSPITAL, key=hospital_id)
    views = hospital_views(rec)
    if not views:
        raise Http404("no such hospital")
    return views[0]


def hospitals_filtered(
    *,
    city: str = "",
    capability: str = "",
    cancer: str = "",
    accreditation: str = "",
    language: str = "",
    hospital_type: str = "",
    q: str = "",
    oncology_only: bool = False,
    include_special: bool = False,
    age: float | None = None,
) -> list[HospitalView]:
    """Directory search. By default only hospitals for adults with cancer in general: children's,
    dental, eye, skin, maternity and mental-health hospitals appear when ``include_special`` is
    set, or when they fit the patient (``age``, ``cancer``)."""
    from onconav.hospitals.audience import fits_patient

    lineage = _lineage(cancer)
    qs = KBRecord.objects.filter(kind=RecordKind.HOSPITAL)
    if q.strip():
        term = q.strip()
        qs = qs.filter(
            Q(search_en__icontains=term)
            | Q(search_zh__icontains=term)
            | Q(name_zh__icontains=term)
            | Q(key__icontains=term)
        )
    items = hospital_views(qs.order_by("key"))
    out = []
    for h in items:
        d = h.data
        if city and d.get("city") != city:
            continue
        if capability and capability not in d.get("capabilities", []):
            continue
        if accreditation and not any(a.get("body") == accreditation for a in d.get("accreditations", [])):
            continue
        if language and language.lower() not in [x.lower() for x in d.get("languages", [])]:
            continue
        if hospital_type and d.get("type") != hospital_type:
            continue
        if (oncology_only or cancer) and d.get("oncology_relevant") is False:
            continue
        if not include_special and not fits_patient(d, age=age, lineage=lineage):
            continue
        if (
            cancer
            and d.get("type")
            not in ("cancer_centre", "public_tertiary", "public_general", "international", "private")
            and not d.get("capabilities")
        ):
            continue
        out.append(h)
    return sorted(
        out,
        key=lambda h: (
            CITIES.index(h.data["city"]) if h.data["city"] in CITIES else 99,
            h.data.get("type") != "cancer_centre",
            h.data["name"],
        ),
    )


def _lineage(code: str) -> list[str]:
    if not code:
        return []
    try:
        from onconav.options.services import engine_get

        return engine_get().kb.lineage(code)
    except Exception:  # noqa: BLE001
        return [code]


def hospitals_by_city() -> list[dict[str, Any]]:
    items = hospital_views()
    out = []
    for city in CITIES:
        hs = [h for h in items if h.data.get("city") == city]
        out.append(
            {
                "city": city,
                "city_zh": CITY_ZH[city],
                "count": len(hs),
                "oncology": sum(1 for h in hs if h.data.get("oncology_relevant")),
                "cancer_centres": [h for h in hs if h.data.get("type") == "cancer_centre"],
                "position": CITY_POSITION[city],
            }
        )
    return out
