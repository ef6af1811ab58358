"""Issue 14: a patient exercises their rights from the portal in a browser, in English and in
Chinese: download their data, withdraw the transfer consent, then the processing consent, then
erase everything. The Chinese run asserts on structure and on effects, not on wording."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from onconav.accounts.models import User
from onconav.cases.models import Case, CaseState, Referral, ReferralStatus
from onconav.intake.models import Consent
from tests.e2e.conftest import serious_accessibility_violations, shot

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def _world() -> Case:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onconav.cases import services
    from onconav.intake.models import ConsentKind
    from tests.cases.factories import HOSPITAL, CaseFactory, ConsentFactory, ReferralFactory

    case = CaseFactory(state=CaseState.HOSPITAL_MATCHED)
    ConsentFactory(draft=case.draft, kind=ConsentKind.PROCESSING, version="processing-2026-11-v1")
    ConsentFactory(draft=case.draft, kind=ConsentKind.TRANSFER)
    ReferralFactory(case=case, hospital_id=HOSPITAL, status=ReferralStatus.ACCEPTED)
    services.document_add(
        upload=SimpleUploadedFile("report.pdf", PDF), kind="pathology", uploaded_by=case.patient, case=case
    )
    return case


def _a11y(browser, url: str, lang: str, cookies: list) -> list[str]:  # type: ignore[no-untyped-def]
    context = browser.new_context(bypass_csp=True)
    context.add_cookies(cookies)
    pg = context.new_page()
    pg.goto(url)
    problems = serious_accessibility_violations(pg)
    context.close()
    return problems


def _confirm(page) -> None:  # type: ignore[no-untyped-def]
    page.check("#confirm")
    page.locator("form.confirm-box button[type=submit]").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_patient_downloads_withdraws_and_erases_from_the_portal(live_server, page, browser, lang):
    from tests.factories import PASSWORD

    case = _world()
    patient = case.patient
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    # Given the patient signed in on their portal
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", patient.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    page.goto(live_server.url + "/cases/mine/")
    # When they open "My data and consents"
    page.locator("main a[href='/my-data/']").click()
    page.wait_for_url("**/my-data/")
    assert page.locator("html").get_attribute("lang") == ("zh-Hans" if lang == "zh-hans" else "en")
    assert page.locator("[data-consent]").count() == 2
    shot(page, f"my-data-{lang}")
    assert not _a11y(browser, page.url, lang, page.context.cookies())
    # And download their data: a zip with their answers, the FHIR Bundle and the record
    with page.expect_download() as dl:
        page.locator("form[action='/my-data/export/'] button").click()
    zf = zipfile.ZipFile(io.BytesIO(open(dl.value.path(), "rb").read()))  # noqa: SIM115
    data = json.loads(zf.read("onconav-data.json"))
    assert data["cases"][0]["id"] == str(case.public_id)
    assert json.loads(zf.read(f"fhir/{case.short_ref}.json"))["resourceType"] == "Bundle"
    assert any(n.startswith("documents/") and zf.read(n) == PDF for n in zf.namelist())
    # And withdraw the transfer consent: the hospital's referral is revoked at once
    page.locator("[data-consent=transfer] a").click()
    page.wait_for_url("**/my-data/withdraw/transfer/")
    shot(page, f"withdraw-confirm-{lang}")
    _confirm(page)
    assert page.url.endswith("/my-data/")
    assert Referral.objects.get(case=case).status == ReferralStatus.REVOKED
    assert page.locator("[data-consent=transfer] a").count() == 0
    # And withdraw the processing consent: the case is withdrawn
    page.locator("[data-consent=processing] a").click()
    page.wait_for_url("**/my-data/withdraw/processing/")
    _confirm(page)
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN
    assert not Consent.objects.filter(user=patient, withdrawn_at__isnull=True).exists()
    # And finally erase everything, confirming with their email address
    page.goto(live_server.url + "/my-data/erase/")
    assert not _a11y(browser, page.url, lang, page.context.cookies())
    page.fill("#email", patient.email)
    _confirm(page)
    # Then the account and the case are gone, and the page says so in their language
    assert page.locator("[data-erased]").count() == 1
    shot(page, f"erased-{lang}")
    assert not User.objects.filter(pk=patient.pk).exists()
    assert not Case.objects.filter(pk=case.pk).exists()
