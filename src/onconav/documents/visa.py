"""The visa invitation letter (medical treatment, China "S2"/"M"-type support letter) as a PDF,
bilingual English and Simplified Chinese, from a fixed template.

Pure: takes the letter's facts, returns PDF bytes. The Chinese text uses the CID font of
``documents.pdf`` so that it renders without any installed font.
"""

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
    reference: str
    issued_on: dt.date
    patient_name: str
    nationality: str
    passport_number: str
    date_of_birth: str
    hospital_name_en: str
    hospital_name_zh: str
    city: str
    treatment_start: dt.date | None
    treatment_end: dt.date | None
    companions: int = 0


TITLE_EN = "Invitation letter for medical treatment"
TITLE_ZH = "来华就医邀请函"
ADDRESSEE_EN = "To the Embassy or Consulate General of the People's Republic of China"
ADDRESSEE_ZH = "致中华人民共和国驻外使领馆："


def _dates(letter: VisaLetter) -> tuple[str, str]:
    if letter.treatment_start and letter.treatment_end:
        a, b = letter.treatment_start.isoformat(), letter.treatment_end.isoformat()
        return f"from {a} to {b}", f"自{a}至{b}"
    if letter.treatment_start:
        a = letter.treatment_start.isoformat()
        return f"from {a}", f"自{a}起"
    return "on dates to be confirmed by the hospital", "具体日期由医院确认"


def visa_letter_pdf(letter: VisaLetter) -> bytes:
    s = _styles()
    dates_en, dates_zh = _dates(letter)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{TITLE_EN} / {TITLE_ZH}",
        author="OncoNav",
    )
    facts: list[list[Any]] = [
        [_p("Name / 姓名", s["small"]), _p(letter.patient_name, s["body"])],
        [_p("Nationality / 国籍", s["small"]), _p(letter.nationality, s["body"])],
        [_p("Passport number / 护照号码", s["small"]), _p(letter.passport_number or "—", s["body"])],
        [_p("Date of birth / 出生日期", s["small"]), _p(letter.date_of_birth or "—", s["body"])],
        [
            _p("Hospital / 医院", s["small"]),
            _p(f"{letter.hospital_name_en} / {letter.hospital_name_zh}", s["body"]),
        ],
        [_p("City / 城市", s["small"]), _p(letter.city, s["body"])],
        [_p("Dates / 日期", s["small"]), _p(f"{dates_en} / {dates_zh}", s["body"])],
        [_p("Accompanying persons / 陪同人数", s["small"]), _p(str(letter.companions), s["body"])],
    ]
    table = Table(facts, colWidths=[55 * mm, 115 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), CJK_FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#c9d2d9"),
            ]
        )
    )
    story: list[Any] = [
        _p(f"{TITLE_EN} / {TITLE_ZH}", s["h1"]),
        _p(f"Ref. / 编号: {letter.reference}    Date / 日期: {letter.issued_on.isoformat()}", s["small"]),
        Spacer(1, 8),
        _p(ADDRESSEE_EN, s["body"]),
        _p(ADDRESSEE_ZH, s["body"]),
        Spacer(1, 6),
        _p(
            f"{letter.hospital_name_en} invites {letter.patient_name}, a citizen of {letter.nationality}, to come to "
            f"{letter.city}, China, for medical evaluation and treatment {dates_en}. The patient's records have been "
            "reviewed and the hospital has agreed to receive the patient. The patient will cover the costs of "
            "treatment, travel and stay.",
            s["body"],
        ),
        _p(
            f"{letter.hospital_name_zh or letter.hospital_name_en}诚邀{letter.nationality}公民{letter.patient_name}"
            f"{dates_zh}前来中国{letter.city}进行医学评估和治疗。患者的病历已经审阅，医院同意接收该患者。"
            "患者将自行承担治疗、旅行和住宿费用。",
            s["body"],
        ),
        Spacer(1, 6),
        table,
        Spacer(1, 10),
        _p("We kindly ask you to grant the visa(s) needed for this treatment.", s["body"]),
        _p("恳请贵馆为此次治疗签发所需签证。", s["body"]),
        Spacer(1, 16),
        _p("International Patient Office / 国际患者服务部", s["body"]),
        _p(f"{letter.hospital_name_en} / {letter.hospital_name_zh}", s["body"]),
        Spacer(1, 10),
        _p(
            "Prepared by OncoNav for signature and stamp by the hospital. / 由OncoNav准备，须经医院签字盖章后生效。",
            s["small"],
        ),
    ]
    doc.build(story)
    return buf.getvalue()
