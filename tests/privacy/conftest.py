from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onconav.accounts.models import Role
from onconav.cases import services
from onconav.cases.models import CaseState, ReferralStatus
from onconav.intake.models import ConsentKind
from tests.cases.conftest import PDF_BYTES, private_storage  # noqa: F401 - fixtures
from tests.cases.factories import HOSPITAL, CaseFactory, ConsentFactory, ReferralFactory


@pytest.fixture
def world(make_user, db) -> dict[str, Any]:
    """A case past the review with both consents, an assigned clinician reviewer, an accepted
    referral to a hospital whose partner may see it, and an uploaded record."""
    clinician = make_user(Role.CLINICIAN)
    partner = make_user(Role.PARTNER, partner_hospital_id=HOSPITAL)
    coordinator = make_user(Role.COORDINATOR)
    case = CaseFactory(state=CaseState.HOSPITAL_MATCHED, reviewer=clinician)
    ConsentFactory(draft=case.draft, kind=ConsentKind.PROCESSING, version="processing-2026-11-v1")
    ConsentFactory(draft=case.draft, kind=ConsentKind.TRANSFER)
    referral = ReferralFactory(case=case, hospital_id=HOSPITAL, status=ReferralStatus.ACCEPTED)
    document = services.document_add(
        upload=SimpleUploadedFile("report.pdf", PDF_BYTES),
        kind="pathology",
        uploaded_by=case.patient,
        case=case,
    )
    return {
        "case": case,
        "patient": case.patient,
        "clinician": clinician,
        "partner": partner,
        "coordinator": coordinator,
        "referral": referral,
        "document": document,
    }
