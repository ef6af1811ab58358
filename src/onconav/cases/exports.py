"""Glue between a case and the pure document builders (FHIR export, visa letter, options PDF)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from onconav.cases.hospitals import hospital_city, hospital_name
from onconav.cases.models import Case, ReferralStatus
from onconav.documents.visa import VisaLetter, visa_letter_pdf
from onconav.fhir.export import CaseExport, ExportDocument, case_to_bundle, case_to_ips


def cancer_display(code: str, lang: str = "en") -> str:
    try:
        from onconav.options.services import engine_get

        cancer = engine_get().kb.cancer_by_code.get(code)
    except Exception:  # noqa: BLE001
        cancer = None
    if cancer is None:
        return code
    return cancer.name.zh if lang.startswith("zh") else cancer.name.en


def case_options(case: Case, lang: str = "en") -> Any:
    """The engine's answer for the case's profile, or None when it cannot be made (the profile
    is incomplete, or the knowledge base is being edited)."""
    try:
        from onconav.options.services import options_for_profile

        return options_for_profile(profile=case.profile or {}, lang=lang)
    except Exception:  # noqa: BLE001
        return None


def case_export_data(case: Case) -> CaseExport:
    details = case.details or {}
    patient = details.get("patient", {})
    docs = tuple(
        ExportDocument(
            id=str(d.public_id),
            kind=d.kind,
            content_type=d.content_type,
            size=d.size,
            sha256=d.sha256,
            created=d.created_at.isoformat(),
            title=d.get_kind_display(),
        )
        for d in case.documents.all()
    )
    return CaseExport(
        case_id=str(case.public_id),
        name=case.patient_name,
        sex=patient.get("sex", ""),
        birth_date=patient.get("date_of_birth", ""),
        profile=case.profile or {},
        cancer_display=cancer_display(case.cancer_code),
        diagnosis_date=details.get("diagnosis", {}).get("diagnosis_date") or "",
        documents=docs,
    )


def case_fhir_bundle(case: Case, *, ips: bool = False) -> dict[str, Any]:
    data = case_export_data(case)
    return case_to_ips(data) if ips else case_to_bundle(data)


def visa_letter_problems(case: Case) -> list[str]:
    """Why a visa letter cannot be made for this case yet (empty: it can). A letter is true only
    after the hospital accepted the referral and the patient accepted the quote."""
    from onconav.cases.workflow import VISA_STATES

    problems = []
    if not case.referrals.filter(status=ReferralStatus.ACCEPTED).exists():
        problems.append(_("No hospital has accepted the referral yet."))
    if case.state not in VISA_STATES:
        problems.append(_("The patient has not accepted a quote yet."))
    return problems


def _letter_hospital(case: Case) -> Any:
    """The accepted referral the letter is for: the travel plan's hospital, else the first accepted."""
    plan = getattr(case, "travel", None)
    accepted = list(case.referrals.filter(status=ReferralStatus.ACCEPTED))
    wanted = plan.hospital_id if plan and plan.hospital_id else ""
    return next((r for r in accepted if r.hospital_id == wanted), None) or (accepted[0] if accepted else None)


def case_visa_letter(case: Case, lang: str = "en") -> bytes:
    """The letter wholly in ``lang`` (en / zh-hans). Raises ValidationError with every reason it
    cannot be made yet."""
    from django.utils import translation

    from onconav.documents.countries import country_name
    from onconav.pages.labels import label

    problems = visa_letter_problems(case)
    referral = _letter_hospital(case)
    plan_hospital = getattr(getattr(case, "travel", None), "hospital_id", "")
    if referral is not None and plan_hospital and referral.hospital_id != plan_hospital:
        problems.append(_("The hospital in the travel details has not accepted the referral."))
    if problems:
        raise ValidationError(problems)
    plan = getattr(case, "travel", None)
    patient = (case.details or {}).get("patient", {})
    typed = (plan.passport_nationality if plan else "") or patient.get("nationality", "")
    nationality = country_name(typed, lang)
    if nationality is None:
        raise ValidationError(
            _("“%(n)s” is not in OncoNav's list of countries: correct the nationality in the travel details.")
            % {"n": typed}
        )
    hid = referral.hospital_id
    with translation.override(lang):
        city = label("city", hospital_city(hid))
    address = _hospital_address(hid, lang)
    letter = VisaLetter(
        language=lang,
        reference=case.short_ref,
        issued_on=timezone.localdate(),
        patient_name=case.patient_name,
        nationality=nationality,
        passport_number=(plan.passport_number if plan else "") or "",
        date_of_birth=patient.get("date_of_birth", ""),
        diagnosis=cancer_display(case.cancer_code, lang),
        hospital_name=hospital_name(hid, lang),
        department=referral.department,
        hospital_contact=referral.contact,
        hospital_address=address,
        city=city,
        treatment_start=(plan.treatment_start if plan else None) or referral.proposed_start,
        treatment_end=(plan.treatment_end if plan else None) or referral.proposed_end,
        companions=plan.companions
        if plan
        else int((case.details or {}).get("travel", {}).get("companions") or 0),
    )
    return visa_letter_pdf(letter)


def _hospital_address(hospital_id: str, lang: str) -> str:
    try:
        from onconav.options.services import engine_get

        h = next((x for x in engine_get().kb.hospitals if x.id == hospital_id), None)
    except Exception:  # noqa: BLE001
        h = None
    if h is None or h.address is None:
        return ""
    return h.address.zh if lang.startswith("zh") else h.address.en


def quote_conversion(quote: Any, case: Case) -> dict[str, Any] | None:
    """The quote's total in the patient's currency (their options-page currency, else USD) when
    the quote is in CNY, or in CNY when it is in another currency; with the dated rate used."""
    from onconav.costs.services import exchange_rate

    wanted = ((case.profile or {}).get("preferences") or {}).get("currency") or "USD"
    if quote.currency == "CNY":
        rate = exchange_rate(wanted) if wanted != "CNY" else None
        if rate is None:
            return None
        factor, currency = 1 / rate.cny_per_unit, wanted
    else:
        rate = exchange_rate(quote.currency)
        if rate is None:
            return None
        factor, currency = rate.cny_per_unit, "CNY"
    return {
        "currency": currency,
        "low": float(quote.total_low) * factor,
        "high": float(quote.total_high) * factor,
        "rate": rate.cny_per_unit,
        "rate_currency": rate.currency,
        "date": rate.rate_date.isoformat(),
    }
