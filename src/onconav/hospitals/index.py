"""The hospital directory's index (``HospitalEntry``): one row per hospital with the columns the
directory filters, sorts and pages on, built from the KB record with the approved partner changes
applied. Rebuilt in full at every knowledge-base load, and for one hospital when its record is
saved or a change to it is approved; ``onconav manage hospital_index`` rebuilds it by hand."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

CANCER_CENTRE = "cancer_centre"


def members(values: Iterable[Any], *, lower: bool = False) -> str:
    """A list as ``|a|b|`` ('' when empty): ``contains('|a|')`` finds a member on any database."""
    items = [str(v).lower() if lower else str(v) for v in values if v is not None and str(v) != ""]
    return f"|{'|'.join(items)}|" if items else ""


def member(value: str, *, lower: bool = False) -> str:
    return f"|{value.lower() if lower else value}|"


def city_rank(city: str) -> int:
    from onconav.hospitals.selectors import CITIES

    return CITIES.index(city) if city in CITIES else 99


def entry_fields(
    key: str,
    data: dict[str, Any],
    *,
    updates: list[dict[str, Any]],
    search_en: str = "",
    search_zh: str = "",
    record_name_zh: str = "",
) -> dict[str, Any]:
    """The index columns of one hospital (the record's ``data`` with ``updates`` applied)."""
    from onconav.hospitals.audience import audiences
    from onconav.hospitals.selectors import _apply_updates
    from onconav.kb.search import zh_grams

    d = _apply_updates(data, updates)
    search = "\n".join([key, record_name_zh or "", search_en or "", search_zh or ""]).lower()
    city = str(d.get("city") or "")
    kind = str(d.get("type") or "")
    onc = d.get("oncology_relevant")
    accreditations = d.get("accreditations") or []
    return {
        "name": str(d.get("name") or "")[:300],
        "name_zh": str(d.get("name_zh") or "")[:300],
        "city": city[:60],
        "type": kind[:40],
        "sort_group": city_rank(city) * 2 + (0 if kind == CANCER_CENTRE else 1),
        "oncology_relevant": None if onc is None else bool(onc),
        "verified": bool(d.get("verified", False)),
        "international_department": bool(d.get("international_department")),
        "accredited_verified": any(a.get("verified") for a in accreditations),
        "capabilities": members(d.get("capabilities") or []),
        "languages": members(d.get("languages") or [], lower=True),
        "accreditations": members(a.get("body") for a in accreditations),
        "audiences": members(sorted(audiences(d))),
        # what the directory's free-text search looks in (the record's key, Chinese name and
        # search text in both languages), in lower case
        "search": search,
        "search_grams": zh_grams(search),
        "updates": updates,
    }


def _approved(keys: list[str] | None) -> dict[str, list[dict[str, Any]]]:
    from onconav.hospitals.models import HospitalChangeRequest

    qs = HospitalChangeRequest.objects.filter(status=HospitalChangeRequest.Status.APPROVED)
    if keys is not None:
        qs = qs.filter(hospital_id__in=keys)
    out: dict[str, list[dict[str, Any]]] = {}
    for hid, changes in qs.order_by("reviewed_at", "id").values_list("hospital_id", "changes"):
        out.setdefault(hid, []).append(changes)
    return out


def hospital_index_refresh(keys: list[str] | None = None) -> int:
    """Rebuild the index rows of these hospitals (every hospital when ``keys`` is None); returns
    how many rows were written."""
    from onconav.hospitals.models import HospitalEntry
    from onconav.kb.models import KBRecord, RecordKind

    records = KBRecord.objects.filter(kind=RecordKind.HOSPITAL).only(
        "id", "key", "name_zh", "search_en", "search_zh", "data"
    )
    if keys is not None:
        records = records.filter(key__in=keys)
    approved = _approved(keys)
    n = 0
    with transaction.atomic():
        stale = HospitalEntry.objects.all() if keys is None else HospitalEntry.objects.filter(key__in=keys)
        stale.delete()
        batch: list[HospitalEntry] = []
        for r in records.order_by("id").iterator(chunk_size=1000):
            ups = approved.get(r.key, [])
            batch.append(
                HospitalEntry(
                    record_id=r.pk,
                    key=r.key,
                    **entry_fields(
                        r.key,
                        r.data,
                        updates=ups,
                        search_en=r.search_en,
                        search_zh=r.search_zh,
                        record_name_zh=r.name_zh,
                    ),
                )
            )
            if len(batch) >= 1000:
                HospitalEntry.objects.bulk_create(batch)
                n += len(batch)
                batch = []
        HospitalEntry.objects.bulk_create(batch)
        n += len(batch)
    from onconav.hospitals.directory import directory_reset

    directory_reset()
    transaction.on_commit(directory_reset)
    return n


def _record_saved(sender, instance, raw=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """A hospital record written one at a time (not by the bulk load, which rebuilds everything)."""
    from onconav.kb.models import RecordKind

    if not raw and instance.kind == RecordKind.HOSPITAL:
        hospital_index_refresh([instance.key])
