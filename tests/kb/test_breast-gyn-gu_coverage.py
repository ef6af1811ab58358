"""Knowledge base v2, breast / gynaecological / genito-urinary / melanoma area (issue 10): every
cancer of the area is in the KB with evidence, the engine answers for it end to end in both
languages, and an OncoTree child reaches its parent's evidence."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from onconav.engine.core import Engine
from onconav.kbdata.loader import load_knowledge_base
from onconav.kbdata.policy_loader import completeness

HR_POS_HER2_NEG = [{"name": "ER", "value": "positive"}, {"gene": "ERBB2", "alteration": "negative"}]

# Cancer -> a realistic profile and one regimen the guidelines offer there.
AREA: dict[str, tuple[dict[str, Any], str]] = {
    "BRCA": (
        {"cancer": {"oncotree_code": "BRCA", "stage": "IV"}, "biomarkers": HR_POS_HER2_NEG},
        "palbociclib+letrozole",
    ),
    "IDC": (
        {"cancer": {"oncotree_code": "IDC", "stage": "IV"}, "biomarkers": HR_POS_HER2_NEG},
        "palbociclib+letrozole",
    ),
    "ILC": (
        {"cancer": {"oncotree_code": "ILC", "stage": "IV"}, "biomarkers": HR_POS_HER2_NEG},
        "ribociclib+letrozole",
    ),
    "MDLC": (
        {"cancer": {"oncotree_code": "MDLC", "stage": "IV"}, "biomarkers": HR_POS_HER2_NEG},
        "palbociclib+letrozole",
    ),
    "HGSOC": ({"cancer": {"oncotree_code": "HGSOC", "stage": "IIIC"}}, "carboplatin+paclitaxel"),
    "CERVIX": (
        {
            "cancer": {"oncotree_code": "CERVIX", "stage": "IVB"},
            "biomarkers": [{"name": "PD-L1 CPS", "value": 5}],
        },
        "pembrolizumab+paclitaxel+cisplatin-or-carboplatin",
    ),
    "CESC": (
        {
            "cancer": {"oncotree_code": "CESC", "stage": "IVB"},
            "biomarkers": [{"name": "PD-L1 CPS", "value": 5}],
        },
        "pembrolizumab+paclitaxel+cisplatin-or-carboplatin",
    ),
    "CEAD": (
        {
            "cancer": {"oncotree_code": "CEAD", "stage": "IVB"},
            "biomarkers": [{"name": "PD-L1 CPS", "value": 5}],
        },
        "pembrolizumab+paclitaxel+cisplatin-or-carboplatin",
    ),
    "UCEC": ({"cancer": {"oncotree_code": "UCEC", "stage": "IVB"}}, "pembrolizumab+carboplatin+paclitaxel"),
    "UEC": ({"cancer": {"oncotree_code": "UEC", "stage": "IVB"}}, "dostarlimab+carboplatin+paclitaxel"),
    "USC": ({"cancer": {"oncotree_code": "USC", "stage": "IVB"}}, "pembrolizumab+carboplatin+paclitaxel"),
    "PRAD": ({"cancer": {"oncotree_code": "PRAD", "stage": "IIB"}}, "surgery-radical-prostatectomy"),
    "BLADDER": ({"cancer": {"oncotree_code": "BLADDER", "stage": "IV"}}, "enfortumab-vedotin+pembrolizumab"),
    "BLCA": ({"cancer": {"oncotree_code": "BLCA", "stage": "IVB"}}, "enfortumab-vedotin+pembrolizumab"),
    "UTUC": ({"cancer": {"oncotree_code": "UTUC", "stage": "IV"}}, "enfortumab-vedotin+pembrolizumab"),
    "CCRCC": (
        {"cancer": {"oncotree_code": "CCRCC", "stage": "IV", "risk_groups": {"IMDC": "intermediate"}}},
        "pembrolizumab+axitinib",
    ),
    "MEL": ({"cancer": {"oncotree_code": "MEL", "stage": "IV"}}, "nivolumab+ipilimumab"),
    "SKCM": ({"cancer": {"oncotree_code": "SKCM", "stage": "IV"}}, "nivolumab+relatlimab"),
    "ACRM": ({"cancer": {"oncotree_code": "ACRM", "stage": "IV"}}, "nivolumab+ipilimumab"),
}
EVIDENCE_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "evidence"
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
    # then the node exists, is named in both languages and has level 1-2 evidence in its lineage
    assert lineage and lineage[0] == code
    node = kb.cancer_by_code[code]
    assert node.name.en and CJK.search(node.name.zh)
    assert any(e.cancer in lineage and e.level.value in ("1", "2") for e in kb.evidence)


@pytest.mark.parametrize("code", sorted(AREA))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_engine_answers_end_to_end_for_every_area_cancer(engine, code, lang):
    # given a profile of the cancer
    extra, expected = AREA[code]
    # when the engine answers in the language
    answer = engine.recommend(_profile(extra), lang=lang)
    regs = [o.regimen for o in answer.options]
    # then the guideline regimen is offered, titled in the answer's language
    assert expected in regs, f"{code}: {expected} missing from {regs}"
    if lang == "zh":
        assert all(CJK.search(o.title) for o in answer.options if o.regimen == expected)


@pytest.mark.parametrize(
    ("child", "profile", "expected"),
    [
        ("IDC", {"stage": "IV"}, "palbociclib+letrozole"),  # evidence written for BRCA
        ("CEAD", {"stage": "IVB"}, "paclitaxel+cisplatin+bevacizumab"),  # written for CERVIX
        ("UEC", {"stage": "IVB"}, "pembrolizumab+carboplatin+paclitaxel"),  # written for UCEC
        ("UTUC", {"stage": "IV"}, "nivolumab+gemcitabine+cisplatin"),  # written for BLADDER
        ("ACRM", {"stage": "IV"}, "nivolumab+relatlimab"),  # written for MEL
    ],
)
def test_a_child_node_reaches_its_parents_evidence(kb, engine, child, profile, expected):
    # given a child node whose evidence is written for its parent
    items = [e for e in kb.evidence if e.regimen == expected and e.cancer in kb.lineage(child)]
    assert items and all(e.cancer != child for e in items)
    # when a profile uses the child code
    extra: dict[str, Any] = {"cancer": {"oncotree_code": child, **profile}}
    if child == "IDC":
        extra["biomarkers"] = HR_POS_HER2_NEG
    answer = engine.recommend(_profile(extra))
    # then the parent's option is offered
    assert expected in {o.regimen for o in answer.options}


def test_a_child_code_without_a_record_reaches_its_parents_evidence(kb, engine):
    # given an OncoTree code the KB reads as its parent (head and neck mucosal melanoma -> MEL)
    parent = next(c for c in kb.cancers if "HNMUCM" in c.child_codes)
    assert parent.oncotree_code == "MEL"
    # when a profile uses the child code
    answer = engine.recommend(_profile({"cancer": {"oncotree_code": "HNMUCM", "stage": "IV"}}))
    # then the melanoma first-line options are offered
    assert "nivolumab+ipilimumab" in {o.regimen for o in answer.options}


def test_area_evidence_has_no_completeness_gaps(kb):
    # given the area's evidence items (the area's own files; tumour-agnostic items are not the area's)
    ids = {
        rec["id"]
        for path in sorted(EVIDENCE_DIR.glob("breast-gyn-gu*.yaml"))
        for rec in yaml.safe_load(path.read_text(encoding="utf-8"))
    }
    assert len(ids) > 150
    # when the v2 completeness report is read
    gaps = [
        g
        for g in completeness(kb)
        if g.startswith(("preference", "zh: evidence", "figure-source", "curator-note: evidence"))
    ]
    # then none of them concerns this area
    assert not [g for g in gaps if any(f"evidence {i} " in g for i in ids)]


def test_cisplatin_free_substitutes_need_the_patient_fact(kb):
    # given the substitutes written for people who cannot have cisplatin
    subs = {
        "cervix-locally-advanced-carboplatin-chemoradiation-cisplatin-ineligible",
        "bladder-metastatic-1l-gemcitabine-carboplatin-cisplatin-ineligible",
        "bladder-mibc-perioperative-ev-pembrolizumab-cisplatin-ineligible",
    }
    items = {e.id: e for e in kb.evidence if e.id in subs}
    # then each requires the fact, and the cisplatin regimens it replaces exclude it
    assert set(items) == subs
    assert all("cisplatin_ineligible" in e.requires for e in items.values())
    cis = [
        e
        for e in kb.evidence
        if e.cancer in ("BLADDER", "CERVIX")
        and e.regimen
        in ("gemcitabine+cisplatin", "chemoradiation-cervix", "durvalumab+gemcitabine+cisplatin")
    ]
    assert cis and all("cisplatin_ineligible" in e.requires_not for e in cis)


def test_biomarker_directed_items_name_their_marker(kb):
    # given the area's biomarker-directed approvals
    by_id = {e.id: e for e in kb.evidence}
    expected = {
        "hgsoc-platinum-resistant-folr1-mirvetuximab": "FOLR1:high",
        "mel-nras-later-tunlametinib": "NRAS:mutation",
        "prad-mcrpc-brca-rucaparib": "BRCA:mutation",
        "bladder-mibc-adjuvant-atezolizumab-ctdna-positive": "ctDNA:mrd_positive",
    }
    # then each item requires its marker
    for item, marker in expected.items():
        assert marker in by_id[item].biomarkers, item
    fgfr = by_id["bladder-fgfr3-later-erdafitinib"]
    assert {"FGFR3:mutation", "FGFR3:fusion"} <= set(fgfr.biomarkers_any)


def test_withdrawn_urothelial_indications_are_not_offered_as_evidence(kb):
    # given the US urothelial indications that were withdrawn (sacituzumab govitecan after
    # TROPiCS-04; atezolizumab and durvalumab monotherapy after platinum)
    urothelial = [e for e in kb.evidence if e.cancer in ("BLADDER", "BLCA", "UTUC")]
    # then none of them is an evidence item; atezolizumab appears only ctDNA-guided after surgery
    assert not [e for e in urothelial if e.regimen in ("sacituzumab-govitecan", "durvalumab")]
    atezo = [e for e in urothelial if e.regimen == "atezolizumab"]
    assert atezo and all(e.setting == "adjuvant" and "ctDNA:mrd_positive" in e.biomarkers for e in atezo)
