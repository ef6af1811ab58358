"""Intake drafts (save and resume) and the consents given at submission."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onconav.cases.fields import EncryptedJSONField
from onconav.foundation.models import BaseModel


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class IntakeDraft(BaseModel):
    """The answers so far. Anonymous drafts are tied to the browser session until the person
    creates an account; then they belong to the user. ``answers`` holds names, dates of birth,
    contact details and medical history, so it is encrypted as a whole."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="intake_drafts",
    )
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(max_length=20, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    answers = EncryptedJSONField(default=dict, blank=True)
    completed_steps = models.JSONField(default=list, blank=True)  # step slugs only: no PHI
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta(BaseModel.Meta):
        pass

    def __str__(self) -> str:
        return f"draft {self.public_id}"


class ConsentKind(models.TextChoices):
    PROCESSING = "processing", _("Processing of health data")
    TRANSFER = "transfer", _("Transfer to hospitals in China")


class Consent(BaseModel):
    """One consent as given: which text (version id and SHA-256 of the exact wording shown, in
    the language shown), by whom, when; the hospitals or cities it covered; and its withdrawal."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents")
    draft = models.ForeignKey(IntakeDraft, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    version = models.CharField(max_length=40)
    language = models.CharField(max_length=10)
    text_sha256 = models.CharField(max_length=64)
    scope = models.JSONField(default=dict, blank=True)  # e.g. {"cities": [...]} for transfer
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta(BaseModel.Meta):
        constraints = [models.UniqueConstraint(fields=["draft", "kind"], name="intake_consent_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.version}"
