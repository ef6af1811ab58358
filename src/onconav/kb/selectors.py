"""Reads of the knowledge base (from the database mirror)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.http import Http404

from onconav.kb.labels import labels_cache_clear
from onconav.kb.models import KBRecord, KBRecordTerm, KnowledgeBaseLoad, RecordKind
from onconav.kb.public import public_data

LEVEL_ORDER = {"1": 0, "2": 1, "3A": 2, "3B": 3, "4": 4, "R1": 5, "R2": 6}
EXPORT_ORDER = [
    "modalities",
    "cancers",
    "biomarkers",
    "drugs",
    "regimens",
    "evidence",
    "hospitals",
    "trials",
    "references",
]
KIND_OF_SECTION = {
    "modalities": RecordKind.MODALITY,
    "cancers": RecordKind.CANCER,
    "biomarkers": RecordKind.BIOMARKER,
    "drugs": RecordKind.DRUG,
    "regimens": RecordKind.REGIMEN,
    "evidence": RecordKind.EVIDENCE,
    "hospitals": RecordKind.HOSPITAL,
    "trials": RecordKind.TRIAL,
    "references": RecordKind.REFERENCE,
}


def kb_cache_clear() -> None:
    _lineage_map.cache_clear()
    reference_index.cache_clear()
    labels_cache_clear()


def kb_version() -> str | None:
    load = KnowledgeBaseLoad.objects.only("version").first()
    return load.version if load else None


def records(kind: str) -> QuerySet[KBRecord]:
    return KBRecord.objects.filter(kind=kind).order_by("key")


@lru_cache(maxsize=1)
def reference_index() -> dict[str, dict[str, Any]]:
    """Reference records by reference string (``LABEL:FDA Tagrisso ...`` -> type, title, url)."""
    return {r.key: public_data(r.data) for r in KBRecord.objects.filter(kind=RecordKind.REFERENCE)}


def record_get(kind: str, key: str) -> KBRecord:
    rec = KBRecord.objects.filter(kind=kind, key=key).first()
    if rec is None:
        raise Http404(f"no {kind} {key}")
    return rec


@lru_cache(maxsize=1)
def _lineage_map() -> dict[str, str | None]:
    return {
        key: parent or None
        for key, parent in KBRecord.objects.filter(kind=RecordKind.CANCER).values_list("key", "parent")
    }


def cancer_lineage(code: str) -> list[str]:
    parents = _lineage_map()
    out: list[str] = []
    while code and code in parents and code not in out:
        out.append(code)
        code = parents[code] or ""
    return out


def leaf_cancers() -> QuerySet[KBRecord]:
    """The cancer records no other cancer names as its parent, by English name (in the database,
    from the indexed ``parent`` column: names and keys only). ``NOT IN`` the set of parent codes:
    the database builds that set once (a hashed subplan) from the (kind, parent) index."""
    parents = KBRecord.objects.filter(kind=RecordKind.CANCER).exclude(parent="").values("parent")
    return (
        KBRecord.objects.filter(kind=RecordKind.CANCER)
        .exclude(key__in=parents)
        .only(*RESULT_FIELDS)
        .order_by("name_en", "key")
    )


def cancer_children(code: str) -> list[KBRecord]:
    """The cancers whose parent is ``code``, by key (an index read)."""
    return list(records(RecordKind.CANCER).filter(parent=code).only(*RESULT_FIELDS))


def _by_level(items: list[KBRecord]) -> list[KBRecord]:
    return sorted(items, key=lambda r: (LEVEL_ORDER.get(r.level, 9), r.data.get("setting", ""), r.key))


def evidence_for_cancer(code: str) -> dict[str, list[KBRecord]]:
    """Evidence written for this cancer or its descendants, and what applies from its ancestors
    (e.g. tumour-agnostic items written for every solid tumour)."""
    lineage = cancer_lineage(code)
    descendants = {code}
    parents = _lineage_map()
    changed = True
    while changed:
        changed = False
        for c, p in parents.items():
            if p in descendants and c not in descendants:
                descendants.add(c)
                changed = True
    own = list(KBRecord.objects.filter(kind=RecordKind.EVIDENCE, cancer__in=descendants))
    inherited = list(KBRecord.objects.filter(kind=RecordKind.EVIDENCE, cancer__in=lineage[1:]))
    return {"own": _by_level(own), "inherited": _by_level(inherited)}


def cancer_names(codes: list[str] | None = None) -> dict[str, dict[str, str]]:
    """Bilingual names of the cancer records by OncoTree code (only of ``codes`` when given)."""
    qs = KBRecord.objects.filter(kind=RecordKind.CANCER)
    if codes is not None:
        qs = qs.filter(key__in=codes)
    return {
        r.key: {"en": r.name_en, "zh": r.name_zh or r.name_en} for r in qs.only("key", "name_en", "name_zh")
    }


def biomarker_names(ids: list[str]) -> dict[str, dict[str, str]]:
    """Bilingual names of biomarkers by id ({"EGFR:L858R": {"en": ..., "zh": ...}})."""
    return {
        r.key: {"en": r.name_en, "zh": r.name_zh or r.name_en}
        for r in KBRecord.objects.filter(kind=RecordKind.BIOMARKER, key__in=set(ids))
    }


AGENCY_ORDER = {"NMPA": 0, "FDA": 1, "EMA": 2}


def approvals_in_order(approvals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """China first, then the FDA and the EMA; current indications before withdrawn ones; oldest
    first within each (an unknown year last)."""
    return sorted(
        approvals,
        key=lambda a: (
            AGENCY_ORDER.get(a["agency"], 9),
            a.get("withdrawn") is not None,
            a.get("year") or 9999,
        ),
    )


def regimens_with_drug(inn: str) -> list[KBRecord]:
    return [r for r in records(RecordKind.REGIMEN) if inn in (r.drugs or [])]


def evidence_for_drug(inn: str) -> list[KBRecord]:
    regimen_ids = [r.key for r in regimens_with_drug(inn)]
    return _by_level(list(KBRecord.objects.filter(kind=RecordKind.EVIDENCE, regimen__in=regimen_ids)))


def evidence_filtered(
    *, cancer: str = "", biomarker: str = "", level: str = "", drug: str = ""
) -> QuerySet[KBRecord]:
    """Evidence items filtered and ordered in the database (by level, setting, key, as on the
    cancer and drug pages): the cancer by its lineage (an item written for an ancestor applies),
    the drug and the biomarker through the indexed ``KBRecordTerm`` table."""
    qs = KBRecord.objects.filter(kind=RecordKind.EVIDENCE)
    if cancer:
        qs = qs.filter(cancer__in=cancer_lineage(cancer) or [cancer])
    if level:
        qs = qs.filter(level=level)
    for field, value in ((KBRecordTerm.BIOMARKER, biomarker), (KBRecordTerm.DRUG, drug)):
        if value:
            qs = qs.filter(
                Exists(KBRecordTerm.objects.filter(record=OuterRef("pk"), field=field, value=value))
            )
    rank = Case(*(When(level=lv, then=Value(i)) for lv, i in LEVEL_ORDER.items()), default=Value(9))
    return qs.order_by(rank, Coalesce(KT("data__setting"), Value("")), "key")


# what a search result shows (never the record's data or search text)
RESULT_FIELDS = ("id", "kind", "key", "name_en", "name_zh", "verified")


def kb_search(query: str, *, limit: int = 50, offset: int = 0) -> list[KBRecord]:
    """Full-text search in both languages over the stored, indexed search document
    (``onconav.kb.search``: PostgreSQL tsvector + GIN, SQLite FTS5; Chinese by n-grams). The
    records come with their names only (``RESULT_FIELDS``)."""
    from onconav.kb.search import search_ids

    q = (query or "").strip()
    if not q:
        return []
    ids = search_ids(q, limit=limit, offset=offset, exclude_kind=RecordKind.REFERENCE)
    by_id = KBRecord.objects.only(*RESULT_FIELDS).in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def _flatten_text(value: Any) -> Any:
    """Contract shape: a bilingual {en, zh} field ``f`` becomes ``f`` (English) and ``f_zh``."""
    if isinstance(value, list):
        return [_flatten_text(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for k, v in value.items():
        if isinstance(v, dict) and set(v) == {"en", "zh"}:
            out[k] = v["en"]
            out.setdefault(f"{k}_zh", v["zh"])
        elif isinstance(v, list) and v and all(isinstance(x, dict) and set(x) == {"en", "zh"} for x in v):
            out[k] = [x["en"] for x in v]
            out[f"{k}_zh"] = [x["zh"] for x in v]
        else:
            out[k] = _flatten_text(v)
    return out


def kb_export() -> dict[str, Any]:
    """The whole loaded knowledge base as one document (contracts.md section 4), without curator
    notes (``onconav.kb.public``)."""
    doc: dict[str, Any] = {"version": kb_version()}
    for section in EXPORT_ORDER:
        doc[section] = [_flatten_text(public_data(r.data)) for r in records(KIND_OF_SECTION[section])]
    return doc


def kb_counts() -> dict[str, int]:
    from django.db.models import Count

    rows = KBRecord.objects.values("kind").annotate(n=Count("id"))
    return {r["kind"]: r["n"] for r in rows}
