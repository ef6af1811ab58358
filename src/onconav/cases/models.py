"""Cases: the journey after intake. Workflow rules live in ``workflow.py`` and ``services.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onconav.cases.fields import EncryptedJSONField
from onconav.foundation.encryption import EncryptedCharField, EncryptedTextField
from onconav.foundation.models import BaseModel


class CaseState(models.TextChoices):
    NEW = "new", _("New")
    RECORDS_REVIEW = "records_review", _("Record review")
    MDT_OPINION = "mdt_opinion", _("Tumour board opinion")
    HOSPITAL_MATCHED = "hospital_matched", _("Hospital matched")
    QUOTE_SENT = "quote_sent", _("Quote sent")
    QUOTE_ACCEPTED = "quote_accepted", _("Quote accepted")
    VISA_TRAVEL = "visa_travel", _("Visa and travel")
    IN_TREATMENT = "in_treatment", _("In treatment")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined")


class Case(BaseModel):
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases")
    # One draft makes at most one case: the database enforces idempotent submission.
    draft = models.OneToOneField(
        "intake.IntakeDraft", null=True, blank=True, on_delete=models.SET_NULL, related_name="case"
    )
    state = models.CharField(max_length=20, choices=CaseState.choices, default=CaseState.NEW, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    # The clinician reviewer assigned by a coordinator: the only clinician who may open the case.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_cases",
    )
    # Sensitive: encrypted. ``details`` is the intake's answers (who, contact, history, goals...),
    # ``profile`` the options-engine profile built from them.
    patient_name = EncryptedCharField(_("patient's name"), max_length=200)
    details = EncryptedJSONField(default=dict, blank=True)
    profile = EncryptedJSONField(default=dict, blank=True)
    # Not identifying on their own; plain so that the queue can filter and sort.
    cancer_code = models.CharField(max_length=40, blank=True)
    preferred_cities = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=10, default="en")
    submitted_at = models.DateTimeField(default=timezone.now)
    first_reply_due_at = models.DateTimeField(null=True, blank=True)
    first_replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta(BaseModel.Meta):
        pass

    def __str__(self) -> str:
        return f"case {self.public_id}"

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.first_replied_at is None
            and self.first_reply_due_at is not None
            and timezone.now() > self.first_reply_due_at
            and self.state not in (CaseState.CLOSED, CaseState.WITHDRAWN, CaseState.DECLINED)
        )

    @property
    def short_ref(self) -> str:
        return str(self.public_id)[:8].upper()


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    TRANSITION = "transition", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    MESSAGE = "message", _("Message")
    DOCUMENT = "document", _("Document added")
    OPINION = "opinion", _("Tumour board opinion recorded")
    REFERRAL = "referral", _("Referral")
    QUOTE = "quote", _("Quote")
    TRAVEL = "travel", _("Travel details")
    APPOINTMENT = "appointment", _("Appointment")
    FOLLOW_UP = "follow_up", _("Follow-up questionnaire")


class CaseEvent(models.Model):
    """The timeline: one entry per transition and per notable change."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_state = models.CharField(max_length=20, blank=True, choices=CaseState.choices)
    to_state = models.CharField(max_length=20, blank=True, choices=CaseState.choices)
    note = EncryptedTextField(blank=True)
    visible_to_patient = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_state}->{self.to_state}"


