from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from onconav.hospitals.selectors import CITIES

CAPABILITIES = [
    ("medical_oncology", _("Medical oncology")),
    ("thoracic_surgery", _("Thoracic surgery")),
    ("robotic_surgery", _("Robotic surgery")),
    ("radiotherapy", _("Radiotherapy")),
    ("sbrt", _("Stereotactic radiotherapy (SBRT)")),
    ("proton", _("Proton therapy")),
    ("heavy_ion", _("Heavy-ion therapy")),
    ("car_t", _("CAR-T cell therapy")),
    ("bmt", _("Bone-marrow transplant")),
    ("interventional_oncology", _("Interventional oncology (ablation, TACE)")),
    ("tcm_oncology", _("Traditional Chinese Medicine oncology")),
    ("pediatric_oncology", _("Children's cancer care")),
    ("nuclear_medicine", _("Nuclear medicine")),
    ("clinical_trials", _("Clinical trials")),
]
TYPES = [
    ("", _("Any type")),
    ("cancer_centre", _("Specialist cancer centre")),
    ("public_tertiary", _("Public tertiary hospital")),
    ("public_general", _("Public general hospital")),
    ("public_specialist", _("Public specialist hospital")),
    ("private", _("Private hospital")),
    ("international", _("International hospital")),
    ("tcm", _("Traditional Chinese Medicine hospital")),
    ("clinic", _("Clinic")),
]


def _esc(value: Any) -> str:
    """As the template writes ``{{ value|stringformat:'s' }}``: escaped unless already safe."""
    return conditional_escape(value if isinstance(value, SafeData) else str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's ``django/forms/widgets/attrs.html``."""
    return "".join(
        "" if v is False else f" {_esc(k)}" if v is True else f' {_esc(k)}="{_esc(v)}"'
        for k, v in attrs.items()
    )


class DirectSelect(forms.Select):
    """``forms.Select`` written in Python: the same HTML as Django's templates (``select.html``,
    ``select_option.html``, ``attrs.html``; tested) without two template includes per option. The
    directory's filter form has 36 options: its widgets were most of the page's rendering time
    after the hospital cards."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        w = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{_esc(w["name"])}"{_attrs(w["attrs"])}>']
        for group_name, group_choices, _index in w["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_esc(group_name)}">')
            for o in group_choices:
                # (``select_option.html`` ends with a line break, which its include keeps)
                out.append(
                    f'\n  <option value="{_esc(o["value"])}"{_attrs(o["attrs"])}>{_esc(o["label"])}</option>\n'
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name (English or Chinese)"), required=False, max_length=100)
    city = forms.ChoiceField(label=_("City"), required=False, choices=(), widget=DirectSelect)
    capability = forms.ChoiceField(
        label=_("Capability"), required=False, choices=[("", _("Any")), *CAPABILITIES], widget=DirectSelect
    )
    hospital_type = forms.ChoiceField(label=_("Type"), required=False, choices=TYPES, widget=DirectSelect)
    accreditation = forms.ChoiceField(
        label=_("Accreditation"),
        required=False,
        choices=[("", _("Any")), ("JCI", "JCI"), ("CHIA", "CHIA")],
        widget=DirectSelect,
    )
    language = forms.CharField(label=_("Language spoken (e.g. en, ru, ar)"), required=False, max_length=10)
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Hospitals that treat cancer in adults")),
            (
                "all",
                _(
                    "Every hospital in the directory, including children's, dental, eye and maternity hospitals"
                ),
            ),
        ],
        widget=DirectSelect,
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("Any city")), *city_choices()]

    def filters(self) -> dict:
        d = dict(self.cleaned_data) if self.is_valid() else {}
        scope = d.pop("scope", "")
        out = {k: v for k, v in d.items() if v not in (None, "")}
        if scope == "all":
            out["include_special"] = True
        else:
            out["oncology_only"] = True
        return out


def city_choices() -> list[tuple[str, str]]:
    from onconav.pages.labels import label

    return [(c, label("city", c)) for c in CITIES]


class MatchForm(forms.Form):
    modalities = forms.MultipleChoiceField(
        label=_("Treatments needed"),
        choices=[
            ("surgery", _("Surgery")),
            ("radiotherapy", _("Radiotherapy")),
            ("chemotherapy", _("Chemotherapy")),
            ("targeted_therapy", _("Targeted therapy")),
            ("immunotherapy", _("Immunotherapy")),
            ("cell_therapy", _("CAR-T / cell therapy")),
            ("ablation", _("Ablation")),
            ("interventional", _("Interventional (TACE)")),
            ("clinical_trial", _("Clinical trial")),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    regimen = forms.CharField(
        label=_("Treatment name (optional)"),
        required=False,
        max_length=120,
        help_text=_("A drug, brand or regimen name, in English or Chinese."),
        widget=forms.TextInput(attrs={"list": "treatment-names"}),
    )

    def clean_regimen(self) -> str:
        from onconav.costs.names import treatment_resolve

        raw = (self.cleaned_data.get("regimen") or "").strip()
        if not raw:
            return ""
        found = treatment_resolve(raw)
        if found is None:
            raise forms.ValidationError(_("No treatment of this name is in the knowledge base."))
        return found

    cities = forms.MultipleChoiceField(
        label=_("Preferred cities"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.CharField(
        label=_("Languages you speak (codes, comma-separated)"), required=False, max_length=50
    )
    budget_usd = forms.IntegerField(label=_("Budget (US dollars)"), required=False, min_value=0)
    age = forms.IntegerField(label=_("Patient's age (optional)"), required=False, min_value=0, max_value=120)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["cities"].choices = city_choices()


class ChangeRequestForm(forms.Form):
    international_department = forms.NullBooleanField(
        label=_("International patient department"), required=False
    )
    languages = forms.CharField(
        label=_("Languages spoken (codes, comma-separated)"), required=False, max_length=100
    )
    capabilities = forms.MultipleChoiceField(
        label=_("Capabilities"), choices=CAPABILITIES, widget=forms.CheckboxSelectMultiple, required=False
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    evidence = forms.CharField(
        label=_("Where can these facts be checked?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def changes(self) -> dict:
        d = self.cleaned_data
        out: dict = {}
        if d.get("international_department") is not None:
            out["international_department"] = d["international_department"]
        if d.get("languages"):
            out["languages"] = [x.strip().lower() for x in d["languages"].split(",") if x.strip()]
        if d.get("capabilities"):
            out["capabilities"] = list(d["capabilities"])
        if d.get("website"):
            out["website"] = d["website"]
        return out
