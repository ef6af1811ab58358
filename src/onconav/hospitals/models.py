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


class HospitalEntry(models.Model):
    """The directory's filter and sort columns for one hospital: its KB record with the approved
    partner changes applied (``onconav.hospitals.index`` keeps it in step). The directory, its API
    and the hospital lists of an answer filter, sort and page here, in the database, instead of
    reading every record into Python. Lists are stored as ``|a|b|`` so that one ``LIKE`` finds a
    member on SQLite and PostgreSQL alike."""

    # the record's data is read from the record, with ``updates`` applied (the row stays narrow,
    # so that a search that has to read every row reads little)
    record = models.OneToOneField("kb.KBRecord", on_delete=models.CASCADE, related_name="hospital_entry")
    key = models.CharField(max_length=300, unique=True)
    name = models.CharField(max_length=300)
    name_zh = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=60, db_index=True)
    type = models.CharField(max_length=40, db_index=True)
    # directory order: the cities in their listed order, cancer centres first, then by name
    sort_group = models.PositiveSmallIntegerField()
    oncology_relevant = models.BooleanField(null=True)
    verified = models.BooleanField(default=False)
    international_department = models.BooleanField(default=False)
    accredited_verified = models.BooleanField(default=False)
    capabilities = models.TextField(blank=True)  # |medical_oncology|sbrt|
    languages = models.TextField(blank=True)  # lower case
    accreditations = models.TextField(blank=True)  # accreditation bodies
    audiences = models.TextField(blank=True)  # special audiences (onconav.hospitals.audience)
    search = models.TextField(blank=True)  # lower case: key, names, the record's search text
    # the Chinese of ``search`` as unigrams and bigrams: on PostgreSQL a GIN index over it narrows
    # a short Chinese query (a trigram index needs three characters) before the substring check
    search_grams = models.TextField(blank=True)
    updates = models.JSONField(default=list, blank=True)  # the approved changes, oldest first

    class Meta:
        indexes = [
            models.Index(fields=["sort_group", "name", "key"], name="hospital_entry_order"),
            # the directory's count: its default scope (adults in general, not marked as without
            # oncology), by city or not, read from the index alone (100x data: 150 ms to 1 ms)
            models.Index(fields=["audiences", "city", "oncology_relevant"], name="hospital_entry_scope"),
        ]

    def __str__(self) -> str:
        return self.key
