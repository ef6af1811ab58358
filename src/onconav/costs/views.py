from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from onconav.costs.names import treatment_choices, treatment_name, treatment_resolve
from onconav.costs.services import chart_svg, cost_estimate, currencies
from onconav.hospitals.forms import city_choices
from onconav.pages.labels import is_zh

BANDS = [
    ("public_tertiary", _("Public hospital")),
    ("international", _("International department or hospital")),
    ("private", _("Private hospital")),
]


class EstimateForm(forms.Form):
    treatment = forms.CharField(
        label=_("Treatment"),
        required=False,
        max_length=200,
        help_text=_(
            "A drug, brand or regimen name, in English or Chinese (for example osimertinib, Tagrisso, 奥希替尼, FOLFOX). Leave empty for the diagnosis and planning costs alone."
        ),
        widget=forms.TextInput(attrs={"list": "treatment-names", "autocomplete": "off"}),
    )
    city = forms.ChoiceField(label=_("City"), choices=(), initial="Shanghai")
    hospital_type = forms.ChoiceField(label=_("Kind of hospital"), choices=BANDS, initial="public_tertiary")
    currency = forms.ChoiceField(label=_("Your currency"), choices=())
    stay_nights = forms.IntegerField(
        label=_("Nights of accommodation"), min_value=0, max_value=365, initial=14
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = city_choices()
        self.fields["currency"].choices = [(c, c) for c in currencies()]
        self.fields["currency"].initial = "USD"

    def clean_treatment(self) -> str:
        """The regimen id for the name given (the id never reaches the page)."""
        raw = (self.cleaned_data.get("treatment") or "").strip()
        if not raw:
            return ""
        found = treatment_resolve(raw)
        if found is None:
            raise forms.ValidationError(
                _("No treatment of this name is in the knowledge base. Choose one of the suggestions.")
            )
        return found


# A treatment name says what someone is ill with: it comes in a POST body, never in an address
# (web-server and proxy logs keep addresses). Links may carry only the hospital and the settings.
HEALTH_PARAMS = ("treatment", "regimen")


def _form_data(request: HttpRequest) -> tuple[Any, Any]:
    """The form's data with defaults (a hospital sets the city and the kind of hospital): the
    POST body, or for a link the address's non-health parameters."""
    if request.method == "POST":
        data = request.POST.copy()
    elif request.GET:
        data = request.GET.copy()
        for name in HEALTH_PARAMS:
            data.pop(name, None)
        if not data:
            return None, None
    else:
        return None, None
    hospital = None
    if data.get("regimen") and not data.get("treatment"):  # links made before names were used
        data["treatment"] = data["regimen"]
    if hid := data.get("hospital"):
        from onconav.hospitals.selectors import hospital_get

        hospital = hospital_get(hid)
        data.setdefault("city", hospital.data["city"])
        if "hospital_type" not in data:
            kind = hospital.data["type"]
            data["hospital_type"] = (
                "international"
                if kind == "international"
                else "private"
                if kind in ("private", "clinic")
                else "public_tertiary"
            )
    data.setdefault("city", "Shanghai")
    data.setdefault("currency", "USD")
    data.setdefault("stay_nights", "14")
    data.setdefault("hospital_type", "public_tertiary")
    return data, hospital


@require_http_methods(["GET", "POST"])
def estimate(request: HttpRequest) -> HttpResponse:
    data, hospital = _form_data(request)
    form = EstimateForm(data)
    est = chart = None
    if data is not None and form.is_valid():
        d = form.cleaned_data
        est = cost_estimate(
            regimen=d["treatment"] or None,
            city=d["city"],
            hospital_type=d["hospital_type"],
            currency=d["currency"],
            stay_nights=d["stay_nights"],
        )
        chart = mark_safe(chart_svg(est))  # noqa: S308 - built from escaped text and numbers
        if d["treatment"]:  # show the name in the page's language, never the id
            form.data = form.data.copy()
            form.data["treatment"] = treatment_name(d["treatment"], is_zh())
    return render(
        request,
        "costs/estimate.html",
        {
            "form": form,
            "est": est,
            "t": est.as_dict() if est else None,
            "chart": chart,
            "hospital": hospital,
            "treatment_names": treatment_choices(is_zh()),
        },
    )
