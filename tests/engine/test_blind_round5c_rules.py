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


def _sclc(progression: str) -> dict[str, Any]:
    return {
        "age": 69,
        "ecog": 1,
        "cancer": {"oncotree_code": "SCLC", "stage": "extensive", "metastatic_sites": ["liver"]},
        "prior_therapies": [
            {
                "drugs": ["carboplatin", "etoposide", "durvalumab"],
                "line": 1,
                "start": "2025-03",
                "end": "2025-06",
                "outcome": "PR",
            },
            {
                "drugs": ["durvalumab"],
                "line": 1,
                "setting": "maintenance",
                "start": "2025-07",
                "end": "2026-01",
                "outcome": "toxicity",
                "progression_date": progression,
            },
        ],
    }


def test_progression_after_maintenance_stopped_for_toxicity_dates_the_platinum_free_interval(engine):
    # progression 16 months after platinum-etoposide, 9 months after durvalumab was stopped for
    # pneumonitis: a sensitive relapse (NCCN SCLC: re-challenge preferred; Baize 2020 vs topotecan)
    answer = engine.recommend(_sclc("2026-10"))
    top = _top(answer, 4)
    assert top[0] == "etoposide+platinum"
    assert {"tarlatamab", "lurbinectedin", "topotecan"} <= set(top)
    first = answer.options[0]
    assert first.condition is None and "failure.rechallenge" in first.trace
    assert "failure.same_drug" not in first.trace
    facts = {f.id: f.value for f in answer.facts}
    assert facts.get("sclc_late_relapse") is True


def test_early_progression_after_stopped_maintenance_is_not_a_rechallenge(engine):
    # progression 4 months after platinum-etoposide: platinum-resistant, no re-challenge
    answer = engine.recommend(_sclc("2025-10"))
    offered = [o.regimen for o in answer.options]
    assert "etoposide+platinum" not in offered[:3]
    assert any(r in offered[:3] for r in ("tarlatamab", "lurbinectedin", "topotecan"))
    assert not any("failure.rechallenge" in o.trace for o in answer.options)


def _melanoma(prior: list[str]) -> dict[str, Any]:
    return {
        "age": 66,
        "ecog": 1,
        "cancer": {"oncotree_code": "SKCM", "stage": "IV", "metastatic_sites": ["lung"]},
        "biomarkers": [{"gene": "BRAF", "alteration": "V600", "value": "wild-type"}],
        "prior_therapies": [{"drugs": prior, "line": 1, "start": "2025-01", "progression_date": "2026-05"}],
    }


def test_nivolumab_ipilimumab_is_offered_after_anti_pd1_progression(engine):
    # NCCN Melanoma subsequent therapy; SWOG S1616 (VanderWalde, Nat Med 2023): ipi + nivo after anti-PD-1
    answer = engine.recommend(_melanoma(["pembrolizumab"]))
    option = next(o for o in answer.options if o.regimen == "nivolumab+ipilimumab")
    assert "mel-later-nivolumab-ipilimumab-after-pd1" in option.evidence
    assert "failure.same_class" not in option.trace and option.rank <= 3


def test_nivolumab_ipilimumab_is_not_the_later_line_option_after_ipilimumab_failed(engine):
    answer = engine.recommend(_melanoma(["nivolumab", "ipilimumab"]))
    option = next((o for o in answer.options if o.regimen == "nivolumab+ipilimumab"), None)
    assert option is None or "mel-later-nivolumab-ipilimumab-after-pd1" not in option.evidence
