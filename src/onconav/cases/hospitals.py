"""Hospital names for display, from the knowledge base's directory (by string id)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def _hospitals() -> tuple[Any, ...]:
    try:
        from onconav.options.services import engine_get

        return tuple(getattr(engine_get().kb, "hospitals", ()) or ())
    except Exception:  # noqa: BLE001 - the directory is optional; ids still work without it
        return ()


def hospital_name(hospital_id: str, lang: str | None = None) -> str:
    zh = (lang or get_language() or "").startswith("zh")
    for h in _hospitals():
        if h.id == hospital_id:
            return (h.name_zh if zh and getattr(h, "name_zh", None) else h.name) or hospital_id
    return hospital_id


def hospital_city(hospital_id: str) -> str:
    for h in _hospitals():
        if h.id == hospital_id:
            return str(h.city)
    return ""


def hospital_type(hospital_id: str) -> str:
    for h in _hospitals():
        if h.id == hospital_id:
            return str(h.type)
    return "public_tertiary"


def hospital_choices(cities: list[str] | None = None) -> list[tuple[str, str]]:
    from onconav.pages.labels import label as city_label

    zh = (get_language() or "").startswith("zh")
    items = []
    for h in _hospitals():
        if cities and str(h.city) not in cities:
            continue
        label = (h.name_zh if zh and getattr(h, "name_zh", None) else h.name) or h.id
        city = city_label("city", str(h.city))
        items.append((h.id, f"{label}（{city}）" if zh else f"{label} ({city})"))
    return sorted(items, key=lambda x: x[1])


def hospital_exists(hospital_id: str) -> bool:
    hs = _hospitals()
    return not hs or any(h.id == hospital_id for h in hs)
