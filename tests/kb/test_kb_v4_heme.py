"""Knowledge base v4 haematological cancers (issue 10, branch kbheme4): Waldenström macroglobulinaemia,
marginal zone lymphoma (with MALT lymphoma), peripheral T-cell lymphoma and myelofibrosis are nodes with
evidence, their child codes reach the node's evidence, the engine answers end to end in both languages,
and the new drugs carry their China status or the search that did not find one."""

from __future__ import annotations

import re
from typing import Any

import pytest

from onconav.engine.core import Engine
from onconav.kbdata.loader import load_knowledge_base
from onconav.kbdata.policy_loader import completeness

CJK = re.compile(r"[\u4e00-\u9fff]")

NEW_NODES = ("WM", "MZL", "EMALT", "PTCL", "PMF", "PCNSL")
# child code -> the node whose evidence it reads
CHILD_CODES = {"LPL": "WM", "NMZL": "MZL", "SMZL": "MZL", "AITL": "PTCL"}
NEW_DRUGS = (
    "pralatrexate",
    "romidepsin",
    "belinostat",
    "ruxolitinib",
    "fedratinib",
    "pacritinib",
    "momelotinib",
    "thiotepa",
)

# Case -> (profile, the regimen expected among the options, expected at rank 1 or not).
CASES: dict[str, tuple[dict[str, Any], str, bool]] = {
    "WM": (
        {
            "age": 70,
            "cancer": {"oncotree_code": "WM", "stage": "symptomatic"},
            "biomarkers": [{"gene": "MYD88", "alteration": "L265P"}],
        },
        "zanubrutinib",
        False,
    ),
    "MZL": ({"age": 62, "cancer": {"oncotree_code": "MZL", "stage": "IV"}}, "bendamustine+rituximab", False),
    "EMALT": (
        {
            "age": 55,
            "cancer": {"oncotree_code": "EMALT", "stage": "IE"},
            "biomarkers": [{"name": "H. pylori", "value": "positive"}],
        },
        "h-pylori-eradication",
        True,
    ),
    "PTCL": (
        {
            "age": 55,
            "cancer": {"oncotree_code": "PTCL", "stage": "III"},
            "biomarkers": [{"name": "CD30", "value": "positive"}],
        },
        "brentuximab-vedotin+chp",
        False,
    ),
    "PMF": (
        {
            "age": 71,
            "comorbidities": ["severe thrombocytopenia"],
            "cancer": {"oncotree_code": "PMF", "stage": "progressive"},
            "prior_therapies": [{"drugs": ["ruxolitinib"], "line": 1, "outcome": "progression"}],
        },
        "pacritinib",
        True,
    ),
    "PCNSL": ({"age": 56, "cancer": {"oncotree_code": "PCNSL", "stage": "newly diagnosed"}}, "matrix", False),
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
    # given a cancer the engine used to reject
    node = kb.cancer_by_code[code]
    # then it is a node named in both languages with level 1-2 evidence of its own
    assert kb.lineage(code)[0] == code and node.name.en and CJK.search(node.name.zh)
    assert node.description and CJK.search(node.description.zh)
    assert any(e.cancer == code and e.level.value in ("1", "2") for e in kb.evidence)


@pytest.mark.parametrize("child", sorted(CHILD_CODES))
def test_child_codes_read_the_node_and_its_evidence(kb, engine, child):
    # given a profile stating a child OncoTree code (LPL, nodal or splenic MZL, AITL)
    node = CHILD_CODES[child]
    # then the code maps to the node's record and its lineage runs through the node
    assert kb.cancer_by_code[child].oncotree_code == node
    assert node in kb.lineage(child)
    # and the engine answers with the node's evidence
    answer = engine.recommend(_profile({"age": 60, "cancer": {"oncotree_code": child, "stage": "IV"}}))
    node_regimens = {e.regimen for e in kb.evidence if e.cancer == node}
    assert {o.regimen for o in answer.options} & node_regimens


def test_malt_lymphoma_reads_the_marginal_zone_evidence(kb, engine):
    # given MALT lymphoma (a node under MZL) that needs systemic treatment
    assert kb.lineage("EMALT")[:2] == ["EMALT", "MZL"]
    regs = {
        o.regimen
        for o in engine.recommend(
            _profile({"age": 60, "cancer": {"oncotree_code": "EMALT", "stage": "IV"}})
        ).options
    }
    # then the MZL first-line options apply, and H. pylori eradication (early gastric disease only) does not
    assert "bendamustine+rituximab" in regs and "h-pylori-eradication" not in regs


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_engine_answers_end_to_end_for_every_new_cancer(engine, case, lang):
    # given a profile of the new cancer
    extra, expected, first = CASES[case]
    # when the engine answers
    answer = engine.recommend(_profile(extra), lang=lang)
    regs = [o.regimen for o in answer.options]
    # then the guideline regimen is offered (first where it is the single standard), titled in the
    # answer's language
    assert expected in regs, f"{case}: {expected} missing from {regs}"
    if first:
        assert regs[0] == expected, f"{case}: rank 1 is {regs[0]}, expected {expected}"
    title = next(o.title for o in answer.options if o.regimen == expected)
    assert bool(CJK.search(title)) == (lang == "zh-hans")


def test_withdrawn_romidepsin_ptcl_approval_is_recorded_and_ranked_below_approved_drugs(kb, engine):
    # given romidepsin, whose US PTCL approval was withdrawn in 2021
    ptcl = [a for a in kb.drug_by_inn["romidepsin"].approvals if "peripheral T-cell" in a.indication]
    assert ptcl and all(a.withdrawn == 2021 and a.withdrawn_note for a in ptcl)
    # when relapsed PTCL is answered
    prof = _profile(
        {
            "age": 60,
            "cancer": {"oncotree_code": "PTCL", "stage": "relapsed"},
            "prior_therapies": [
                {
                    "drugs": ["cyclophosphamide", "doxorubicin", "vincristine", "prednisone"],
                    "line": 1,
                    "outcome": "relapse",
                }
            ],
        }
    )
    regs = [o.regimen for o in engine.recommend(prof).options]
    # then romidepsin comes after pralatrexate and tucidinostat
    assert regs.index("romidepsin") > max(regs.index("pralatrexate"), regs.index("tucidinostat"))


def test_platelet_and_anaemia_facts_steer_the_jak_inhibitor(engine):
    base = {
        "age": 70,
        "cancer": {"oncotree_code": "PMF", "stage": "newly diagnosed", "risk_groups": {"DIPSS": "high"}},
    }
    # given myelofibrosis without stated cytopenias: ruxolitinib, not pacritinib or momelotinib
    plain = {o.regimen for o in engine.recommend(_profile(base)).options}
    assert "ruxolitinib" in plain and "pacritinib" not in plain and "momelotinib" not in plain
    # given platelets below 50: pacritinib, and neither ruxolitinib nor fedratinib
    low = {
        o.regimen
        for o in engine.recommend(_profile({**base, "comorbidities": ["severe thrombocytopenia"]})).options
    }
    assert "pacritinib" in low and not {"ruxolitinib", "fedratinib"} & low
    # given anaemia: momelotinib is offered
    anaemic = {o.regimen for o in engine.recommend(_profile({**base, "comorbidities": ["anaemia"]})).options}
    assert "momelotinib" in anaemic


def test_new_drugs_state_china_access_or_the_search(kb):
    gaps = completeness(kb)
    for inn in NEW_DRUGS:
        d = kb.drug_by_inn[inn]
        # each has a Chinese name, an NMPA year or a dated search, and an NRDL status or a dated search
        assert CJK.search(d.name_zh) and d.drug_class_zh
        assert any(a.agency == "NMPA" and a.year for a in d.approvals) or (
            d.nmpa_searched and d.nmpa_search_note
        )
        assert d.nrdl.listed is not None or (d.nrdl.searched and d.nrdl.search_note)
    # and no v4 record adds a completeness gap
    v4 = {e.id for e in kb.evidence if e.cancer in NEW_NODES} | set(NEW_DRUGS)
    assert not [g for g in gaps if any(f" {x} " in g for x in v4)]
