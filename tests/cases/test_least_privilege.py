"""Issue 14: clinicians see only the cases assigned to them for review."""

from __future__ import annotations

import pytest
from django.test import Client

from onconav.cases import services
from onconav.cases.models import CaseState
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_a_clinician_sees_only_the_cases_assigned_to_them(make_user, login_as, coordinator):
    # Given two cases under review, one assigned to this clinician
    clinician = make_user("clinician")
    mine = CaseFactory(state=CaseState.RECORDS_REVIEW)
    other = CaseFactory(state=CaseState.RECORDS_REVIEW)
    services.case_assign(case=mine, assignee=coordinator, actor=coordinator, reviewer=clinician)
    client = login_as(clinician, Client())
    # Then the queue, the case page and the API show only the assigned one
    queue = client.get("/cases/queue/").content.decode()
    assert mine.short_ref in queue and other.short_ref not in queue
    assert client.get(f"/cases/{mine.public_id}/").status_code == 200
    assert client.get(f"/cases/{other.public_id}/").status_code == 404
    assert {c["id"] for c in client.get("/api/v1/cases").json()} == {str(mine.public_id)}


def test_the_coordinator_assigns_the_reviewer_on_the_case_page(make_user, login_as, coordinator):
    clinician = make_user("clinician")
    case = CaseFactory(state=CaseState.RECORDS_REVIEW)
    client = login_as(coordinator, Client())
    assert 'name="reviewer"' in client.get(f"/cases/{case.public_id}/").content.decode()
    resp = client.post(
        f"/cases/{case.public_id}/assign/",
        {"assignee": str(coordinator.public_id), "reviewer": str(clinician.public_id)},
    )
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.reviewer == clinician
    # And only a clinician can be the reviewer
    resp = client.post(
        f"/cases/{case.public_id}/assign/", {"assignee": "", "reviewer": str(coordinator.public_id)}
    )
    assert resp.status_code == 400
