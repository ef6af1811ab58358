"""Clinical trials: search and detail (public registry data) and matching a profile (nothing stored)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Body, Query, Router, Schema
from ninja.responses import Status

from onconav.api.schemas import ErrorBody
from onconav.engine.profile import ProfileError, parse_profile
from onconav.foundation.ratelimit import client_ip, hit
from onconav.trials import selectors
from onconav.trials.matching import OPEN_SITE_STATUSES, match_trials, sort_sites
from onconav.trials.options import investigational_label
from onconav.trials.plain import describe_check

router = Router(tags=["trials"])


class TrialFilters(Schema):
    condition: str = ""
    kind: str = ""  # car_t | bispecific | adc
    phase: str = ""  # PHASE1 ... PHASE4
    city: str = ""
    status: str = ""  # RECRUITING, NOT_YET_RECRUITING, ...
    limit: int = 50


class SiteOut(Schema):
    facility: str
    city: str
    country: str
    status: str
    open: bool
    contact: str = ""


class TrialOut(Schema):
    nct_id: str
    title: str
    phase: str
    status: str
    conditions: list[str]
    intervention_kinds: list[str]
    label: str  # always "investigational"
    is_demo: bool
    sites: list[SiteOut]


class CriterionOut(Schema):
    kind: str
    text: str  # verbatim, as registered
    plain: str  # in plain language, in the requested language
    depth: int
    checked: bool


class TrialDetail(TrialOut):
    brief_summary: str
    sponsor: str
    record_date: str | None
    criteria: list[CriterionOut]


class MatchedCriterion(Schema):
    text: str
    kind: str
    verdict: str  # met | not_met | unknown
    reason: str
    reason_code: str
    depth: int


class MatchedTrial(Schema):
    nct_id: str
    title: str
    phase: str
    status: str
    score: float
    not_met: int
    unknown: int
    is_demo: bool
    criteria: list[MatchedCriterion]
    sites: list[SiteOut]


class TrialMatchOut(Schema):
    trials: list[MatchedTrial]
    label: str


def _lang_error(lang: str) -> Any:
    if lang in ("en", "zh-hans"):
        return None
    return Status(
        422,
        {
            "detail": "The request has invalid fields.",
            "errors": [{"field": "query.lang", "message": "must be en or zh-hans"}],
        },
    )


def _sites(study: Any) -> list[dict[str, Any]]:
    rows = [
        {
            "facility": s.facility,
            "city": s.city,
            "country": s.country,
            "status": s.status,
            "open": s.status in OPEN_SITE_STATUSES,
            "contact": " ".join(x for x in (s.contact_name, s.contact_phone, s.contact_email) if x),
        }
        for s in study.sites.all()
    ]
    return sort_sites(rows)


def _out(study: Any, lang: str) -> dict[str, Any]:
    return {
        "nct_id": study.nct_id,
        "title": study.title,
        "phase": "/".join(study.phases),
        "status": study.status,
        "conditions": study.conditions,
        "intervention_kinds": study.intervention_kinds,
        "label": "investigational",
        "is_demo": study.is_demo,
        "sites": _sites(study),
    }


@router.get(
    "/trials", response={200: list[TrialOut], 422: ErrorBody}, auth=None, summary="Search clinical trials"
)
def trial_search(request: HttpRequest, filters: Query[TrialFilters], lang: str = "en"):  # type: ignore[no-untyped-def]
    if err := _lang_error(lang):
        return err
    f = filters.dict()
    limit = max(1, min(int(f.pop("limit") or 50), 200))
    return [_out(s, lang) for s in selectors.search_studies(**f)[:limit]]


@router.post(
    "/trials/match",
    response={200: TrialMatchOut, 422: ErrorBody, 429: ErrorBody},
    auth=None,
    summary="Trials for a patient profile, criterion by criterion",
    description=(
        "Body: a patient profile (version 1). Every recruiting trial with a verdict per criterion "
        "(met / not_met / unknown) and the reason; trials with a not_met criterion come last "
        "(contracts.md section 5). Nothing is stored."
    ),
)
def trial_match(request: HttpRequest, profile: dict[str, Any] = Body(...), lang: str = "en", limit: int = 20):  # type: ignore[no-untyped-def]
    if not hit(
        f"api-trials:{client_ip(request)}", limit=settings.API_RATE_LIMIT_PER_MINUTE, window_seconds=60
    ):
        return Status(429, {"detail": "Too many requests.", "errors": []})
    if err := _lang_error(lang):
        return err
    try:
        parsed = parse_profile(profile)
    except ProfileError as exc:
        errors = [
            {"field": f"body.{e['field']}" if e.get("field") else "body", "message": e["message"]}
            for e in exc.errors
        ]
        return Status(422, {"detail": "The profile is not valid.", "errors": errors})
    trials = match_trials(parsed, selectors.compiled_trials(), lang=lang, limit=max(1, min(limit, 100)))
    return {"trials": trials, "label": investigational_label(lang)}


@router.get(
    "/trials/{nct_id}",
    response={200: TrialDetail, 404: ErrorBody, 422: ErrorBody},
    auth=None,
    summary="One trial with its criteria (original text and plain language)",
)
def trial_detail(request: HttpRequest, nct_id: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    if err := _lang_error(lang):
        return err
    study = selectors.study_get(nct_id)
    return {
        **_out(study, lang),
        "brief_summary": study.brief_summary,
        "sponsor": study.sponsor,
        "record_date": study.record_date.isoformat() if study.record_date else None,
        "criteria": [
            {
                "kind": c.kind,
                "text": c.text,
                "plain": describe_check(c.structured, lang),
                "depth": c.depth,
                "checked": c.structured is not None,
            }
            for c in sorted(study.criteria.all(), key=lambda x: x.index)
        ],
    }
