"""General rules and knowledge added for blind round 5c (branch fix5c), each with a patient that
was answered wrongly before the change and a control that keeps the previous answer."""

from __future__ import annotations

from typing import Any

import pytest

from onconav.engine import Engine
from onconav.kbdata.loader import load_knowledge_base


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_knowledge_base())


def _top(answer: Any, n: int = 3) -> list[str]:
    return [o.regimen for o in answer.options[:n]]


def _apl(lvef: int) -> dict[str, Any]:
    return {
        "age": 60,
        "ecog": 1,
        "organ_function": {"lvef_percent": lvef},
        "cancer": {
            "oncotree_code": "APLPMLRARA",
            "stage": "newly diagnosed",
            "risk_groups": {"Sanz": "high"},
        },
        "biomarkers": [{"gene": "PML::RARA", "alteration": "fusion"}],
    }


def test_high_risk_apl_at_low_lvef_gets_the_anthracycline_free_regimen(engine):
    # NCCN AML / ELN 2019: ATRA + ATO with gemtuzumab ozogamicin instead of idarubicin
    answer = engine.recommend(_apl(40))
    assert answer.options[0].regimen == "tretinoin+arsenic-trioxide+gemtuzumab-ozogamicin"
    assert "fitness.substitute" in answer.options[0].trace
    assert "tretinoin+arsenic-trioxide+idarubicin" in [e.regimen for e in answer.excluded]


def test_high_risk_apl_with_normal_lvef_keeps_idarubicin_on_offer(engine):
    answer = engine.recommend(_apl(60))
    offered = [o.regimen for o in answer.options]
    assert "tretinoin+arsenic-trioxide+idarubicin" in offered
    assert "tretinoin+arsenic-trioxide+gemtuzumab-ozogamicin" in offered
    assert "tretinoin+arsenic-trioxide+idarubicin" not in [e.regimen for e in answer.excluded]


def _ucec(stage: str, pole: bool) -> dict[str, Any]:
    biomarkers = [{"name": "MMR", "value": "pMMR"}]
    if pole:
        biomarkers.append({"gene": "POLE", "alteration": "P286R"})
    return {
        "age": 52,
        "sex": "female",
        "ecog": 0,
        "cancer": {"oncotree_code": "UEC", "stage": stage, "resected": True},
        "biomarkers": biomarkers,
    }


def test_pole_mutated_stage_ii_endometrial_gets_no_adjuvant_chemotherapy(engine):
    # ESGO-ESTRO-ESP 2020 / NCCN: POLEmut stage I-II, omit adjuvant treatment (PORTEC-3 molecular)
    answer = engine.recommend(_ucec("II", pole=True))
    offered = [o.regimen for o in answer.options]
    assert "chemoradiation-endometrium-then-carboplatin+paclitaxel" not in offered
    assert "chemoradiation-endometrium-then-carboplatin+paclitaxel" in [e.regimen for e in answer.excluded]
    assert "observation-after-resection" in offered
    brachy = next(o for o in answer.options if o.regimen == "vaginal-brachytherapy")
    assert "fitness.ucec-pole-early-adjuvant-radiotherapy-optional" in brachy.trace


@pytest.mark.parametrize(("stage", "pole"), [("II", False), ("IIIC1", True)])
def test_chemoradiation_stays_without_pole_or_beyond_stage_ii(engine, stage, pole):
    answer = engine.recommend(_ucec(stage, pole=pole))
    offered = {o.regimen: o for o in answer.options}
    assert "chemoradiation-endometrium-then-carboplatin+paclitaxel" in offered
    observation = offered.get("observation-after-resection")
    # without a POLE result observation waits on the POLE test; beyond stage II it is not offered
    assert observation is None or (not pole and observation.condition is not None)
