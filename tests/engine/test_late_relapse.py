"""A drug given with curative intent is not "failed" when the cancer came back >= 6 months after
it ended (rule ``failure.late_relapse``). NCCN Head and Neck Cancers: platinum-refractory /
-resistant means progression within 6 months of platinum; with recurrence > 6 months after
chemoradiation, platinum-based first-line therapy for recurrent disease (KEYNOTE-048:
pembrolizumab + platinum + 5-FU) is used."""

from __future__ import annotations

import json

import pytest

from onconav.engine import Engine
from onconav.kbdata.loader import load_knowledge_base


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_knowledge_base())


def _hnscc(end: str, relapse: str) -> dict[str, object]:
    return {
        "age": 62,
        "ecog": 1,
        "cancer": {"oncotree_code": "OPHSC", "stage": "IVC"},
        "biomarkers": [{"name": "PD-L1 CPS", "value": 10}],
        "prior_therapies": [
            {
                "drugs": ["cisplatin"],
                "setting": "definitive",
                "with_radiotherapy": True,
                "start": "2024-06",
                "end": end,
                "outcome": "relapse",
                "progression_date": relapse,
            }
        ],
    }


def _option(answer, regimen):
    return next(o for o in answer.options if o.regimen == regimen)


def test_platinum_after_a_late_relapse_is_not_failed(engine):
    # given recurrence 14 months after cisplatin chemoradiation
    answer = engine.recommend(_hnscc("2024-08", "2025-10"))
    # then pembrolizumab + platinum + 5-FU is not demoted as failed before, and says why
    opt = _option(answer, "pembrolizumab+platinum+fluorouracil")
    assert "failure.same_drug" not in opt.trace
    assert "failure.late_relapse" in opt.trace
    assert "c_late_relapse_reuse" in [c["code"] for c in opt.caution_codes]


def test_platinum_after_an_early_relapse_still_counts_as_failed(engine):
    # given recurrence 3 months after cisplatin chemoradiation (platinum-refractory)
    answer = engine.recommend(_hnscc("2024-08", "2024-11"))
    # then the platinum combination is shown as failed before
    opt = _option(answer, "pembrolizumab+platinum+fluorouracil")
    assert "failure.same_drug" in opt.trace


def _crc_after_adjuvant_capox(progression: str) -> dict:
    # NCCN Colon Cancer v2026 (advanced disease): recurrence within 12 months of adjuvant FOLFOX /
    # CAPEOX is treated as oxaliplatin failure (irinotecan-based therapy next).
    return {
        "age": 58,
        "ecog": 1,
        "cancer": {"oncotree_code": "COAD", "stage": "recurrent", "metastatic_sites": ["liver"]},
        "biomarkers": [{"gene": "KRAS", "alteration": "G12D"}, {"name": "MMR", "value": "pMMR"}],
        "prior_therapies": [
            {
                "drugs": ["capecitabine", "oxaliplatin"],
                "setting": "adjuvant",
                "start": "2025-02",
                "end": "2025-07",
                "progression_date": progression,
            }
        ],
    }


def test_colorectal_oxaliplatin_window_is_twelve_months_as_policy_data(engine):
    # given a recurrence 7 months after adjuvant CAPOX (inside the 12-month colorectal window of
    # knowledge/policy/relapse-windows.yaml, outside the 6-month default)
    early = engine.recommend(_crc_after_adjuvant_capox("2026-02"))
    # then oxaliplatin counts as failed: an irinotecan regimen is first, CAPOX is shown lower
    assert "oxaliplatin" not in early.options[0].drugs
    capox = next(o for o in early.options if o.regimen == "capecitabine+oxaliplatin+bevacizumab")
    assert "failure.same_drug" in capox.trace and "failure.late_relapse" not in capox.trace
    # and a recurrence 14 months after it is late: CAPOX may be used again (with the caution)
    late = engine.recommend(_crc_after_adjuvant_capox("2026-09"))
    capox = next(o for o in late.options if o.regimen == "capecitabine+oxaliplatin+bevacizumab")
    assert "failure.late_relapse" in capox.trace and "failure.same_drug" not in capox.trace
    # and its caution states the colorectal window (12 months), not the default 6
    caution = next(c for c in capox.caution_codes if c["code"] == "c_late_relapse_reuse")
    assert caution["params"]["months"] == 12


def test_the_late_relapse_caution_states_the_default_window_elsewhere(engine):
    answer = engine.recommend(_hnscc("2024-08", "2025-10"))
    opt = _option(answer, "pembrolizumab+platinum+fluorouracil")
    caution = next(c for c in opt.caution_codes if c["code"] == "c_late_relapse_reuse")
    assert caution["params"]["months"] == 6


