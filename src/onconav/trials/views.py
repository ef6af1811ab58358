"""Trial pages: search, one trial (criteria in plain language next to the original text), and
"trials for my case" for a signed-in patient."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from onconav.audit.services import audited
from onconav.cases.selectors import case_get_for_user, cases_visible_to
from onconav.trials import selectors
from onconav.trials.matching import OPEN_SITE_STATUSES, match_trials, sort_sites
from onconav.trials.options import investigational_label
from onconav.trials.plain import describe_check


def _lang() -> str:
    return "zh-hans" if (get_language() or "").startswith("zh") else "en"


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    f = {k: request.GET.get(k, "").strip()[:100] for k in ("condition", "kind", "phase", "city", "status")}
    studies = list(selectors.search_studies(**f)[:100])
    for s in studies:
        s.open_sites = [x for x in s.sites.all() if x.status in OPEN_SITE_STATUSES]
    ctx = {
        "studies": studies,
        "filters": f,
        "kinds": selectors.KIND_CHOICES,
        "phases": selectors.PHASE_CHOICES,
        "statuses": selectors.STATUS_CHOICES,
        "investigational": investigational_label(_lang()),
    }
    return render(request, "trials/search.html", ctx)


@require_GET
def detail(request: HttpRequest, nct_id: str) -> HttpResponse:
    study = selectors.study_get(nct_id)
    lang = _lang()
    rows = [
        {"c": c, "plain": describe_check(c.structured, lang)}
        for c in sorted(study.criteria.all(), key=lambda x: x.index)
    ]
    sites = sort_sites(
        [
            {
                "facility": s.facility,
                "city": s.city,
                "country": s.country,
                "status": s.status,
                "contact": " · ".join(x for x in (s.contact_name, s.contact_phone, s.contact_email) if x),
            }
            for s in study.sites.all()
        ]
    )
    ctx = {
        "study": study,
        "rows": rows,
        "sites": sites,
        "open_statuses": OPEN_SITE_STATUSES,
        "investigational": investigational_label(lang),
    }
    return render(request, "trials/detail.html", ctx)


@login_required
@require_GET
@audited("case", action="read", id_kwarg="case_id")
def for_case(request: HttpRequest, case_id: Any = None) -> HttpResponse:
    """Trials matched against one of the user's cases (the case access helper decides who may)."""
    cases = list(cases_visible_to(request.user).order_by("-created_at")[:50])
    case = None
    trials: list[dict[str, Any]] = []
    chosen = case_id or request.GET.get("case") or (str(cases[0].public_id) if len(cases) == 1 else "")
    if chosen:
        case = case_get_for_user(user=request.user, case_id=chosen, perm="cases.view_options")
        if case.profile:
            trials = match_trials(case.profile, selectors.compiled_trials(), lang=_lang(), limit=20)
    return render(
        request,
        "trials/for_case.html",
        {"cases": cases, "case": case, "trials": trials, "investigational": investigational_label(_lang())},
    )
