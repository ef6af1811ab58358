"""Reads of the hospital directory (mirrored from knowledge/hospitals/ into KB records), with the
reviewed changes hospital partners submitted applied on top. Reads go to the directory index
(``HospitalEntry``, ``onconav.hospitals.index``): filtered, ordered and paged in the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404

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


def entry_view(e) -> HospitalView:  # type: ignore[no-untyped-def]
    """A directory index row (``HospitalEntry``, read ``with_data``) as shown: the record's data
    with the approved changes applied."""
    return HospitalView(id=e.key, data=_apply_updates(e.record.data, e.updates), updates=e.updates)


def entries():  # type: ignore[no-untyped-def]
    from onconav.hospitals.models import HospitalEntry

    return HospitalEntry.objects.all()


def with_data(qs):  # type: ignore[no-untyped-def]
    """The rows to show: with their record's data in the same query (and no search text)."""
    return qs.select_related("record").only("key", "city", "updates", "record__id", "record__data")


def hospital_views(qs=None) -> list[HospitalView]:  # type: ignore[no-untyped-def]
    """Hospitals as shown, from the directory index (``qs``: a ``HospitalEntry`` queryset; every
    hospital by key when None)."""
    if qs is None:
        qs = entries().order_by("key")
    return [entry_view(e) for e in (qs if qs.query.is_sliced else with_data(qs))]


def hospital_get(hospital_id: str) -> HospitalView:
    e = with_data(entries().filter(key=hospital_id)).first()
    if e is None:
        raise Http404("no such hospital")
    return entry_view(e)


def audience_q(*, age: float | None, lineage: list[str]) -> Q:
    """``fits_patient`` as a database filter: hospitals for adults in general, or whose special
    audience fits the patient (a child; an oral, eye, skin, breast or gynaecological cancer)."""
    from onconav.hospitals.audience import FITS
    from onconav.hospitals.index import member

    q = Q(audiences="")
    if age is not None and age < 18:
        q |= Q(audiences__contains=member("children"))
    lineage_set = set(lineage)
    for aud, fits in FITS.items():
        if lineage_set & fits:
            q |= Q(audiences__contains=member(aud))
    return q


def not_marked_irrelevant_q() -> Q:
    """Not marked as without oncology (``oncology_relevant`` true or unknown)."""
    return Q(oncology_relevant__isnull=True) | Q(oncology_relevant=True)


def name_order(*fields: str) -> list[Any]:
    """Order by name as Python sorts strings (code points), on SQLite and PostgreSQL alike."""
    from django.db import connection
    from django.db.models.functions import Collate

    collation = "C" if connection.vendor == "postgresql" else "BINARY"
    return [Collate(f, collation) for f in fields]


def hospitals_filtered_qs(
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
):  # type: ignore[no-untyped-def]
    """Directory search, in the database, in directory order (``HospitalEntry`` rows). By default
    only hospitals for adults with cancer in general: children's, dental, eye, skin, maternity and
    mental-health hospitals appear when ``include_special`` is set, or when they fit the patient
    (``age``, ``cancer``)."""
    from onconav.hospitals.index import member

    qs = entries()
    if q.strip():
        term = q.strip().lower()
        qs = qs.filter(search__contains=term)
        grams = _query_grams(term) if len(term) < 3 else []
        if grams:
            # PostgreSQL: one or two Chinese characters are too short for the trigram index: the
            # n-gram index narrows the rows (GIN) before the exact substring check
            qs = qs.extra(  # noqa: S610 - fixed SQL, the value is bound
                where=["hospitals_hospitalentry.search_grams_doc @@ plainto_tsquery('simple', %s)"],
                params=[" ".join(grams)],
            )
    if city:
        qs = qs.filter(city=city)
    if capability:
        qs = qs.filter(capabilities__contains=member(capability))
    if accreditation:
        qs = qs.filter(accreditations__contains=member(accreditation))
    if language:
        qs = qs.filter(languages__contains=member(language, lower=True))
    if hospital_type:
        qs = qs.filter(type=hospital_type)
    if oncology_only or cancer:
        qs = qs.filter(not_marked_irrelevant_q())
    if not include_special:
        qs = qs.filter(audience_q(age=age, lineage=_lineage(cancer)))
    if cancer:
        qs = qs.filter(
            Q(type__in=("cancer_centre", "public_tertiary", "public_general", "international", "private"))
            | ~Q(capabilities="")
        )
    return with_data(qs.order_by("sort_group", *name_order("name", "key")))


def _query_grams(term: str) -> list[str]:
    from django.db import connection

    from onconav.kb.search import query_grams

    return query_grams(term) if connection.vendor == "postgresql" else []


def hospitals_filtered(**filters: Any) -> list[HospitalView]:
    """``hospitals_filtered_qs`` read whole (small callers; pages use the queryset)."""
    return hospital_views(hospitals_filtered_qs(**filters))


def _lineage(code: str) -> list[str]:
    if not code:
        return []
    try:
        from onconav.options.services import engine_get

        return engine_get().kb.lineage(code)
    except Exception:  # noqa: BLE001
        return [code]


def hospitals_by_city() -> list[dict[str, Any]]:
    """Per city: how many hospitals, how many with oncology, and the cancer centres (counted in
    the database; only the cancer centres are read)."""
    from django.db.models import Count

    counts = {
        r["city"]: r
        for r in entries()
        .filter(city__in=CITIES)
        .values("city")
        .annotate(n=Count("id"), oncology=Count("id", filter=Q(oncology_relevant=True)))
    }
    centres: dict[str, list[HospitalView]] = {}
    for e in with_data(entries().filter(city__in=CITIES, type="cancer_centre").order_by("key")):
        centres.setdefault(e.city, []).append(entry_view(e))
    return [
        {
            "city": city,
            "city_zh": CITY_ZH[city],
            "count": counts.get(city, {}).get("n", 0),
            "oncology": counts.get(city, {}).get("oncology", 0),
            "cancer_centres": centres.get(city, []),
            "position": CITY_POSITION[city],
        }
        for city in CITIES
    ]
