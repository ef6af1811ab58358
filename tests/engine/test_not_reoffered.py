"""A failed CAR-T product is not offered again, nor a second CD19 CAR-T (policy class field
``not_reoffered``, rule ``failure.not_reoffered``; NCCN B-Cell Lymphomas)."""

from __future__ import annotations

import pytest

from onconav.engine import Engine
from onconav.kbdata.loader import load_knowledge_base

CD19_CAR_T = {
    "axicabtagene-ciloleucel",
    "lisocabtagene-maraleucel",
    "tisagenlecleucel",
    "relmacabtagene-autoleucel",
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_knowledge_base())


def _dlbcl_after(drugs: list[str]) -> dict[str, object]:
    return {
        "age": 60,
        "ecog": 1,
        "cancer": {"oncotree_code": "DLBCLNOS", "stage": "IV"},
        "prior_therapies": [
            {
                "drugs": ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"],
                "line": 1,
                "outcome": "refractory",
            },
            {"drugs": drugs, "line": 2, "outcome": "progression"},
        ],
    }


def test_no_cd19_car_t_after_a_cd19_car_t_failed(engine):
    # given DLBCL that progressed after axicabtagene ciloleucel
    answer = engine.recommend(_dlbcl_after(["axicabtagene ciloleucel"]))
    # then neither that product nor another CD19 CAR-T is offered, and the exclusion says why
    assert not ({o.regimen for o in answer.options} & CD19_CAR_T)
    excluded = {e.regimen: e for e in answer.excluded}
    assert "axicabtagene-ciloleucel" in excluded
    assert "x_not_reoffered" in [r["code"] for r in excluded["axicabtagene-ciloleucel"].reason_codes]
    assert all(r for r in excluded["axicabtagene-ciloleucel"].reasons)


def test_car_t_is_still_offered_when_it_has_not_failed(engine):
    # given DLBCL that progressed after a bispecific antibody, never on CAR-T
    answer = engine.recommend(_dlbcl_after(["glofitamab"]))
    # then CD19 CAR-T stays an option
    assert {o.regimen for o in answer.options} & CD19_CAR_T
