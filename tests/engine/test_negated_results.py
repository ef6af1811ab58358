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


@pytest.mark.parametrize(
    "biomarker",
    [
        {"gene": "MGMT", "alteration": "promoter unmethylated"},
        {"gene": "MGMT", "alteration": "MGMT promoter unmethylated"},
        {"name": "MGMT", "value": "promoter unmethylated"},
    ],
)
def test_a_negation_at_the_end_is_a_negative_result(engine, biomarker):
    # given an elderly glioblastoma whose report says the MGMT promoter is unmethylated
    answer = engine.recommend(
        {
            "age": 76,
            "ecog": 2,
            "cancer": {"oncotree_code": "GB", "stage": "newly diagnosed", "resectable": False},
            "biomarkers": [biomarker],
        }
    )
    # then the result is read (not unrecognised) and temozolomide alone, which is for methylated
    # tumours (NCCN CNS), is neither active nor waiting on an MGMT test that was already done
    assert not answer.unused_inputs, answer.unused_inputs
    assert "temozolomide" not in {o.regimen for o in answer.options}
    assert not any("MGMT" in t.test for t in answer.tests_recommended)


def test_not_amplified_after_the_gene_is_a_negative_result(engine):
    # given a gastric cancer whose report says "HER2 not amplified"
    answer = engine.recommend(
        {
            "age": 60,
            "ecog": 1,
            "cancer": {"oncotree_code": "STAD", "stage": "IV"},
            "biomarkers": [{"gene": "HER2", "alteration": "HER2 not amplified"}],
        }
    )
    # then it is read, and no trastuzumab option is offered
    assert not answer.unused_inputs, answer.unused_inputs
    assert not any("trastuzumab" in o.drugs for o in answer.options)


@pytest.mark.parametrize("alteration", ["unmutated", "IGHV unmutated"])
def test_unmutated_ighv_is_a_biomarker_not_a_negative_result(engine, alteration):
    # given a CLL report "IGHV unmutated" (a prognostic biomarker named by its own alias)
    from onconav.engine.normalize import normalize
    from onconav.engine.profile import parse_profile

    prof = parse_profile(
        {
            "age": 70,
            "ecog": 1,
            "cancer": {"oncotree_code": "CLLSLL", "stage": "Rai III"},
            "biomarkers": [{"gene": "IGHV", "alteration": alteration}],
        }
    )
    case = normalize(engine.vocab, engine.kb, prof, "en")
    # then it is read as unmutated IGHV present, not as "IGHV mutation negative"
    assert case.state("IGHV:unmutated") is True


@pytest.mark.parametrize("value", ["negative", "not detected", "Negative", "no", "not amplified"])
def test_a_negative_value_on_an_alteration_is_a_negative_result(engine: Engine, value: str) -> None:
    """{gene: MET, alteration: amplification, value: negative} was read as MET amplification
    and offered savolitinib + osimertinib unconditionally (blind round 3, 2026-12-07)."""
    profile = {
        "age": 60,
        "ecog": 1,
        "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
        "biomarkers": [
            {"gene": "EGFR", "alteration": "L858R"},
            {"gene": "MET", "alteration": "amplification", "value": value},
        ],
        "prior_therapies": [{"drugs": ["osimertinib"], "line": 1, "outcome": "progression"}],
    }
    answer = engine.recommend(profile)
    assert not any("savolitinib" in o.drugs for o in answer.options)


def test_a_positive_value_on_an_alteration_keeps_it(engine: Engine) -> None:
    profile = {
        "age": 60,
        "ecog": 1,
        "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
        "biomarkers": [
            {"gene": "EGFR", "alteration": "L858R"},
            {"gene": "MET", "alteration": "amplification", "value": "positive"},
        ],
        "prior_therapies": [{"drugs": ["osimertinib"], "line": 1, "outcome": "progression"}],
    }
    assert any("savolitinib" in o.drugs for o in engine.recommend(profile).options)
