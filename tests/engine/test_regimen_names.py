"""Regimen abbreviations in treatment histories (knowledge/policy/regimen-names).

Found by hand on 2026-12-07: a KRAS G12C colon cancer after "FOLFOX, bevacizumab" and "FOLFIRI,
bevacizumab" was read as never having had fluorouracil, oxaliplatin or irinotecan, and got
FOLFIRI + bevacizumab again as option 1 instead of the third-line options.
"""

from __future__ import annotations

from typing import Any

import pytest

from onconav.engine import Engine
from onconav.engine.prior_names import expand, for_cancer, regimen_index
from onconav.engine.profile import parse_profile
from onconav.kbdata.loader import load_knowledge_base


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_knowledge_base())


def _crc(*lines: dict[str, Any]) -> dict[str, Any]:
    return {
        "age": 64,
        "ecog": 1,
        "cancer": {"oncotree_code": "COAD", "stage": "IV"},
        "biomarkers": [{"gene": "KRAS", "alteration": "G12C"}, {"name": "MSI", "value": "MSS"}],
        "prior_therapies": list(lines),
    }


def test_abbreviations_are_read_as_their_drugs(engine: Engine) -> None:
    # NCCN Colon Cancer v.2026 (subsequent therapy, KRAS G12C, after oxaliplatin and irinotecan):
    # sotorasib or adagrasib with an anti-EGFR antibody (CodeBreaK 300, KRYSTAL-10), fruquintinib,
    # regorafenib, trifluridine-tipiracil + bevacizumab.
    answer = engine.recommend(
        _crc(
            {"drugs": ["FOLFOX", "bevacizumab"], "line": 1, "outcome": "progression"},
            {"drugs": ["FOLFIRI + bevacizumab"], "line": 2, "outcome": "progression"},
        )
    )
    assert not any("not in the knowledge base" in w for w in answer.warnings), answer.warnings
    top3 = [o.regimen for o in answer.options[:3]]
    assert {"sotorasib+panitumumab", "adagrasib+cetuximab", "fruquintinib"} & set(top3), top3
    assert answer.options[0].regimen != "fluorouracil+leucovorin+irinotecan+bevacizumab"
    assert "oxaliplatin" in answer.profile_summary and "irinotecan" in answer.profile_summary


def test_regimen_field_alone_is_read() -> None:
    kb = load_knowledge_base()
    from onconav.engine.vocabulary import Vocabulary

    vocab = Vocabulary.compile(kb)
    prof = parse_profile(
        {"cancer": {"oncotree_code": "DLBCLNOS"}, "prior_therapies": [{"regimen": "R-CHOP", "line": 1}]}
    )
    out, changed = expand(
        prof, vocab, for_cancer(regimen_index(kb.policy.regimen_names), kb.lineage("DLBCLNOS"))
    )
    assert changed
    assert out.prior_therapies[0].drugs == [
        "rituximab",
        "cyclophosphamide",
        "doxorubicin",
        "vincristine",
        "prednisone",
    ]


def test_unknown_names_and_real_drugs_are_left_alone() -> None:
    kb = load_knowledge_base()
    from onconav.engine.vocabulary import Vocabulary

    vocab = Vocabulary.compile(kb)
    prof = parse_profile(
        {
            "cancer": {"oncotree_code": "COAD"},
            "prior_therapies": [{"drugs": ["oxaliplatin", "XYZ-123"], "line": 1}],
        }
    )
    out, changed = expand(prof, vocab, for_cancer(regimen_index(kb.policy.regimen_names), kb.lineage("COAD")))
    assert not changed and out.prior_therapies[0].drugs == ["oxaliplatin", "XYZ-123"]


def test_every_abbreviation_names_known_drugs_and_is_not_a_drug_name() -> None:
    kb = load_knowledge_base()
    inns = set(kb.drug_by_inn)
    names: list[str] = []
    for r in kb.policy.regimen_names:
        assert set(r.drugs) <= inns, r.names
        names += [n.lower() for n in r.names]
    assert "folfox" in names and "r-chop" in names


