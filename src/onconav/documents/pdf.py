"""Printable PDFs (options report; visa letters later), in English or Chinese.

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
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

CJK_FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))

LABELS = {
    "en": {
        "title": "Treatment options report",
        "for_doctor": "For discussion with the patient's own doctors",
        "profile": "Case summary",
        "tests": "Tests that could change the options",
        "options": "Options, ranked",
        "evidence": "Evidence level",
        "china": "China",
        "outcomes": "Outcomes",
        "why": "Why",
        "cautions": "Cautions",
        "references": "References",
        "warnings": "Notes",
        "kb": "Knowledge base version",
    },
    "zh-hans": {
        "title": "治疗方案报告",
        "for_doctor": "供患者与其主治医生讨论使用",
        "profile": "病例摘要",
        "tests": "可能改变治疗方案的检查",
        "options": "方案（按契合度排序）",
        "evidence": "证据等级",
        "china": "中国可及性",
        "outcomes": "疗效数据",
        "why": "理由",
        "cautions": "注意事项",
        "references": "参考文献",
        "warnings": "说明",
        "kb": "知识库版本",
    },
}
ACCESS = {
    "en": {
        "approved": "approved for this use",
        "approved_other_indication": "approved for another use",
        "boao_only": "Boao Lecheng pilot zone only",
        "trial_only": "clinical trials only",
        "not_available": "not available",
        "unknown": "unknown",
    },
    "zh-hans": {
        "approved": "已批准用于此适应症",
        "approved_other_indication": "已批准用于其他适应症",
        "boao_only": "仅限博鳌乐城先行区",
        "trial_only": "仅限临床试验",
        "not_available": "不可及",
        "unknown": "未知",
    },
}


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    common = {"fontName": CJK_FONT, "wordWrap": "CJK", "alignment": TA_LEFT}
    return {
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontSize=18, leading=24, **common),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=13, leading=18, spaceBefore=8, **common),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontSize=11, leading=15, spaceBefore=6, **common),
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
    return Paragraph(escape(str(text)), style)


def _bullets(items: list[str], style: ParagraphStyle) -> ListFlowable:
    return ListFlowable(
        [ListItem(_p(i, style), leftIndent=10) for i in items], bulletType="bullet", start="•", leftIndent=10
    )


def options_report_pdf(answer: Any) -> bytes:
    """The engine's answer as a printable report with every reference, in the answer's language."""
    lang = "zh-hans" if getattr(answer, "language", "en") == "zh-hans" else "en"
    L, A, s = LABELS[lang], ACCESS[lang], _styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=L["title"],
        author="OncoNav",
        lang="zh-CN" if lang == "zh-hans" else "en",
    )
    story: list[Any] = [_p("OncoNav — " + L["title"], s["h1"]), _p(L["for_doctor"], s["small"]), Spacer(1, 6)]
    story += [_p(answer.disclaimer, s["box"])]
    story += [_p(L["profile"], s["h2"]), _p(answer.profile_summary, s["body"])]
    if answer.warnings:
        story += [_p(L["warnings"], s["h2"]), _bullets(list(answer.warnings), s["body"])]
    if answer.tests_recommended:
        story += [
            _p(L["tests"], s["h2"]),
            _bullets([f"{t.test}: {t.reason}" for t in answer.tests_recommended], s["body"]),
        ]
    story += [_p(L["options"], s["h2"])]
    for o in answer.options:
        story.append(_p(f"{o.rank}. {o.title}", s["h3"]))
        story.append(
            _p(
                f"{L['evidence']}: {o.evidence_level} | {L['china']}: {A.get(o.china.access, o.china.access)} | {o.setting}",
                s["small"],
            )
        )
        if o.outcomes:
            story.append(
                _bullets(
                    [
                        f"{x.endpoint}: {x.value}"
                        + (f" ({x.trial})" if x.trial else "")
                        + f" [{x.reference}]"
                        for x in o.outcomes
                    ],
                    s["body"],
                )
            )
        if o.rationale:
            story += [_p(L["why"], s["small"]), _bullets(list(o.rationale), s["small"])]
        if o.cautions:
            story += [_p(L["cautions"], s["small"]), _bullets(list(o.cautions), s["small"])]
        if o.references:
            story.append(_p(f"{L['references']}: " + "; ".join(o.references), s["small"]))
    story += [Spacer(1, 8), _p(f"{L['kb']}: {answer.knowledge_base_version}", s["small"])]
    doc.build(story)
    return buf.getvalue()
