"""The knowledge base mirrored into the database for browsing, search and the API.

The YAML tree under ``knowledge/`` is the source of truth (validated by ``onconav.kbdata``). Each
validated record is stored whole (``data``, JSON exactly as exported) with the columns needed to
list, filter and search it. Loading is idempotent: a record is rewritten only when its content hash
changes, and every load is recorded as a ``KnowledgeBaseLoad`` with its change report.
"""

from __future__ import annotations

from django.db import models


class RecordKind(models.TextChoices):
    MODALITY = "modality"
    CANCER = "cancer"
    BIOMARKER = "biomarker"
    DRUG = "drug"
    REGIMEN = "regimen"
    EVIDENCE = "evidence"
    TRIAL = "trial"
    HOSPITAL = "hospital"
    REFERENCE = "reference"  # what a LABEL: / GUIDELINE: / NOTICE: / BOOK: reference is, and its link


class KBRecord(models.Model):
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    key = models.CharField(max_length=300)  # id / inn / oncotree_code / reference
    name_en = models.CharField(max_length=300, blank=True)
    name_zh = models.CharField(max_length=300, blank=True)
    # Denormalised filters
    cancer = models.CharField(max_length=40, blank=True, db_index=True)  # evidence: cancer code
    regimen = models.CharField(max_length=120, blank=True, db_index=True)  # evidence: regimen id
    level = models.CharField(max_length=4, blank=True)  # evidence level
    modality = models.CharField(max_length=30, blank=True, db_index=True)
    # cancer: the OncoTree code of its parent ('' for a root), so that the leaf cancers, a cancer's
    # children and the lineage are read from an index instead of every cancer's ``data``
    parent = models.CharField(max_length=40, blank=True, default="")
    drugs = models.JSONField(default=list, blank=True)  # regimen / evidence: INNs
    verified = models.BooleanField(default=True)
    search_en = models.TextField(blank=True)
    search_zh = models.TextField(blank=True)
    # Chinese names and text as character unigrams and bigrams (onconav.kb.search); with
    # name_en / search_en it feeds the stored search document (tsvector + GIN, or SQLite FTS5).
    search_grams = models.TextField(blank=True)
    data = models.JSONField()
    content_hash = models.CharField(max_length=64)
    version = models.CharField(max_length=20)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "key"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="kb_record_kind_key_unique")]
        indexes = [
            models.Index(fields=["kind", "name_en"]),
            models.Index(fields=["kind", "parent"], name="kb_record_kind_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class KBRecordTerm(models.Model):
    """What an evidence item is filtered by in the database (``/api/v1/kb/evidence``): each drug of
    its regimen (``field="drug"``) and each biomarker it names, required, any-of or by threshold
    (``field="biomarker"``). Rebuilt from the records on every knowledge-base load
    (``onconav.kb.services.evidence_terms_refresh``)."""

    DRUG = "drug"
    BIOMARKER = "biomarker"

    record = models.ForeignKey(KBRecord, on_delete=models.CASCADE, related_name="terms")
    field = models.CharField(max_length=20)
    value = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["field", "value", "record"], name="kb_record_term_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.field}={self.value}"


class KnowledgeBaseLoad(models.Model):
    version = models.CharField(max_length=20)
    loaded_at = models.DateTimeField(auto_now_add=True)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.version} @ {self.loaded_at:%Y-%m-%d %H:%M}"
