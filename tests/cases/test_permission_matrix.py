"""Every role x every case endpoint (web and API): allowed or denied.

Denied means: anonymous -> sent to sign in (web) or 401 (API); a case the user may not see -> 404
(its existence is not revealed); a case they may see but an action their role may not take -> 403
(or 400 for a status change the form does not offer). Nothing changes when denied."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from onconav.accounts.models import Role
from onconav.audit.models import AuditEvent
from onconav.cases import services
from onconav.cases.models import CaseState, QuoteStatus, TravelPlan
from onconav.cases.selectors import cases_visible_to
from tests.cases.conftest import PDF_BYTES
from tests.cases.factories import HOSPITAL, CaseFactory, ConsentFactory, QuoteFactory, ReferralFactory
from tests.factories import TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "owner",
    "other_patient",
    "coordinator",
    "clinician",
    "clinician_unassigned",
    "partner_referred",
    "partner_other",
    "admin",
]
VISIBLE = {"owner", "coordinator", "clinician", "partner_referred", "admin"}


@dataclass
class World:
    case: Any
    document: Any
    draft_quote: Any
    sent_quote: Any
    referral: Any
    users: dict[str, Any]


@pytest.fixture
def world(db, kb_loaded) -> World:
    case = CaseFactory(state=CaseState.VISA_TRAVEL)
    ConsentFactory(draft=case.draft)
    referral = ReferralFactory(case=case, hospital_id=HOSPITAL)
    document = services.document_add(
        upload=SimpleUploadedFile("report.pdf", PDF_BYTES),
        kind="pathology",
        uploaded_by=case.patient,
        case=case,
    )
    draft_quote = QuoteFactory(case=case, status=QuoteStatus.DRAFT)
    sent_quote = QuoteFactory(case=case, status=QuoteStatus.SENT)
    TravelPlan.objects.create(case=case, hospital_id=HOSPITAL, passport_nationality="Kazakhstan")

    def staff(role: str, **kw: Any) -> Any:
        user = UserFactory(role=role, **kw)
        TOTPDeviceFactory(user=user)
        return user

    users = {
        "anonymous": None,
        "owner": case.patient,
        "other_patient": UserFactory(role=Role.PATIENT),
        "coordinator": staff(Role.COORDINATOR),
        "clinician": staff(Role.CLINICIAN),
        "clinician_unassigned": staff(Role.CLINICIAN),
        "partner_referred": staff(Role.PARTNER, partner_hospital_id=HOSPITAL),
        "partner_other": staff(Role.PARTNER, partner_hospital_id="another-hospital"),
        "admin": staff(Role.ADMIN, is_staff=True, is_superuser=True),
    }
    # Clinicians see only the cases they are assigned to review (issue 14).
    case.reviewer = users["clinician"]
    case.save(update_fields=["reviewer"])
    return World(case, document, draft_quote, sent_quote, referral, users)


def _client(world: World, role: str, login_as: Any) -> Client:
    client = Client()
    if world.users[role] is not None:
        login_as(world.users[role], client)
    return client


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", PDF_BYTES, content_type="application/pdf")


# name, method, path, data, roles allowed
def endpoints(w: World) -> list[tuple[str, str, str, Any, set[str]]]:
    c = f"/cases/{w.case.public_id}"
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    return [
        ("detail", "get", f"{c}/", None, VISIBLE),
        (
            "transition",
            "post",
            f"{c}/transition/",
            {"to_state": "in_treatment"},
            {"coordinator", "partner_referred", "admin"},
        ),
        ("message", "post", f"{c}/messages/", {"body": "Hello"}, {"owner", "coordinator", "admin"}),
        ("note", "post", f"{c}/notes/", {"body": "internal"}, {"coordinator", "clinician", "admin"}),
        (
            "upload",
            "post",
            f"{c}/documents/",
            lambda: {"kind": "ngs", "file": _pdf()},
            {"owner", "coordinator", "admin"},
        ),
        ("document", "get", f"/cases/documents/{w.document.public_id}/", None, VISIBLE),
        ("options_pdf", "get", f"{c}/options.pdf", None, {"owner", "coordinator", "clinician", "admin"}),
        (
            "opinion",
            "post",
            f"{c}/opinion/",
            {"summary": "Osimertinib is the standard."},
            {"clinician", "admin"},
        ),
        ("referral", "post", f"{c}/referrals/", {"hospital_id": HOSPITAL}, {"coordinator", "admin"}),
        (
            "referral_respond",
            "post",
            f"{c}/referrals/{w.referral.public_id}/respond/",
            {
                "decision": "accept",
                "proposed_start": tomorrow,
                "department": "Oncology",
                "contact": "+86 10 1",
            },
            {"partner_referred"},
        ),
        ("quote_new", "get", f"{c}/quotes/new/", None, {"coordinator", "admin"}),
        ("quote_send", "post", f"{c}/quotes/{w.draft_quote.public_id}/send/", {}, {"coordinator", "admin"}),
        (
            "quote_accept",
            "post",
            f"{c}/quotes/{w.sent_quote.public_id}/accept/",
            {"confirm": "yes"},
            {"owner"},
        ),
        ("travel", "get", f"{c}/travel/", None, {"coordinator", "admin"}),
        ("visa_letter", "get", f"{c}/visa-letter.pdf", None, {"owner", "coordinator", "admin"}),
        (
            "appointment",
            "post",
            f"{c}/appointments/",
            {"at": f"{tomorrow}T09:00", "description": "Consultation"},
            {"coordinator", "partner_referred", "admin"},
        ),
        ("follow_up", "get", f"{c}/follow-up/", None, {"owner"}),
        ("fhir", "get", f"{c}/export.json", None, {"owner", "coordinator", "clinician", "admin"}),
        ("api_detail", "get", f"/api/v1/cases/{w.case.public_id}", None, VISIBLE),
        (
            "api_transition",
            "post",
            f"/api/v1/cases/{w.case.public_id}/transitions",
            {"to_state": "in_treatment"},
            {"coordinator", "partner_referred", "admin"},
        ),
        (
            "api_messages",
            "get",
            f"/api/v1/cases/{w.case.public_id}/messages",
            None,
            {"owner", "coordinator", "admin"},
        ),
        (
            "api_message_post",
            "post",
            f"/api/v1/cases/{w.case.public_id}/messages",
            {"body": "Hello"},
            {"owner", "coordinator", "admin"},
        ),
        (
            "api_fhir",
            "get",
            f"/api/v1/cases/{w.case.public_id}/fhir",
            None,
            {"owner", "coordinator", "clinician", "admin"},
        ),
    ]


ENDPOINT_NAMES = [
    "detail",
    "transition",
    "message",
    "note",
    "upload",
    "document",
    "options_pdf",
    "opinion",
    "referral",
    "referral_respond",
    "quote_new",
    "quote_send",
    "quote_accept",
    "travel",
    "visa_letter",
    "appointment",
    "follow_up",
    "fhir",
    "api_detail",
    "api_transition",
    "api_messages",
    "api_message_post",
    "api_fhir",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINT_NAMES)
def test_permission_matrix(world, login_as, role, endpoint):
    name, method, path, data, allowed = next(e for e in endpoints(world) if e[0] == endpoint)
    client = _client(world, role, login_as)
    if callable(data):
        data = data()
    before_state = world.case.state
    audits_before = AuditEvent.objects.filter(object_id=str(world.case.public_id)).count()
    if path.startswith("/api/"):
        resp = (
            client.post(path, data, content_type="application/json") if method == "post" else client.get(path)
        )
    else:
        resp = client.post(path, data) if method == "post" else client.get(path)
    status = resp.status_code
    if role in allowed:
        assert status in (200, 201, 302), (name, role, status, resp.content[:300])
        if status == 302:
            assert "/accounts/login/" not in resp["Location"]
        if name == "detail":
            assert AuditEvent.objects.filter(object_id=str(world.case.public_id)).count() > audits_before
    else:
        if role == "anonymous":
            assert status in (302, 401), (name, status)
            if status == 302:
                assert "/accounts/login/" in resp["Location"]
        elif role not in VISIBLE:
            assert status == 404, (name, role, status)
        else:
            assert status in (400, 403, 404), (name, role, status)
        world.case.refresh_from_db()
        assert world.case.state == before_state


@pytest.mark.parametrize("role", ROLES)
def test_case_list_shows_exactly_the_visible_cases(world, login_as, role):
    client = _client(world, role, login_as)
    resp = client.get("/api/v1/cases")
    if role == "anonymous":
        assert resp.status_code == 401
        return
    ids = {c["id"] for c in resp.json()}
    assert (str(world.case.public_id) in ids) == (role in VISIBLE)


@pytest.mark.parametrize("role", ROLES)
def test_rules_and_queryset_agree_on_who_sees_the_case(world, role):
    from django.contrib.auth.models import AnonymousUser

    user = world.users[role] or AnonymousUser()
    by_rule = user.has_perm("cases.view_case", world.case)
    by_queryset = cases_visible_to(user).filter(pk=world.case.pk).exists()
    assert by_rule == by_queryset == (role in VISIBLE)


@pytest.mark.parametrize("role", ROLES)
def test_queue_is_for_staff_only(world, login_as, role):
    client = _client(world, role, login_as)
    resp = client.get("/cases/queue/")
    if role == "anonymous":
        assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    elif role in ("owner", "other_patient"):
        assert resp.status_code == 403
    else:
        assert resp.status_code == 200
        assert (world.case.short_ref in resp.content.decode()) == (role in VISIBLE)


def test_partner_stops_seeing_a_case_their_hospital_declined(world, login_as):
    partner = world.users["partner_referred"]
    world.referral.status = "declined"
    world.referral.save()
    client = login_as(partner, Client())
    assert client.get(f"/cases/{world.case.public_id}/").status_code == 404


def test_internal_notes_are_never_shown_to_the_patient(world, login_as):
    services.note_add(
        case=world.case, author=world.users["coordinator"], body="Patient seems anxious about costs"
    )
    owner = login_as(world.users["owner"], Client())
    html = owner.get(f"/cases/{world.case.public_id}/").content.decode()
    assert "anxious about costs" not in html
    coordinator = login_as(world.users["coordinator"], Client())
    assert "anxious about costs" in coordinator.get(f"/cases/{world.case.public_id}/").content.decode()
