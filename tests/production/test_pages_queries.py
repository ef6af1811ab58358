"""Bounded query counts on the main pages (no N+1: the count must not grow with the data)."""

from __future__ import annotations

import pytest

from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = {
    "/": 12,
    "/kb/": 12,
    "/kb/search/?q=osimertinib": 8,
    "/kb/drugs/osimertinib/": 20,
    "/kb/cancers/LUAD/": 10,
    "/hospitals/": 12,
    "/hospitals/?q=cancer&page=2": 12,
    "/api/v1/kb/search?q=EGFR": 6,
    "/api/v1/hospitals?city=Beijing": 8,
    "/api/v1/health": 3,
}


@pytest.mark.parametrize(("url", "most"), PUBLIC_PAGES.items())
def test_public_pages_use_a_bounded_number_of_queries(
    client, kb_loaded, django_assert_max_num_queries, url, most
):
    # given the loaded KB; when an anonymous visitor opens a main page; then few queries are made
    with django_assert_max_num_queries(most):
        resp = client.get(url)
    assert resp.status_code == 200, url


def test_the_coordinator_queue_and_a_case_page_do_not_grow_with_the_number_of_cases(
    client, kb_loaded, coordinator, login_as, django_assert_max_num_queries
):
    # given a queue of cases; when the coordinator opens it and one case
    cases = CaseFactory.create_batch(12)
    login_as(coordinator)
    client.get("/cases/queue/")  # warm per-process caches
    with django_assert_max_num_queries(25):
        assert client.get("/cases/queue/").status_code == 200
    CaseFactory.create_batch(12)
    # then twice the cases cost no more queries
    with django_assert_max_num_queries(25):
        assert client.get("/cases/queue/").status_code == 200
    with django_assert_max_num_queries(45):
        assert client.get(f"/cases/{cases[0].public_id}/").status_code == 200


def test_the_patients_own_case_page_uses_a_bounded_number_of_queries(
    client, kb_loaded, login_as, django_assert_max_num_queries
):
    # given a patient's case; when the patient opens it (the bench's case page)
    case = CaseFactory()
    login_as(case.patient)
    client.get(f"/cases/{case.public_id}/")  # warm per-process caches (engine, trials, directory)
    with django_assert_max_num_queries(16):
        assert client.get(f"/cases/{case.public_id}/").status_code == 200


def test_trials_for_a_case_check_the_trial_table_once(kb_loaded, django_assert_num_queries):
    from onconav.trials.options import trial_options_for
    from onconav.trials.selectors import compiled_trials

    compiled_trials()  # compiled once per process
    profile = {"cancer": {"oncotree_code": "LUAD", "stage": "IV"}, "age": 60}
    # then each later call only checks (one query) that no import changed the table
    with django_assert_num_queries(1):
        trial_options_for(profile)
