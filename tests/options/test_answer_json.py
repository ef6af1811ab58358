"""The options endpoint writes its answer in one pass of the response model's serialiser
(``onconav.api.options.answer_json``, issue 13): the same JSON as turning the engine's answer into
a dict, adding the hospitals and validating it against the documented model, which it replaces."""

from __future__ import annotations

import json

import pytest

from onconav.api.options import AnswerWithHospitals, answer_json
from onconav.options import services

pytestmark = pytest.mark.django_db

PROFILES = [
    {
        "age": 67,
        "ecog": 1,
        "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
        "biomarkers": [
            {"gene": "EGFR", "alteration": "L858R"},
            {"name": "PD-L1 TPS", "value": 30, "unit": "%"},
        ],
        "preferences": {"cities": ["Shanghai"]},
    },
    {
        "cancer": {"oncotree_code": "BRCA", "stage": "IV"},
        "biomarkers": [{"gene": "ERBB2", "alteration": "amplification"}],
    },
]


def validated_json(answer, hospitals) -> dict:  # type: ignore[no-untyped-def]
    body = answer.to_dict()
    for o in body["options"]:
        o["hospitals"] = hospitals.get(o["rank"], [])
    return json.loads(AnswerWithHospitals.model_validate(body).model_dump_json())


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("profile", PROFILES, ids=["luad", "brca"])
def test_one_pass_serialisation_equals_the_validated_model(kb_loaded, profile, lang):
    answer = services.options_for_profile(profile=profile, lang=lang)
    hospitals = services.option_hospitals(answer, profile)
    assert any(hospitals.values())  # hospitals are part of what is compared
    out = json.loads(answer_json(answer, hospitals))
    assert out == validated_json(answer, hospitals)
    assert all("hospitals" in o for o in out["options"])


def test_a_hospital_of_the_wrong_shape_is_still_refused(kb_loaded):
    answer = services.options_for_profile(profile=PROFILES[1])
    bad = {answer.options[0].rank: [{"id": "x", "name": "X"}]}  # no city, no url
    with pytest.raises(ValueError):
        answer_json(answer, bad)
