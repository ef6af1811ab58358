"""Printable PDFs: the options report (English, Chinese, or both side by side for the patient's
doctor at home) and the building blocks the visa letter uses.

Chinese text uses Adobe's CID font STSong-Light, which every PDF reader has and which ReportLab
knows without any font file: nothing has to be installed on the machine.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Table, TableStyle

CJK_FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _styles(lang: str = "zh-hans") -> dict[str, ParagraphStyle]:
    """Paragraph styles: Chinese (and mixed) text in the CID font; English-only text in Helvetica,
    whose Latin letters every PDF reader draws well."""
    base = getSampleStyleSheet()
    zh = not lang.startswith("en")
    common = (
        {"fontName": CJK_FONT, "wordWrap": "CJK", "alignment": TA_LEFT}
        if zh
        else {"fontName": "Helvetica", "alignment": TA_LEFT}
    )
    bold = {**common, "fontName": CJK_FONT if zh else "Helvetica-Bold"}
    return {
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontSize=18, leading=24, **bold),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=13, leading=18, spaceBefore=8, **bold),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontSize=11, leading=15, spaceBefore=6, **bold),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontSize=9.5, leading=14, **common),
        "small": ParagraphStyle(
            "small",
            parent=base["BodyText"],
            fontSize=8,
            leading=11,
            textColor=colors.HexColor("#444444"),
            **common,
        ),
        "box": ParagraphStyle(
            "box",
            parent=base["BodyText"],
            fontSize=9.5,
            leading=14,
            borderColor=colors.HexColor("#7a4d00"),
            borderWidth=1,
            borderPadding=6,
            spaceBefore=6,
            spaceAfter=10,
            **common,
        ),
    }


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph; text that Helvetica cannot draw (≥, Chinese...) falls back to the CID font."""
    text = str(text)
    if style.fontName.startswith("Helvetica"):
        try:
            text.encode("cp1252")
        except UnicodeEncodeError:
            style = ParagraphStyle(f"{style.name}-cjk", parent=style, fontName=CJK_FONT, wordWrap="CJK")
    return Paragraph(escape(text), style)


def _bullets(items: list[str], style: ParagraphStyle) -> ListFlowable:
    return ListFlowable(
        [ListItem(_p(i, style), leftIndent=10) for i in items], bulletType="bullet", start="•", leftIndent=10
    )


REPORT_TITLES = {
    "en": "OncoNav — Treatment options report",
    "zh-hans": "OncoNav — 治疗方案报告",
    "both": "OncoNav — Treatment options report / 治疗方案报告",
}


def options_report_pdf(answer: Any, *, hospitals: dict[int, list[dict[str, Any]]] | None = None) -> bytes:
    """One answer as a report in its own language (kept for callers that have an answer)."""
    lang = "zh-hans" if getattr(answer, "language", "en") == "zh-hans" else "en"
    return _build({lang: answer}, hospitals or {})


def report_for_profile(*, profile: dict[str, Any], report_lang: str = "en") -> bytes:
    """The options report for a profile: ``en``, ``zh-hans`` or ``both`` (side by side).
    Raises ProfileError for a profile the engine cannot read."""
    from onconav.options.services import option_hospitals, options_for_profile

    langs = ["en", "zh-hans"] if report_lang == "both" else [report_lang]
    answers = {lang: options_for_profile(profile=profile, lang=lang) for lang in langs}
    return _build(answers, option_hospitals(answers[langs[0]], profile))


def _build(answers: dict[str, Any], hospitals: dict[int, list[dict[str, Any]]]) -> bytes:
    from onconav.documents.report import report_rows

    langs = list(answers)
    rows = {lang: report_rows(answers[lang], hospitals, lang, _styles(lang)) for lang in langs}
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=REPORT_TITLES["both" if len(langs) > 1 else langs[0]],
        author="OncoNav",
        lang="zh-CN" if langs == ["zh-hans"] else "en",
    )
    doc.build(_story(rows, langs, doc.width))
    return buf.getvalue()


def _story(rows: dict[str, list[tuple[str, list[Any]]]], langs: list[str], width: float) -> list[Any]:
    if len(langs) == 1:
        return [f for _key, flowables in rows[langs[0]] for f in flowables]
    left = dict(rows[langs[0]])
    right = dict(rows[langs[1]])
    keys = list(dict.fromkeys([k for k, _f in rows[langs[0]]] + [k for k, _f in rows[langs[1]]]))
    data = [[left.get(k, []), right.get(k, [])] for k in keys]
    table = Table(data, colWidths=[width / 2 - 3 * mm, width / 2 - 3 * mm], splitByRow=1, repeatRows=0)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("LINEAFTER", (0, 0), (0, -1), 0.25, colors.HexColor("#c9d2d9")),
            ]
        )
    )
    return [table]
