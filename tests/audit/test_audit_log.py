import pytest
from django.test import RequestFactory

from onconav.audit.models import AuditEvent, AuditLogIsAppendOnly
from onconav.audit.services import audit_record, audited

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted(patient):
    event = audit_record(request=None, action="read", object_type="case", object_id="x", actor=patient)
    event.action = "nothing"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()


def test_database_refuses_updates_to_the_audit_table(patient):
    from django.db import DatabaseError, transaction

    audit_record(request=None, action="read", object_type="case", object_id="x", actor=patient)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(action="tampered")


def test_audited_view_records_who_read_what_and_from_where(patient):
    @audited("case")
    def view(request, public_id):  # type: ignore[no-untyped-def]
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = RequestFactory().get("/cases/abc/", REMOTE_ADDR="203.0.113.9")
    request.user = patient
    view(request, public_id="abc")
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.object_type, event.object_id, event.ip) == (
        patient,
        "read",
        "case",
        "abc",
        "203.0.113.9",
    )


def test_failed_requests_are_not_recorded_as_reads(patient):
    @audited("case")
    def view(request, public_id):  # type: ignore[no-untyped-def]
        from django.http import HttpResponseNotFound

        return HttpResponseNotFound()

    request = RequestFactory().get("/cases/abc/")
    request.user = patient
    view(request, public_id="abc")
    assert not AuditEvent.objects.exists()


def test_coordinator_can_browse_and_filter_the_audit_log(client, login_as, coordinator, patient):
    audit_record(request=None, action="read", object_type="case", object_id="c-1", actor=patient)
    audit_record(request=None, action="update", object_type="document", object_id="d-1", actor=patient)
    login_as(coordinator)
    resp = client.get("/staff/audit/?object_type=document")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "d-1" in html and "c-1" not in html


def test_patient_cannot_open_the_audit_log(client, login_as, patient):
    login_as(patient)
    assert client.get("/staff/audit/").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client):
    resp = client.get("/staff/audit/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_sign_in_with_two_factor_is_audited(client, login_as, coordinator):
    login_as(coordinator)
    assert AuditEvent.objects.filter(actor=coordinator, action="2fa_verify").exists()
