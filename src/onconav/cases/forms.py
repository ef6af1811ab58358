"""Forms for the case pages. No business rules: the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onconav.accounts.models import Role, User
from onconav.cases.hospitals import hospital_choices
from onconav.cases.models import CaseState, DocumentKind, TravelPlan
from onconav.cases.services import TRAVEL_FIELDS
from onconav.options.forms import ECOG_CHOICES


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(label=_("Move the case to"), choices=CaseState.choices)
    note = forms.CharField(
        label=_("Note for the timeline (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, targets: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["to_state"].choices = [(s, CaseState(s).label) for s in targets]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Coordinator"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )
    # Only the clinician named here may open the case (least privilege).
    reviewer = forms.ModelChoiceField(
        label=_("Clinician reviewer"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            role__in=[Role.COORDINATOR, Role.ADMIN], is_active=True
        )
        self.fields["assignee"].to_field_name = "public_id"
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name()
        self.fields["reviewer"].queryset = User.objects.filter(role=Role.CLINICIAN, is_active=True)
        self.fields["reviewer"].to_field_name = "public_id"
        self.fields["reviewer"].label_from_instance = lambda u: u.get_full_name()


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a message")},
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note (never shown to the patient)"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a note")},
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is this document?"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("Choose a file"),
        help_text=_("PDF, JPEG or PNG up to 20 MB; a DICOM imaging study as a zip up to 200 MB."),
    )


class OpinionForm(forms.Form):
    summary = forms.CharField(
        label=_("Tumour board (MDT) opinion"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write the opinion")},
    )
    recommendation = forms.CharField(
        label=_("Recommended next steps"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    regimen = forms.ChoiceField(
        label=_("Recommended treatment (the quote starts from it)"),
        required=False,
        choices=(),
    )

    def __init__(self, *args: Any, regimens: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regimen"].choices = [("", _("No specific treatment yet")), *(regimens or [])]


class ReferralForm(forms.Form):
    hospital_id = forms.ChoiceField(label=_("Refer to hospital"), choices=())

    def __init__(self, *args: Any, cities: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = hospital_choices(cities) or hospital_choices()
        self.fields["hospital_id"].choices = [("", _("Choose a hospital")), *choices]


class ReferralResponseForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason or conditions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    proposed_start = forms.DateField(
        label=_("Proposed first date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    proposed_end = forms.DateField(
        label=_("Proposed last date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    department = forms.CharField(
        label=_("Department that will receive the patient (when accepting)"), required=False, max_length=200
    )
    contact = forms.CharField(
        label=_("Contact for the patient and the embassy: phone or email (when accepting)"),
        required=False,
        max_length=300,
    )


QUOTE_LINES = 16


class QuoteForm(forms.Form):
    hospital_id = forms.ChoiceField(label=_("Hospital"), required=False, choices=())
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[("CNY", "CNY"), ("USD", "USD"), ("EUR", "EUR")]
    )
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        label=_("Notes for the patient"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hospital_id"].choices = [("", _("Not yet decided")), *hospital_choices()]
        for n in range(QUOTE_LINES):
            self.fields[f"line{n}_description"] = forms.CharField(
                label=_("Item %(n)s") % {"n": n + 1}, required=False, max_length=300
            )
            self.fields[f"line{n}_low"] = forms.DecimalField(
                label=_("Item %(n)s low") % {"n": n + 1},
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
            )
            self.fields[f"line{n}_high"] = forms.DecimalField(
                label=_("Item %(n)s high") % {"n": n + 1},
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
            )

    def line_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"line{n}_description"], self[f"line{n}_low"], self[f"line{n}_high"])
            for n in range(QUOTE_LINES)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lines = []
        for n in range(QUOTE_LINES):
            desc, low, high = (
                data.get(f"line{n}_description"),
                data.get(f"line{n}_low"),
                data.get(f"line{n}_high"),
            )
            if not desc and low is None and high is None:
                continue
            if not desc:
                self.add_error(f"line{n}_description", _("Describe the item"))
            if low is None:
                self.add_error(f"line{n}_low", _("Enter the low amount"))
            if high is None:
                high = low
            if low is not None and high is not None and high < low:
                self.add_error(f"line{n}_high", _("The high amount must be at least the low amount"))
            lines.append({"description": desc, "amount_low": low, "amount_high": high})
        if not lines and not self.errors:
            self.add_error("line0_description", _("Add at least one item"))
        data["lines"] = lines
        return data


class TravelPlanForm(forms.ModelForm):
    class Meta:
        model = TravelPlan
        fields = list(TRAVEL_FIELDS)
        widgets = {
            "treatment_start": forms.DateInput(attrs={"type": "date"}),
            "treatment_end": forms.DateInput(attrs={"type": "date"}),
            "arrival_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "arrival_details": forms.Textarea(attrs={"rows": 2}),
            "pickup": forms.Textarea(attrs={"rows": 2}),
            "passport_number": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hospital_id"] = forms.ChoiceField(
            label=_("Hospital"), required=False, choices=[("", _("Not yet decided")), *hospital_choices()]
        )


class AppointmentForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    description = forms.CharField(label=_("What"), max_length=300)


class FollowUpForm(forms.Form):
    feeling = forms.ChoiceField(
        label=_("How are you since you came home?"),
        widget=forms.RadioSelect,
        choices=[("better", _("Better")), ("same", _("About the same")), ("worse", _("Worse"))],
    )
    ecog = forms.ChoiceField(
        label=_("Which sentence best describes your daily life now?"),
        choices=ECOG_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    side_effects = forms.CharField(
        label=_("Side effects or problems (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    new_scans = forms.BooleanField(label=_("I have had new scans or tests since treatment"), required=False)
    questions = forms.CharField(
        label=_("Questions for your coordinator (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
