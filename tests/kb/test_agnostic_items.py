"""Tumour-agnostic and supportive evidence (knowledge/evidence/agnostic-supportive.yaml): every
FDA / NMPA tumour-agnostic approval has an item, each item is complete (guideline preference,
cited figures, Chinese outcome text), and the BRAF V600E item reaches every solid tissue except
bowel cancer (issue 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from onconav.kbdata.loader import load_knowledge_base
from onconav.kbdata.policy_loader import CITABLE_FOR_FIGURES, completeness

FILE = Path(__file__).resolve().parents[2] / "knowledge" / "evidence" / "agnostic-supportive.yaml"

# (regimen, biomarker or threshold marker, NMPA status expected) for each tumour-agnostic approval.
APPROVALS = {
    ("larotrectinib", "NTRK:fusion"): True,
    ("entrectinib", "NTRK:fusion"): True,
    ("repotrectinib", "NTRK:fusion"): True,
    ("pembrolizumab", "MSI:high"): None,
    ("dostarlimab", "MSI:high"): None,
    ("envafolimab", "MSI:high"): True,
    ("serplulimab", "MSI:high"): True,
    ("tislelizumab", "MSI:high"): True,
    ("pembrolizumab", "TMB:score"): None,
    ("dabrafenib+trametinib", "BRAF:V600E"): None,
    ("selpercatinib", "RET:fusion"): None,
    ("trastuzumab-deruxtecan", "ERBB2:ihc3plus"): None,
}


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


@pytest.fixture(scope="module")
def items(kb):
    ids = {e["id"] for e in yaml.safe_load(FILE.read_text(encoding="utf-8"))}
    return [e for e in kb.evidence if e.id in ids]


def _markers(e) -> set[str]:  # type: ignore[no-untyped-def]
    return set(e.biomarkers) | {t.marker for t in e.thresholds}


def test_every_tumour_agnostic_approval_has_an_item_with_its_china_status(items):
    for (regimen, marker), nmpa in APPROVALS.items():
        found = [e for e in items if e.regimen == regimen and marker in _markers(e)]
        assert found, f"no tumour-agnostic item for {regimen} / {marker}"
        assert {e.nmpa_indication for e in found} == {nmpa}, f"{regimen} / {marker}: NMPA status"


def test_each_item_has_a_guideline_preference_cited_figures_and_chinese_text(kb, items):
    ids = {e.id for e in items}
    for e in items:
        assert e.preference is not None, e.id
        for o in e.outcomes:
            assert o.reference.startswith(CITABLE_FOR_FIGURES), f"{e.id}: {o.endpoint} cites {o.reference}"
            assert o.comparator is None or "with" in o.comparator, (
                f"{e.id}: comparator holds a cohort: {o.comparator}"
            )
    gaps = [g for g in completeness(kb) if any(f"evidence {i} " in g for i in ids)]
    assert gaps == []


def test_braf_item_covers_every_solid_tissue_except_bowel(kb, items):
    braf = {e.cancer for e in items if e.regimen == "dabrafenib+trametinib" and "BRAF:V600E" in e.biomarkers}
    tissues = {c.oncotree_code for c in kb.cancers if c.parent == "SOLID"}
    assert "BOWEL" in tissues
    missing = tissues - {"BOWEL"} - braf
    assert not missing, (
        f"tissue nodes under SOLID without the BRAF V600E tumour-agnostic copy: {sorted(missing)}"
    )
    assert "BOWEL" not in braf and "SOLID" not in braf


def test_china_only_pd1_antibodies_are_not_claimed_as_nccn_listed(items):
    for e in items:
        if e.regimen in ("envafolimab", "serplulimab", "tislelizumab"):
            assert e.preference.nccn == "not_listed", e.id
