"""Deterministic ranking and merging (ENGINE.md step 4)."""

from __future__ import annotations

import json

from onconav.engine import Engine
from onconav.engine.rules import LEVEL_RANK
from tests.engine.conftest import advanced_luad, regimens

PROFILES = [
    advanced_luad(biomarkers=[{"gene": "EGFR", "alteration": "L858R"}, {"name": "PD-L1 TPS", "value": 30}]),
    advanced_luad(
        biomarkers=[
            {"gene": "EGFR", "alteration": "wt"},
            {"gene": "ALK", "alteration": "neg"},
            {"name": "TPS", "value": 70},
        ]
    ),
    {"cancer": {"oncotree_code": "LUAD"}, "ecog": 4},
    {
        "cancer": {"oncotree_code": "HCC", "stage": "BCLC C"},
        "child_pugh": "A",
        "preferences": {"budget_usd": 1000},
    },
]


def test_same_input_same_output_byte_for_byte(engine, kb):
    # given the same profile answered twice, by two engines, in both languages
    for lang in ("en", "zh-hans"):
        for p in PROFILES:
            a = json.dumps(engine.recommend(p, lang).to_dict(), ensure_ascii=False)
            b = json.dumps(
                Engine(kb).recommend(json.loads(json.dumps(p)), lang).to_dict(), ensure_ascii=False
            )
            # then the JSON is identical
            assert a == b


def test_biomarker_order_does_not_change_the_answer(engine):
    markers = [
        {"gene": "EGFR", "alteration": "L858R"},
        {"name": "PD-L1 TPS", "value": 30},
        {"gene": "ALK", "alteration": "negative"},
    ]
    a = engine.recommend(advanced_luad(biomarkers=markers))
    b = engine.recommend(advanced_luad(biomarkers=list(reversed(markers))))
    assert [o.model_dump() for o in a.options] == [o.model_dump() for o in b.options]


def test_ranks_start_at_one_and_follow_the_level_within_a_setting(engine):
    answer = engine.recommend(PROFILES[0])
    assert [o.rank for o in answer.options] == list(range(1, len(answer.options) + 1))
    disease = [o for o in answer.options if o.modality != "supportive_care"]
    levels = [LEVEL_RANK[o.evidence_level] for o in disease]
    assert levels == sorted(levels)


def test_guideline_preference_ranks_first_at_equal_level(engine):
    # given osimertinib (NCCN preferred) and gefitinib (other recommended), both level 1
    answer = engine.recommend(PROFILES[0])
    regs = regimens(answer)
    # then the preferred one comes first, and its place says why (not a cross-trial HR)
    assert regs.index("osimertinib") < regs.index("gefitinib")
    steps = [r.step for r in answer.options[0].rank_reasons]
    assert "preference" in steps
    assert answer.options[0].group == "preferred"


def test_biomarker_matched_therapy_ranks_before_unmatched_at_equal_level(engine):
    answer = engine.recommend(PROFILES[0])
    regs = regimens(answer)
    assert regs.index("gefitinib") < regs.index("pemetrexed+platinum")


def test_supportive_care_is_listed_last_for_fit_patients(engine):
    answer = engine.recommend(PROFILES[0])
    assert answer.options[-1].modality == "supportive_care"


def test_budget_is_only_a_tie_break_and_never_hides_an_option(engine):
    # given a tiny budget
    cheap = engine.recommend({**PROFILES[0], "preferences": {"budget_usd": 100}})
    rich = engine.recommend({**PROFILES[0], "preferences": {"budget_usd": 10_000_000}})
    # then the same options appear in the same evidence order; over-budget ones carry a note
    assert regimens(cheap) == regimens(rich)
    osi = next(o for o in cheap.options if o.regimen == "osimertinib")
    assert any("budget" in c for c in osi.cautions)


def test_several_items_for_one_regimen_merge_into_one_option(engine):
    # given T790M + 19del after gefitinib: osimertinib would match (T790M later-line) once only
    answer = engine.recommend(
        advanced_luad(
            biomarkers=[{"gene": "EGFR", "alteration": "L858R"}],
            cancer={"oncotree_code": "LUAD", "stage": "IV"},
        )
    )
    assert len(regimens(answer)) == len(set(regimens(answer)))


