"""Engine rules added for the blind round 2 fixes (docs/engine.md, "Blind vignettes", round 2):
backbone drugs that carry no failure (``failure_neutral`` classes), TNM stages, and a substitute
checked against the other holding exclude rules."""

from __future__ import annotations

from onconav.engine.stage_priors import _strip_tnm, _tnm_groups
from onconav.engine.substitutes import _offending_drugs
from onconav.engine.vocabulary import Vocabulary
from tests.engine.conftest import regimens


def test_a_bare_tnm_stage_is_advanced_only_with_m1_or_metastatic_sites():
    # given TNM stages without their AJCC group
    # then M1 (or a metastatic site) is advanced and anything else is early or locally advanced
    assert _tnm_groups("YPT2N1", None) == {"early", "locally_advanced"}
    assert _tnm_groups("PT3 N0 M0", []) == {"early", "locally_advanced"}
    assert _tnm_groups("CT4AN2M1B", None) == {"advanced"}
    assert _tnm_groups("T2N1", ["liver"]) == {"advanced"}
    # and a stage group is not read as TNM
    assert _tnm_groups("IIIB", None) is None


def test_a_tnm_descriptor_after_the_stage_group_is_dropped():
    assert _strip_tnm("IV M1C") == "IV"
    assert _strip_tnm("IIIB (T3N1M0)") == "IIIB"
    assert _strip_tnm("IVA") == "IVA"


def test_corticosteroids_and_leucovorin_carry_no_failure_in_the_real_kb(real_engine):
    # given the vocabulary compiled from the real knowledge base
    vocab = Vocabulary.compile(real_engine.kb)
    # then backbone and supportive drugs are failure-neutral and active drugs are not
    assert {"dexamethasone", "prednisone", "leucovorin"} <= vocab.failure_neutral
    assert not {"lenalidomide", "bortezomib", "fluorouracil"} & vocab.failure_neutral


def test_after_progression_on_rd_only_lenalidomide_counts_as_failed(real_engine):
    # given progression on lenalidomide-dexamethasone
    profile = {
        "age": 70,
        "ecog": 1,
        "cancer": {"oncotree_code": "PCM", "stage": "relapsed"},
        "prior_therapies": [
            {"drugs": ["lenalidomide", "dexamethasone"], "line": 1, "outcome": "progression"}
        ],
    }
    # when the engine answers
    answer = real_engine.recommend(profile)
    # then only lenalidomide regimens are demoted as a failed drug, and a non-lenalidomide
    # triplet comes first
    for o in answer.options:
        failed = "failure.same_drug" in o.trace
        assert failed == ("lenalidomide" in o.regimen), (o.regimen, o.trace)
    assert "lenalidomide" not in regimens(answer)[0]


def test_an_exclude_rule_is_about_the_drugs_its_substitutes_lack(real_engine):
    # given the LVEF rule for LBCL (R-CHOP and Pola-R-CHP -> R-GCVP / R-CEOP)
    rule = next(r for r in real_engine.kb.policy.fitness if r.id == "heme-lbcl-anthracycline-free")
    # then what it is about is doxorubicin, and the age-80 rule is about no drug
    assert _offending_drugs(rule, real_engine.regimens) == {"doxorubicin"}
    age = next(r for r in real_engine.kb.policy.fitness if r.id == "heme-lbcl-over-80-mini")
    assert _offending_drugs(age, real_engine.regimens) == frozenset()
