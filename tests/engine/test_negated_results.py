"""A negative result written after the alteration ("RET fusion negative") is a negative result.

Reading it as the alteration itself would offer a targeted drug to a patient whose test was
negative: a safety bug found while writing the thoracic vignettes (issue 9).
"""

from __future__ import annotations

import pytest

from onconav.engine import Engine
from onconav.kbdata.loader import load_knowledge_base


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_knowledge_base())


def _nsclc(extra: list[dict[str, str]]) -> dict[str, object]:
    return {
        "age": 58,
        "ecog": 1,
        "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
        "biomarkers": [
            {"gene": "EGFR", "alteration": "wild-type"},
            {"gene": "ALK", "alteration": "negative"},
            *extra,
        ],
    }


@pytest.mark.parametrize(
    ("gene", "alteration", "drugs"),
    [
        ("RET", "fusion negative", {"selpercatinib", "pralsetinib"}),
        ("RET", "RET fusion not detected", {"selpercatinib", "pralsetinib"}),
        ("NTRK1", "fusion negative", {"larotrectinib", "entrectinib", "repotrectinib"}),
        ("ROS1", "rearrangement negative", {"crizotinib", "entrectinib", "repotrectinib", "taletrectinib"}),
    ],
)
def test_a_negative_fusion_result_never_offers_the_fusion_directed_drug(engine, gene, alteration, drugs):
    # given a lung adenocarcinoma whose fusion test came back negative
    answer = engine.recommend(_nsclc([{"gene": gene, "alteration": alteration}]))
    # then no single-drug option directed at that fusion is offered as active, and no option is
    # conditional on that gene (a drug for another fusion may wait on its own test)
    offered = {o.drugs[0] for o in answer.options if len(o.drugs) == 1 and o.condition is None}
    assert not (offered & drugs), f"{gene} {alteration!r} was read as positive: {sorted(offered & drugs)}"
    waiting = {b.split(":")[0] for o in answer.options if o.condition for b in o.condition.biomarkers}
    assert gene[:4] not in waiting, f"{gene} {alteration!r} still treated as unknown"


def test_an_unmethylated_mgmt_promoter_is_understood(engine):
    # given a glioblastoma whose MGMT promoter is unmethylated
    answer = engine.recommend(
        {
            "age": 55,
            "ecog": 1,
            "cancer": {"oncotree_code": "GB", "stage": "IV"},
            "biomarkers": [{"name": "MGMT promoter", "value": "unmethylated"}],
        }
    )
    # then the result is read, not reported as unrecognised
    unused = " ".join(f"{u.field} {u.value} {u.reason}" for u in answer.unused_inputs)
    text = (" ".join(answer.warnings) + " " + unused).lower()
    assert "mgmt" not in text, (answer.warnings, answer.unused_inputs)
