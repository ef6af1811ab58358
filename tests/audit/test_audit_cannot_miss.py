"""Issue 14, finding 2: every response that renders patient data is audited whatever its status,
enforced in one place (the access helpers note what they hand out; the audit middleware records
it); the audit table is append-only in the database on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from onconav.audit.middleware import AuditContextMiddleware
from onconav.audit.models import AuditEvent
from onconav.audit.services import NOT_RENDERED, audit_record
from onconav.cases import selectors
from tests.cases.factories import HOSPITAL, QuoteFactory

pytestmark = pytest.mark.django_db

ID_PARAMS = {"case_id", "document_id", "quote_id", "referral_id"}


def test_invalid_form_post_that_shows_the_case_is_audited(world, login_as):
    # Given the patient on their case page
    client = login_as(world["patient"], Client())
    before = AuditEvent.objects.filter(object_id=str(world["case"].public_id)).count()
    # When they send an empty message (the page comes back with 400, showing the whole case)
    resp = client.post(f"/cases/{world['case'].public_id}/messages/", {"body": ""})
    assert resp.status_code == 400 and "Aigerim Testova" in resp.content.decode()
    # Then the read is in the audit log, with its status
    events = AuditEvent.objects.filter(object_id=str(world["case"].public_id))
    assert events.count() == before + 1
    assert events.first().detail.get("status") == 400


def test_a_view_that_forgot_to_audit_is_still_recorded_by_the_middleware(world):
    # Given a view without @audited that opens a case through the access helper and answers 400
    def forgetful_view(request):  # type: ignore[no-untyped-def]
        case = selectors.case_get_for_user(user=request.user, case_id=world["case"].public_id)
        return HttpResponse(case.patient_name, status=400)

    request = RequestFactory().post("/somewhere/")
    request.user = world["coordinator"]
    # When it runs behind the audit middleware
    AuditContextMiddleware(forgetful_view)(request)
    # Then the read is recorded once, with its status
    event = AuditEvent.objects.get(object_id=str(world["case"].public_id))
    assert (event.actor, event.object_type, event.detail["status"]) == (world["coordinator"], "case", 400)


def test_a_refused_access_records_no_read(world, make_user, login_as):
    stranger = login_as(make_user("patient"), Client())
    assert stranger.get(f"/cases/{world['case'].public_id}/").status_code == 404
    assert not AuditEvent.objects.filter(object_id=str(world["case"].public_id)).exists()


def _patterns(resolver: Any, prefix: str = "") -> list[tuple[str, URLPattern]]:
    out = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            out += _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            out.append((prefix + str(p.pattern), p))
    return out


def _patient_routes() -> list[str]:
    """Every web route with a patient object's id in it (cases, documents, quotes, referrals)."""
    return sorted(
        route
        for route, p in _patterns(get_resolver())
        if ID_PARAMS & set(p.pattern.converters) and not route.startswith(("admin/", "api/"))
    )


def _fill(route: str, world: dict[str, Any], quote: Any) -> str:
    return "/" + (
        route.replace("<uuid:case_id>", str(world["case"].public_id))
        .replace("<uuid:document_id>", str(world["document"].public_id))
        .replace("<uuid:quote_id>", str(quote.public_id))
        .replace("<uuid:referral_id>", str(world["referral"].public_id))
    )


def _valid(path: str, world: dict[str, Any]) -> dict[str, Any]:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for suffix, data in (
        ("/messages/", {"body": "Hello"}),
        ("/notes/", {"body": "A note"}),
        ("/opinion/", {"summary": "An opinion"}),
        ("/referrals/", {"hospital_id": HOSPITAL}),
        ("/appointments/", {"at": f"{tomorrow}T09:00", "description": "Consultation"}),
        ("/assign/", {"assignee": str(world["coordinator"].public_id)}),
        ("/accept/", {"confirm": "yes"}),
        (
            "/respond/",
            {"decision": "accept", "proposed_start": tomorrow, "department": "Onc", "contact": "+86"},
        ),
    ):
        if path.endswith(suffix):
            return data
    return {"x": "1"}


API_ROUTES = ("/api/v1/cases/{c}", "/api/v1/cases/{c}/messages", "/api/v1/cases/{c}/fhir")


@pytest.mark.parametrize("role", ["patient", "coordinator", "clinician", "partner"])
def test_every_patient_data_route_is_audited_with_valid_and_invalid_input(world, login_as, kb_loaded, role):
    # Given every route that carries a patient object's id, and a user of each role
    routes = _patient_routes()
    assert len(routes) >= 20, routes  # the walk really covers the case routes
    quote = QuoteFactory(case=world["case"])
    client = login_as(world[role], Client())
    missed = []
    for route in routes:
        path = _fill(route, world, quote)
        # When the route is called with no input, with invalid input and with valid input
        for method, data in (("get", None), ("post", {}), ("post", _valid(path, world))):
            before = AuditEvent.objects.filter(path=path).count()
            resp = client.get(path) if method == "get" else client.post(path, data)
            # Then every response that may show patient data left an audit row
            if resp.status_code not in NOT_RENDERED and not _is_sign_in(resp):
                if AuditEvent.objects.filter(path=path).count() <= before:
                    missed.append((method, path, resp.status_code, data))
    for tpl in API_ROUTES:
        path = tpl.format(c=world["case"].public_id)
        before = AuditEvent.objects.filter(path=path).count()
        resp = client.get(path)
        if resp.status_code not in NOT_RENDERED and AuditEvent.objects.filter(path=path).count() <= before:
            missed.append(("get", path, resp.status_code, None))
    assert not missed, missed


def _is_sign_in(resp: Any) -> bool:
    return resp.status_code == 302 and "/accounts/" in resp.get("Location", "")


# --- append-only in the database ----------------------------------------------------------------


def _event(world: dict[str, Any]) -> AuditEvent:
    return audit_record(
        request=None, action="read", object_type="case", object_id="x", actor=world["patient"]
    )


def test_database_refuses_to_change_or_delete_audit_rows(world):
    # Given an audit row: a raw UPDATE or DELETE (bypassing the model) is refused by the database
    event = _event(world)
    table = AuditEvent._meta.db_table
    for sql in (
        f"UPDATE {table} SET action = 'tampered' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
        f"UPDATE {table} SET actor_id = NULL, actor_email = 'erased:x', action = 'x' WHERE id = %s",  # noqa: S608
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.action == "read"


def test_database_allows_only_the_pseudonymisation_of_an_erased_user(world):
    event = _event(world)
    AuditEvent.objects.filter(pk=event.pk).update(actor=None, actor_email="erased:0123456789abcdef")
    event.refresh_from_db()
    assert (event.actor_id, event.actor_email, event.action) == (None, "erased:0123456789abcdef", "read")
