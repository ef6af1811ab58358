"""The three shared example profiles (re-typed here), answered with the real knowledge base,
with guideline expectations (NCCN / CSCO / ESMO first-line standards)."""

from __future__ import annotations

import pytest

from tests.engine.conftest import assert_contract

# Stage IV lung adenocarcinoma with a sensitizing EGFR mutation, no treatment yet.
LUAD_EGFR_L858R = {
    "age": 67,
    "sex": "female",
    "ecog": 1,
    "smoking": "never",
    "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
    "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}, {"name": "PD-L1 TPS", "value": 30, "unit": "%"}],
    "preferences": {"cities": ["Shanghai"], "budget_usd": 40000, "insurance": "none", "languages": ["en"]},
}
# HER2-positive metastatic breast cancer, first line.
BREAST_HER2 = {
    "age": 48,
    "sex": "female",
    "ecog": 0,
    "cancer": {"oncotree_code": "BRCA", "stage": "IV"},
    "biomarkers": [{"gene": "ERBB2", "alteration": "amplification"}, {"name": "ER", "value": "negative"}],
    "organ_function": {"lvef_percent": 62},
    "preferences": {"cities": ["Beijing"], "insurance": "private international", "languages": ["en", "ar"]},
}
# Advanced hepatocellular carcinoma with portal vein invasion, preserved liver function.
HCC_BCLC_C = {
    "age": 59,
    "sex": "male",
    "ecog": 1,
    "child_pugh": "A",
    "cancer": {"oncotree_code": "HCC", "stage": "BCLC C"},
    "comorbidities": ["hepatitis B"],
    "preferences": {"cities": ["Guangzhou", "Shenzhen"], "budget_usd": 30000, "languages": ["en", "ru"]},
}

# First-line third-generation EGFR TKI (alone or with chemotherapy / amivantamab); the order
# between them follows the recorded hazard ratios (cross-trial, all versus a first-generation TKI).
THIRD_GEN_EGFR_FIRST = {
    "osimertinib",
    "osimertinib+pemetrexed+platinum",
    "furmonertinib",
    "aumolertinib",
    "befotertinib",
    "amivantamab+lazertinib",
}
CHECKPOINT_INHIBITORS = {
    "pembrolizumab",
    "pembrolizumab+pemetrexed+platinum",
    "pembrolizumab+pemetrexed+carboplatin",
}
HER2_FIRST = {"trastuzumab+pertuzumab+docetaxel", "pyrotinib+trastuzumab+docetaxel"}
HCC_IO_FIRST = {
    "atezolizumab+bevacizumab",
    "sintilimab+bevacizumab",
    "camrelizumab+apatinib",
    "durvalumab+tremelimumab",
    "nivolumab+ipilimumab",
    "tislelizumab",
}


def regs(answer):
    return [o.regimen for o in answer.options]


def test_egfr_l858r_luad_gets_a_third_generation_egfr_tki_first(real_engine):
    # given stage IV LUAD with EGFR L858R, PD-L1 30%, ECOG 1
    answer = real_engine.recommend(LUAD_EGFR_L858R)
    assert_contract(answer.to_dict())
    # then a third-generation EGFR TKI regimen is first, osimertinib is among the top options,
    # first-generation TKIs are listed lower, and immunotherapy is not offered
    r = regs(answer)
    assert r[0] in THIRD_GEN_EGFR_FIRST
    assert {"osimertinib", "osimertinib+pemetrexed+platinum"} & set(r[:3])
    assert r.index("osimertinib") < r.index("gefitinib")
    assert not CHECKPOINT_INHIBITORS & set(r)
    assert answer.options[0].evidence_level == "1"


def test_her2_positive_breast_gets_dual_her2_blockade_with_a_taxane_first(real_engine):
    answer = real_engine.recommend(BREAST_HER2)
    assert_contract(answer.to_dict())
    r = regs(answer)
    assert r[0] in HER2_FIRST
    assert "trastuzumab+pertuzumab+docetaxel" in r


def test_hcc_bclc_c_child_pugh_a_gets_an_io_combination_first(real_engine):
    answer = real_engine.recommend(HCC_BCLC_C)
    assert_contract(answer.to_dict())
    r = regs(answer)
    assert r[0] in HCC_IO_FIRST
    assert "atezolizumab+bevacizumab" in r
    assert r.index("atezolizumab+bevacizumab") < r.index("sorafenib")


@pytest.mark.parametrize("profile", [LUAD_EGFR_L858R, BREAST_HER2, HCC_BCLC_C])
def test_examples_in_chinese(real_engine, profile):
    answer = real_engine.recommend(profile, lang="zh-hans")
    assert_contract(answer.to_dict())
    assert "医生" in answer.disclaimer
