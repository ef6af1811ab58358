"""Knowledge base v2, haematology area (issue 10): every cancer of the area is in the KB with
evidence, the engine answers for it end to end in both languages, OncoTree child codes reach their
parent's evidence, and the area's evidence and drugs have no completeness gaps."""

from __future__ import annotations

import re
from typing import Any

import pytest

from onconav.engine.core import Engine
from onconav.kbdata.loader import load_knowledge_base
from onconav.kbdata.policy_loader import completeness

PH_POSITIVE = [{"gene": "BCR-ABL1", "alteration": "fusion"}]
PH_NEGATIVE = [{"gene": "BCR-ABL1", "alteration": "negative"}]
FLT3_NEGATIVE = [{"gene": "FLT3", "alteration": "wild-type"}]

# Cancer -> an untreated profile (age, ECOG and the facts the item needs) and one regimen the
# guidelines name for it. Regimens are chosen so the expectation holds with or without the v2
# patient-fact predicates.
AREA: dict[str, tuple[dict[str, Any], str]] = {
    "LBL": ({"cancer": {"oncotree_code": "LBL", "stage": "IV"}}, "r-chop"),
    "DLBCLNOS": ({"cancer": {"oncotree_code": "DLBCLNOS", "stage": "IV"}}, "r-chop"),
    "FL": (
        {"cancer": {"oncotree_code": "FL", "stage": "III", "risk_groups": {"GELF": "high"}}},
        "bendamustine+rituximab",
    ),
    "MCL": ({"age": 72, "cancer": {"oncotree_code": "MCL", "stage": "IV"}}, "bendamustine+rituximab"),
    "CLLSLL": (
        {"age": 68, "cancer": {"oncotree_code": "CLLSLL", "stage": "IV", "risk_groups": {"iwCLL": "active"}}},
        "zanubrutinib",
    ),
    "PCM": (
        {"cancer": {"oncotree_code": "PCM", "stage": "II"}},
        "daratumumab+bortezomib+lenalidomide+dexamethasone",
    ),
    "AML": (
        {
            "age": 50,
            "cancer": {"oncotree_code": "AML", "stage": "newly diagnosed"},
            "biomarkers": FLT3_NEGATIVE,
        },
        "daunorubicin+cytarabine",
    ),
    "AMLMRC": (
        {"age": 66, "cancer": {"oncotree_code": "AMLMRC", "stage": "newly diagnosed"}},
        "daunorubicin-cytarabine-liposome",
    ),
    "TMN": (
        {"age": 66, "cancer": {"oncotree_code": "TMN", "stage": "newly diagnosed"}},
        "daunorubicin-cytarabine-liposome",
    ),
    "APLPMLRARA": (
        {
            "cancer": {
                "oncotree_code": "APLPMLRARA",
                "stage": "newly diagnosed",
                "risk_groups": {"Sanz": "low"},
            }
        },
        "tretinoin+arsenic-trioxide",
    ),
    "CML": (
        {"cancer": {"oncotree_code": "CML", "stage": "chronic phase"}, "biomarkers": PH_POSITIVE},
        "imatinib",
    ),
    "BLL": (
        {
            "age": 30,
            "cancer": {"oncotree_code": "BLL", "stage": "newly diagnosed"},
            "biomarkers": PH_NEGATIVE,
        },
        "pediatric-inspired-all-chemotherapy",
    ),
    "TLL": (
        {"age": 24, "cancer": {"oncotree_code": "TLL", "stage": "newly diagnosed"}},
        "pediatric-inspired-all-chemotherapy",
    ),
    "CHL": ({"age": 30, "cancer": {"oncotree_code": "CHL", "stage": "IVB"}}, "brentuximab-vedotin+avd"),
}
# OncoTree child codes without a record of their own -> parent node, and a regimen of the parent.
CHILD_CODES: dict[str, tuple[str, dict[str, Any], str]] = {
    "GCB": ("DLBCLNOS", {"cancer": {"oncotree_code": "GCB", "stage": "IV"}}, "r-chop"),
    "AMLNPM1": (
        "AML",
        {
            "age": 50,
            "cancer": {"oncotree_code": "AMLNPM1", "stage": "newly diagnosed"},
            "biomarkers": FLT3_NEGATIVE,
        },
        "daunorubicin+cytarabine",
    ),
    "BLLBCRABL1": (
        "BLL",
        {
            "age": 67,
            "cancer": {"oncotree_code": "BLLBCRABL1", "stage": "newly diagnosed"},
            "biomarkers": PH_POSITIVE,
        },
        "dasatinib+blinatumomab",
    ),
    "CMLCP": (
        "CML",
        {"cancer": {"oncotree_code": "CMLCP", "stage": "chronic phase"}, "biomarkers": PH_POSITIVE},
        "dasatinib",
    ),
    "NSCHL": (
        "CHL",
        {"age": 30, "cancer": {"oncotree_code": "NSCHL", "stage": "IVB"}},
        "brentuximab-vedotin+avd",
    ),
}
AREA_EVIDENCE_FILES = ("heme.yaml", "heme-v2-lymphoma.yaml", "heme-v2-myeloma.yaml", "heme-v2-leukaemia.yaml")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


