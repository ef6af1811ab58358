"""The visa invitation letter (medical treatment) as a PDF, wholly in one language: English or
Simplified Chinese, country and city names included. Pure: takes the letter's facts in that
language, returns PDF bytes. Chinese uses the CID font of ``documents.pdf`` (no font to install).

The caller (``cases.exports.case_visa_letter``) decides whether a letter may be made at all: only
after the hospital accepted the referral and the patient accepted the quote."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from onconav.documents.pdf import CJK_FONT, _p, _styles


@dataclass(frozen=True)
class VisaLetter:
    """Every text already in the letter's language."""

    language: str  # en | zh-hans
    reference: str
    issued_on: dt.date
    patient_name: str
    nationality: str
    passport_number: str
    date_of_birth: str
    diagnosis: str
    hospital_name: str
    department: str
    hospital_contact: str
    hospital_address: str
    city: str
    treatment_start: dt.date | None
    treatment_end: dt.date | None
    companions: int = 0


WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Invitation letter for medical treatment",
        "to": "To the Embassy or Consulate General of the People's Republic of China",
        "ref": "Reference",
        "date": "Date",
        "name": "Name",
        "nationality": "Nationality",
        "passport": "Passport number",
        "born": "Date of birth",
        "diagnosis": "Diagnosis",
        "hospital": "Hospital",
        "department": "Department",
        "address": "Address",
        "contact": "Hospital contact",
        "city": "City",
        "dates": "Dates of treatment",
        "companions": "Accompanying persons",
        "body": (
            "{hospital} ({department}) invites {name}, a citizen of {nationality}, to come to {city}, China, "
            "for medical evaluation and treatment of {diagnosis} {dates}. The patient's records have been "
            "reviewed and the hospital has agreed to receive the patient. The patient will cover the costs "
            "of treatment, travel and stay."
        ),
        "ask": "We kindly ask you to grant the visa(s) needed for this treatment.",
        "office": "International Patient Office",
        "prepared": "Prepared by OncoNav for signature and stamp by the hospital.",
        "from_to": "from {a} to {b}",
        "from": "from {a}",
        "tbc": "on dates to be confirmed by the hospital",
        "unknown": "—",
    },
    "zh-hans": {
        "title": "来华就医邀请函",
        "to": "致中华人民共和国驻外使领馆：",
        "ref": "编号",
        "date": "日期",
        "name": "姓名",
        "nationality": "国籍",
        "passport": "护照号码",
        "born": "出生日期",
        "diagnosis": "诊断",
        "hospital": "医院",
        "department": "科室",
        "address": "地址",
        "contact": "医院联系方式",
        "city": "城市",
        "dates": "治疗日期",
        "companions": "陪同人数",
        "body": (
            "{hospital}（{department}）诚邀{nationality}公民{name}{dates}前来中国{city}，就{diagnosis}进行医学评估和治疗。"
            "患者的病历已经审阅，医院同意接收该患者。患者将自行承担治疗、旅行和住宿费用。"
        ),
        "ask": "恳请贵馆为此次治疗签发所需签证。",
        "office": "国际患者服务部",
        "prepared": "由OncoNav准备，须经医院签字盖章后生效。",
        "from_to": "自{a}至{b}",
        "from": "自{a}起",
        "tbc": "（具体日期由医院确认）",
        "unknown": "—",
    },
}


def _dates(letter: VisaLetter, w: dict[str, str]) -> str:
    if letter.treatment_start and letter.treatment_end:
        return w["from_to"].format(a=letter.treatment_start.isoformat(), b=letter.treatment_end.isoformat())
    if letter.treatment_start:
        return w["from"].format(a=letter.treatment_start.isoformat())
    return w["tbc"]


def _facts(letter: VisaLetter, w: dict[str, str], s: dict[str, Any]) -> Table:
    rows = [
        ("name", letter.patient_name),
        ("nationality", letter.nationality),
        ("passport", letter.passport_number),
        ("born", letter.date_of_birth),
        ("diagnosis", letter.diagnosis),
        ("hospital", letter.hospital_name),
        ("department", letter.department),
        ("address", letter.hospital_address),
        ("contact", letter.hospital_contact),
        ("city", letter.city),
        ("dates", _dates(letter, w)),
        ("companions", str(letter.companions)),
    ]
    table = Table(
        [[_p(w[k], s["small"]), _p(v or w["unknown"], s["body"])] for k, v in rows],
        colWidths=[50 * mm, 120 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), CJK_FONT if letter.language.startswith("zh") else "Helvetica"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#c9d2d9"),
            ]
        )
    )
    return table


def visa_letter_pdf(letter: VisaLetter) -> bytes:
    s = _styles(letter.language)
    w = WORDS["zh-hans" if letter.language.startswith("zh") else "en"]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=w["title"],
        author="OncoNav",
        lang="zh-CN" if letter.language.startswith("zh") else "en",
    )
    body = w["body"].format(
        hospital=letter.hospital_name,
        department=letter.department or w["unknown"],
        name=letter.patient_name,
        nationality=letter.nationality,
        city=letter.city,
        diagnosis=letter.diagnosis,
        dates=_dates(letter, w),
    )
    story: list[Any] = [
        _p(w["title"], s["h1"]),
        _p(f"{w['ref']}: {letter.reference}    {w['date']}: {letter.issued_on.isoformat()}", s["small"]),
        Spacer(1, 8),
        _p(w["to"], s["body"]),
        Spacer(1, 6),
        _p(body, s["body"]),
        Spacer(1, 6),
        _facts(letter, w, s),
        Spacer(1, 10),
        _p(w["ask"], s["body"]),
        Spacer(1, 16),
        _p(f"{letter.hospital_name} · {w['office']}", s["body"]),
        _p(letter.hospital_contact, s["body"]),
        Spacer(1, 10),
        _p(w["prepared"], s["small"]),
    ]
    doc.build(story)
    return buf.getvalue()
