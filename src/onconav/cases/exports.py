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


def case_visa_letter(case: Case) -> bytes:
    """Raises ValidationError when the facts a letter needs are not there yet."""
    plan = getattr(case, "travel", None)
    hospital_id = (plan.hospital_id if plan else "") or next(
        (r.hospital_id for r in case.referrals.all() if r.status == ReferralStatus.ACCEPTED), ""
    )
    if not hospital_id:
        raise ValidationError(_("Choose the hospital in the travel details first."))
    patient = (case.details or {}).get("patient", {})
    nationality = (plan.passport_nationality if plan else "") or patient.get("nationality", "")
    letter = VisaLetter(
        reference=case.short_ref,
        issued_on=timezone.localdate(),
        patient_name=case.patient_name,
        nationality=nationality,
        passport_number=(plan.passport_number if plan else "") or "",
        date_of_birth=patient.get("date_of_birth", ""),
        hospital_name_en=hospital_name(hospital_id, "en"),
        hospital_name_zh=hospital_name(hospital_id, "zh-hans"),
        city=hospital_city(hospital_id),
        treatment_start=plan.treatment_start if plan else None,
        treatment_end=plan.treatment_end if plan else None,
        companions=plan.companions if plan else 0,
    )
    return visa_letter_pdf(letter)