class Message(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_patient = models.BooleanField(default=False)
    body = EncryptedTextField(_("message"))

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message {self.public_id}"


class InternalNote(BaseModel):
    """Staff-only notes: never shown to the patient, never in the patient's API."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = EncryptedTextField(_("note"))

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.public_id}"


class DocumentKind(models.TextChoices):
    IMAGING_DICOM = "imaging_dicom", _("Imaging (DICOM study)")
    IMAGING_REPORT = "imaging_report", _("Imaging report")
    PATHOLOGY = "pathology", _("Pathology report")
    NGS = "ngs", _("Genetic (NGS) test report")
    BLOOD_TESTS = "blood_tests", _("Recent blood tests")
    DISCHARGE = "discharge", _("Discharge summary or letter")
    PASSPORT = "passport", _("Passport")
    OTHER = "other", _("Other")


class Document(BaseModel):
    """An uploaded file, stored encrypted under PRIVATE_STORAGE_ROOT (never in the web root).
    Belongs to a draft until submission, then to the case."""

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="documents")
    draft = models.ForeignKey(
        "intake.IntakeDraft", null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    file_type = models.CharField(max_length=20)  # sniffed: pdf, jpeg, png, dicom, dicom_zip
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200, unique=True)
    original_name = EncryptedCharField(max_length=255, blank=True)  # file names can hold names

    class Meta(BaseModel.Meta):
        pass

    def __str__(self) -> str:
        return f"document {self.public_id}"


class MdtOpinion(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="opinions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = EncryptedTextField(_("opinion"))
    recommendation = EncryptedTextField(_("recommended next steps"), blank=True)
    # The treatment the board recommends, as a knowledge-base regimen id (the quote starts from it).
    regimen = models.CharField(_("recommended treatment"), max_length=120, blank=True)

    class Meta(BaseModel.Meta):
        pass

    def __str__(self) -> str:
        return f"opinion {self.public_id}"


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the hospital")
    ACCEPTED = "accepted", _("Accepted by the hospital")
    DECLINED = "declined", _("Declined by the hospital")
    # The patient withdrew a consent: the hospital no longer sees the case.
    REVOKED = "revoked", _("Revoked: the patient withdrew consent")


class Referral(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    hospital_id = models.CharField(max_length=100, db_index=True)  # the directory's string id
    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.PENDING)
    reason = EncryptedTextField(_("reason"), blank=True)
    proposed_start = models.DateField(_("proposed first date"), null=True, blank=True)
    proposed_end = models.DateField(_("proposed last date"), null=True, blank=True)
    # Given by the hospital when it accepts: they go into the visa invitation letter.
    department = models.CharField(_("receiving department"), max_length=200, blank=True)
    contact = models.CharField(_("contact for the patient and the embassy"), max_length=300, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta(BaseModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["case", "hospital_id"], name="cases_referral_one_per_hospital")
        ]

    def __str__(self) -> str:
        return f"referral {self.public_id}"


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Quote(BaseModel):
    """A price quote. Line items are copied in (from the cost estimate or typed by hand), so a
    quote never changes when the cost model does."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="quotes")
    hospital_id = models.CharField(max_length=100, blank=True)
    currency = models.CharField(max_length=3, default="CNY")
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(max_length=20, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT)
    notes = EncryptedTextField(_("notes for the patient"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta(BaseModel.Meta):
        pass

    def __str__(self) -> str:
        return f"quote {self.public_id}"

    @property
    def total_low(self):  # type: ignore[no-untyped-def]
        return sum((line.amount_low for line in self.lines.all()), 0)

    @property
    def total_high(self):  # type: ignore[no-untyped-def]
        return sum((line.amount_high for line in self.lines.all()), 0)


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    description = EncryptedCharField(_("description"), max_length=300)
    amount_low = models.DecimalField(_("low"), max_digits=12, decimal_places=2)
    amount_high = models.DecimalField(_("high"), max_digits=12, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class TravelPlan(BaseModel):
    """Arrival, pickup and interpreter; the visa letter's details."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="travel")
    hospital_id = models.CharField(_("hospital"), max_length=100, blank=True)
    passport_nationality = models.CharField(_("nationality on the passport"), max_length=100, blank=True)
    passport_number = EncryptedCharField(_("passport number"), max_length=40, blank=True)
    treatment_start = models.DateField(_("treatment from"), null=True, blank=True)
    treatment_end = models.DateField(_("treatment until"), null=True, blank=True)
    arrival_at = models.DateTimeField(_("arrival"), null=True, blank=True)
    arrival_details = EncryptedTextField(_("flight or train"), blank=True)
    pickup = EncryptedTextField(_("pickup"), blank=True)
    interpreter_language = models.CharField(_("interpreter language"), max_length=60, blank=True)
    companions = models.PositiveSmallIntegerField(_("companions"), default=0)

    class Meta(BaseModel.Meta):
        pass

    def __str__(self) -> str:
        return f"travel {self.public_id}"


class Appointment(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments")
    hospital_id = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(_("date and time"))
    description = EncryptedCharField(_("what"), max_length=300)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"appointment {self.public_id}"


class FollowUp(BaseModel):
    """A follow-up questionnaire after the patient returned home."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    answers = EncryptedJSONField(default=dict, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta(BaseModel.Meta):
        pass

    def __str__(self) -> str:
        return f"follow-up {self.public_id}"
