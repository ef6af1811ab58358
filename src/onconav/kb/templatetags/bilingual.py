"""Template filters for bilingual knowledge-base text and references."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


def is_zh() -> bool:
    return (get_language() or "en").lower().startswith("zh")


@register.filter
def tr(value: Any) -> str:
    """A {en, zh} text in the current language (English when no Chinese is given)."""
    if isinstance(value, dict) and "en" in value:
        return value.get("zh") if is_zh() and value.get("zh") else value["en"]
    return "" if value is None else str(value)


@register.filter
def tr_name(record: Any) -> str:
    """The display name of a KB record in the current language."""
    zh = getattr(record, "name_zh", "")
    return zh if is_zh() and zh else record.name_en


@register.filter
def lang_attr(_: Any = None) -> str:
    return "zh-Hans" if is_zh() else "en"


_REF_LINKS = [
    (re.compile(r"^PMID:(\d+)$"), "https://pubmed.ncbi.nlm.nih.gov/{0}/"),
    (re.compile(r"^DOI:(\S+)$"), "https://doi.org/{0}"),
    (re.compile(r"^URL:(https?://\S+)$"), "{0}"),
]


@register.filter
def reference(ref: str) -> str:
    """A reference as a link where it has an address (PubMed, DOI, URL), else as text."""
    for pattern, url in _REF_LINKS:
        m = pattern.match(ref)
        if m:
            text = ref
            if ref.startswith("URL:"):
                text = re.sub(r"^URL:https?://(www\.)?", "", ref)
                text = text if len(text) <= 60 else text[:57] + "…"
            return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url.format(m.group(1)), text)
    return format_html("<span>{}</span>", ref)


LEVEL_WORDS = {
    "1": ("Standard of care", "标准治疗"),
    "2": ("Guideline-supported", "指南推荐"),
    "3A": ("Promising clinical evidence", "有前景的临床证据"),
    "3B": ("Evidence in another cancer", "其他癌种的证据"),
    "4": ("Early or biological evidence", "早期或生物学证据"),
    "R1": ("Resistance (standard)", "耐药（标准）"),
    "R2": ("Resistance (clinical evidence)", "耐药（临床证据）"),
}


@register.filter
def level_word(level: str) -> str:
    en, zh = LEVEL_WORDS.get(str(level), (str(level), str(level)))
    return zh if is_zh() else en


ACCESS_WORDS = {
    "approved": ("Approved in China", "中国已批准"),
    "approved_other_indication": ("Approved in China for another use", "中国已批准（其他适应症）"),
    "boao_only": ("Boao Lecheng pilot zone only", "仅限博鳌乐城先行区"),
    "trial_only": ("Clinical trials only", "仅限临床试验"),
    "not_available": ("Not available in China", "中国不可及"),
    "unknown": ("China status unknown", "中国可及性未知"),
}


@register.filter
def access_word(code: str) -> str:
    en, zh = ACCESS_WORDS.get(str(code), (str(code), str(code)))
    return zh if is_zh() else en


HOSPITAL_TYPES = {
    "public_tertiary": ("Public tertiary hospital", "公立三级医院"),
    "public_general": ("Public general hospital", "公立综合医院"),
    "public_specialist": ("Public specialist hospital", "公立专科医院"),
    "cancer_centre": ("Specialist cancer centre", "肿瘤专科医院"),
    "private": ("Private hospital", "民营医院"),
    "international": ("International hospital or department", "国际医院或国际部"),
    "tcm": ("Traditional Chinese Medicine hospital", "中医医院"),
    "clinic": ("Clinic", "诊所"),
    "other": ("Other", "其他"),
}
CAPABILITIES = {
    "medical_oncology": ("Medical oncology", "肿瘤内科"),
    "thoracic_surgery": ("Thoracic surgery", "胸外科"),
    "robotic_surgery": ("Robotic surgery", "机器人手术"),
    "radiotherapy": ("Radiotherapy", "放射治疗"),
    "sbrt": ("SBRT", "立体定向放疗"),
    "proton": ("Proton therapy", "质子治疗"),
    "heavy_ion": ("Heavy-ion therapy", "重离子治疗"),
    "car_t": ("CAR-T", "CAR-T 细胞治疗"),
    "bmt": ("Bone-marrow transplant", "骨髓移植"),
    "interventional_oncology": ("Interventional oncology", "肿瘤介入治疗"),
    "tcm_oncology": ("TCM oncology", "中医肿瘤科"),
    "pediatric_oncology": ("Children's cancer care", "儿童肿瘤"),
    "nuclear_medicine": ("Nuclear medicine", "核医学"),
    "clinical_trials": ("Clinical trials", "临床试验"),
}


def _word(table: dict[str, tuple[str, str]], code: str) -> str:
    en, zh = table.get(str(code), (str(code), str(code)))
    return zh if is_zh() else en


@register.filter
def hospital_type(code: str) -> str:
    return _word(HOSPITAL_TYPES, code)


@register.filter
def capability(code: str) -> str:
    return _word(CAPABILITIES, code)
