"""Knowledge base v4 (issue 10, branch kbsolid): whole solid cancers the KB lacked (GEP-NETs, anal
squamous cell carcinoma, Merkel cell carcinoma, cutaneous squamous cell carcinoma, uveal melanoma) are
nodes with evidence, OncoTree child codes reach their node, the engine answers for each end to end in
both languages, and the deciding tests (SSTR PET, HLA-A*02:01 typing) are asked for when unknown."""

from __future__ import annotations

import re
from typing import Any

import pytest

from onconav.engine.core import Engine
from onconav.kbdata.loader import load_knowledge_base
from onconav.kbdata.policy_loader import completeness

CJK = re.compile(r"[\u4e00-\u9fff]")

NEW_NODES = ("PANET", "GINET", "ANSC", "MCC", "CSCC", "UM", "TESTIS")
NEW_DRUGS = ("octreotide", "lanreotide", "lutetium-177 oxodotreotide", "retifanlimab", "tebentafusp")

# Cancer -> (profile, the regimens the guideline names first, any of which may rank 1). Written from NCCN / FDA labels (see
# tests/engine/vignettes/kb-v4-solid.yaml for the MDT-style cases with their sources).
CASES: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "PANET": (
        {"age": 60, "cancer": {"oncotree_code": "PANET", "stage": "IV", "risk_groups": {"Ki-67": 4}}},
        ("lanreotide", "octreotide-lar"),
    ),
    "GINET": (
        {"age": 60, "cancer": {"oncotree_code": "GINET", "stage": "IV", "risk_groups": {"Ki-67": 2}}},
        ("octreotide-lar", "lanreotide"),
    ),
    "ANSC": (
        {"age": 55, "cancer": {"oncotree_code": "ANSC", "stage": "II"}},
        ("chemoradiation-anal-mitomycin-fluorouracil",),
    ),
    "MCC": (
        {"age": 75, "cancer": {"oncotree_code": "MCC", "stage": "IV"}},
        ("avelumab", "pembrolizumab", "retifanlimab"),
    ),
    "CSCC": (
        {"age": 78, "cancer": {"oncotree_code": "CSCC", "stage": "IV"}},
        ("cemiplimab", "pembrolizumab"),
    ),
    "NSGCT": (
        {"age": 28, "cancer": {"oncotree_code": "NSGCT", "stage": "IIB", "risk_groups": {"IGCCCG": "good"}}},
        ("bep-x3", "ep-x4"),
    ),
    "MGCT": (
        {"age": 30, "cancer": {"oncotree_code": "MGCT", "stage": "IIIC", "risk_groups": {"IGCCCG": "poor"}}},
        ("bep-x4", "vip-x4"),
    ),
    "SEM": (
        {
            "age": 38,
            "cancer": {"oncotree_code": "SEM", "stage": "IIIB", "risk_groups": {"IGCCCG": "intermediate"}},
        },
        ("bep-x4", "vip-x4"),
    ),
    "UM": (
        {
            "age": 62,
            "cancer": {"oncotree_code": "UM", "stage": "IV"},
            "biomarkers": [{"name": "HLA-A*02:01", "value": "positive"}],
        },
        ("tebentafusp",),
    ),
}


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


@pytest.fixture(scope="module")
def engine(kb):
    return Engine(kb)


def _profile(extra: dict[str, Any]) -> dict[str, Any]:
    return {"ecog": 1, "prior_therapies": [], **extra}


@pytest.mark.parametrize("code", NEW_NODES)
def test_every_new_cancer_is_a_named_node_with_standard_evidence(kb, code):
    # given a cancer the KB did not cover
    node = kb.cancer_by_code[code]
    # then it is a node named and described in both languages, with level 1-2 evidence of its own
    assert kb.lineage(code)[0] == code and node.name.en and CJK.search(node.name.zh)
    assert node.description and CJK.search(node.description.zh)
    assert any(e.cancer == code and e.level.value in ("1", "2") for e in kb.evidence)


