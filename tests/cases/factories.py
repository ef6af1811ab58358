from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from onconav.cases.models import Case, CaseState, MdtOpinion, Quote, QuoteLine, QuoteStatus, Referral
from onconav.intake.models import Consent, ConsentKind, DraftStatus, IntakeDraft
from tests.factories import UserFactory

HOSPITAL = "peking-union-medical-college-hospital"
OTHER_HOSPITAL = "some-other-hospital"

ANSWERS = {
    "who": {"relationship": "self", "helper_name": "", "helper_relationship": ""},
    "patient": {
        "full_name": "Aigerim Testova",
        "sex": "female",
        "date_of_birth": "1961-03-27",
        "nationality": "Kazakhstan",
    },
    "contact": {
        "email": "aigerim@example.org",
        "phone": "+7 700 000 0000",
        "messenger": "",
        "languages": ["ru", "en"],
    },
    "diagnosis": {
        "cancer_type": "LUAD",
        "stage": "IV",
        "diagnosis_date": "2025-06-01",
        "recurrent_metastatic": True,
    },
    "biomarkers": {
        "egfr": "L858R",
        "other_alterations": "",
        "pdl1_tps": 30.0,
        "msi": "",
        "her2": "",
        "er": "",
        "pr": "",
    },
    "treatment": {
        "prior_therapies": "gefitinib: progression",
        "surgery_radiotherapy": "",
        "medical_history": "Type 2 diabetes",
    },
    "ecog": {"ecog": "1"},
    "goals": {"goals": ["options", "treatment_china"], "questions": "Is osimertinib possible?"},
    "cities": {"cities": ["Beijing", "Shanghai"]},
    "budget": {"budget_usd": 50000, "insurance": "none", "insurer": ""},
    "travel": {"companions": 1, "needs": ""},
}


class DraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntakeDraft

    owner = factory.SubFactory(UserFactory)
    status = DraftStatus.SUBMITTED
    answers = factory.LazyFunction(lambda: dict(ANSWERS))
    completed_steps = factory.LazyFunction(lambda: list(ANSWERS))


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    patient = factory.SubFactory(UserFactory)
    draft = factory.SubFactory(DraftFactory, owner=factory.SelfAttribute("..patient"))
    state = CaseState.NEW
    patient_name = "Aigerim Testova"
    details = factory.LazyFunction(lambda: dict(ANSWERS))
    profile = factory.LazyFunction(
        lambda: {
            "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
            "ecog": 1,
            "age": 64,
            "sex": "female",
            "biomarkers": [
                {"gene": "EGFR", "alteration": "L858R"},
                {"name": "PD-L1 TPS", "value": 30.0, "unit": "%"},
            ],
            "prior_therapies": [{"drugs": ["gefitinib"], "line": 1, "outcome": "progression"}],
        }
    )
    cancer_code = "LUAD"
    preferred_cities = factory.LazyFunction(lambda: ["Beijing"])
    first_reply_due_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2))


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    user = factory.SelfAttribute("draft.owner")
    kind = ConsentKind.TRANSFER
    version = "transfer-2026-11-v1"
    language = "en"
    text_sha256 = "0" * 64
    given_at = factory.LazyFunction(timezone.now)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    hospital_id = HOSPITAL


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    status = QuoteStatus.SENT
    hospital_id = HOSPITAL

    @factory.post_generation
    def with_lines(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            QuoteLine.objects.create(quote=obj, description="Consultation", amount_low=1000, amount_high=2000)


class OpinionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MdtOpinion

    case = factory.SubFactory(CaseFactory)
    summary = "Stage IV EGFR L858R adenocarcinoma: first-line osimertinib is preferred."
    recommendation = "Start osimertinib; imaging every 8-12 weeks."
    regimen = "osimertinib"


def make_matchable(case):  # type: ignore[no-untyped-def]
    """What "hospital matched" needs: a recorded opinion and a referral the hospital accepted."""
    OpinionFactory(case=case)
    return ReferralFactory(
        case=case,
        hospital_id=HOSPITAL,
        status="accepted",
        department="Thoracic oncology",
        contact="+86 10 0000 0000",
    )