def test_the_default_window_still_applies_elsewhere(engine):
    # a window rule for colorectal oxaliplatin does not change head and neck platinum (6 months)
    from onconav.engine.stage_priors import relapse_window

    vocab = engine.vocab
    case_crc = type("C", (), {"lineage": ("COAD", "BOWEL")})()
    case_hn = type("C", (), {"lineage": ("HNSC", "HEAD_NECK")})()
    assert relapse_window(vocab, case_crc, ["oxaliplatin"]) == 12
    assert relapse_window(vocab, case_crc, ["irinotecan"]) == 6
    assert relapse_window(vocab, case_hn, ["cisplatin"]) == 6


def test_progression_on_maintenance_ends_the_whole_line(engine):
    # NCCN NSCLC v2026 (subsequent therapy after first-line chemo-immunotherapy): docetaxel with or
    # without ramucirumab (REVEL: after platinum-based therapy). The platinum was given as the
    # induction of line 1; progression came on pemetrexed-pembrolizumab maintenance.
    profile = {
        "age": 66,
        "ecog": 1,
        "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
        "biomarkers": [{"gene": "EGFR", "value": "negative"}, {"gene": "ALK", "value": "negative"}],
        "prior_therapies": [
            {
                "drugs": ["carboplatin", "pemetrexed", "pembrolizumab"],
                "line": 1,
                "start": "2025-09",
                "end": "2025-12",
            },
            {
                "drugs": ["pemetrexed", "pembrolizumab"],
                "line": 1,
                "setting": "maintenance",
                "start": "2026-01",
                "end": "2026-09",
                "progression_date": "2026-10",
                "outcome": "progression",
            },
        ],
    }
    answer = engine.recommend(profile)
    regs = [o.regimen for o in answer.options]
    # then the platinum counts as failed: REVEL's docetaxel + ramucirumab is offered
    assert "docetaxel+ramucirumab" in regs
    assert regs[0] in ("docetaxel", "docetaxel+ramucirumab")


def _her2_after_adjuvant_tdm1(progression: str) -> dict:
    # NCCN Breast Cancer (HER2-positive recurrent / stage IV): recurrence soon after (neo)adjuvant
    # HER2-directed therapy is treated with second-line therapy (trastuzumab deruxtecan,
    # DESTINY-Breast03 enrolled progression within 6 months of (neo)adjuvant therapy); CLEOPATRA
    # (trastuzumab + pertuzumab + docetaxel) required a disease-free interval of 12 months or more.
    return {
        "age": 46,
        "sex": "female",
        "ecog": 0,
        "cancer": {"oncotree_code": "IDC", "stage": "IV", "metastatic_sites": ["liver"]},
        "biomarkers": [{"name": "HER2", "value": "IHC 3+"}, {"name": "ER", "value": "negative"}],
        "prior_therapies": [
            {
                "drugs": ["docetaxel", "carboplatin", "trastuzumab", "pertuzumab"],
                "setting": "neoadjuvant",
                "start": "2023-01",
                "end": "2023-05",
            },
            {
                "drugs": ["trastuzumab emtansine"],
                "setting": "adjuvant",
                "start": "2023-07",
                "end": "2024-06",
                "progression_date": progression,
            },
        ],
    }


def test_early_relapse_after_adjuvant_anti_her2_shows_first_line_lower(engine):
    # given liver metastases 4 months after adjuvant T-DM1
    answer = engine.recommend(_her2_after_adjuvant_tdm1("2024-10"))
    # then trastuzumab deruxtecan (second line) comes first and THP is shown lower, saying why
    assert answer.options[0].regimen == "trastuzumab-deruxtecan"
    thp = _option(answer, "trastuzumab+pertuzumab+docetaxel")
    assert "failure.early_relapse_first_line" in thp.trace
    caution = next(c for c in thp.caution_codes if c["code"] == "c_early_relapse_first_line")
    assert caution["params"]["months"] == 6
    # and the second-line option's setting says why it is offered now (not "line 1")
    assert "s_later_line_after_curative" in json.dumps(answer.options[0].setting_code)
    assert "line 1" not in answer.options[0].setting


def test_a_late_relapse_keeps_first_line_anti_her2(engine):
    # given the same recurrence 28 months after the end of adjuvant T-DM1
    answer = engine.recommend(_her2_after_adjuvant_tdm1("2026-10"))
    thp = _option(answer, "trastuzumab+pertuzumab+docetaxel")
    assert "failure.early_relapse_first_line" not in thp.trace
    assert answer.options[0].regimen != "trastuzumab-deruxtecan"
