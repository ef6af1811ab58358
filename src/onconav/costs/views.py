from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from onconav.costs.services import chart_svg, cost_estimate, currencies
from onconav.hospitals.selectors import CITIES
from onconav.options.services import engine_get

BANDS = [
    ("public_tertiary", _("Public hospital")),
    ("international", _("International department or hospital")),
    ("private", _("Private hospital")),
]


class EstimateForm(forms.Form):
    regimen = forms.CharField(
        label=_("Treatment (id from the options page)"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"list": "regimen-ids"}),
    )
    hospital = forms.CharField(label=_("Hospital (optional)"), required=False, max_length=100)
    city = forms.ChoiceField(label=_("City"), choices=[(c, c) for c in CITIES], initial="Shanghai")
    hospital_type = forms.ChoiceField(label=_("Kind of hospital"), choices=BANDS, initial="public_tertiary")
    currency = forms.ChoiceField(label=_("Currency"), choices=())
    stay_nights = forms.IntegerField(
        label=_("Nights of accommodation"), min_value=0, max_value=365, initial=14
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(c, c) for c in currencies()]
        self.fields["currency"].initial = "USD"

    def clean_regimen(self) -> str:
        r = (self.cleaned_data.get("regimen") or "").strip()
        if r and r not in engine_get().kb.regimen_by_id:
            raise forms.ValidationError(_("There is no treatment with this id in the knowledge base."))
        return r


def estimate(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy() if request.GET else None
    hospital = None
    if data is not None:
        hid = data.get("hospital")
        if hid:
            from onconav.hospitals.selectors import hospital_get

            hospital = hospital_get(hid)
            data.setdefault("city", hospital.data["city"])
            if "hospital_type" not in data:
                data["hospital_type"] = (
                    "international"
                    if hospital.data["type"] == "international"
                    else "private"
                    if hospital.data["type"] in ("private", "clinic")
                    else "public_tertiary"
                )
        data.setdefault("currency", "USD")
        data.setdefault("stay_nights", "14")
        data.setdefault("hospital_type", "public_tertiary")
    form = EstimateForm(data)
    est = chart = None
    if data is not None and form.is_valid():
        d = form.cleaned_data
        est = cost_estimate(
            regimen=d["regimen"] or None,
            city=d["city"],
            hospital_type=d["hospital_type"],
            currency=d["currency"],
            stay_nights=d["stay_nights"],
        )
        chart = mark_safe(chart_svg(est))  # noqa: S308 - built from escaped text and numbers
    regimens = sorted(engine_get().kb.regimen_by_id)
    return render(
        request,
        "costs/estimate.html",
        {"form": form, "est": est, "chart": chart, "hospital": hospital, "regimens": regimens},
    )
