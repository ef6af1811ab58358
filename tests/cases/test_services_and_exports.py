from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from onconav.audit.models import AuditEvent
from onconav.cases import services
from onconav.cases.exports import case_fhir_bundle, case_visa_letter
from onconav.cases.models import CaseState, Quote, QuoteStatus, TravelPlan
from onconav.documents.visa import VisaLetter, visa_letter_pdf
from onconav.fhir.export import CaseExport, case_to_bundle, case_to_ips
from tests.cases.factories import HOSPITAL, CaseFactory, ConsentFactory, QuoteFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_coordinator_message_emails_the_patient_without_the_message_text(
    coordinator, django_capture_on_commit_callbacks
):
    case = CaseFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(case=case, author=coordinator, body="Your PET scan shows progression")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [case.patient.email]
    assert "PET" not in mail.outbox[0].body and case.short_ref in mail.outbox[0].subject
    case.refresh_from_db()
    assert case.first_replied_at is not None  # the first-reply target is met


def test_patient_message_notifies_the_assigned_coordinator(coordinator, django_capture_on_commit_callbacks):
    case = CaseFactory(assignee=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(case=case, author=case.patient, body="Thank you")
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    case.refresh_from_db()
    assert case.first_replied_at is None


def test_status_changes_email_the_patient(coordinator, django_capture_on_commit_callbacks):
    case = CaseFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_transition(case=case, to_state=CaseState.RECORDS_REVIEW, actor=coordinator)
    assert mail.outbox and mail.outbox[0].to == [case.patient.email]
    assert "Record review" in mail.outbox[0].body  # the new status, in words


def test_emails_carry_absolute_links_and_reach_the_patient_in_their_language(
    coordinator, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://onconav.example.org"
    case = CaseFactory()
    case.patient.preferred_language = "zh-hans"
    case.patient.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_transition(case=case, to_state=CaseState.RECORDS_REVIEW, actor=coordinator)
        services.message_send(case=case, author=coordinator, body="Hello")
    assert len(mail.outbox) == 2
    for m in mail.outbox:
        assert f"https://onconav.example.org/cases/{case.public_id}/" in m.body
        assert any("\u4e00" <= ch <= "\u9fff" for ch in m.subject + m.body), "not in Chinese"
        assert "Sign in" not in m.body


def test_sensitive_fields_are_encrypted_at_rest(coordinator):
    case = CaseFactory()
    services.message_send(case=case, author=coordinator, body="Your biopsy shows adenocarcinoma")
    with connection.cursor() as cur:
        cur.execute("SELECT patient_name, details, profile FROM cases_case")
        row = " ".join(cur.fetchone())
        cur.execute("SELECT body FROM cases_message")
        body = cur.fetchone()[0]
    assert "Aigerim" not in row and "1961-03-27" not in row and "EGFR" not in row and "diabetes" not in row
    assert "adenocarcinoma" not in body


def test_overdue_flag_after_two_business_days_without_reply(login_as, coordinator):
    late = CaseFactory(first_reply_due_at=timezone.now() - dt.timedelta(hours=1))
    on_time = CaseFactory()
    assert late.is_overdue and not on_time.is_overdue
    client = login_as(coordinator, Client())
    html = client.get("/cases/queue/?overdue=1&state=open").content.decode()
    assert late.short_ref in html and on_time.short_ref not in html


def test_queue_filters_by_state_and_assignee(login_as, coordinator):
    mine = CaseFactory(assignee=coordinator, state=CaseState.RECORDS_REVIEW)
    other = CaseFactory()
    client = login_as(coordinator, Client())
    html = client.get("/cases/queue/?assignee=me").content.decode()
    assert mine.short_ref in html and other.short_ref not in html
    html = client.get("/cases/queue/?state=new").content.decode()
    assert other.short_ref in html and mine.short_ref not in html


def test_quote_builder_sends_a_quote_and_moves_the_case(login_as, coordinator, kb_loaded):
    case = CaseFactory(state=CaseState.HOSPITAL_MATCHED)
    client = login_as(coordinator, Client())
    valid = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    resp = client.post(
        f"/cases/{case.public_id}/quotes/new/",
        {
            "currency": "CNY",
            "valid_until": valid,
            "hospital_id": HOSPITAL,
            "send": "1",
            "line0_description": "Consultation",
            "line0_low": "800",
            "line0_high": "1500",
            "line1_description": "Osimertinib, 3 months",
            "line1_low": "15000",
            "line1_high": "18000",
        },
    )
    assert resp.status_code == 302
    quote = Quote.objects.get()
    assert quote.status == QuoteStatus.SENT and quote.lines.count() == 2 and quote.total_high == 19500
    case.refresh_from_db()
    assert case.state == CaseState.QUOTE_SENT


def test_quote_builder_shows_field_errors_and_saves_nothing(login_as, coordinator):
    case = CaseFactory(state=CaseState.HOSPITAL_MATCHED)
    client = login_as(coordinator, Client())
    resp = client.post(
        f"/cases/{case.public_id}/quotes/new/",
        {
            "currency": "CNY",
            "valid_until": "2020-01-01",
            "line0_description": "X",
            "line0_low": "10",
            "line0_high": "5",
        },
    )
    assert resp.status_code == 400 and "error-summary" in resp.content.decode()
    assert not Quote.objects.exists()


def test_patient_accepts_the_quote_in_the_portal(login_as):
    case = CaseFactory(state=CaseState.QUOTE_SENT)
    quote = QuoteFactory(case=case)
    client = login_as(case.patient, Client())
    page = client.get(f"/cases/{case.public_id}/quotes/{quote.public_id}/accept/").content.decode()
    assert "The terms" in page and "What happens next" in page
    unconfirmed = client.post(f"/cases/{case.public_id}/quotes/{quote.public_id}/accept/")
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.content.decode()
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT
    resp = client.post(f"/cases/{case.public_id}/quotes/{quote.public_id}/accept/", {"confirm": "yes"})
    assert resp.status_code == 302
    case.refresh_from_db()
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED and case.state == CaseState.QUOTE_ACCEPTED


def test_patient_never_sees_a_draft_quote(login_as):
    case = CaseFactory()
    QuoteFactory(case=case, status=QuoteStatus.DRAFT)
    client = login_as(case.patient, Client())
    assert "Consultation" not in client.get(f"/cases/{case.public_id}/").content.decode()


def test_partner_accepts_a_referral_with_dates_or_declines_with_a_reason(partner):
    from django.core.exceptions import ValidationError

    case = CaseFactory(state=CaseState.HOSPITAL_MATCHED)
    referral = ReferralFactory(case=case)
    with pytest.raises(ValidationError):
        services.referral_respond(referral=referral, actor=partner, accept=False, reason="")
    start = timezone.localdate() + dt.timedelta(days=10)
    services.referral_respond(
        referral=referral,
        actor=partner,
        accept=True,
        proposed_start=start,
        proposed_end=start + dt.timedelta(days=5),
        department="Thoracic oncology",
        contact="ipd@example.org",
    )
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.proposed_start == start
    assert referral.department == "Thoracic oncology"


def test_accepting_a_referral_needs_the_department_and_a_contact(partner):
    from django.core.exceptions import ValidationError

    referral = ReferralFactory(case=CaseFactory(state=CaseState.MDT_OPINION))
    with pytest.raises(ValidationError):
        services.referral_respond(referral=referral, actor=partner, accept=True)


def test_coordinator_refers_to_a_directory_hospital_with_transfer_consent(coordinator, kb_loaded):
    case = CaseFactory()
    ConsentFactory(draft=case.draft)
    referral = services.referral_create(case=case, hospital_id=HOSPITAL, actor=coordinator)
    assert referral.status == "pending"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.referral_create(case=case, hospital_id="no-such-hospital", actor=coordinator)


def _letter(lang: str, **kw):  # type: ignore[no-untyped-def]
    base = dict(
        language=lang,
        reference="AB12CD34",
        issued_on=dt.date(2026, 11, 24),
        patient_name="Aigerim Testova",
        nationality="Kazakhstan" if lang == "en" else "哈萨克斯坦",
        passport_number="N1234567",
        date_of_birth="1961-03-27",
        diagnosis="Lung adenocarcinoma" if lang == "en" else "肺腺癌",
        hospital_name="Peking Union Medical College Hospital" if lang == "en" else "北京协和医院",
        department="Thoracic oncology" if lang == "en" else "胸部肿瘤科",
        hospital_contact="+86 10 0000 0000",
        hospital_address="",
        city="Beijing" if lang == "en" else "北京",
        treatment_start=dt.date(2026, 12, 10),
        treatment_end=dt.date(2027, 1, 20),
        companions=1,
    )
    return VisaLetter(**{**base, **kw})


def test_visa_letter_in_english_is_wholly_english():
    text = _pdf_text(visa_letter_pdf(_letter("en")))
    for expected in (
        "Aigerim Testova",
        "Kazakhstan",
        "Peking Union Medical College Hospital",
        "Thoracic oncology",
        "Lung adenocarcinoma",
        "+86 10 0000 0000",
        "2026-12-10",
        "2027-01-20",
    ):
        assert expected in text, expected
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), "Chinese characters in the English letter"


def test_visa_letter_in_chinese_is_wholly_chinese():
    text = _pdf_text(visa_letter_pdf(_letter("zh-hans")))
    for expected in (
        "来华就医邀请函",
        "北京协和医院",
        "哈萨克斯坦",
        "胸部肿瘤科",
        "肺腺癌",
        "恳请贵馆为此次治疗签发所需签证",
    ):
        assert expected in text, expected
    for english in ("Kazakhstan", "Beijing", "Hospital", "Invitation", "Embassy"):
        assert english not in text


def test_visa_letter_for_a_case_needs_acceptance_and_names_department_diagnosis_and_contact(kb_loaded):
    from django.core.exceptions import ValidationError

    from tests.cases.factories import make_matchable

    case = CaseFactory(state=CaseState.HOSPITAL_MATCHED)
    TravelPlan.objects.create(
        case=case,
        hospital_id=HOSPITAL,
        passport_nationality="Kazakhstan",
        treatment_start=dt.date(2026, 12, 10),
    )
    with pytest.raises(ValidationError):  # no hospital acceptance, no accepted quote
        case_visa_letter(case)
    make_matchable(case)
    with pytest.raises(ValidationError):  # the patient has not accepted a quote
        case_visa_letter(case)
    case.state = CaseState.VISA_TRAVEL
    case.save()
    en = _pdf_text(case_visa_letter(case, "en"))
    assert "Aigerim Testova" in en and "Kazakhstan" in en and "Thoracic oncology" in en and "2026-12-10" in en
    assert "+86 10 0000 0000" in en and "Peking Union Medical College Hospital" in en
    zh = _pdf_text(case_visa_letter(case, "zh-hans"))
    assert "北京协和医院" in zh and "哈萨克斯坦" in zh and "北京" in zh and "Kazakhstan" not in zh


def test_refused_visa_letter_says_why_in_the_page(login_as):
    case = CaseFactory(state=CaseState.MDT_OPINION)
    TravelPlan.objects.create(case=case, hospital_id=HOSPITAL, passport_nationality="Kazakhstan")
    client = login_as(case.patient, Client())
    resp = client.get(f"/cases/{case.public_id}/visa-letter.pdf", follow=True)
    html = resp.content.decode()
    assert resp.status_code == 200 and "The visa letter cannot be made yet" in html
    assert "No hospital has accepted the referral yet." in html


def test_fhir_bundle_has_patient_condition_observations_medications_and_documents(private_storage):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.cases.conftest import PDF_BYTES

    case = CaseFactory()
    services.document_add(
        upload=SimpleUploadedFile("p.pdf", PDF_BYTES), kind="pathology", uploaded_by=case.patient, case=case
    )
    bundle = case_fhir_bundle(case)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    types = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert types[0] == "Patient"
    assert {"Condition", "Observation", "MedicationStatement", "DocumentReference"} <= set(types)
    patient = bundle["entry"][0]["resource"]
    assert patient["birthDate"] == "1961-03-27" and patient["gender"] == "female"
    condition = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Condition")
    assert (
        condition["code"]["coding"][0]["code"] == "LUAD"
        and condition["subject"]["reference"] == bundle["entry"][0]["fullUrl"]
    )
    assert all(e["fullUrl"].startswith("urn:uuid:") for e in bundle["entry"])


def test_ips_is_a_document_bundle_starting_with_a_composition():
    data = CaseExport(
        case_id="c1",
        name="A B",
        sex="male",
        birth_date="1970-01-01",
        profile={
            "cancer": {"oncotree_code": "HCC"},
            "prior_therapies": [{"drugs": ["sorafenib"], "line": 1}],
        },
    )
    ips = case_to_ips(data)
    assert ips["type"] == "document" and ips["entry"][0]["resource"]["resourceType"] == "Composition"
    sections = {s["code"]["coding"][0]["code"]: s for s in ips["entry"][0]["resource"]["section"]}
    assert set(sections) == {"11450-4", "10160-0", "30954-2"}
    assert "entry" in sections["11450-4"] and "emptyReason" in sections["30954-2"]
    assert case_to_bundle(data)["type"] == "collection"


def test_fhir_download_is_audited_as_an_export(login_as):
    case = CaseFactory()
    client = login_as(case.patient, Client())
    resp = client.get(f"/cases/{case.public_id}/export.json?format=ips")
    assert resp.status_code == 200 and resp.json()["type"] == "document"
    assert AuditEvent.objects.filter(object_id=str(case.public_id), action="export").exists()


def test_api_transition_reports_field_errors(login_as, coordinator):
    case = CaseFactory()
    client = login_as(coordinator, Client())
    resp = client.post(
        f"/api/v1/cases/{case.public_id}/transitions", {"to_state": "closed"}, content_type="application/json"
    )
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "body.to_state"


def test_messages_are_rate_limited(login_as):
    case = CaseFactory()
    client = login_as(case.patient, Client())
    statuses = [
        client.post(f"/cases/{case.public_id}/messages/", {"body": "hi"}).status_code for _ in range(22)
    ]
    assert statuses[0] == 302 and 429 in statuses


def test_clinician_records_the_mdt_opinion_and_the_patient_sees_it(login_as, clinician):
    case = CaseFactory(state=CaseState.MDT_OPINION, reviewer=clinician)
    services.opinion_record(
        case=case, author=clinician, summary="Osimertinib is the standard second line after T790M."
    )
    client = login_as(case.patient, Client())
    assert "Osimertinib is the standard" in client.get(f"/cases/{case.public_id}/").content.decode()


def test_patient_answers_the_follow_up_questionnaire(login_as):
    case = CaseFactory(state=CaseState.FOLLOW_UP)
    client = login_as(case.patient, Client())
    resp = client.post(f"/cases/{case.public_id}/follow-up/", {"feeling": "better", "ecog": "1"})
    assert resp.status_code == 302 and case.follow_ups.get().answers["feeling"] == "better"


def test_coordinator_reads_follow_up_answers_in_words(login_as, coordinator):
    case = CaseFactory(state=CaseState.FOLLOW_UP)
    services.follow_up_answer(
        case=case, actor=case.patient, answers={"feeling": "worse", "side_effects": "Rash"}
    )
    html = login_as(coordinator, Client()).get(f"/cases/{case.public_id}/").content.decode()
    assert "How are you since you came home?" in html and "Worse" in html and "Rash" in html


def test_options_report_pdf_for_the_case(login_as, kb_loaded):
    case = CaseFactory()
    client = login_as(case.patient, Client())
    resp = client.get(f"/cases/{case.public_id}/options.pdf")
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF")


def test_quote_builder_is_prefilled_from_the_cost_estimate_when_there_is_one(
    login_as, coordinator, kb_loaded
):
    from onconav.cases.services import quote_lines_from_estimate

    lines = quote_lines_from_estimate(regimen=None, city="Beijing")
    case = CaseFactory(state=CaseState.HOSPITAL_MATCHED)
    client = login_as(coordinator, Client())
    html = client.get(f"/cases/{case.public_id}/quotes/new/").content.decode()
    if lines:  # the costs app and its KB figures exist
        assert lines[0]["description"].split(" × ")[0] in html
        assert all(line["amount_high"] >= line["amount_low"] >= 0 for line in lines)
    assert 'name="line0_description"' in html


def test_prefilling_the_quote_from_another_option_saves_nothing_and_keeps_the_url_clean(
    login_as, coordinator, kb_loaded
):
    case = CaseFactory(state=CaseState.HOSPITAL_MATCHED)
    client = login_as(coordinator, Client())
    resp = client.post(f"/cases/{case.public_id}/quotes/new/", {"prefill": "1", "regimen": "no-such-regimen"})
    assert resp.status_code == 200 and not Quote.objects.exists()
    assert 'name="line0_description"' in resp.content.decode()
