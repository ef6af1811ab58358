"""Knowledge base v3 (issue 10, branch kbnew): the cancers the engine used to reject as "unknown
OncoTree code" are nodes with evidence, and the engine answers for each end to end (profile in,
options out) in both languages with the regimen the FDA label and guideline name; the new drugs
carry their China status or the search that did not find one."""

from __future__ import annotations

import re
from typing import Any

import pytest

from onconav.engine.core import Engine
from onconav.kbdata.loader import load_knowledge_base
from onconav.kbdata.policy_loader import completeness

CJK = re.compile(r"[\u4e00-\u9fff]")

# Cancer -> (profile, the regimen expected among the options, expected at rank 1 or not).
CASES: dict[str, tuple[dict[str, Any], str, bool]] = {
    "MDS-lower-del5q": (
        {
            "age": 72,
            "cancer": {"oncotree_code": "MDS", "stage": "newly diagnosed", "risk_groups": {"IPSS-R": "low"}},
            "biomarkers": [{"name": "del(5q)", "value": "positive"}],
        },
        "lenalidomide-mds",
        True,
    ),
    "MDS-higher": (
        {
            "age": 70,
            "cancer": {"oncotree_code": "MDS", "stage": "newly diagnosed", "risk_groups": {"IPSS-R": "high"}},
        },
        "azacitidine",
        True,
    ),
    "MLN": (
        {
            "age": 45,
            "cancer": {"oncotree_code": "MLN", "stage": "newly diagnosed"},
            "biomarkers": [{"gene": "PDGFRB", "alteration": "rearrangement"}],
        },
        "imatinib-myeloid-neoplasm",
        True,
    ),
    "CELNOS": (
        {
            "age": 45,
            "cancer": {"oncotree_code": "CELNOS", "stage": "newly diagnosed"},
            "biomarkers": [{"gene": "FIP1L1-PDGFRA", "alteration": "fusion"}],
        },
        "imatinib-myeloid-neoplasm",
        True,
    ),
    "ALCL": (
        {
            "age": 50,
            "cancer": {"oncotree_code": "ALCL", "stage": "IV"},
            "biomarkers": [{"name": "CD30", "value": "positive"}, {"gene": "ALK", "alteration": "negative"}],
        },
        "brentuximab-vedotin+chp",
        True,
    ),
    "BL": (
        {"age": 45, "cancer": {"oncotree_code": "BL", "stage": "IV"}},
        "da-epoch-r",
        False,
    ),
    "ECD": (
        {
            "age": 55,
            "cancer": {"oncotree_code": "ECD", "stage": "symptomatic"},
            "biomarkers": [{"gene": "BRAF", "alteration": "V600E"}],
        },
        "vemurafenib",
        True,
    ),
    "ALAL": (
        {
            "age": 40,
            "cancer": {"oncotree_code": "ALAL", "stage": "relapsed"},
            "biomarkers": [{"gene": "KMT2A", "alteration": "rearrangement"}],
            "prior_therapies": [
                {"drugs": ["vincristine", "daunorubicin", "prednisone"], "line": 1, "outcome": "relapse"}
            ],
        },
        "revumenib",
        True,
    ),
    "LGGNOS": (
        {
            "age": 8,
            "cancer": {"oncotree_code": "LGGNOS", "stage": "progressive"},
            "biomarkers": [{"gene": "BRAF", "alteration": "V600E"}],
        },
        "dabrafenib+trametinib",
        True,
    ),
    "LGSOC": (
        {
            "age": 45,
            "sex": "female",
            "cancer": {"oncotree_code": "LGSOC", "stage": "recurrent"},
            "biomarkers": [{"gene": "KRAS", "alteration": "G12V"}],
            "prior_therapies": [
                {"drugs": ["carboplatin", "paclitaxel"], "line": 1, "outcome": "progression"}
            ],
        },
        "avutometinib+defactinib",
        True,
    ),
    "IMT": (
        {
            "age": 30,
            "cancer": {"oncotree_code": "IMT", "stage": "unresectable"},
            "biomarkers": [{"gene": "ALK", "alteration": "fusion"}],
        },
        "crizotinib",
        True,
    ),
}
NEW_NODES = ("MDS", "MLN", "CELNOS", "ALCL", "BL", "ECD", "ALAL", "LGGNOS", "LGSOC", "IMT")
NEW_DRUGS = ("luspatercept", "tovorafenib", "avutometinib", "defactinib", "cobimetinib")


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
    # given a cancer the engine used to reject
    lineage = kb.lineage(code)
    node = kb.cancer_by_code[code]
    # then it is a node named in both languages with level 1-2 evidence of its own
    assert lineage[0] == code and node.name.en and CJK.search(node.name.zh)
    assert node.description and CJK.search(node.description.zh)
    assert any(e.cancer == code and e.level.value in ("1", "2") for e in kb.evidence)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_engine_answers_end_to_end_for_every_new_cancer(engine, case, lang):
    # given a profile of the new cancer
    extra, expected, first = CASES[case]
    # when the engine answers
    answer = engine.recommend(_profile(extra), lang=lang)
    regs = [o.regimen for o in answer.options]
    # then the labelled, guideline regimen is offered (first where it is the single standard),
    # titled in the answer's language
    assert expected in regs, f"{case}: {expected} missing from {regs}"
    if first:
        assert regs[0] == expected, f"{case}: rank 1 is {regs[0]}, expected {expected}"
    title = next(o.title for o in answer.options if o.regimen == expected)
    assert bool(CJK.search(title)) == (lang == "zh-hans")


