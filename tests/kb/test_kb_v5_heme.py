"""Knowledge base v5 haematological cancers (issue 10, branch kb-heme5): each new cancer is a named node
with standard evidence, the engine answers end to end in both languages (profile in, options out), and the
new drugs carry their China status or the search that did not find one."""

from __future__ import annotations

from typing import Any

import pytest

from onconav.kbdata.policy_loader import completeness
from tests.kb.new_cancers import CJK, assert_named_node_with_standard_evidence, profile

NEW_NODES = ("ENKL", "MYCF", "HCL", "PV", "ET", "CMML", "SM")
# child code -> the node whose evidence it reads
CHILD_CODES = {"SS": "MYCF", "PVMF": "PV", "ETMF": "ET", "CMML2": "CMML", "SMAHN": "SM", "SMMCL": "SM"}
NEW_DRUGS: tuple[str, ...] = (
    "mogamulizumab",
    "bexarotene",
    "vorinostat",
    "cladribine",
    "aspirin",
    "hydroxycarbamide",
    "ropeginterferon alfa-2b",
    "anagrelide",
)

# Case -> (profile, the regimen expected among the options, expected at rank 1 or not).
CASES: dict[str, tuple[dict[str, Any], str, bool]] = {
    # NCCN T-Cell Lymphomas / Chinese practice: asparaginase-based combination for stage IV disease
    "ENKL-advanced": ({"age": 45, "cancer": {"oncotree_code": "ENKL", "stage": "IV"}}, "ddgp", False),
    # stage I-II fit for chemotherapy: asparaginase-based chemotherapy with radiotherapy
    "ENKL-early": (
        {"age": 50, "cancer": {"oncotree_code": "ENKL", "stage": "IE"}},
        "p-gemox+radiotherapy",
        True,
    ),
    # after an asparaginase regimen: a PD-1 / PD-L1 antibody (sugemalimab approved in China)
    "ENKL-relapsed": (
        {
            "age": 48,
            "cancer": {"oncotree_code": "ENKL", "stage": "relapsed"},
            "prior_therapies": [
                {"drugs": ["pegaspargase", "gemcitabine", "oxaliplatin"], "line": 1, "outcome": "progression"}
            ],
        },
        "sugemalimab",
        False,
    ),
    # NCCN Primary Cutaneous Lymphomas: skin-directed therapy first for stage IA-IIA mycosis fungoides
    "MYCF-early": (
        {"age": 58, "cancer": {"oncotree_code": "MYCF", "stage": "IB"}},
        "skin-directed-therapy-ctcl",
        True,
    ),
    # stage IIB (tumours): a systemic first treatment such as bexarotene
    "MYCF-advanced": ({"age": 66, "cancer": {"oncotree_code": "MYCF", "stage": "IIB"}}, "bexarotene", False),
    # Sézary syndrome (child code SS) after a systemic therapy: mogamulizumab (MAVORIC, approved in China)
    "SS-relapsed": (
        {
            "age": 62,
            "cancer": {"oncotree_code": "SS", "stage": "IVA1"},
            "prior_therapies": [{"drugs": ["bexarotene"], "line": 1, "outcome": "progression"}],
        },
        "mogamulizumab",
        True,
    ),
    # CD30-positive MF after a systemic therapy: brentuximab vedotin (ALCANZA)
    "MYCF-CD30": (
        {
            "age": 55,
            "cancer": {"oncotree_code": "MYCF", "stage": "IIB"},
            "biomarkers": [{"name": "CD30", "value": "positive"}],
            "prior_therapies": [{"drugs": ["methotrexate"], "line": 1, "outcome": "progression"}],
        },
        "brentuximab-vedotin",
        True,
    ),
    # NCCN Hairy Cell Leukemia: cladribine with or without rituximab as initial treatment
    "HCL-untreated": (
        {"age": 52, "cancer": {"oncotree_code": "HCL", "stage": "newly diagnosed"}},
        "cladribine+rituximab",
        False,
    ),
    # relapse after cladribine with BRAF V600E: vemurafenib with rituximab
    "HCL-relapsed": (
        {
            "age": 60,
            "cancer": {"oncotree_code": "HCL", "stage": "relapsed"},
            "biomarkers": [{"gene": "BRAF", "alteration": "V600E"}],
            "prior_therapies": [{"drugs": ["cladribine"], "line": 1, "outcome": "relapse"}],
        },
        "vemurafenib+rituximab",
        True,
    ),
    # NCCN MPN: low-risk polycythaemia vera (under 60, no clot): phlebotomy and low-dose aspirin
    "PV-low-risk": (
        {"age": 45, "cancer": {"oncotree_code": "PV", "stage": "newly diagnosed"}},
        "phlebotomy+aspirin",
        False,
    ),
    # high risk (60 or older): cytoreduction with hydroxyurea first
    "PV-high-risk": (
        {"age": 68, "cancer": {"oncotree_code": "PV", "stage": "newly diagnosed"}},
        "hydroxycarbamide+aspirin",
        True,
    ),
    # after hydroxyurea failure or intolerance: ruxolitinib (RESPONSE)
    "PV-after-hydroxyurea": (
        {
            "age": 66,
            "cancer": {"oncotree_code": "PV", "stage": "resistant"},
            "prior_therapies": [{"drugs": ["hydroxyurea", "aspirin"], "line": 1, "outcome": "progression"}],
        },
        "ruxolitinib",
        True,
    ),
    # essential thrombocythaemia, high risk (earlier clot): hydroxyurea with aspirin
    "ET-high-risk": (
        {
            "age": 52,
            "comorbidities": ["deep vein thrombosis 2023"],
            "cancer": {"oncotree_code": "ET", "stage": "new"},
        },
        "hydroxycarbamide+aspirin",
        True,
    ),
    # intolerant of hydroxyurea: anagrelide
    "ET-after-hydroxyurea": (
        {
            "age": 70,
            "cancer": {"oncotree_code": "ET", "stage": "chronic"},
            "prior_therapies": [{"drugs": ["hydroxyurea"], "line": 1, "outcome": "intolerance"}],
        },
        "anagrelide",
        True,
    ),
    # NCCN MDS (CMML): hypomethylating agent or, for proliferative disease, hydroxyurea (DACOTA)
    "CMML-proliferative": (
        {"age": 74, "cancer": {"oncotree_code": "CMML", "stage": "proliferative"}},
        "decitabine",
        False,
    ),
    # advanced systemic mastocytosis: avapritinib or midostaurin
    "SM-aggressive": (
        {"age": 62, "cancer": {"oncotree_code": "SM", "stage": "aggressive"}},
        "avapritinib",
        True,
    ),
    # platelets below 50: midostaurin, not avapritinib
    "SM-AHN-low-platelets": (
        {
            "age": 62,
            "comorbidities": ["severe thrombocytopenia"],
            "cancer": {"oncotree_code": "SMAHN", "stage": "advanced"},
        },
        "midostaurin",
        True,
    ),
}


