"""Knowledge base v2, thoracic / thyroid / CNS / sarcoma area (issue 10): every cancer of the area
is in the KB with evidence, the engine answers for it end to end in both languages, and OncoTree
child nodes and child codes reach their parent's evidence."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from onconav.engine.core import Engine
from onconav.kbdata.loader import DEFAULT_KB_PATH, load_knowledge_base
from onconav.kbdata.policy_loader import completeness

NO_DRIVER = [
    {"gene": "EGFR", "alteration": "negative"},
    {"gene": "ALK", "alteration": "negative"},
    {"gene": "ROS1", "alteration": "negative"},
]
PDL1_HIGH = [*NO_DRIVER, {"name": "PD-L1 TPS", "value": 80, "unit": "%"}]
RAI_REFRACTORY = {"risk_groups": {"RAI": "refractory"}}
PRIOR_RAI = [
    {"drugs": ["sodium iodide i-131"], "start": "2020-01", "end": "2022-01", "outcome": "progression"}
]

# Cancer -> (profile fields, one regimen the guidelines put first for that profile).
AREA: dict[str, tuple[dict[str, Any], str]] = {
    "NSCLC": (
        {"cancer": {"oncotree_code": "NSCLC", "stage": "IV"}, "biomarkers": PDL1_HIGH},
        "pembrolizumab",
    ),
    "LUAD": ({"cancer": {"oncotree_code": "LUAD", "stage": "IV"}, "biomarkers": PDL1_HIGH}, "pembrolizumab"),
    "LUSC": ({"cancer": {"oncotree_code": "LUSC", "stage": "IV"}, "biomarkers": PDL1_HIGH}, "pembrolizumab"),
    "LCLC": ({"cancer": {"oncotree_code": "LCLC", "stage": "IV"}, "biomarkers": PDL1_HIGH}, "pembrolizumab"),
    "SCLC": (
        {"cancer": {"oncotree_code": "SCLC", "stage": "extensive"}},
        "atezolizumab+etoposide+carboplatin",
    ),
    "PLMESO": ({"cancer": {"oncotree_code": "PLMESO", "stage": "IV"}}, "nivolumab+ipilimumab"),
    "PLEMESO": ({"cancer": {"oncotree_code": "PLEMESO", "stage": "IV"}}, "nivolumab+ipilimumab"),
    "PLSMESO": ({"cancer": {"oncotree_code": "PLSMESO", "stage": "IV"}}, "nivolumab+ipilimumab"),
    "WDTC": (
        {"cancer": {"oncotree_code": "WDTC", "stage": "IVB", **RAI_REFRACTORY}, "prior_therapies": PRIOR_RAI},
        "lenvatinib",
    ),
    "THPA": (
        {"cancer": {"oncotree_code": "THPA", "stage": "IVB", **RAI_REFRACTORY}, "prior_therapies": PRIOR_RAI},
        "lenvatinib",
    ),
    "THFO": (
        {"cancer": {"oncotree_code": "THFO", "stage": "IVB", **RAI_REFRACTORY}, "prior_therapies": PRIOR_RAI},
        "lenvatinib",
    ),
    "THME": (
        {
            "cancer": {"oncotree_code": "THME", "stage": "IVC"},
            "biomarkers": [{"gene": "RET", "alteration": "M918T"}],
        },
        "selpercatinib",
    ),
    "THAP": (
        {
            "cancer": {"oncotree_code": "THAP", "stage": "IVC"},
            "biomarkers": [{"gene": "BRAF", "alteration": "V600E"}],
        },
        "dabrafenib+trametinib",
    ),
    "GB": (
        {"cancer": {"oncotree_code": "GB", "stage": "grade 4", "resected": True}},
        "temozolomide+radiotherapy",
    ),
    "ASTR": (
        {
            "cancer": {"oncotree_code": "ASTR", "stage": "grade 3", "resected": True},
            "biomarkers": [{"gene": "IDH1", "alteration": "R132H"}],
        },
        "temozolomide+radiotherapy",
    ),
    "ODG": (
        {
            "cancer": {"oncotree_code": "ODG", "stage": "grade 3", "resected": True},
            "biomarkers": [
                {"gene": "IDH1", "alteration": "R132H"},
                {"name": "1p/19q codeletion", "value": "positive"},
            ],
        },
        "radiotherapy+pcv",
    ),
    "DIFG": (
        {
            "cancer": {"oncotree_code": "DIFG", "stage": "grade 2", "resected": True},
            "biomarkers": [{"gene": "IDH1", "alteration": "R132H"}],
        },
        "vorasidenib",
    ),
    "SOFT_TISSUE": ({"cancer": {"oncotree_code": "SOFT_TISSUE", "stage": "IV"}}, "doxorubicin"),
    "LMS": ({"cancer": {"oncotree_code": "LMS", "stage": "IV"}}, "doxorubicin+trabectedin"),
    "LIPO": ({"cancer": {"oncotree_code": "LIPO", "stage": "IV"}}, "doxorubicin"),
    "DDLS": ({"cancer": {"oncotree_code": "DDLS", "stage": "IV"}}, "doxorubicin"),
    "MRLS": ({"cancer": {"oncotree_code": "MRLS", "stage": "IV"}}, "doxorubicin"),
    "SYNS": ({"cancer": {"oncotree_code": "SYNS", "stage": "IV"}}, "doxorubicin"),
    "MFH": ({"cancer": {"oncotree_code": "MFH", "stage": "IV"}}, "doxorubicin"),
    "ANGS": ({"cancer": {"oncotree_code": "ANGS", "stage": "IV"}}, "doxorubicin"),
    "EPIS": ({"cancer": {"oncotree_code": "EPIS", "stage": "IV"}}, "tazemetostat"),
    "GIST": (
        {
            "cancer": {"oncotree_code": "GIST", "stage": "metastatic"},
            "biomarkers": [{"gene": "KIT", "alteration": "exon 11 deletion"}],
        },
        "imatinib",
    ),
}
AREA_EVIDENCE_FILES = ("thoracic.yaml", "thoracic-cns-sarcoma-v2.yaml")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


@pytest.fixture(scope="module")
def engine(kb):
    return Engine(kb)


def _profile(extra: dict[str, Any]) -> dict[str, Any]:
    return {"age": 60, "ecog": 1, "prior_therapies": [], **extra}


@pytest.mark.parametrize("code", sorted(AREA))
def test_every_area_cancer_is_a_node_with_evidence_in_its_lineage(kb, code):
    # given the area's cancer
    # when its lineage is read
    lineage = kb.lineage(code)
    # then the node exists, has a name in both languages and level 1-2 evidence in its lineage
    assert lineage and lineage[0] == code
    node = kb.cancer_by_code[code]
    assert node.name.en and CJK.search(node.name.zh)
    assert any(e.cancer in lineage and e.level.value in ("1", "2") for e in kb.evidence)


@pytest.mark.parametrize("code", sorted(AREA))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_engine_answers_end_to_end_for_every_area_cancer(engine, code, lang):
    # given a realistic profile of the cancer
    extra, expected = AREA[code]
    # when the engine answers in the language
    answer = engine.recommend(_profile(extra), lang=lang)
    regs = [o.regimen for o in answer.options]
    # then the guideline regimen is offered, titled in that language
    assert expected in regs, f"{code}: {expected} missing from {regs}"
    if lang == "zh":
        assert all(CJK.search(o.title) for o in answer.options if o.regimen == expected)


def test_a_child_node_reaches_its_parents_evidence(engine):
    # given dedifferentiated liposarcoma, a child of liposarcoma, whose later-line eribulin item is
    # written for liposarcoma and whose first-line items are written for soft-tissue sarcoma
    profile = _profile(
        {
            "cancer": {"oncotree_code": "DDLS", "stage": "IV"},
            "prior_therapies": [{"drugs": ["doxorubicin"], "line": 1, "outcome": "progression"}],
        }
    )
    # when the engine answers
    regs = {o.regimen for o in engine.recommend(profile).options}
    # then the liposarcoma and soft-tissue sarcoma later-line options are offered
    assert {"eribulin", "trabectedin"} <= regs


def test_large_cell_carcinoma_reaches_nsclc_evidence(engine):
    # given large cell lung carcinoma (OncoTree LCLC, a child of NSCLC) with PD-L1 80%
    answer = engine.recommend(
        _profile({"cancer": {"oncotree_code": "LCLC", "stage": "IV"}, "biomarkers": PDL1_HIGH})
    )
    # then the NSCLC first-line immunotherapy written for NSCLC is offered
    assert {"pembrolizumab", "atezolizumab"} <= {o.regimen for o in answer.options}


@pytest.mark.parametrize(
    "child,parent", [("GBM", "GB"), ("AASTR", "ASTR"), ("AODG", "ODG"), ("SARCNOS", "SOFT_TISSUE")]
)
def test_child_codes_are_declared_on_their_parent(kb, child, parent):
    # given a common OncoTree code the KB reads as its parent
    # then the parent node declares it, no record of that code exists, and the code is read as
    # the parent (its lineage runs through the parent)
    assert child in kb.cancer_by_code[parent].child_codes
    assert child not in {c.oncotree_code for c in kb.cancers}
    assert kb.cancer_by_code[child].oncotree_code == parent
    assert kb.lineage(child)[:2] == [child, parent]


def test_a_child_code_without_a_record_reaches_its_parents_evidence(engine):
    # given the older OncoTree code GBM for glioblastoma (declared in child_codes of GB)
    answer = engine.recommend(
        _profile({"cancer": {"oncotree_code": "GBM", "stage": "grade 4", "resected": True}})
    )
    # then glioblastoma chemoradiation is offered
    assert "temozolomide+radiotherapy" in {o.regimen for o in answer.options}


def test_gist_is_not_treated_as_soft_tissue_sarcoma(engine):
    # given metastatic GIST (KIT exon 11)
    extra, _ = AREA["GIST"]
    regs = {o.regimen for o in engine.recommend(_profile(extra)).options}
    # then sarcoma chemotherapy, which does not work in GIST, is not offered
    assert not regs & {"doxorubicin", "doxorubicin+ifosfamide", "gemcitabine+docetaxel", "trabectedin"}


def test_area_evidence_has_no_completeness_gaps(kb):
    # given the area's evidence items (both evidence files)
    ids: set[str] = set()
    for name in AREA_EVIDENCE_FILES:
        ids |= {
            e["id"] for e in yaml.safe_load((DEFAULT_KB_PATH / "evidence" / name).read_text(encoding="utf-8"))
        }
    # when the v2 completeness report is read
    gaps = [
        g
        for g in completeness(kb)
        if g.startswith(("preference", "zh: evidence", "figure-source", "curator-note: evidence"))
    ]
    # then none of them concerns this area
    assert ids
    assert not [g for g in gaps if any(f"evidence {i} " in g for i in ids)]
