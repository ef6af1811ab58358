"""Every import warning exists in English and in Chinese; the Chinese text is Chinese."""

from __future__ import annotations

import re
import string

from onconav.fhir.context import Note
from onconav.fhir.mcode import BundleError
from onconav.fhir.messages import MESSAGES, render

# Latin words a Chinese message may keep: code systems, test and score names, units, formula names.
ALLOWED_LATIN = {
    "FHIR", "JSON", "UTF", "resourceType", "Patient", "ECOG", "Karnofsky", "OncoTree", "LOINC",
    "HGVS", "ClinVar", "TMB", "MSI", "RxNorm", "Cockcroft", "Gault", "mL", "min", "m", "mg", "dL",
    "kg", "MB",
}  # fmt: skip


def placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_has_both_languages_with_the_same_parameters():
    for key, texts in MESSAGES.items():
        assert set(texts) == {"en", "zh"}, key
        assert placeholders(texts["en"]) == placeholders(texts["zh"]), key


def test_chinese_messages_have_no_english_words():
    for key, texts in MESSAGES.items():
        bare = re.sub(r"\{[a-z_]+\}", "", texts["zh"])
        words = set(re.findall(r"[A-Za-z]+", bare))
        assert words <= ALLOWED_LATIN, (key, words - ALLOWED_LATIN)
    for key, texts in BundleError.MESSAGES.items():
        assert set(re.findall(r"[A-Za-z]+", re.sub(r"\{[a-z_]+\}", "", texts["zh"]))) <= ALLOWED_LATIN, key


def test_words_in_parameters_are_translated():
    note = Note.of("stage_conflict", used="IIB", used_where="SNOMED 1", used_basis="clinical",
                   other="IIIC", other_where="SNOMED 2", other_basis="condition")  # fmt: skip
    assert "临床分期" in render(note, "zh-hans") and "诊断记录中的分期" in render(note, "zh-hans")
    assert "clinical stage group" in render(note, "en")
    unused = Note.of("unused_resources", type="Encounter", count=3)
    assert render(unused, "zh-hans") == "未使用：就诊资源 3 条。"
