"""Chinese result words in biomarker entries, read as the English words the matchers know.

Referral records from Chinese hospitals write alterations and results in Chinese ("EML4-ALK融合阳性",
"19外显子缺失", "L858R突变", "MET 14外显子跳跃", "阴性", "野生型", "错配修复缺陷"). The engine reads
them as "EML4-ALK fusion positive", "exon 19 deletion", "L858R mutation" ... (rule
``normalize.chinese_terms``); a text without Chinese is returned unchanged.
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u4e00-\u9fff]")
# exon numbers first: "第19号外显子", "19外显子", "外显子19" -> "exon 19"
_EXON = (
    (re.compile(r"第?\s*(\d+)\s*号?\s*外显子"), r" exon \1 "),
    (re.compile(r"外显子\s*(\d+)"), r" exon \1 "),
)
# longer phrases before their parts ("错配修复缺陷" before "缺陷"; "融合阳性" before "阳性")
_WORDS = (
    ("错配修复缺陷", " dMMR "),
    ("错配修复完整", " pMMR "),
    ("错配修复功能完整", " pMMR "),
    ("微卫星高度不稳定", " MSI-H "),
    ("微卫星稳定", " MSS "),
    ("融合阳性", " fusion "),
    ("重排阳性", " rearrangement "),
    ("突变阳性", " mutation "),
    ("扩增阳性", " amplification "),
    ("未检出", " not detected "),
    ("未检测到", " not detected "),
    ("检出", " detected "),
    ("野生型", " wild-type "),
    ("点突变", " mutation "),
    ("融合", " fusion "),
    ("重排", " rearrangement "),
    ("突变", " mutation "),
    ("扩增", " amplification "),
    ("缺失", " deletion "),
    ("插入", " insertion "),
    ("跳跃", " skipping "),
    ("高表达", " high "),
    ("过表达", " overexpression "),
    ("阳性", " positive "),
    ("阴性", " negative "),
    ("胚系", " germline "),
    ("体细胞", " somatic "),
)
_SPACES = re.compile(r"\s+")


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def english(text: str) -> str:
    """``text`` with its Chinese result words in English (unchanged when it has none)."""
    if not text or not has_chinese(text):
        return text
    out = text
    for rx, repl in _EXON:
        out = rx.sub(repl, out)
    for zh, en in _WORDS:
        out = out.replace(zh, en)
    return _SPACES.sub(" ", out).strip()
