"""Reads: search, one study, and the compiled trials matching works on (kept per process)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from onconav.trials.matching import CompiledTrial, compile_trial
from onconav.trials.models import Study

STATUS_CHOICES = (
    "RECRUITING",
    "NOT_YET_RECRUITING",
    "ENROLLING_BY_INVITATION",
    "ACTIVE_NOT_RECRUITING",
    "COMPLETED",
)
PHASE_CHOICES = ("EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4")
KIND_CHOICES = ("car_t", "bispecific", "adc")


def search_studies(
    *, condition: str = "", kind: str = "", phase: str = "", city: str = "", status: str = ""
) -> QuerySet[Study]:
    qs = Study.objects.prefetch_related("sites")
    if condition:
        qs = qs.filter(
            Q(title__icontains=condition)
            | Q(conditions__icontains=condition)
            | Q(condition_codes__icontains=condition.upper())
        )
    if kind in KIND_CHOICES:
        qs = qs.filter(intervention_kinds__icontains=kind)
    if phase in PHASE_CHOICES:
        qs = qs.filter(phases__icontains=f'"{phase}"')
    if city:
        qs = qs.filter(sites__city__icontains=city)
    if status in STATUS_CHOICES:
        qs = qs.filter(status=status)
    return qs.distinct().order_by("-is_demo", "nct_id")


def study_get(nct_id: str) -> Study:
    """Registry records are public: every visitor may read them. Http404 when unknown."""
    try:
        return Study.objects.prefetch_related("sites", "criteria").get(nct_id=(nct_id or "").upper())
    except Study.DoesNotExist as exc:
        raise Http404 from exc


def trial_record(study: Study) -> dict[str, Any]:
    return {
        "nct_id": study.nct_id,
        "title": study.title,
        "phases": study.phases,
        "status": study.status,
        "conditions": study.conditions,
        "min_age": study.min_age_years,
        "max_age": study.max_age_years,
        "sex": study.sex,
        "intervention_types": study.intervention_kinds,
        "criteria": [
            {
                "index": c.index,
                "kind": c.kind,
                "text": c.text,
                "parent": c.parent.index if c.parent_id else None,
                "depth": c.depth,
                "check": c.structured,
                "any_of": c.any_of,
            }
            for c in sorted(study.criteria.all(), key=lambda x: x.index)
        ],
        "sites": [
            {
                "facility": s.facility,
                "city": s.city,
                "country": s.country,
                "status": s.status,
                "contact": " ".join(x for x in (s.contact_name, s.contact_phone, s.contact_email) if x),
            }
            for s in study.sites.all()
        ],
        "extra": {"is_demo": study.is_demo, "kinds": study.intervention_kinds, "sponsor": study.sponsor},
    }


_CACHE: dict[str, Any] = {"stamp": None, "trials": []}


def compiled_trials() -> list[CompiledTrial]:
    """Every study compiled once; rebuilt when an import changes the table."""
    agg = Study.objects.aggregate(stamp=Max("imported_at"), n=Count("id"))  # one query
    stamp = (agg["stamp"], agg["n"])
    if _CACHE["stamp"] != stamp:
        studies = Study.objects.prefetch_related("sites", "criteria__parent")
        _CACHE["trials"] = [compile_trial(trial_record(s)) for s in studies]
        _CACHE["stamp"] = stamp
    return list(_CACHE["trials"])
