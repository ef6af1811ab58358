"""Registry records (ClinicalTrials.gov API v2), their sites and their parsed criteria."""

from __future__ import annotations

from django.db import models


class InterventionKind(models.TextChoices):
    """What a patient recognises; read from the intervention names and descriptions at import."""

    CAR_T = "car_t", "CAR-T"
    BISPECIFIC = "bispecific", "Bispecific antibody"
    ADC = "adc", "Antibody-drug conjugate"
    OTHER = "other", "Other"


class Study(models.Model):
    nct_id = models.CharField(max_length=20, unique=True)
    title = models.TextField()  # brief title, English as registered
    official_title = models.TextField(blank=True)
    brief_summary = models.TextField(blank=True)
    status = models.CharField(max_length=40, db_index=True)  # overallStatus: RECRUITING, ...
    phases = models.JSONField(default=list)  # ["PHASE1", "PHASE2"]
    conditions = models.JSONField(default=list)
    condition_codes = models.JSONField(default=list)  # OncoTree codes read from the conditions
    interventions = models.JSONField(default=list)  # [{"type": "BIOLOGICAL", "name": ..., "kind": "car_t"}]
    intervention_kinds = models.JSONField(default=list)  # ["car_t", "bispecific"]
    sponsor = models.CharField(max_length=300, blank=True)
    min_age_years = models.FloatField(null=True, blank=True)
    max_age_years = models.FloatField(null=True, blank=True)
    sex = models.CharField(max_length=10, blank=True)  # ALL | FEMALE | MALE
    healthy_volunteers = models.BooleanField(null=True, blank=True)
    criteria_text = models.TextField(blank=True)
    record_date = models.DateField(null=True, blank=True)  # lastUpdatePostDateStruct.date
    is_demo = models.BooleanField(default=False)
    raw = models.JSONField(default=dict)  # the record as imported
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nct_id"]

    def __str__(self) -> str:
        return f"{self.nct_id} {self.title[:60]}"

    @property
    def phase_label(self) -> str:
        return "/".join(
            p.replace("PHASE", "Phase ").replace("EARLY_Phase 1", "Early phase 1") for p in self.phases
        )


class Site(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="sites")
    facility = models.CharField(max_length=300)
    city = models.CharField(max_length=120, blank=True, db_index=True)
    state = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=40, blank=True)  # the site's own recruitment status
    contact_name = models.CharField(max_length=200, blank=True)
    contact_phone = models.CharField(max_length=80, blank=True)
    contact_email = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.facility}, {self.city}"

    @property
    def is_open(self) -> bool:
        return self.status == "RECRUITING"


class Criterion(models.Model):
    class Kind(models.TextChoices):
        INCLUSION = "inclusion", "Inclusion"
        EXCLUSION = "exclusion", "Exclusion"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="criteria")
    index = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()  # verbatim
    structured = models.JSONField(
        null=True, blank=True
    )  # structured check, or null: to be confirmed by the trial team
    any_of = models.BooleanField(default=False)

    class Meta:
        ordering = ["study", "index"]
        constraints = [
            models.UniqueConstraint(fields=["study", "index"], name="trials_criterion_unique_index")
        ]

    def __str__(self) -> str:
        return f"{self.study.nct_id} #{self.index} {self.text[:50]}"