def test_merged_option_keeps_every_reference(kb):
    # given two items for the same regimen in the same setting
    from onconav.kbdata.loader import KnowledgeBase

    extra = kb.evidence[0].model_copy(
        update={"id": "nsclc-osimertinib-1l-copy", "references": ["LABEL:second source"], "outcomes": []}
    )
    kb2 = KnowledgeBase(
        version=kb.version,
        modalities=kb.modalities,
        cancers=kb.cancers,
        biomarkers=kb.biomarkers,
        drugs=kb.drugs,
        regimens=kb.regimens,
        evidence=(*kb.evidence, extra),
        trials=kb.trials,
        hospitals=kb.hospitals,
        policy=kb.policy,
    )
    answer = Engine(kb2).recommend(PROFILES[0])
    osi = next(o for o in answer.options if o.regimen == "osimertinib")
    assert osi.evidence[0] == "nsclc-osimertinib-1l"
    assert "nsclc-osimertinib-1l-copy" in osi.evidence
    assert {"PMID:29151359", "LABEL:second source"} <= set(osi.references)
    assert "merge.regimen" in osi.trace


def test_china_access_fields(engine):
    answer = engine.recommend(PROFILES[0])
    osi = next(o for o in answer.options if o.regimen == "osimertinib")
    assert osi.china.nmpa_approved is True and osi.china.nrdl_reimbursed is True
    assert osi.china.access == "approved"
    assert osi.china.approx_cost_usd_per_month == 400
    bsc = next(o for o in answer.options if o.regimen == "best-supportive-care")
    assert bsc.china.access == "not_applicable" and bsc.china.nmpa_approved is None


def test_boao_only_drug_is_flagged(engine):
    answer = engine.recommend(
        advanced_luad(
            biomarkers=[{"gene": "EGFR", "alteration": "exon 20 insertion"}],
            prior_therapies=[{"drugs": ["carboplatin", "pemetrexed"], "outcome": "progression"}],
        )
    )
    ami = next(o for o in answer.options if o.regimen == "amivantamab")
    assert ami.china.boao_only is True and ami.china.nmpa_approved is False


def test_every_option_has_a_trace_with_the_rank_rule(engine):
    for p in PROFILES:
        for o in engine.recommend(p).options:
            assert "rank.key" in o.trace and "cancer.lineage" in o.trace


def test_a_drug_the_guideline_no_longer_prefers_is_listed_after_the_preferred_one(engine):
    # given ALK-positive NSCLC: crizotinib has HR 0.45 against chemotherapy, alectinib HR 0.47
    # against crizotinib; the guideline prefers alectinib (crizotinib: other recommended)
    answer = engine.recommend(advanced_luad(biomarkers=[{"gene": "ALK", "alteration": "fusion"}]))
    regs = regimens(answer)
    # then alectinib comes first and crizotinib right after it, not by comparing hazard ratios
    assert regs.index("alectinib") + 1 == regs.index("crizotinib")
    criz = next(o for o in answer.options if o.regimen == "crizotinib")
    assert any(r.step == "preference" for r in criz.rank_reasons)
    assert criz.tie_with == []


def test_output_does_not_depend_on_hash_randomisation():
    # given the same profiles answered in two processes with different hash seeds
    import subprocess
    import sys
    from pathlib import Path

    from tests.engine.conftest import FIXTURE_KB

    src = Path(__file__).resolve().parents[2] / "src"
    code = (
        "import json, sys; from onconav.engine import Engine; "
        "from onconav.kbdata.loader import load_knowledge_base; "
        f"e = Engine(load_knowledge_base({str(FIXTURE_KB)!r})); "
        f"ps = json.loads({json.dumps(json.dumps(PROFILES))}); "
        "print(''.join(e.recommend(p, l).to_json() for p in ps for l in ('en', 'zh-hans')))"
    )
    outs = []
    for seed in ("1", "4242"):
        env = {"PYTHONPATH": str(src), "PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        res = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
        )
        assert res.returncode == 0, res.stderr
        outs.append(res.stdout)
    # then the bytes are identical
    assert outs[0] == outs[1] and outs[0]


def test_an_unknown_csco_tier_ranks_like_not_listed():
    # an unconfirmed CSCO tier neither wins nor loses against one recorded as not listed
    from types import SimpleNamespace

    from onconav.engine.ranking import preference_rank

    def ev(nccn, csco):
        return SimpleNamespace(preference=SimpleNamespace(nccn=nccn, csco=csco))

    assert preference_rank(ev("preferred", "unknown")) == preference_rank(ev("preferred", "not_listed"))
    assert preference_rank(ev("preferred", "I")) < preference_rank(ev("preferred", "unknown"))
    assert preference_rank(ev("preferred", "unknown")) < preference_rank(ev("other_recommended", "unknown"))
