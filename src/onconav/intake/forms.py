"""The intake's question pages: one form per step. Answers are stored as JSON-friendly values
(dates as ISO strings) in the encrypted draft; ``STEPS`` orders them into the task list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onconav.cases.models import DocumentKind
from onconav.options.forms import (
    CITY_CHOICES,
    ECOG_CHOICES,
    EGFR_CHOICES,
    HER2_CHOICES,
    MSI_CHOICES,
    YES_NO_UNKNOWN,
    cancer_choices,
    city_choices,
)
from onconav.options.prior_text import PriorLineError, parse_prior_lines

SEX_CHOICES = [("female", _("Female")), ("male", _("Male")), ("other", _("Other or prefer not to say"))]
LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("zh", _("Chinese")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("kk", _("Kazakh")),
    ("mn", _("Mongolian")),
    ("other", _("Another language")),
]
GOAL_CHOICES = [
    ("options", _("Understand my treatment options")),
    ("treatment_china", _("Have treatment in China")),
    ("trial", _("Join a clinical trial")),
    ("specific", _("A specific treatment (for example CAR-T or proton therapy)")),
    ("second_look", _("A second look at my records before deciding at home")),
]
INSURANCE_CHOICES = [
    ("none", _("No insurance: I will pay myself")),
    ("international", _("International health insurance")),
    ("national", _("National or employer insurance")),
    ("unsure", _("I am not sure")),
]


def _cancer_choices() -> list[tuple[str, str]]:
    """The KB's cancers from the engine; if the engine cannot load (a KB being edited), from the
    copy of the KB in the database, so that the intake keeps working."""
    try:
        return cancer_choices()
    except Exception:  # noqa: BLE001
        from django.utils.translation import get_language

        from onconav.kb.models import KBRecord

        zh = (get_language() or "").startswith("zh")
        rows = KBRecord.objects.filter(kind="cancer").values_list("key", "name_en", "name_zh")
        items = sorted(((k, (zh and nz) or ne or k) for k, ne, nz in rows), key=lambda x: x[1])
        return [("", _("Choose the cancer type")), *items]


class StepForm(forms.Form):
    def to_answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in self.cleaned_data.items():
            if isinstance(value, dt.date | dt.datetime):
                out[key] = value.isoformat()
            elif isinstance(value, Decimal):
                out[key] = float(value)
            else:
                out[key] = value
        return out


class WhoForm(StepForm):
    relationship = forms.ChoiceField(
        label=_("Who is filling in this form?"),
        choices=[
            ("self", _("I am the patient")),
            ("family", _("I am a family member or friend helping the patient")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who is filling in this form")},
    )
    helper_name = forms.CharField(
        label=_("Your name, if you are not the patient"),
        required=False,
        max_length=200,
        help_text=_("We will write to you and to the patient."),
    )
    helper_relationship = forms.CharField(
        label=_("How are you related to the patient?"), required=False, max_length=100
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("relationship") == "family" and not data.get("helper_name"):
            self.add_error("helper_name", _("Enter your name"))
        return data


class PatientForm(StepForm):
    full_name = forms.CharField(
        label=_("Patient's full name, as in the passport"),
        max_length=200,
        error_messages={"required": _("Enter the patient's full name")},
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=SEX_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the patient's sex")},
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        help_text=_("For example 1961-03-27"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        error_messages={
            "required": _("Enter the date of birth"),
            "invalid": _("Enter a real date, for example 1961-03-27"),
        },
    )
    nationality = forms.CharField(
        label=_("Nationality on the passport"),
        max_length=100,
        error_messages={"required": _("Enter the nationality on the passport")},
    )

    def clean_date_of_birth(self) -> dt.date:
        value = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(_("The date of birth must be in the past"))
        if value.year < today.year - 120:
            raise forms.ValidationError(
                _("Enter a date of birth after %(year)s") % {"year": today.year - 120}
            )
        return value


class ContactForm(StepForm):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send updates here. This will also be your sign-in."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter an email address"),
            "invalid": _("Enter an email address like name@example.com"),
        },
    )
    phone = forms.CharField(
        label=_("Phone number, with country code"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    messenger = forms.CharField(label=_("WhatsApp or WeChat (optional)"), required=False, max_length=100)
    languages = forms.MultipleChoiceField(
        label=_("Languages the patient speaks"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one language")},
    )


class DiagnosisForm(StepForm):
    cancer_type = forms.ChoiceField(
        label=_("Type of cancer"),
        choices=(),
        help_text=_("As written in the pathology report."),
        error_messages={"required": _("Select the type of cancer")},
    )
    stage = forms.CharField(
        label=_("Stage (optional)"),
        required=False,
        max_length=30,
        help_text=_("As written in the report, for example IIIA, IV, BCLC C."),
    )
    diagnosis_date = forms.DateField(
        label=_("When was it diagnosed? (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a real date, for example 2025-06-01")},
    )
    recurrent_metastatic = forms.BooleanField(label=_("The cancer has spread or come back"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cancer_type"].choices = _cancer_choices()

    def clean_diagnosis_date(self) -> dt.date | None:
        value = self.cleaned_data.get("diagnosis_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of diagnosis must be in the past"))
        return value


class BiomarkersForm(StepForm):
    egfr = forms.ChoiceField(label=_("EGFR result"), required=False, choices=EGFR_CHOICES)
    other_alterations = forms.CharField(
        label=_("Other gene results"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, gene first: for example “ALK fusion”, “KRAS G12C”, “BRAF V600E”."),
    )
    pdl1_tps = forms.DecimalField(label=_("PD-L1 TPS (%)"), required=False, min_value=0, max_value=100)
    msi = forms.ChoiceField(label=_("MSI / mismatch repair"), required=False, choices=MSI_CHOICES)
    her2 = forms.ChoiceField(label=_("HER2 (IHC)"), required=False, choices=HER2_CHOICES)
    er = forms.ChoiceField(label=_("Oestrogen receptor (ER)"), required=False, choices=YES_NO_UNKNOWN)
    pr = forms.ChoiceField(label=_("Progesterone receptor (PR)"), required=False, choices=YES_NO_UNKNOWN)


class TreatmentForm(StepForm):
    prior_therapies = forms.CharField(
        label=_("Earlier cancer treatment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One line per treatment: drug names separated by “+”, then “:” and what happened, for example “carboplatin + pemetrexed: progression”; after a side effect, name it: “paclitaxel: intolerance, neuropathy”. Leave empty if none."
        ),
    )
    surgery_radiotherapy = forms.CharField(
        label=_("Surgery or radiotherapy so far (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    medical_history = forms.CharField(
        label=_("Other illnesses, allergies and current medicines (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_prior_therapies(self) -> str:
        raw = self.cleaned_data.get("prior_therapies") or ""
        try:
            parse_prior_lines(raw)
        except PriorLineError as e:
            if e.kind == "drugs":
                msg = _("Line %(n)s: write the drug names before the colon.") % {"n": e.n}
            else:
                msg = _(
                    "Line %(n)s: after the colon write one of: progression, relapse, refractory, response, no progression, intolerance."
                ) % {"n": e.n}
            raise forms.ValidationError(msg) from None
        return raw.strip()


class EcogForm(StepForm):
    ecog = forms.ChoiceField(
        label=_("Which sentence best describes the patient's daily life now?"),
        choices=ECOG_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )


class GoalsForm(StepForm):
    goals = forms.MultipleChoiceField(
        label=_("What do you hope to get from OncoNav?"),
        choices=GOAL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one")},
    )
    questions = forms.CharField(
        label=_("Your questions for the reviewers (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CitiesForm(StepForm):
    cities = forms.MultipleChoiceField(
        label=_("Preferred Chinese cities for medical treatment"),
        choices=CITY_CHOICES,  # words set in __init__ (city_choices)
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all empty if you have no preference."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cities"].choices = city_choices()


class BudgetForm(StepForm):
    budget_usd = forms.IntegerField(
        label=_("Budget for treatment in US dollars (optional)"),
        required=False,
        min_value=0,
        max_value=10_000_000,
    )
    insurance = forms.ChoiceField(
        label=_("How will the treatment be paid?"),
        choices=INSURANCE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how the treatment will be paid")},
    )
    insurer = forms.CharField(label=_("Name of the insurer (optional)"), required=False, max_length=200)


class TravelForm(StepForm):
    companions = forms.IntegerField(
        label=_("How many people will travel with the patient?"),
        min_value=0,
        max_value=6,
        initial=1,
        error_messages={"required": _("Enter a number from 0 to 6")},
    )
    needs = forms.CharField(
        label=_("Help needed for travel (optional)"),
        required=False,
        max_length=2000,
        help_text=_("For example a wheelchair, oxygen, or a stretcher."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@dataclass(frozen=True)
class Step:
    slug: str
    title: Any
    section: Any
    form: type[StepForm]
    required: bool


STEPS: tuple[Step, ...] = (
    Step("who", _("Who is filling in the form"), _("About the patient"), WhoForm, True),
    Step("patient", _("The patient"), _("About the patient"), PatientForm, True),
    Step("contact", _("Contact details and languages"), _("About the patient"), ContactForm, True),
    Step("diagnosis", _("The diagnosis"), _("The illness"), DiagnosisForm, True),
    Step("biomarkers", _("Test results (biomarkers)"), _("The illness"), BiomarkersForm, False),
    Step("treatment", _("Treatment so far"), _("The illness"), TreatmentForm, False),
    Step("ecog", _("Daily life now"), _("The illness"), EcogForm, False),
    Step("goals", _("Goals and questions"), _("What you hope for"), GoalsForm, True),
    Step("cities", _("Preferred cities"), _("What you hope for"), CitiesForm, False),
    Step("budget", _("Budget and insurance"), _("What you hope for"), BudgetForm, True),
    Step("travel", _("Travel companions"), _("What you hope for"), TravelForm, False),
)
STEP_BY_SLUG = {s.slug: s for s in STEPS}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is this document?"),
        choices=DocumentKind.choices,
        error_messages={"required": _("Select what the document is")},
    )
    file = forms.FileField(
        label=_("Choose a file"),
        help_text=_("PDF, JPEG or PNG up to 20 MB; a DICOM imaging study as a zip up to 200 MB."),
        error_messages={"required": _("Select a file")},
    )


class AccountForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Enter an email address")},
    )
    password = forms.CharField(
        label=_("Create a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. A few words together are easy to remember."),
        error_messages={"required": _("Create a password")},
    )

    def clean_email(self) -> str:
        # Whether the address already has an account is never said here (no enumeration): the
        # next page is the same either way, and the email tells the holder (accounts.verification).
        return self.cleaned_data["email"].strip().lower()

    def clean_password(self) -> str:
        from django.contrib.auth.password_validation import validate_password

        pw = self.cleaned_data["password"]
        validate_password(pw)
        return pw


class ChoosePasswordForm(forms.Form):
    """The sign-up link opened in another browser: the person who reads the mail chooses the
    password (so nobody can set it for an address they cannot read)."""

    password = forms.CharField(
        label=_("Create a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. A few words together are easy to remember."),
        error_messages={"required": _("Create a password")},
    )

    def clean_password(self) -> str:
        from django.contrib.auth.password_validation import validate_password

        pw = self.cleaned_data["password"]
        validate_password(pw)
        return pw


class ConsentForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    consent_processing = forms.BooleanField(
        label=_("I agree to the processing of health data described above"),
        error_messages={"required": _("You must agree to the processing of health data to send the request")},
    )
    consent_transfer = forms.BooleanField(
        label=_("I agree to the transfer of my records to the hospitals in China proposed for my case"),
        required=False,
    )
