"""Loading the validated knowledge base into the database (idempotent) and comparing versions."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from pydantic import BaseModel

from onconav.kb.models import KBRecord, KBRecordTerm, KnowledgeBaseLoad, RecordKind
from onconav.kb.public import is_curator_note
from onconav.kb.search import zh_grams
from onconav.kbdata.loader import KnowledgeBase, load_knowledge_base

# Section name in KnowledgeBase -> (record kind, key attribute)
SECTIONS: dict[str, tuple[str, str]] = {
    "modalities": (RecordKind.MODALITY, "id"),
    "cancers": (RecordKind.CANCER, "oncotree_code"),
    "biomarkers": (RecordKind.BIOMARKER, "id"),
    "drugs": (RecordKind.DRUG, "inn"),
    "regimens": (RecordKind.REGIMEN, "id"),
    "evidence": (RecordKind.EVIDENCE, "id"),
    "trials": (RecordKind.TRIAL, "id"),
    "hospitals": (RecordKind.HOSPITAL, "id"),
    "references": (RecordKind.REFERENCE, "ref"),
}


def record_json(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=False)


def _texts(value: Any, lang: str) -> list[str]:
    """Every string of one language in a record (Text dicts carry en/zh)."""
    out: list[str] = []
    if isinstance(value, dict):
        if set(value) == {"en", "zh"}:
            out.append(str(value[lang]))
        else:
            for k, v in value.items():
                if k in ("sources", "references", "reviewed", "verified") or is_curator_note(k, v):
                    continue
                out.extend(_texts(v, lang))
    elif isinstance(value, list):
        for v in value:
            out.extend(_texts(v, lang))
    elif isinstance(value, str) and lang == "en":
        out.append(value)
    return out


def _names(kind: str, data: dict[str, Any]) -> tuple[str, str]:
    name = data.get("name")
    if isinstance(name, dict):
        return name.get("en", ""), name.get("zh", "")
    if kind == RecordKind.DRUG:
        return data["inn"], data.get("name_zh") or ""
    if kind == RecordKind.HOSPITAL:
        return data.get("name") or "", data.get("name_zh") or ""
    if kind == RecordKind.EVIDENCE:
        return data["summary"]["en"], data["summary"]["zh"]
    if kind == RecordKind.REFERENCE:
        return data["title"], data.get("title_zh") or ""
    return str(name or data.get("id", "")), ""


def _row(kind: str, key: str, data: dict[str, Any], kb: KnowledgeBase, version: str) -> dict[str, Any]:
    name_en, name_zh = _names(kind, data)
    drugs: list[str] = []
    if kind == RecordKind.REGIMEN:
        drugs = list(data.get("drugs", []))
    elif kind == RecordKind.EVIDENCE:
        reg = kb.regimen_by_id.get(data["regimen"])
        drugs = list(reg.drugs) if reg else []
    zh_extra = [data.get("name_zh") or ""] if kind in (RecordKind.DRUG, RecordKind.HOSPITAL) else []
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return {
        "name_en": name_en[:300],
        "name_zh": name_zh[:300],
        "cancer": data.get("cancer", "") if kind == RecordKind.EVIDENCE else "",
        "regimen": data.get("regimen", "") if kind == RecordKind.EVIDENCE else "",
        "level": data.get("level", "") if kind == RecordKind.EVIDENCE else "",
        "parent": str(data.get("parent") or "")[:40] if kind == RecordKind.CANCER else "",
        "modality": data.get("modality", "") or (data.get("id", "") if kind == RecordKind.MODALITY else ""),
        "drugs": drugs,
        "verified": bool(data.get("verified", True)),
        "search_en": " ".join([key, *_texts(data, "en")])[:20000],
        "search_zh": " ".join([*zh_extra, *_texts(data, "zh")])[:20000],
        "search_grams": zh_grams(" ".join([name_zh, *zh_extra, *_texts(data, "zh")])[:20000]),
        "data": data,
        "content_hash": hashlib.sha256(blob.encode()).hexdigest(),
        "version": version,
    }


def evidence_terms(data: dict[str, Any], drugs: list[str]) -> set[tuple[str, str]]:
    """The (field, value) pairs an evidence item is filtered by: its regimen's drugs, and the
    biomarkers it requires, accepts any of, or sets a threshold on."""
    markers = [
        *data.get("biomarkers", []),
        *data.get("biomarkers_any", []),
        *(t["marker"] for t in data.get("thresholds", [])),
    ]
    return {(KBRecordTerm.DRUG, d) for d in drugs or []} | {(KBRecordTerm.BIOMARKER, m) for m in markers}


def evidence_terms_refresh() -> int:
    """Rebuild the evidence filter terms (``KBRecordTerm``) from the loaded records; the count."""
    KBRecordTerm.objects.all().delete()
    terms = [
        KBRecordTerm(record_id=pk, field=field, value=value[:300])
        for pk, data, drugs in KBRecord.objects.filter(kind=RecordKind.EVIDENCE).values_list(
            "id", "data", "drugs"
        )
        for field, value in sorted(evidence_terms(data, drugs))
    ]
    KBRecordTerm.objects.bulk_create(terms, batch_size=1000)
    return len(terms)


def kb_records(kb: KnowledgeBase) -> dict[tuple[str, str], dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for section, (kind, key_attr) in SECTIONS.items():
        for model in getattr(kb, section):
            key = str(getattr(model, key_attr))
            out.setdefault((kind, key), record_json(model))
    return out


def kb_change_report(
    old: dict[tuple[str, str], dict[str, Any]], new: dict[tuple[str, str], dict[str, Any]]
) -> dict[str, Any]:
    """What a new version changes: records added, removed, and changed (with the changed fields)."""
    added = sorted(f"{k}:{i}" for (k, i) in new.keys() - old.keys())
    removed = sorted(f"{k}:{i}" for (k, i) in old.keys() - new.keys())
    changed: dict[str, list[str]] = {}
    for ident in sorted(new.keys() & old.keys()):
        a, b = old[ident], new[ident]
        if a != b:
            fields = sorted(f for f in set(a) | set(b) if a.get(f) != b.get(f) and f != "reviewed")
            changed[f"{ident[0]}:{ident[1]}"] = fields or ["reviewed"]
    return {"added": added, "removed": removed, "changed": changed}


@transaction.atomic
def kb_load(*, path: Path | None = None) -> KnowledgeBaseLoad:
    """Validate the tree (strict) and mirror it into the database. Running it twice changes nothing
    the second time. Nothing is written when validation fails."""
    kb = load_knowledge_base(path or settings.KNOWLEDGE_BASE_PATH, strict=True)
    new = kb_records(kb)
    existing = {(r.kind, r.key): r for r in KBRecord.objects.all()}
    old = {ident: r.data for ident, r in existing.items()}
    report = kb_change_report(old, new)
    added = updated = unchanged = 0
    to_create = []
    for ident, data in new.items():
        row = _row(ident[0], ident[1], data, kb, kb.version)
        current = existing.get(ident)
        if current is None:
            to_create.append(KBRecord(kind=ident[0], key=ident[1], **row))
            added += 1
        elif current.content_hash != row["content_hash"] or current.version != kb.version:
            for field, value in row.items():
                setattr(current, field, value)
            current.save()
            updated += 1
        else:
            unchanged += 1
    KBRecord.objects.bulk_create(to_create, batch_size=500)
    gone = [existing[i].pk for i in existing.keys() - new.keys()]
    KBRecord.objects.filter(pk__in=gone).delete()
    evidence_terms_refresh()
    from onconav.kb.selectors import kb_cache_clear

    kb_cache_clear()
    from onconav.hospitals.index import hospital_index_refresh

    hospital_index_refresh()  # the directory index, with the approved partner changes
    return KnowledgeBaseLoad.objects.create(
        version=kb.version,
        added=added,
        updated=updated,
        removed=len(gone),
        unchanged=unchanged,
        report=report,
    )
