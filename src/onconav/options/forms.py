"""The options form: a patient profile in plain words, turned into the profile contract (v1)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from onconav.options.prior_text import PriorLineError, parse_prior_lines

ECOG_CHOICES = [
    ("", _("Not sure")),
    ("0", _("0 — fully active, no restrictions")),
    ("1", _("1 — light activity and work possible; strenuous activity is hard")),
    ("2", _("2 — up and about more than half the day; can look after self, cannot work")),
    ("3", _("3 — in bed or a chair more than half the day; limited self-care")),
    ("4", _("4 — completely disabled; in bed or a chair all day")),
]
EGFR_CHOICES = [
    ("", _("Not tested / not known")),
    ("wild-type", _("Tested: no EGFR mutation")),
    ("exon 19 deletion", _("Exon 19 deletion")),
    ("L858R", _("L858R")),
    ("exon 20 insertion", _("Exon 20 insertion")),
    ("G719X", _("Uncommon: G719X")),
    ("L861Q", _("Uncommon: L861Q")),
    ("S768I", _("Uncommon: S768I")),
]
YES_NO_UNKNOWN = [("", _("Not known")), ("positive", _("Positive")), ("negative", _("Negative"))]
MSI_CHOICES = [("", _("Not known")), ("MSI-H", _("MSI-high or dMMR")), ("MSS", _("Stable (MSS) or pMMR"))]
HER2_CHOICES = [
    ("", _("Not known")),
    ("0", "0"),
    ("1+", "1+"),
    ("2+", _("2+ (ISH negative)")),
    ("2+ ISH+", _("2+ with ISH positive")),
    ("3+", "3+"),
]
CHILD_PUGH = [("", _("Not known / not liver cancer")), ("A", "A"), ("B", "B"), ("C", "C")]
CITIES = ("Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu", "Hangzhou", "Hainan")
CITY_CHOICES = [(c, c) for c in CITIES]  # values; the words come from city_choices()


def prior_line_message(e: PriorLineError) -> str:
    """The form error for an earlier-treatment line that cannot be read."""
    if e.kind == "drugs":
        return _("Line %(n)s: write the drug names before the colon.") % {"n": e.n}
    return _(
        "Line %(n)s: “%(o)s” is not one of: progression, relapse, refractory, response, no progression, intolerance."
    ) % {"n": e.n, "o": e.text}


def city_choices() -> list[tuple[str, str]]:
    from onconav.pages.labels import label

    return [(c, label("city", c)) for c in CITIES]


def currency_choices() -> list[tuple[str, str]]:
    from onconav.costs.services import currencies

    try:
        return [(c, c) for c in currencies()]
    except Exception:  # noqa: BLE001 - no exchange rates: CNY and USD only
        return [("CNY", "CNY"), ("USD", "USD")]


def cancer_choices() -> list[tuple[str, str]]:
    from onconav.options.services import engine_get

    kb = engine_get().kb
    parents = {c.parent for c in kb.cancers if c.parent}
    zh = (get_language() or "").startswith("zh")
    leaf = [c for c in kb.cancers if c.oncotree_code not in parents or c.oncotree_code == "NSCLC"]
    items = sorted(((c.oncotree_code, c.name.zh if zh else c.name.en) for c in leaf), key=lambda x: x[1])
    return [("", _("Choose the cancer type")), *items]


class OptionsForm(forms.Form):
    oncotree_code = forms.ChoiceField(label=_("Cancer type"), choices=())
    stage = forms.CharField(
        label=_("Stage"),
        required=False,
        max_length=30,
        help_text=_("As written in the report, for example IIIA, IV, BCLC C, extensive, R-ISS II."),
    )
    recurrent_metastatic = forms.BooleanField(label=_("The cancer has spread or come back"), required=False)
    resected = forms.BooleanField(label=_("The tumour has been removed by surgery"), required=False)
    inoperable = forms.BooleanField(
        label=_("A surgeon or tumour board said surgery is not possible"), required=False
    )
    tumor_size_cm = forms.DecimalField(
        label=_("Largest tumour size (cm)"), required=False, min_value=0, max_value=50, decimal_places=1
    )
    age = forms.IntegerField(label=_("Age (years)"), required=False, min_value=0, max_value=120)
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[
            ("", _("Prefer not to say")),
            ("female", _("Female")),
            ("male", _("Male")),
            ("other", _("Other")),
        ],
    )
    ecog = forms.ChoiceField(
        label=_("Daily activity (ECOG performance status)"),
        required=False,
        choices=ECOG_CHOICES,
        widget=forms.RadioSelect,
    )
    child_pugh = forms.ChoiceField(
        label=_("Liver function (Child-Pugh class)"), required=False, choices=CHILD_PUGH
    )
    egfr = forms.ChoiceField(label=_("EGFR result"), required=False, choices=EGFR_CHOICES)
    other_alterations = forms.CharField(
        label=_("Other gene results"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "One per line, gene first: for example “ALK fusion”, “KRAS G12C”, “MET amplification”, “BRAF V600E”, “EGFR T790M”, “ROS1 negative”."
        ),
    )
    pdl1_tps = forms.DecimalField(label=_("PD-L1 TPS (%)"), required=False, min_value=0, max_value=100)
    pdl1_cps = forms.DecimalField(label=_("PD-L1 CPS"), required=False, min_value=0, max_value=100)
    tmb = forms.DecimalField(
        label=_("Tumour mutational burden (mut/Mb)"), required=False, min_value=0, max_value=1000
    )
    msi = forms.ChoiceField(label=_("MSI / mismatch repair"), required=False, choices=MSI_CHOICES)
    her2 = forms.ChoiceField(label=_("HER2 (IHC)"), required=False, choices=HER2_CHOICES)
    er = forms.ChoiceField(label=_("Oestrogen receptor (ER)"), required=False, choices=YES_NO_UNKNOWN)
    pr = forms.ChoiceField(label=_("Progesterone receptor (PR)"), required=False, choices=YES_NO_UNKNOWN)
    prior_therapies = forms.CharField(
        label=_("Earlier treatments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "One line per treatment: drug names separated by “+”, then “:” and what happened, for example “gefitinib: progression”; after a side effect, name it: “trastuzumab deruxtecan: intolerance, grade 2 pneumonitis”."
        ),
    )
    cities = forms.MultipleChoiceField(
        label=_("Preferred cities in China"),
        required=False,
        choices=CITY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    budget_usd = forms.IntegerField(
        label=_("Budget (US dollars)"), required=False, min_value=0, max_value=10_000_000
    )
    currency = forms.ChoiceField(
        label=_("Show costs also in"),
        required=False,
        choices=(),
        help_text=_("Costs are shown in Chinese yuan (CNY) and in this currency."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["oncotree_code"].choices = cancer_choices()
        self.fields["cities"].choices = city_choices()
        self.fields["currency"].choices = currency_choices()
        self.fields["currency"].initial = "USD"

    def clean_prior_therapies(self) -> list[dict[str, Any]]:
        try:
            return parse_prior_lines(self.cleaned_data.get("prior_therapies") or "")
        except PriorLineError as e:
            raise forms.ValidationError(prior_line_message(e)) from None

    def to_profile(self) -> dict[str, Any]:
        d = self.cleaned_data
        cancer: dict[str, Any] = {"oncotree_code": d["oncotree_code"]}
        if d.get("stage"):
            cancer["stage"] = d["stage"].strip()
        if d.get("recurrent_metastatic"):
            cancer["recurrent_metastatic"] = True
        if d.get("resected"):
            cancer["resected"] = True
        if d.get("tumor_size_cm") is not None:
            cancer["tumor_size_cm"] = float(d["tumor_size_cm"])
        profile: dict[str, Any] = {"cancer": cancer}
        if d.get("inoperable"):
            profile["operable"] = False
        for key in ("age", "sex", "child_pugh"):
            if d.get(key) not in (None, ""):
                profile[key] = d[key]
        if d.get("ecog") not in (None, ""):
            profile["ecog"] = int(d["ecog"])
        biomarkers: list[dict[str, Any]] = []
        if d.get("egfr"):
            biomarkers.append({"gene": "EGFR", "alteration": d["egfr"]})
        for line in (d.get("other_alterations") or "").splitlines():
            gene, _sep, alteration = line.strip().partition(" ")
            if gene:
                biomarkers.append({"gene": gene.upper(), "alteration": alteration.strip() or "positive"})
        for key, name, unit in (
            ("pdl1_tps", "PD-L1 TPS", "%"),
            ("pdl1_cps", "PD-L1 CPS", None),
            ("tmb", "TMB", "mut/Mb"),
        ):
            if d.get(key) is not None:
                entry: dict[str, Any] = {"name": name, "value": float(d[key])}
                if unit:
                    entry["unit"] = unit
                biomarkers.append(entry)
        for key, name in (("msi", "MSI"), ("her2", "HER2 IHC"), ("er", "ER"), ("pr", "PR")):
            if d.get(key):
                biomarkers.append({"name": name, "value": d[key]})
        if biomarkers:
            profile["biomarkers"] = biomarkers
        if d.get("prior_therapies"):
            profile["prior_therapies"] = d["prior_therapies"]
        prefs: dict[str, Any] = {}
        if d.get("cities"):
            prefs["cities"] = d["cities"]
        if d.get("budget_usd") is not None:
            prefs["budget_usd"] = d["budget_usd"]
        if d.get("currency") and d["currency"] != "CNY":
            prefs["currency"] = d["currency"]
        if prefs:
            profile["preferences"] = prefs
        return profile


class ProfileUploadForm(forms.Form):
    """A profile as JSON/YAML (the profile contract) or an mCODE / FHIR R4 bundle (JSON)."""

    file = forms.FileField(label=_("Profile file (JSON or YAML) or FHIR R4 bundle (JSON)"))

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self) -> dict[str, Any]:
        f = self.cleaned_data["file"]
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        raw = f.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The file is not text (UTF-8).")) from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            import yaml

            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                raise forms.ValidationError(_("The file is neither valid JSON nor valid YAML.")) from exc
        if not isinstance(data, dict):
            raise forms.ValidationError(
                _("The file must hold one profile (an object), not a list or a value.")
            )
        return data