@pytest.mark.parametrize("code", NEW_NODES)
def test_every_new_cancer_is_a_named_node_with_standard_evidence(kb, code):
    # given a cancer the engine used to reject
    # then it is a node named and described in both languages, with level 1-2 evidence of its own
    assert_named_node_with_standard_evidence(kb, code)


@pytest.mark.parametrize("child", sorted(CHILD_CODES))
def test_child_codes_read_the_node(kb, child):
    # given a profile stating a child OncoTree code (Sézary syndrome)
    node = CHILD_CODES[child]
    # then the code maps to the node's record and its lineage runs through the node
    assert kb.cancer_by_code[child].oncotree_code == node
    assert node in kb.lineage(child)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_engine_answers_end_to_end_for_every_new_cancer(engine, case, lang):
    # given a profile of the new cancer
    extra, expected, first = CASES[case]
    # when the engine answers
    answer = engine.recommend(profile(extra), lang=lang)
    regs = [o.regimen for o in answer.options]
    # then the guideline regimen is offered (first where it is the single standard), titled in the
    # answer's language
    assert expected in regs, f"{case}: {expected} missing from {regs}"
    if first:
        assert regs[0] == expected, f"{case}: rank 1 is {regs[0]}, expected {expected}"
    title = next(o.title for o in answer.options if o.regimen == expected)
    assert bool(CJK.search(title)) == (lang == "zh-hans")


