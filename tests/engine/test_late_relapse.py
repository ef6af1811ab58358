"""A drug given with curative intent is not "failed" when the cancer came back >= 6 months after
it ended (rule ``failure.late_relapse``). NCCN Head and Neck Cancers: platinum-refractory /
-resistant means progression within 6 months of platinum; with recurrence > 6 months after
chemoradiation, platinum-based first-line therapy for recurrent disease (KEYNOTE-048:
pembrolizumab + platinum + 5-FU) is used."""

from __future__ import annotations

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