def test_scoped_abbreviations_mean_different_drugs_in_different_cancers() -> None:
    kb = load_knowledge_base()
    index = regimen_index(kb.policy.regimen_names)
    assert for_cancer(index, kb.lineage("IDC"))["ec"] == ("epirubicin", "cyclophosphamide")
    assert for_cancer(index, kb.lineage("SCLC"))["ec"] == ("etoposide", "carboplatin")
    assert for_cancer(index, kb.lineage("HGSOC"))["tc"] == ("paclitaxel", "carboplatin")
    assert for_cancer(index, kb.lineage("IDC"))["tc"] == ("docetaxel", "cyclophosphamide")
    assert "tc" not in for_cancer(index, kb.lineage("COAD"))


def test_induction_before_chemoradiation_is_not_a_line(engine: Engine) -> None:
    # CSCO NPC 2024 / NCCN Head and Neck v.2026: metastatic relapse after induction GP and
    # chemoradiation: first-line toripalimab / camrelizumab / tislelizumab + gemcitabine-cisplatin.
    answer = engine.recommend(
        {
            "age": 45,
            "ecog": 1,
            "cancer": {"oncotree_code": "NPC", "stage": "metastatic"},
            "prior_therapies": [
                {"drugs": ["GP"], "setting": "induction", "start": "2023-01", "end": "2023-02"},
                {
                    "drugs": ["cisplatin"],
                    "setting": "definitive",
                    "with_radiotherapy": True,
                    "start": "2023-03",
                    "end": "2023-05",
                },
            ],
        }
    )
    top3 = [o.regimen for o in answer.options[:3]]
    assert {
        "toripalimab+gemcitabine+cisplatin",
        "camrelizumab+gemcitabine+cisplatin",
        "tislelizumab+gemcitabine+cisplatin",
    } & set(top3), top3


def test_the_same_regimen_after_early_failure_is_failed_before(engine: Engine) -> None:
    # NCCN Colon Cancer v.2026: a regimen the cancer progressed on is not repeated; re-challenge
    # is for a late relapse (platinum-sensitive ovarian relapse keeps carboplatin-paclitaxel).
    answer = engine.recommend(
        _crc(
            {"drugs": ["FOLFOX", "bevacizumab"], "line": 1, "outcome": "progression"},
            {"drugs": ["FOLFIRI", "bevacizumab"], "line": 2, "end": "2026-06", "outcome": "progression"},
        )
    )
    folfiri = next(o for o in answer.options if o.regimen == "fluorouracil+leucovorin+irinotecan+bevacizumab")
    assert folfiri.group == "failed_before"
    assert "failure.repeat" in folfiri.trace
    ovary = engine.recommend(
        {
            "age": 62,
            "ecog": 1,
            "cancer": {"oncotree_code": "HGSOC", "stage": "recurrent"},
            "prior_therapies": [
                {
                    "drugs": ["carboplatin", "paclitaxel"],
                    "line": 1,
                    "end": "2023-06",
                    "outcome": "relapse",
                    "progression_date": "2025-03",
                }
            ],
        }
    )
    assert (
        ovary.options[0].regimen.startswith("carboplatin+paclitaxel")
        and ovary.options[0].group != "failed_before"
    )


def test_resistance_notes_name_markers_not_ids(engine: Engine) -> None:
    import re

    answer = engine.recommend(_crc({"drugs": ["FOLFOX"], "line": 1, "outcome": "progression"}))
    raw = re.compile(r"\b[A-Z0-9-]+:[a-z_]+\b")
    assert not any(raw.search(w) for w in answer.warnings), answer.warnings
    zh = engine.recommend(_crc({"drugs": ["FOLFOX"], "line": 1, "outcome": "progression"}), lang="zh-hans")
    assert not any(raw.search(w) for w in zh.warnings), zh.warnings