@pytest.mark.parametrize("child", ["SBWDNET", "AWDNET", "RWDNET"])
def test_well_differentiated_gi_net_child_codes_read_as_ginet(kb, engine, child):
    # given a profile with an OncoTree child code of GINET
    assert kb.cancer_by_code[child].oncotree_code == "GINET"
    assert "GINET" in kb.lineage(child) and "BOWEL" in kb.lineage(child)
    # when the engine answers for untreated low-grade metastatic disease
    answer = engine.recommend(
        _profile({"age": 64, "cancer": {"oncotree_code": child, "stage": "IV", "risk_groups": {"Ki-67": 2}}})
    )
    # then the GINET evidence is found (a somatostatin analogue first)
    assert answer.options[0].regimen in ("octreotide-lar", "lanreotide")


def test_high_grade_neuroendocrine_carcinoma_is_not_a_ginet_child(kb):
    # HGNEC (poorly differentiated) is treated with platinum-etoposide, not with the NET options
    assert "HGNEC" not in kb.cancer_by_code["GINET"].child_codes


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_engine_answers_end_to_end_for_every_new_cancer(engine, case, lang):
    # given a profile of the new cancer
    extra, expected = CASES[case]
    # when the engine answers
    answer = engine.recommend(_profile(extra), lang=lang)
    regs = [o.regimen for o in answer.options]
    # then the guideline regimen ranks first, titled in the answer's language
    assert regs and regs[0] in expected, f"{case}: rank 1 is {regs[:1]}, expected one of {expected}"
    assert bool(CJK.search(answer.options[0].title)) == (lang == "zh-hans")


def test_deciding_tests_are_recommended_when_unknown(engine):
    # given higher-grade GI NET without SSTR imaging, and metastatic uveal melanoma without HLA typing
    net = engine.recommend(
        _profile(
            {"age": 55, "cancer": {"oncotree_code": "GINET", "stage": "IV", "risk_groups": {"Ki-67": 15}}}
        )
    )
    um = engine.recommend(_profile({"age": 70, "cancer": {"oncotree_code": "UM", "stage": "IV"}}))
    # then PRRT and tebentafusp wait on their test, and the test is recommended
    for answer, rid, bid in (
        (net, "lutetium-177-dotatate", "SSTR:positive"),
        (um, "tebentafusp", "HLA-A:0201"),
    ):
        option = next(o for o in answer.options if o.regimen == rid)
        assert option.condition is not None and option.condition.tests
        assert bid in {b for t in answer.tests_recommended for b in t.biomarkers}


def test_prrt_is_not_offered_first_line_for_low_grade_net(engine):
    # given untreated SSTR-positive GI NET with Ki-67 below 10% (CLARINET / PROMID population)
    answer = engine.recommend(
        _profile(
            {
                "age": 60,
                "cancer": {"oncotree_code": "GINET", "stage": "IV", "risk_groups": {"Ki-67": 3}},
                "biomarkers": [{"name": "SSTR", "value": "positive"}],
            }
        )
    )
    # then PRRT is not a first-line option (NETTER-2 enrolled Ki-67 10-55%)
    assert "lutetium-177-dotatate" not in [o.regimen for o in answer.options]


def test_hla_a0201_also_reads_as_hla_a02(kb):
    # a profile stating HLA-A*02:01 also meets items that need any HLA-A*02 type (afamitresgene)
    assert "HLA-A02:positive" in kb.biomarker_by_id["HLA-A:0201"].implies


def test_new_drugs_state_china_access_or_the_search(kb):
    # given the drugs added in v4
    gaps = completeness(kb)
    for inn in NEW_DRUGS:
        d = kb.drug_by_inn[inn]
        # then each has a Chinese name (or the INN with a Chinese note), an NMPA year or a dated search,
        # and an NRDL status or a dated search
        assert CJK.search(d.name_zh) and d.drug_class_zh
        assert any(a.agency == "NMPA" and a.year for a in d.approvals) or (
            d.nmpa_searched and d.nmpa_search_note
        )
        assert d.nrdl.listed is not None or (d.nrdl.searched and d.nrdl.search_note)
    # and no v4 record adds a completeness gap
    v4 = {e.id for e in kb.evidence if e.cancer in NEW_NODES} | set(NEW_DRUGS)
    assert not [g for g in gaps if any(f" {x} " in g for x in v4)]