def test_mds_risk_decides_between_anaemia_treatment_and_hypomethylating_agents(engine):
    # given lower-risk MDS without del(5q) (karyotype known normal for 5q)
    lower = _profile(
        {
            "age": 74,
            "cancer": {"oncotree_code": "MDS", "stage": "newly diagnosed", "risk_groups": {"IPSS-R": "low"}},
            "biomarkers": [{"name": "del(5q)", "value": "negative"}],
        }
    )
    regs = [o.regimen for o in engine.recommend(lower).options]
    # then luspatercept is offered, and neither lenalidomide nor azacitidine
    assert "luspatercept" in regs
    assert "lenalidomide-mds" not in regs and "azacitidine" not in regs
    # and with the risk unknown, azacitidine waits on the risk score rather than being asserted
    unknown = _profile({"age": 74, "cancer": {"oncotree_code": "MDS", "stage": "newly diagnosed"}})
    aza = next(o for o in engine.recommend(unknown).options if o.regimen == "azacitidine")
    assert aza.condition is not None


def test_paediatric_items_are_not_offered_to_adults(engine):
    # given relapsed ALK-positive ALCL in a 60-year-old (the crizotinib label covers children and
    # young adults, and says efficacy in older adults is not established)
    adult = _profile(
        {
            "age": 60,
            "cancer": {"oncotree_code": "ALCL", "stage": "relapsed"},
            "biomarkers": [{"gene": "ALK", "alteration": "fusion"}, {"name": "CD30", "value": "positive"}],
            "prior_therapies": [
                {
                    "drugs": ["brentuximab vedotin", "cyclophosphamide", "doxorubicin", "prednisone"],
                    "line": 1,
                    "outcome": "relapse",
                }
            ],
        }
    )
    young = {**adult, "age": 16}
    # then crizotinib is offered to the 16-year-old and not to the 60-year-old (age_max)
    assert "crizotinib" in {o.regimen for o in engine.recommend(young).options}
    assert "crizotinib" not in {o.regimen for o in engine.recommend(adult).options}
    # and the children's LMB protocol is not offered for adult Burkitt lymphoma
    bl = _profile({"age": 45, "cancer": {"oncotree_code": "BL", "stage": "IV"}})
    assert "rituximab+lmb-chemotherapy" not in {o.regimen for o in engine.recommend(bl).options}


def test_belzutifan_for_vhl_disease_waits_on_the_germline_origin(engine):
    # given clear-cell kidney cancer with a VHL mutation of unstated origin
    prof = _profile(
        {
            "age": 38,
            "cancer": {"oncotree_code": "CCRCC", "stage": "I"},
            "biomarkers": [{"gene": "VHL", "alteration": "mutation"}],
        }
    )
    option = next(o for o in engine.recommend(prof).options if o.regimen == "belzutifan")
    # then belzutifan is offered as conditional on germline testing (VHL disease)
    assert option.condition is not None


def test_new_drugs_state_china_access_or_the_search(kb):
    # given the drugs added in v3
    gaps = completeness(kb)
    for inn in NEW_DRUGS:
        d = kb.drug_by_inn[inn]
        # then each has a Chinese name, an NMPA year or a dated search, and an NRDL status or a dated search
        assert CJK.search(d.name_zh) and d.drug_class_zh
        assert any(a.agency == "NMPA" and a.year for a in d.approvals) or (
            d.nmpa_searched and d.nmpa_search_note
        )
        assert d.nrdl.listed is not None or (d.nrdl.searched and d.nrdl.search_note)
    # and no v3 record adds a completeness gap
    v3 = {e.id for e in kb.evidence if e.cancer in NEW_NODES} | set(NEW_DRUGS)
    assert not [g for g in gaps if any(f" {x} " in g for x in v3)]
