"""General rules found by blind round 5a (tests/engine/vignettes/blind-2026-12d.yaml), each
tested on its own patient (not the vignette's): outcome words, refractory disease (IMWG),
maintenance after progression on it, regimen names and doses in records, intolerance that opens
the next line where the label says so, quantified fusion transcripts, Claudin 18.2 names, and
later-line options when the failed drugs cannot be read."""

from __future__ import annotations

from typing import Any

import pytest

from onconav.engine import Engine
from onconav.engine.profile import parse_profile
from onconav.kbdata.loader import load_knowledge_base


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_knowledge_base())


def _regimens(answer: Any) -> list[str]:
    return [o.regimen for o in answer.options]


def _fact(answer: Any, fid: str) -> bool | None:
    return next((f.value for f in answer.facts if f.id == fid), None)


@pytest.mark.parametrize(
    "word", ["failure", "treatment failure", "failed", "resistance", "resistant", "耐药", "治疗失败"]
)
def test_treatment_failure_words_are_progression(word: str) -> None:
    prof = parse_profile(
        {"cancer": {"oncotree_code": "CML"}, "prior_therapies": [{"drugs": ["imatinib"], "outcome": word}]}
    )
    assert prof.prior_therapies[0].outcome.value == "progression"


def _myeloma(len_line: dict[str, Any]) -> dict[str, Any]:
    # NCCN Multiple Myeloma: first relapse after VRd induction and lenalidomide maintenance
    return {
        "age": 60,
        "ecog": 1,
        "cancer": {"oncotree_code": "PCM", "stage": "relapsed"},
        "prior_therapies": [
            {
                "drugs": ["bortezomib", "lenalidomide", "dexamethasone"],
                "line": 1,
                "start": "2022-01",
                "end": "2022-05",
                "best_response": "VGPR",
            },
            {"drugs": ["lenalidomide"], "line": 1, "setting": "maintenance", **len_line},
        ],
    }


def test_progression_on_lenalidomide_maintenance_is_lenalidomide_refractory(engine: Engine) -> None:
    # IMWG: refractory = progression on therapy or within 60 days of the last dose
    answer = engine.recommend(_myeloma({"start": "2022-07", "progression_date": "2025-03"}))
    assert _fact(answer, "lenalidomide_refractory") is True


def test_progression_within_60_days_of_stopping_is_refractory(engine: Engine) -> None:
    on = {"start": "2022-07", "end": "2025-01", "progression_date": "2025-02", "outcome": "progression"}
    late = {"start": "2022-07", "end": "2024-01", "progression_date": "2025-02", "outcome": "progression"}
    assert _fact(engine.recommend(_myeloma(on)), "lenalidomide_refractory") is True
    assert _fact(engine.recommend(_myeloma(late)), "lenalidomide_refractory") is not True


def test_fixed_regimen_without_end_date_is_not_read_as_refractory(engine: Engine) -> None:
    # R-CHOP with only a relapse date: it may have ended years before (not rituximab-refractory)
    profile = {
        "age": 60,
        "ecog": 1,
        "cancer": {"oncotree_code": "FL", "stage": "relapsed"},
        "prior_therapies": [
            {"drugs": ["R-CHOP"], "line": 1, "start": "2019-01", "progression_date": "2025-06"}
        ],
    }
    assert _fact(engine.recommend(profile), "rituximab_refractory") is not True


def test_maintenance_is_not_offered_again_after_progression_on_it(engine: Engine) -> None:
    # NCCN B-cell lymphomas: follicular lymphoma progressing on rituximab maintenance
    profile = {
        "age": 62,
        "ecog": 0,
        "cancer": {"oncotree_code": "FL", "stage": "IV"},
        "prior_therapies": [
            {
                "drugs": ["rituximab", "bendamustine"],
                "line": 1,
                "start": "2022-01",
                "end": "2022-06",
                "best_response": "CR",
            },
            {
                "drugs": ["rituximab"],
                "line": 1,
                "setting": "maintenance",
                "start": "2022-08",
                "progression_date": "2024-02",
            },
        ],
    }
    answer = engine.recommend(profile)
    assert "rituximab-maintenance" not in _regimens(answer)
    excluded = [e for e in answer.excluded if e.regimen == "rituximab-maintenance"]
    assert excluded and "maintenance" in excluded[0].reasons[0]
    assert _fact(answer, "rituximab_refractory") is True
