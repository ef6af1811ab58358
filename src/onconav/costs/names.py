"""Finding a treatment by the name a person knows: a regimen's name or alias, a drug's INN,
Chinese name, brand or other spelling, in English or Chinese. Internal ids are never asked for."""

from __future__ import annotations

from functools import lru_cache

from onconav.options.services import engine_get


def _norm(name: str) -> str:
    return " ".join(name.replace("（", "(").replace("）", ")").lower().split())


@lru_cache(maxsize=4)
def _index(kb_version: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """(normalised name -> regimen id, [(regimen id, English name, Chinese name)])."""
    kb = engine_get().kb
    index: dict[str, str] = {}
    names: list[tuple[str, str, str]] = []
    for r in kb.regimens:
        names.append((r.id, r.name.en, r.name.zh))
        for n in (r.name.en, r.name.zh, *r.aliases, r.id):
            index.setdefault(_norm(n), r.id)
    single = {r.drugs[0]: r.id for r in kb.regimens if len(r.drugs) == 1}
    for d in kb.drugs:
        target = single.get(d.inn) or next((r.id for r in kb.regimens if d.inn in r.drugs), None)
        if target is None:
            continue
        for n in (d.inn, d.name_zh, *d.brands, *d.aliases):
            index.setdefault(_norm(n), target)
    return index, sorted(names, key=lambda x: x[1].lower())


def treatment_resolve(name: str) -> str | None:
    """The regimen id for a treatment name (exact, case-insensitive), or None."""
    kb = engine_get().kb
    index, _names = _index(kb.version)
    key = _norm(name)
    if key in index:
        return index[key]
    # "Tagrisso (osimertinib)" and similar: try the part in brackets and the part before it
    if "(" in key:
        head, _sep, tail = key.partition("(")
        for part in (tail.rstrip(")").strip(), head.strip()):
            if part in index:
                return index[part]
    return None


def treatment_name(regimen_id: str | None, zh: bool) -> str:
    if not regimen_id:
        return ""
    reg = engine_get().kb.regimen_by_id.get(regimen_id)
    if reg is None:
        return ""
    return reg.name.zh if zh else reg.name.en


def treatment_choices(zh: bool) -> list[str]:
    """Names for the suggestion list: every regimen, then every drug with its brands."""
    kb = engine_get().kb
    _index_map, names = _index(kb.version)
    out = [zh_name if zh else en for _rid, en, zh_name in names]
    for d in sorted(kb.drugs, key=lambda d: d.inn):
        brands = f" ({', '.join(d.brands)})" if d.brands else ""
        out.append(f"{d.name_zh}{brands}" if zh else f"{d.inn}{brands}")
    return list(dict.fromkeys(out))
