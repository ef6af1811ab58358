"""A patient goes from the home page through the intake (with an upload) to the portal,
in English and in Chinese. The Chinese run asserts on structure and URLs, not on wording."""

from __future__ import annotations

import re

import pytest

from onconav.cases.models import Case, Document
from onconav.intake.models import Consent
from tests.e2e.conftest import serious_accessibility_violations, shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploads in a temporary private root, not the development one."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _save(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("form.question-page button[type=submit]").first.click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_patient_goes_from_home_through_intake_with_an_upload_to_the_portal(
    live_server, page, tmp_path, lang
):
    email = f"patient-{lang}@example.org"
    if lang == "zh-hans":
        page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    # Given a visitor on the home page
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == ("zh-Hans" if lang == "zh-hans" else "en")
    # When they follow "Start my treatment" and start
    page.locator("nav.main-nav a[href='/start/']").click()
    page.wait_for_url("**/start/")
    if lang == "en":
        assert "Start my medical treatment" in page.get_by_role("heading", level=1).inner_text()
        assert "not an online diagnosis" in page.content()
    shot(page, f"intake-start-{lang}")
    page.locator("form[action='/start/'] button[type=submit]").click()
    page.wait_for_url("**/start/tasks/")
    shot(page, f"intake-tasks-{lang}")
    page.locator("a[href='/start/step/who/']").click()
    # Who (a family member helps)
    page.locator("input[name=relationship][value=family]").check()
    page.fill("input[name=helper_name]", "Daniyar")
    _save(page)
    # The patient: an error first, then put right
    page.wait_for_url("**/start/step/patient/")
    page.fill("input[name=full_name]", "Aigerim Testova")
    _save(page)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("input[name=full_name]").input_value() == "Aigerim Testova"
    shot(page, f"intake-error-{lang}")
    page.locator("input[name=sex][value=female]").check()
    page.fill("input[name=date_of_birth]", "1961-03-27")
    page.fill("input[name=nationality]", "Kazakhstan")
    _save(page)
    page.wait_for_url("**/start/step/contact/")
    page.fill("input[name=email]", email)
    page.locator("input[name=languages][value=ru]").check()
    _save(page)
    page.wait_for_url("**/start/step/diagnosis/")
    page.select_option("select[name=cancer_type]", "LUAD")
    page.fill("input[name=stage]", "IV")
    _save(page)
    page.wait_for_url("**/start/step/biomarkers/")
    page.select_option("select[name=egfr]", "L858R")
    _save(page)
    page.wait_for_url("**/start/step/treatment/")
    page.fill("textarea[name=prior_therapies]", "gefitinib: progression")
    _save(page)
    page.wait_for_url("**/start/step/ecog/")
    page.locator("input[name=ecog][value='1']").check()
    _save(page)
    page.wait_for_url("**/start/step/goals/")
    page.locator("input[name=goals][value=treatment_china]").check()
    page.fill("textarea[name=questions]", "Is osimertinib possible?")
    _save(page)
    page.wait_for_url("**/start/step/cities/")
    page.locator("input[name=cities][value=Beijing]").check()
    page.locator("input[name=cities][value=Shanghai]").check()
    _save(page)
    page.wait_for_url("**/start/step/budget/")
    page.locator("input[name=insurance][value=none]").check()
    _save(page)
    page.wait_for_url("**/start/step/travel/")
    _save(page)
    # Uploads: a pathology report
    page.wait_for_url("**/start/records/")
    report = tmp_path / "pathology.pdf"
    report.write_bytes(PDF)
    page.select_option("select[name=kind]", "pathology")
    page.set_input_files("input[name=file]", str(report))
    button = page.locator("form[enctype='multipart/form-data'] button[type=submit]")
    with page.expect_navigation():  # sent with a progress bar, then the list of files
        button.click()
    page.wait_for_url("**/start/records/")
    assert page.locator("ul.documents a[href^='/start/records/']").count() == 1
    assert page.locator(".checklist li.present").count() == 1
    shot(page, f"intake-records-{lang}")
    # Check your answers, then an account (the email is not asked twice)
    page.goto(live_server.url + "/start/check/")
    if lang == "en":
        assert "Aigerim Testova" in page.content() and "Lung adenocarcinoma" in page.content()
    shot(page, f"intake-check-{lang}")
    page.locator("main a.button[href='/start/account/']").click()
    page.wait_for_url("**/start/account/")
    assert page.locator("input[name=email]").input_value() == email
    page.fill("input[name=password]", "a-long-passphrase-42")
    page.locator("main form button[type=submit]").click()
    # "Check your email" (the same page whether or not the address has an account); the link in
    # the email, opened in the same browser, makes the account
    page.wait_for_url("**/start/account/sent/")
    shot(page, f"intake-account-sent-{lang}")
    from django.core import mail

    link = re.search(r"https?://\S+(/start/account/confirm/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    shot(page, f"intake-account-confirm-{lang}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/start/send/")
    # Consent: two separate boxes; then send (twice, as an impatient double click would)
    page.locator("input[name=consent_processing]").check()
    page.locator("input[name=consent_transfer]").check()
    shot(page, f"intake-consent-{lang}")
    page.locator("form.consent-form button[type=submit]").dblclick()
    page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}/$"))
    # Then there is one case with the upload, and the portal shows it
    case = Case.objects.get(patient__email=email)
    assert Case.objects.filter(patient__email=email).count() == 1
    assert Document.objects.get(case=case).kind == "pathology"
    assert Consent.objects.filter(draft=case.draft).count() == 2
    assert page.locator("[data-testid=case-state]").get_attribute("data-state") == "new"
    assert page.locator("#documents ul.documents li a").count() == 1
    assert page.locator(".checklist li.missing").count() >= 2  # NGS and blood tests still missing
    if lang == "en":
        assert "Your request was sent" in page.content()
    shot(page, f"portal-{lang}")
    # And the patient writes to the coordinator from the portal
    page.fill("textarea[name=body]", "When will you reply?")
    page.locator("form[action$='/messages/'] button[type=submit]").click()
    page.wait_for_url("**#messages")
    assert "When will you reply?" in page.locator("#messages").inner_text()
    page.goto(live_server.url + "/cases/mine/")
    assert page.locator(f"a[href='/cases/{case.public_id}/']").count() == 1
    shot(page, f"portal-mine-{lang}")


