"""A coordinator (with 2FA) takes a case through every state to follow-up: assignment, status
changes, a referral, the quote builder, travel details and the visa letter, in English and in
Chinese. The Chinese run asserts on structure and data, not on wording."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from onconav.cases.models import Case, CaseEvent, CaseState, Quote
from tests.cases.factories import HOSPITAL, CaseFactory, ConsentFactory
from tests.conftest import current_totp
from tests.e2e.conftest import shot
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/2fa/verify/**")
    page.fill("input[name=token]", current_totp(TOTPDevice.objects.get(user=user)))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/cases/queue/")


def _opinion_and_acceptance(case) -> None:  # type: ignore[no-untyped-def]
    from onconav.accounts.models import Role
    from onconav.cases import services
    from onconav.cases.models import Referral
    from tests.factories import UserFactory

    case.refresh_from_db()
    clinician = UserFactory(role=Role.CLINICIAN)
    case.reviewer = clinician  # only the assigned clinician reviewer may see the case
    case.save(update_fields=["reviewer"])
    services.opinion_record(
        case=case, author=clinician, summary="Osimertinib first line.", regimen="osimertinib"
    )
    partner = UserFactory(role=Role.PARTNER, partner_hospital_id=HOSPITAL)
    services.referral_respond(
        referral=Referral.objects.get(case=case, hospital_id=HOSPITAL),
        actor=partner,
        accept=True,
        department="Thoracic oncology",
        contact="+86 10 0000 0000",
    )


def _move(page, to_state: str) -> None:  # type: ignore[no-untyped-def]
    page.select_option("form[action$='/transition/'] select[name=to_state]", to_state)
    page.fill("form[action$='/transition/'] textarea[name=note]", f"moved to {to_state}")
    page.locator("form[action$='/transition/'] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("[data-testid=case-state]").get_attribute("data-state") == to_state


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_coordinator_takes_a_case_through_every_state_to_follow_up(live_server, page, coordinator, lang):
    # Given a new case whose patient agreed to the transfer to hospitals in China
    case = CaseFactory(first_reply_due_at=timezone.now() - dt.timedelta(hours=2))
    ConsentFactory(draft=case.draft)
    if lang == "zh-hans":
        page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    # When the coordinator signs in with 2FA and opens the queue
    _sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/cases/queue/?overdue=1")
    row = page.locator("table.queue tbody tr.overdue")
    assert row.count() == 1 and case.short_ref in row.inner_text()
    shot(page, f"queue-{lang}")
    row.locator("a").click()
    page.wait_for_url(f"**/cases/{case.public_id}/")
    # Assign the case to themselves
    page.select_option("form[action$='/assign/'] select[name=assignee]", str(coordinator.public_id))
    page.locator("form[action$='/assign/'] button[type=submit]").click()
    page.wait_for_load_state("load")
    # Reply to the patient (meets the first-reply target)
    page.fill("form[action$='/messages/'] textarea[name=body]", "We have your records and start the review.")
    page.locator("form[action$='/messages/'] button[type=submit]").click()
    page.wait_for_url("**#messages")
    # Internal note
    page.fill("form[action$='/notes/'] textarea[name=body]", "Ask for the NGS report.")
    page.locator("form[action$='/notes/'] button[type=submit]").click()
    page.wait_for_load_state("load")
    for state in (CaseState.RECORDS_REVIEW, CaseState.MDT_OPINION):
        _move(page, state)
    # "Hospital matched" is refused, and the page says why
    page.select_option("form[action$='/transition/'] select[name=to_state]", CaseState.HOSPITAL_MATCHED)
    page.locator("form[action$='/transition/'] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".error-summary").count() == 1
    assert page.locator("[data-testid=case-state]").get_attribute("data-state") == CaseState.MDT_OPINION
    # Refer to a hospital in the directory
    page.select_option("form[action$='/referrals/'] select[name=hospital_id]", HOSPITAL)
    page.locator("form[action$='/referrals/'] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("#referrals ul.referrals li").count() == 1
    # Meanwhile the clinician records the opinion and the hospital accepts the referral
    _opinion_and_acceptance(case)
    page.reload()
    _move(page, CaseState.HOSPITAL_MATCHED)
    shot(page, f"case-matched-{lang}")
    # Build and send a quote: the case moves to "quote sent"
    page.locator(f"a[href='/cases/{case.public_id}/quotes/new/']").click()
    page.wait_for_url("**/quotes/new/")
    page.select_option("select[name=currency]", "CNY")
    page.fill("input[name=valid_until]", (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.fill("input[name=line0_description]", "Consultation and PET-CT")
    page.fill("input[name=line0_low]", "9000")
    page.fill("input[name=line0_high]", "12000")
    shot(page, f"quote-builder-{lang}")
    page.locator("button[name=send]").click()
    page.wait_for_url(f"**/cases/{case.public_id}/#quotes")
    assert page.locator("[data-testid=case-state]").get_attribute("data-state") == CaseState.QUOTE_SENT
    assert Quote.objects.get(case=case).status == "sent"
    # The patient accepted by phone: the coordinator records it, then visa and travel
    _move(page, CaseState.QUOTE_ACCEPTED)
    _move(page, CaseState.VISA_TRAVEL)
    page.locator(f"a[href='/cases/{case.public_id}/travel/']").click()
    page.wait_for_url("**/travel/")
    page.select_option("select[name=hospital_id]", HOSPITAL)
    page.fill("input[name=passport_number]", "N1234567")
    page.fill("input[name=treatment_start]", (timezone.localdate() + dt.timedelta(days=20)).isoformat())
    page.fill("input[name=treatment_end]", (timezone.localdate() + dt.timedelta(days=40)).isoformat())
    page.fill("input[name=arrival_at]", (timezone.localdate() + dt.timedelta(days=19)).isoformat() + "T14:30")
    page.fill("textarea[name=pickup]", "Driver at Beijing Capital airport, exit B")
    page.fill("input[name=interpreter_language]", "Russian")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**#travel")
    with page.expect_download() as download_info:
        page.locator(f"a[href='/cases/{case.public_id}/visa-letter.pdf?lang={lang}']").click()
    assert download_info.value.suggested_filename == f"visa-letter-{case.short_ref}-{lang}.pdf"
    _move(page, CaseState.IN_TREATMENT)
    _move(page, CaseState.FOLLOW_UP)
    shot(page, f"case-follow-up-{lang}")
    # Then every transition is on the timeline, and the patient got a first reply in time
    case = Case.objects.get(pk=case.pk)
    transitions = list(
        CaseEvent.objects.filter(case=case, kind="transition").values_list("to_state", flat=True)
    )
    assert transitions == [
        "records_review",
        "mdt_opinion",
        "hospital_matched",
        "quote_sent",
        "quote_accepted",
        "visa_travel",
        "in_treatment",
        "follow_up",
    ]
    assert case.assignee == coordinator and case.first_replied_at is not None
    assert page.locator("ol.timeline li").count() >= len(transitions)


def test_staff_pages_have_no_serious_accessibility_violations(live_server, a11y_page, coordinator):
    from tests.e2e.conftest import serious_accessibility_violations

    case = CaseFactory(state=CaseState.HOSPITAL_MATCHED)
    ConsentFactory(draft=case.draft)
    page = a11y_page
    _sign_in(page, live_server, coordinator)
    problems = {}
    for url in (
        "/cases/queue/",
        f"/cases/{case.public_id}/",
        f"/cases/{case.public_id}/quotes/new/",
        f"/cases/{case.public_id}/travel/",
    ):
        page.goto(live_server.url + url)
        found = serious_accessibility_violations(page)
        if found:
            problems[url] = found
    assert not problems, problems
