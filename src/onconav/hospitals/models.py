"""Hospital partners keep their hospital's facts current through reviewed change requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onconav.foundation.models import BaseModel

# Fields a partner may propose changes to (never ids, sources or verification flags).
EDITABLE_FIELDS = (
    "international_department",
    "languages",
    "capabilities",
    "specialties",
    "website",
    "district",
)


class HospitalChangeRequest(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    hospital_id = models.CharField(max_length=100, db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField()
    evidence = models.TextField(
        _("where this can be checked"), help_text=_("A public web page or document that shows the new facts.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta(BaseModel.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.hospital_id} ({self.status})"