@pytest.fixture(scope="module")
def engine(kb):
    return Engine(kb)


def _profile(extra: dict[str, Any]) -> dict[str, Any]:
    base: dict[str, Any] = {"age": 55, "ecog": 1, "prior_therapies": []}
    return {**base, **extra}


@pytest.mark.parametrize("code", sorted(AREA))
def test_every_area_cancer_is_a_node_with_evidence_in_its_lineage(kb, code):
    # given the area's cancer
    # when its lineage is read
    lineage = kb.lineage(code)
    # then the node exists, is named in both languages, and has level 1-2 evidence in its lineage
    assert lineage and lineage[0] == code
    node = kb.cancer_by_code[code]
    assert node.name.en and CJK.search(node.name.zh)
    assert node.description and CJK.search(node.description.zh)
    assert any(e.cancer in lineage and e.level.value in ("1", "2") for e in kb.evidence)


@pytest.mark.parametrize("code", sorted(AREA))
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_engine_answers_end_to_end_for_every_area_cancer(engine, code, lang):
    # given an untreated profile of the cancer
    extra, expected = AREA[code]
    # when the engine answers in the language
    answer = engine.recommend(_profile(extra), lang=lang)
    regs = [o.regimen for o in answer.options]
    # then the guideline regimen is offered, titled in the answer's language
    assert expected in regs, f"{code}: {expected} missing from {regs}"
    title = next(o.title for o in answer.options if o.regimen == expected)
    assert bool(CJK.search(title)) == (lang == "zh-hans")


@pytest.mark.parametrize("child", sorted(CHILD_CODES))
def test_a_child_code_reaches_its_parents_evidence(kb, engine, child):
    # given an OncoTree child code that the KB reads as its parent node
    parent, extra, expected = CHILD_CODES[child]
    assert child in kb.cancer_by_code[parent].child_codes or kb.lineage(child)[1:2] == [parent]
    # when a profile uses the child code
    answer = engine.recommend(_profile(extra))
    # then the parent's regimen is offered
    assert expected in {o.regimen for o in answer.options}


def test_therapy_related_aml_reaches_both_its_own_and_the_aml_evidence(kb):
    # given therapy-related myeloid neoplasms, a node under AML with CPX-351 evidence of its own,
    # and its OncoTree child code for therapy-related AML
    node = kb.cancer_by_code["TMN"]
    # then TAML is read as TMN, whose lineage runs to AML, so the AML items apply too
    assert "TAML" in node.child_codes
    assert kb.lineage("TMN")[:2] == ["TMN", "AML"]
    assert any(e.cancer == "TMN" for e in kb.evidence) and any(e.cancer == "AML" for e in kb.evidence)


def test_area_evidence_and_drugs_have_no_completeness_gaps(kb):
    # given the area's evidence items and its new drugs
    area_nodes = {c.oncotree_code for c in kb.cancers if c.category == "heme"} - {"HEME"}
    ids = {e.id for e in kb.evidence if e.cancer in area_nodes}
    heme_drugs = {
        "loncastuximab tesirine",
        "pirtobrutinib",
        "asciminib",
        "olverembatinib",
        "inotuzumab ozogamicin",
        "revumenib",
        "brentuximab vedotin",
    }
    # when the v2 completeness report is read
    gaps = completeness(kb)
    # then no evidence or drug gap concerns the area
    assert ids and not [g for g in gaps if any(f"evidence {i} " in g for i in ids)]
    assert not [g for g in gaps if any(f"drug {d} " in g for d in heme_drugs)]


def test_bcma_directed_options_after_bcma_cart_are_not_first(engine):
    # given triple-class-refractory myeloma relapsing after BCMA CAR-T
    profile = _profile(
        {
            "age": 60,
            "cancer": {"oncotree_code": "PCM", "stage": "relapsed"},
            "prior_therapies": [
                {
                    "drugs": ["bortezomib", "lenalidomide", "dexamethasone"],
                    "line": 1,
                    "outcome": "progression",
                },
                {
                    "drugs": ["daratumumab", "carfilzomib", "dexamethasone"],
                    "line": 2,
                    "outcome": "refractory",
                },
                {"drugs": ["ciltacabtagene autoleucel"], "line": 3, "outcome": "relapse"},
            ],
        }
    )
    # when the engine answers
    regs = [o.regimen for o in engine.recommend(profile).options]
    # then a GPRC5D-directed option is offered and a BCMA-directed one is not ranked first
    assert "talquetamab" in regs
    assert regs[0] not in {"ciltacabtagene-autoleucel", "teclistamab", "elranatamab", "linvoseltamab"}


def test_every_heme_evidence_item_names_its_guideline_preference(kb):
    # given the area's evidence (excluding resistance items)
    area_nodes = {c.oncotree_code for c in kb.cancers if c.category == "heme"} - {"HEME"}
    items = [e for e in kb.evidence if e.cancer in area_nodes and e.level.value not in ("R1", "R2")]
    # then each states its NCCN and CSCO placement
    assert items
    assert all(e.preference is not None for e in items)
