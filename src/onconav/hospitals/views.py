from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onconav.hospitals import selectors, services
from onconav.hospitals.forms import ChangeRequestForm, DirectoryFilterForm, MatchForm
from onconav.hospitals.matching import hospital_match
from onconav.hospitals.models import HospitalChangeRequest

PAGE_SIZE = 24


def directory(request: HttpRequest) -> HttpResponse:
    from urllib.parse import quote

    from django.core.paginator import Paginator
    from django.urls import reverse

    data = request.GET.copy()
    data.pop("page", None)
    form = DirectoryFilterForm(data)
    # filtered, ordered, counted and paged in the database: one page of hospitals is read
    hospitals = selectors.hospitals_filtered_qs(**form.filters())
    page = Paginator(hospitals, PAGE_SIZE).get_page(request.GET.get("page"))
    query = data.urlencode()
    template = "hospitals/_list.html" if request.headers.get("HX-Request") else "hospitals/directory.html"
    # each card's address: the hospital page's resolved once, then quoted as reverse() quotes
    head, tail = reverse("hospitals:detail", kwargs={"hospital_id": "HOSPITAL-ID"}).split("HOSPITAL-ID")
    cards = [
        (h, head + quote(h.id, safe="!$&'()*+,;=/~:@") + tail)
        for h in (selectors.entry_view(e) for e in page.object_list)
    ]
    return render(
        request,
        template,
        {
            "form": form,
            "hospitals": cards,  # (hospital, its page)
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "total": page.paginator.count,
            "query": query,
        },
    )


def city_map(request: HttpRequest) -> HttpResponse:
    cities = selectors.hospitals_by_city()
    for c in cities:
        lon, lat = c["position"]
        c["x"] = round((lon - 100) / 24 * 520 + 40)
        c["y"] = round((42 - lat) / 25 * 460 + 30)
    return render(request, "hospitals/map.html", {"cities": cities})


def detail(request: HttpRequest, hospital_id: str) -> HttpResponse:
    h = selectors.hospital_get(hospital_id)
    can_propose = request.user.is_authenticated and request.user.has_perm(
        "hospitals.propose_change", hospital_id
    )
    return render(request, "hospitals/detail.html", {"h": h, "can_propose": can_propose})


@require_http_methods(["GET", "POST"])
def match(request: HttpRequest) -> HttpResponse:
    """Treatment, age and budget are health and personal data: the search comes in a POST body,
    never in an address (web-server and proxy logs keep addresses)."""
    form = MatchForm(request.POST or None)
    matches = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        modalities = list(d["modalities"])
        if d.get("regimen"):
            from onconav.options.services import engine_get

            reg = engine_get().kb.regimen_by_id[d["regimen"]]
            modalities.append(str(reg.modality))
        matches = hospital_match(
            modalities=modalities,
            regimens=[d["regimen"]] if d.get("regimen") else [],
            cities=list(d["cities"]),
            languages=[x.strip() for x in (d.get("languages") or "").split(",") if x.strip()],
            budget_usd=d.get("budget_usd"),
            age=d.get("age"),
        )
    from onconav.costs.names import treatment_choices
    from onconav.pages.labels import is_zh

    return render(
        request,
        "hospitals/match.html",
        {"form": form, "matches": matches, "treatment_names": treatment_choices(is_zh())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose_change(request: HttpRequest, hospital_id: str) -> HttpResponse:
    if not request.user.has_perm("hospitals.propose_change", hospital_id):
        raise PermissionDenied
    h = selectors.hospital_get(hospital_id)
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_request_submit(
                user=request.user,
                hospital_id=hospital_id,
                changes=form.changes(),
                evidence=form.cleaned_data["evidence"],
                request=request,
            )
        except ValidationError as exc:
            for msg in exc.messages:
                form.add_error(None, msg)
        else:
            messages.success(
                request, _("Thank you. OncoNav will check the change and publish it once verified.")
            )
            return redirect("hospitals:detail", hospital_id=hospital_id)
    return render(request, "hospitals/propose.html", {"h": h, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def review_changes(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("hospitals.review_change"):
        raise PermissionDenied
    if request.method == "POST":
        cr = get_object_or_404(HospitalChangeRequest, public_id=request.POST.get("id"))
        try:
            services.change_request_review(
                user=request.user,
                change_request=cr,
                approve=request.POST.get("decision") == "approve",
                note=request.POST.get("note", ""),
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        return redirect("hospitals:review")
    pending = HospitalChangeRequest.objects.filter(
        status=HospitalChangeRequest.Status.PENDING
    ).select_related("submitted_by")
    return render(request, "hospitals/review.html", {"pending": pending})
