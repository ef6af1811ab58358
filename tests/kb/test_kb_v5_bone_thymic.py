"""Knowledge base v5 (issue 10, branch kb-bone-thymic): bone sarcomas (Ewing sarcoma, osteosarcoma) and thymic
epithelial tumours (thymoma, thymic carcinoma), which blind round 12n found missing ("unknown OncoTree code" ES, OS,
THYC), are nodes with evidence in the OncoTree lineage; child codes and child nodes reach their parent's evidence;
and the engine answers end to end in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from onconav.kbdata.policy_loader import completeness
from tests.kb.new_cancers import CJK, assert_named_node_with_standard_evidence, profile

NEW_NODES = ("ES", "OS", "THYM", "THYC")
MAP = {"drugs": ["methotrexate", "doxorubicin", "cisplatin"], "line": 1, "setting": "perioperative"}


@pytest.mark.parametrize("code", NEW_NODES)
def test_every_new_cancer_is_a_named_node_with_standard_evidence(kb, code):
    # given a cancer the KB did not cover
    # then it is a node named and described in both languages, with level 1-2 evidence of its own
    assert_named_node_with_standard_evidence(kb, code)


def test_lineage_follows_oncotree(kb):
    # ES and OS under BONE, THYM and THYC under TET under THYMUS, all under SOLID
    assert kb.lineage("ES")[:2] == ["ES", "BONE"] and kb.lineage("OS")[:2] == ["OS", "BONE"]
    for code in ("THYM", "THYC"):
        assert kb.lineage(code)[:3] == [code, "TET", "THYMUS"]
    assert all("SOLID" in kb.lineage(c) for c in NEW_NODES)
    # bone sarcomas are not soft-tissue sarcomas: the general STS items must not reach them
    assert "SOFT_TISSUE" not in kb.lineage("ES") and "SOFT_TISSUE" not in kb.lineage("OS")


@pytest.mark.parametrize("child", ["CHOS", "OSOS", "TEOS"])
def test_high_grade_osteosarcoma_child_codes_get_the_osteosarcoma_evidence(kb, engine, child):
    # given a profile with an OncoTree child code of OS, relapsed in the lungs after MAP
    assert kb.cancer_by_code[child].oncotree_code == "OS"
    answer = engine.recommend(
        profile(
            {
                "age": 30,
                "cancer": {
                    "oncotree_code": child,
                    "stage": "IVA",
                    "metastatic_sites": ["lung"],
                    "resectable": False,
                },
                "prior_therapies": [{**MAP, "outcome": "relapse"}],
            }
        )
    )
    # then the relapse options written for OS are offered, and MAP is not
    regs = [o.regimen for o in answer.options]
    assert {"regorafenib", "ifosfamide+etoposide"} <= set(regs)
    assert "methotrexate+doxorubicin+cisplatin" not in regs[:3]


def test_low_grade_osteosarcoma_is_not_an_os_child(kb):
    # parosteal and low-grade central osteosarcoma are treated by surgery alone, not with MAP
    for code in ("PAOS", "LGCOS", "PEOS"):
        assert code not in kb.cancer_by_code["OS"].child_codes


def test_thymoma_and_thymic_carcinoma_share_tet_evidence_but_pembrolizumab_is_carcinoma_only(engine):
    # given thymoma and thymic carcinoma progressing after first-line platinum chemotherapy
    def later(code: str) -> list[str]:
        answer = engine.recommend(
            profile(
                {
                    "age": 55,
                    "cancer": {"oncotree_code": code, "stage": "IVB"},
                    "prior_therapies": [
                        {"drugs": ["carboplatin", "paclitaxel"], "line": 1, "outcome": "progression"}
                    ],
                }
            )
        )
        return [o.regimen for o in answer.options]

    thym, thyc = later("THYM"), later("THYC")
    # then both reach the items written on TET (everolimus), and only thymic carcinoma gets PD-1 therapy
    assert "everolimus" in thym and "everolimus" in thyc
    assert "pembrolizumab" in thyc and "pembrolizumab" not in thym
    assert "lenvatinib" in thyc and "sunitinib" in thyc


CASES: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "ES": ({"age": 19, "cancer": {"oncotree_code": "ES", "stage": "localized"}}, ("vdc-ie",)),
    "OS": (
        {"age": 16, "cancer": {"oncotree_code": "OS", "stage": "IIB"}},
        ("methotrexate+doxorubicin+cisplatin",),
    ),
    "THYM": (
        {"age": 50, "cancer": {"oncotree_code": "THYM", "stage": "IVA", "resectable": False}},
        ("cyclophosphamide+doxorubicin+cisplatin",),
    ),
    "THYC": ({"age": 60, "cancer": {"oncotree_code": "THYC", "stage": "IVB"}}, ("carboplatin+paclitaxel",)),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_engine_answers_end_to_end_for_every_new_cancer(engine, case, lang):
    # given an untreated profile of the new cancer
    extra, expected = CASES[case]
    # when the engine answers
    answer = engine.recommend(profile(extra), lang=lang)
    regs = [o.regimen for o in answer.options]
    # then the guideline's first treatment ranks first, titled in the answer's language
    assert regs and regs[0] in expected, f"{case}: rank 1 is {regs[:1]}, expected one of {expected}"
    assert bool(CJK.search(answer.options[0].title)) == (lang == "zh-hans")


def test_metastasectomy_follows_the_resectability_of_the_metastases(engine):
    def regs(resectable: bool | None) -> list[str]:
        cancer: dict[str, Any] = {"oncotree_code": "OS", "stage": "IVA", "metastatic_sites": ["lung"]}
        if resectable is not None:
            cancer["resectable"] = resectable
        answer = engine.recommend(
            profile({"age": 22, "cancer": cancer, "prior_therapies": [{**MAP, "outcome": "relapse"}]})
        )
        return [o.regimen for o in answer.options]

    assert "surgery-pulmonary-metastasectomy" in regs(True)
    assert "surgery-pulmonary-metastasectomy" not in regs(False)


def test_osteosarcoma_metastatic_at_diagnosis_gets_map_and_metastasectomy(engine):
    # given untreated osteosarcoma with resectable lung metastases at diagnosis (EURAMOS-1 enrolled such M1 patients)
    answer = engine.recommend(
        profile(
            {
                "age": 15,
                "cancer": {
                    "oncotree_code": "OS",
                    "stage": "IVA",
                    "metastatic_sites": ["lung"],
                    "resectable": True,
                },
            }
        )
    )
    regs = [o.regimen for o in answer.options]
    # then MAP and the removal of the metastases (both parts of the plan) are the first two options
    assert set(regs[:2]) == {"methotrexate+doxorubicin+cisplatin", "surgery-pulmonary-metastasectomy"}


def test_no_v5_record_adds_a_completeness_gap(kb):
    v5 = {e.id for e in kb.evidence if e.cancer in (*NEW_NODES, "TET", "BONE", "THYMUS")}
    gaps = completeness(kb)
    assert not [g for g in gaps if any(f" {x} " in g for x in v5)]
