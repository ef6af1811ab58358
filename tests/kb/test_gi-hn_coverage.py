"""Knowledge base v2, GI and head-and-neck area (issue 10): every cancer of the area is in the
KB with evidence, the engine answers for it end to end in both languages, and an OncoTree child
code reaches its parent's evidence."""

from __future__ import annotations

import re
from typing import Any

import pytest

from onconav.engine.core import Engine
from onconav.kbdata.loader import load_knowledge_base
from onconav.kbdata.policy_loader import completeness

EGC_MARKERS = [{"gene": "HER2", "alteration": "negative"}, {"name": "PD-L1 CPS", "value": 10}]

# Cancer -> a realistic untreated profile and one regimen the guidelines put first-line there.
AREA: dict[str, tuple[dict[str, Any], str]] = {
    "HCC": (
        {"child_pugh": "A", "cancer": {"oncotree_code": "HCC", "stage": "BCLC C"}},
        "durvalumab+tremelimumab",
    ),
    "STAD": (
        {"cancer": {"oncotree_code": "STAD", "stage": "IV"}, "biomarkers": EGC_MARKERS},
        "nivolumab+oxaliplatin+fluoropyrimidine",
    ),
    "GEJ": (
        {"cancer": {"oncotree_code": "GEJ", "stage": "IV"}, "biomarkers": EGC_MARKERS},
        "nivolumab+oxaliplatin+fluoropyrimidine",
    ),
    "ESCA": (
        {"cancer": {"oncotree_code": "ESCA", "stage": "IV"}, "biomarkers": EGC_MARKERS},
        "nivolumab+oxaliplatin+fluoropyrimidine",
    ),
    "ESCC": ({"cancer": {"oncotree_code": "ESCC", "stage": "IVB"}}, "camrelizumab+paclitaxel+cisplatin"),
    "COADREAD": (
        {"cancer": {"oncotree_code": "COADREAD", "stage": "IV"}},
        "fluorouracil+leucovorin+oxaliplatin+bevacizumab",
    ),
    "COAD": ({"cancer": {"oncotree_code": "COAD", "stage": "IV"}}, "capecitabine+oxaliplatin+bevacizumab"),
    "READ": (
        {"cancer": {"oncotree_code": "READ", "stage": "IV"}},
        "fluorouracil+leucovorin+oxaliplatin+bevacizumab",
    ),
    "PAAD": (
        {"cancer": {"oncotree_code": "PAAD", "stage": "IV"}},
        "fluorouracil+leucovorin+irinotecan+oxaliplatin",
    ),
    "BILIARY_TRACT": (
        {"cancer": {"oncotree_code": "BILIARY_TRACT", "stage": "IV"}},
        "gemcitabine+cisplatin+durvalumab",
    ),
    "CHOL": ({"cancer": {"oncotree_code": "CHOL", "stage": "IV"}}, "gemcitabine+cisplatin+durvalumab"),
    "IHCH": ({"cancer": {"oncotree_code": "IHCH", "stage": "IV"}}, "gemcitabine+cisplatin+pembrolizumab"),
    "EHCH": ({"cancer": {"oncotree_code": "EHCH", "stage": "IVB"}}, "gemcitabine+cisplatin+durvalumab"),
    "GBC": ({"cancer": {"oncotree_code": "GBC", "stage": "IVB"}}, "gemcitabine+cisplatin+durvalumab"),
    "HNSC": ({"cancer": {"oncotree_code": "HNSC", "stage": "IVC"}}, "pembrolizumab+platinum+fluorouracil"),
    "LXSC": ({"cancer": {"oncotree_code": "LXSC", "stage": "IVC"}}, "pembrolizumab+platinum+fluorouracil"),
    "NPC": ({"cancer": {"oncotree_code": "NPC", "stage": "IVB"}}, "toripalimab+gemcitabine+cisplatin"),
}
AREA_FILES = ("gi-hn.yaml", "gi-hn-v2.yaml")
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
    # then the node exists, has a name in both languages and evidence somewhere in its lineage
    assert lineage and lineage[0] == code
    node = kb.cancer_by_code[code]
    assert node.name.en and CJK.search(node.name.zh)
    assert any(e.cancer in lineage and e.level.value in ("1", "2") for e in kb.evidence)


@pytest.mark.parametrize("code", sorted(AREA))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_engine_answers_end_to_end_for_every_area_cancer(engine, code, lang):
    # given an untreated advanced-stage profile of the cancer
    extra, expected = AREA[code]
    # when the engine answers in the language
    answer = engine.recommend(_profile(extra), lang=lang)
    regs = [o.regimen for o in answer.options]
    # then systemic options are offered, including the guideline first-line regimen
    assert expected in regs, f"{code}: {expected} missing from {regs}"
    if lang == "zh":
        assert all(CJK.search(o.title) for o in answer.options if o.regimen == expected)


def test_a_child_node_reaches_its_parents_evidence(engine):
    # given intrahepatic cholangiocarcinoma, whose first-line evidence is written for the
    # biliary tract as a whole (two levels up)
    answer = engine.recommend(_profile({"cancer": {"oncotree_code": "IHCH", "stage": "IV"}}))
    # then the biliary-tract first-line regimens are offered
    regs = {o.regimen for o in answer.options}
    assert {"gemcitabine+cisplatin+durvalumab", "gemcitabine+cisplatin+pembrolizumab"} <= regs


def test_a_child_code_without_a_record_reaches_its_parents_evidence(kb, engine):
    # given an OncoTree code the KB reads as its parent (oral cavity SCC -> HNSC)
    parent = next(c for c in kb.cancers if "OCSC" in c.child_codes)
    assert parent.oncotree_code == "HNSC"
    # when a profile uses the child code
    answer = engine.recommend(_profile({"cancer": {"oncotree_code": "OCSC", "stage": "IVC"}}))
    # then the parent's recurrent/metastatic options are offered
    assert "pembrolizumab+platinum+fluorouracil" in {o.regimen for o in answer.options}


def test_area_evidence_has_no_completeness_gaps(kb):
    # given the area's evidence items
    ids = {e.id for e in kb.evidence if e.cancer in {*AREA, "EGC", "BILIARY_TRACT", "PHCH"}}
    # when the v2 completeness report is read
    gaps = [
        g
        for g in completeness(kb)
        if g.startswith(("preference", "zh: evidence", "figure-source", "curator-note: evidence"))
    ]
    # then none of them concerns this area
    assert not [g for g in gaps if any(f"evidence {i} " in g for i in ids)]


def test_left_sided_first_line_anti_egfr_is_conditional_on_sidedness(kb):
    # given the first-line anti-EGFR items for RAS wild-type colorectal cancer
    items = [
        e
        for e in kb.evidence
        if e.id in ("crc-folfox-panitumumab-ras-wt-1l", "crc-folfiri-cetuximab-ras-wt-1l")
    ]
    # then both need a left-sided, RAS and BRAF wild-type tumour
    assert len(items) == 2
    for e in items:
        assert "left_sided_primary" in e.requires
        assert {"KRAS:mutation", "NRAS:mutation", "BRAF:V600E"} <= set(e.biomarkers_absent)