def test_nk_t_cell_lymphoma_gets_no_anthracycline_and_pd1_only_after_asparaginase(engine):
    # given advanced NK/T-cell lymphoma, untreated
    regs = [o.regimen for o in engine.recommend(profile(CASES["ENKL-advanced"][0])).options]
    # then no CHOP-type regimen is offered (ENKL is not read as PTCL) and no checkpoint antibody in first line
    assert "chop" not in regs and "brentuximab-vedotin+chp" not in regs
    assert not {"sugemalimab", "sintilimab", "pembrolizumab"} & set(regs)
    # and SMILE, beaten by DDGP in a randomised trial, ranks after DDGP
    assert regs.index("smile") > regs.index("ddgp")


def test_unfit_localised_nk_t_cell_lymphoma_is_offered_radiotherapy_alone_first(engine):
    # given an 80-year-old with stage IIE disease and ECOG 2
    prof = profile({"age": 80, "ecog": 2, "cancer": {"oncotree_code": "ENKL", "stage": "IIE"}})
    regs = [o.regimen for o in engine.recommend(prof).options]
    # then radiotherapy alone comes first
    assert regs[0] == "radiotherapy-isrt-lymphoma"


def test_low_risk_mpn_gets_no_cytoreduction_and_high_risk_does(engine):
    # given polycythaemia vera at 45 without a clot, and at 45 with an earlier stroke
    low = {"age": 45, "cancer": {"oncotree_code": "PV", "stage": "newly diagnosed"}}
    high = {**low, "comorbidities": ["ischaemic stroke"]}
    low_regs = {o.regimen for o in engine.recommend(profile(low)).options}
    high_regs = {o.regimen for o in engine.recommend(profile(high)).options}
    # then hydroxyurea is offered only at high risk, phlebotomy + aspirin only at low risk
    assert "hydroxycarbamide+aspirin" not in low_regs and "phlebotomy+aspirin" in low_regs
    assert "hydroxycarbamide+aspirin" in high_regs and "phlebotomy+aspirin" not in high_regs


def test_cmml_transplant_needs_higher_risk_and_sm_avapritinib_needs_platelets(engine):
    # given CMML-2 with CPSS high at 58: the transplant is offered; with CPSS low it is not
    high = {"age": 58, "cancer": {"oncotree_code": "CMML2", "stage": "new", "risk_groups": {"CPSS": "high"}}}
    low = {"age": 58, "cancer": {"oncotree_code": "CMML2", "stage": "new", "risk_groups": {"CPSS": "low"}}}
    assert "allogeneic-stem-cell-transplant" in {o.regimen for o in engine.recommend(profile(high)).options}
    assert "allogeneic-stem-cell-transplant" not in {
        o.regimen for o in engine.recommend(profile(low)).options
    }
    # given advanced SM with platelets below 50: no avapritinib
    sm = {
        "age": 62,
        "comorbidities": ["platelets below 50"],
        "cancer": {"oncotree_code": "SM", "stage": "aggressive"},
    }
    assert "avapritinib" not in {o.regimen for o in engine.recommend(profile(sm)).options}


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
    # and no v5 record adds a completeness gap
    v5 = {e.id for e in kb.evidence if e.cancer in NEW_NODES} | set(NEW_DRUGS)
    assert not [g for g in gaps if any(f" {x} " in g for x in v5)]