def test_intake_pages_fit_a_phone_screen(live_server, page):
    # Given a phone-sized screen
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/start/")
    page.locator("form[action='/start/'] button[type=submit]").click()
    page.wait_for_url("**/start/tasks/")
    for path in (
        "/start/tasks/",
        "/start/step/patient/",
        "/start/step/diagnosis/",
        "/start/records/",
        "/start/check/",
    ):
        page.goto(live_server.url + path)
        # Then nothing needs sideways scrolling
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)
    shot(page, "intake-phone")


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_intake_and_portal_pages_have_no_serious_accessibility_violations(live_server, a11y_page, lang):
    from tests.cases.factories import CaseFactory
    from tests.factories import PASSWORD

    page = a11y_page
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    problems = {}
    page.goto(live_server.url + "/start/")
    page.locator("form[action='/start/'] button[type=submit]").click()
    page.wait_for_url("**/start/tasks/")
    page.goto(live_server.url + "/start/step/patient/")
    page.locator("form.question-page button[type=submit]").first.click()  # with errors shown
    page.wait_for_load_state("load")
    for url in (
        "/start/",
        "/start/tasks/",
        None,
        "/start/step/who/",
        "/start/step/contact/",
        "/start/step/ecog/",
        "/start/records/",
        "/start/check/",
        "/start/account/",
    ):
        if url:
            page.goto(live_server.url + url)
        found = serious_accessibility_violations(page)
        if found:
            problems[url or "/start/step/patient/ (errors)"] = found
    case = CaseFactory()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", case.patient.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.public_id}/")  # a patient lands on their case
    for url in ("/cases/mine/", f"/cases/{case.public_id}/"):
        page.goto(live_server.url + url)
        found = serious_accessibility_violations(page)
        if found:
            problems[url] = found
    assert not problems, problems
