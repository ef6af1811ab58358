"""Chinese result words in biomarker entries (engine/zh_terms.py, rule normalize.chinese_terms)."""

from __future__ import annotations

import pytest

from onconav.engine.zh_terms import english
from tests.engine.conftest import regimens


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("EML4-ALK融合阳性", "EML4-ALK fusion"),
        ("19外显子缺失", "exon 19 deletion"),
        ("第19号外显子缺失", "exon 19 deletion"),
        ("L858R突变", "L858R mutation"),
        ("MET 14外显子跳跃", "MET exon 14 skipping"),
        ("20外显子插入", "exon 20 insertion"),
        ("阴性", "negative"),
        ("野生型", "wild-type"),
        ("错配修复缺陷", "dMMR"),
        ("ROS1重排阳性", "ROS1 rearrangement"),
        ("exon 19 deletion", "exon 19 deletion"),
    ],
)
def test_chinese_result_words_read_as_english(zh, en):
    assert english(zh) == en


def _luad(biomarkers):
    return {
        "age": 50,
        "ecog": 1,
        "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
        "biomarkers": biomarkers,
        "prior_therapies": [],
    }


def test_a_chinese_record_reaches_the_targeted_options(real_engine):
    # NCCN / CSCO NSCLC: ALK fusion -> alectinib, lorlatinib, brigatinib, ensartinib; EGFR exon 19
    # deletion -> osimertinib and the other third-generation TKIs
    alk = real_engine.recommend(_luad([{"gene": "ALK", "alteration": "EML4-ALK融合阳性"}]))
    assert regimens(alk)[0] in {"alectinib", "lorlatinib", "brigatinib", "ensartinib"}
    assert not alk.unused_inputs
    egfr = real_engine.recommend(_luad([{"gene": "EGFR", "alteration": "19外显子缺失"}]))
    assert "osimertinib" in regimens(egfr)[:3]
    # a Chinese negative is a negative, not an unread entry
    neg = real_engine.recommend(_luad([{"gene": "EGFR", "value": "阴性"}, {"gene": "ALK", "value": "阴性"}]))
    assert "osimertinib" not in regimens(neg)


def test_small_cell_stage_words_in_chinese(real_engine):
    # NCCN / CSCO SCLC: extensive stage -> chemo-immunotherapy; limited stage -> chemoradiation
    extensive = real_engine.recommend(
        {"age": 60, "ecog": 1, "cancer": {"oncotree_code": "SCLC", "stage": "广泛期"}}
    )
    assert not [w for w in extensive.warnings if "广泛期" in w]
    assert any("etoposide" in r for r in regimens(extensive)[:3])
    limited = real_engine.recommend(
        {"age": 60, "ecog": 1, "cancer": {"oncotree_code": "SCLC", "stage": "局限期"}}
    )
    assert regimens(limited)[0] == "chemoradiation-sclc"
