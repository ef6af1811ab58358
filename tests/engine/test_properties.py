"""Property: any profile gives either a valid Answer or a ProfileError, never another exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onconav.engine import ProfileError
from onconav.engine.answer import Answer
from tests.engine.conftest import assert_contract

FIXTURE_CODES = [
    "SOLID",
    "HEME",
    "LUNG",
    "NSCLC",
    "LUAD",
    "LUSC",
    "BREAST",
    "BRCA",
    "LIVER",
    "HCC",
    "DLBCLNOS",
]
GENES = ["EGFR", "ALK", "KRAS", "MET", "HER2", "ERBB2", "NTRK1", "BRAF", "FOO", ""]
ALTERATIONS = [
    "L858R",
    "19del",
    "exon 19 deletion",
    "T790M",
    "wild-type",
    "negative",
    "fusion",
    "amplification",
    "G12C",
    "???",
    "",
    "p.E746_A750del",
]
NAMES = ["PD-L1 TPS", "PD-L1", "TMB", "MSI", "ER", "HER2 IHC", "HGF", "junk"]
VALUES = [
    60,
    0,
    "≥50%",
    "<1%",
    "1-49%",
    "MSI-H",
    "MSS",
    "positive",
    "negative",
    "3+",
    "2+",
    "high",
    "x",
    None,
    -5,
    1e9,
]
DRUGS = [
    "gefitinib",
    "osimertinib",
    "Iressa",
    "pembrolizumab",
    "atezolizumab",
    "carboplatin",
    "unknownib",
    "",
]

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 200),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
)

biomarker = st.one_of(
    st.fixed_dictionaries({"gene": st.sampled_from(GENES), "alteration": st.sampled_from(ALTERATIONS)}),
    st.fixed_dictionaries(
        {"name": st.sampled_from(NAMES), "value": st.sampled_from(VALUES)},
        optional={"unit": st.sampled_from(["%", "mut/Mb", None])},
    ),
    st.dictionaries(st.sampled_from(["gene", "name", "value", "alteration", "zzz"]), junk, max_size=3),
)
prior = st.fixed_dictionaries(
    {"drugs": st.lists(st.sampled_from(DRUGS), max_size=3)},
    optional={
        "line": st.one_of(st.integers(0, 6), junk),
        "outcome": st.sampled_from(
            ["progression", "response", "intolerance", "relapse", "refractory", "no progression", "bad"]
        ),
        "with_radiotherapy": st.booleans(),
        "setting": st.sampled_from(["adjuvant", "advanced", "neoadjuvant"]),
    },
)
cancer = st.fixed_dictionaries(
    {"oncotree_code": st.one_of(st.sampled_from(FIXTURE_CODES), st.text(max_size=6), junk)},
    optional={
        "stage": st.one_of(
            st.sampled_from(["I", "IA2", "IIIA", "IV", "BCLC C", "relapsed", "extensive", "garbage", ""]),
            junk,
        ),
        "resected": st.one_of(st.booleans(), junk),
        "resectable": st.booleans(),
        "recurrent_metastatic": st.booleans(),
        "tumor_size_cm": st.one_of(st.floats(0, 20), junk),
        "tumor_count": st.integers(0, 10),
    },
)
profile = st.fixed_dictionaries(
    {"cancer": st.one_of(cancer, junk)},
    optional={
        "age": st.one_of(st.integers(0, 120), junk),
        "sex": st.sampled_from(["female", "male", "other", "x"]),
        "ecog": st.one_of(st.integers(-1, 6), junk),
        "child_pugh": st.sampled_from(["A", "B", "C", "D", None]),
        "operable": st.one_of(st.booleans(), junk),
        "organ_function": st.fixed_dictionaries(
            {},
            optional={
                "creatinine_clearance_ml_min": st.one_of(st.floats(0, 150), junk),
                "lvef_percent": st.floats(10, 80),
            },
        ),
        "biomarkers": st.one_of(st.lists(biomarker, max_size=5), junk),
        "prior_therapies": st.one_of(st.lists(prior, max_size=3), junk),
        "preferences": st.fixed_dictionaries(
            {},
            optional={
                "budget_usd": st.one_of(st.integers(0, 100000), junk),
                "cities": st.lists(st.text(max_size=5), max_size=2),
            },
        ),
        "extra_field": junk,
    },
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=st.one_of(profile, junk), lang=st.sampled_from(["en", "zh-hans"]))
def test_any_profile_gives_an_answer_or_a_profile_error(engine, profile, lang):
    try:
        answer = engine.recommend(profile, lang=lang)
    except ProfileError as err:
        assert err.message and "\n" not in err.message
        assert all(set(e) == {"field", "message"} for e in err.errors)
        return
    assert isinstance(answer, Answer)
    data = json.loads(answer.to_json())
    assert_contract(data)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_real_knowledge_base_never_raises_anything_but_profile_error(real_engine, data):
    # given a random profile built from the real KB's own vocabulary
    kb = real_engine.kb
    codes = sorted(kb.cancer_by_code)
    ids = sorted(kb.biomarker_by_id)
    inns = sorted(kb.drug_by_inn)
    p = data.draw(profile)
    if isinstance(p, dict) and isinstance(p.get("cancer"), dict):
        p["cancer"]["oncotree_code"] = data.draw(st.sampled_from(codes))
        p["biomarkers"] = [
            {"gene": b.split(":")[0], "alteration": b.split(":")[1]}
            for b in data.draw(st.lists(st.sampled_from(ids), max_size=4))
        ]
        p["prior_therapies"] = [
            {
                "drugs": data.draw(st.lists(st.sampled_from(inns), min_size=1, max_size=3)),
                "line": i + 1,
                "outcome": data.draw(st.sampled_from(["progression", "response", "intolerance"])),
            }
            for i in range(data.draw(st.integers(0, 3)))
        ]
    # when the engine answers, then it is an Answer with the contract shape or a ProfileError
    try:
        answer = real_engine.recommend(p, lang=data.draw(st.sampled_from(["en", "zh-hans"])))
    except ProfileError:
        return
    assert_contract(json.loads(answer.to_json()))
