"""The answer matches contracts.md section 2; bad profiles raise ProfileError with field errors."""

from __future__ import annotations

import pytest

from onconav.engine import Engine, ProfileError
from onconav.engine.profile import parse_profile
from tests.engine.conftest import advanced_luad, assert_contract

PROFILES = [
    advanced_luad(biomarkers=[{"gene": "EGFR", "alteration": "L858R"}]),
    {
        "cancer": {"oncotree_code": "BRCA", "stage": "IV"},
        "biomarkers": [{"gene": "ERBB2", "alteration": "amplification"}, {"name": "ER", "value": "negative"}],
    },
    {
        "cancer": {"oncotree_code": "HCC", "stage": "BCLC C"},
        "ecog": 1,
        "child_pugh": "A",
        "comorbidities": ["hepatitis B"],
    },
    {"cancer": {"oncotree_code": "LUAD"}},
    {
        "cancer": {"oncotree_code": "DLBCLNOS", "stage": "relapsed"},
        "prior_therapies": [{"drugs": ["docetaxel"], "outcome": "refractory"}],
    },
]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("profile", PROFILES)
def test_every_answer_has_the_contract_shape(engine, profile, lang):
    answer = engine.recommend(profile, lang=lang)
    data = answer.to_dict()
    assert_contract(data)
    assert data["language"] == lang


def test_extensions_are_present(engine):
    data = engine.recommend(PROFILES[0]).to_dict()
    opt = data["options"][0]
    assert opt["regimen"] == "osimertinib"
    assert opt["evidence"] and opt["trace"] and opt["badge"] == "standard_of_care"
    assert {"access", "boao_only"} <= set(opt["china"])


def test_chinese_answer_uses_chinese_text(engine):
    answer = engine.recommend(PROFILES[0], lang="zh-hans")
    assert answer.options[0].title == "奥希替尼"
    assert "知识库" not in answer.disclaimer or answer.disclaimer
    assert "医生" in answer.disclaimer


def test_disclaimer_says_it_is_not_a_prescription(engine):
    d = engine.recommend(PROFILES[0]).disclaimer
    assert "not a diagnosis" in d and "prescription" in d and "delay" in d


def test_unknown_fields_are_kept_and_warned(engine):
    profile = {**PROFILES[0], "favourite_colour": "blue", "cancer": {**PROFILES[0]["cancer"], "grade": 2}}
    answer = engine.recommend(profile)
    assert any("favourite_colour" in w for w in answer.warnings)
    assert any("cancer.grade" in w for w in answer.warnings)
    assert parse_profile(profile).model_extra == {"favourite_colour": "blue"}


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"cancer": {"oncotree_code": "LUAD"}, "ecog": 7}, "ecog"),
        ({"cancer": {"oncotree_code": "LUAD"}, "age": "sixty"}, "age"),
        ({"cancer": {"oncotree_code": "LUAD"}, "sex": "robot"}, "sex"),
        ({"cancer": {"oncotree_code": "LUAD"}, "smoking": "sometimes"}, "smoking"),
        ({"cancer": {"oncotree_code": "LUAD"}, "child_pugh": "D"}, "child_pugh"),
        ({"cancer": {"oncotree_code": "LUAD", "tumor_size_cm": "big"}}, "cancer.tumor_size_cm"),
        ({"cancer": {"oncotree_code": "LUAD"}, "biomarkers": [{"alteration": "L858R"}]}, "biomarkers[0]"),
        (
            {"cancer": {"oncotree_code": "LUAD"}, "prior_therapies": [{"drugs": ["x"], "outcome": "great"}]},
            "prior_therapies[0].outcome",
        ),
        ({"cancer": {"oncotree_code": "LUAD"}, "operable": "perhaps"}, "operable"),
        ({}, "cancer"),
        ({"cancer": {}}, "cancer.oncotree_code"),
        ({"cancer": {"oncotree_code": "XYZ"}}, "cancer.oncotree_code"),
    ],
)
def test_bad_profiles_raise_profile_error_with_the_field(engine, profile, field):
    with pytest.raises(ProfileError) as err:
        engine.recommend(profile)
    fields = [e["field"] for e in err.value.errors]
    assert field in fields
    assert "\n" not in err.value.message and err.value.message.startswith(("invalid profile", "unknown"))


def test_a_non_mapping_profile_is_a_profile_error(engine):
    for bad in (None, [], "LUAD", 3):
        with pytest.raises(ProfileError):
            engine.recommend(bad)  # type: ignore[arg-type]


def test_lenient_spellings_are_accepted(engine):
    answer = engine.recommend(
        {
            "sex": "Female",
            "smoking": "NEVER",
            "child_pugh": "a",
            "cancer": {"oncotree_code": "hcc", "stage": "BCLC C"},
            "ecog": "1",
        }
    )
    assert "Child-Pugh A" in answer.profile_summary


def test_unsupported_language_is_refused(engine):
    with pytest.raises(ValueError):
        engine.recommend(PROFILES[0], lang="fr")


def test_module_level_recommend_uses_the_given_kb(kb):
    from onconav.engine import recommend

    answer = recommend(PROFILES[0], kb=kb)
    assert answer.options[0].regimen == "osimertinib"
    assert isinstance(Engine(kb).recommend(parse_profile(PROFILES[0])).options, list)
