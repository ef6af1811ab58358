"""The joined answer: a profile in; options grouped, with China access, cost and the hospitals that
deliver them out; and a next step that carries the profile into the intake (issue 11)."""

from __future__ import annotations

import re
from unittest import mock

import pytest

from onconav.engine.answer import Answer, CostRange, OptionCondition, RankReason
from onconav.options import services

pytestmark = pytest.mark.django_db

FORM = {
    "oncotree_code": "LUAD",
    "stage": "IV",
    "ecog": "1",
    "sex": "female",
    "egfr": "L858R",
    "pdl1_tps": "30",
    "pdl1_cps": "5",
    "cities": ["Shanghai"],
    "budget_usd": "40000",
    "currency": "EUR",
}
PROFILE = {
    "ecog": 1,
    "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
    "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}],
    "preferences": {"cities": ["Shanghai"], "currency": "EUR"},
}


def _v2_answer(lang: str = "en") -> Answer:
    """The engine's real answer for PROFILE, with the v2 fields filled by hand (the engine
    branch fills them; the page must show them either way)."""
    answer = services.engine_get().recommend(PROFILE, lang=lang)
    opts = list(answer.options)
    first, second, third = opts[0], opts[1], opts[2]
    cost = CostRange(
        cny_low=120000,
        cny_high=180000,
        per="course",
        months=12,
        usd_low=16500,
        usd_high=24800,
        currency="EUR",
        local_low=15300,
        local_high=22900,
        price_year=2025,
        nrdl_price=True,
        sources=["URL:https://www.nhsa.gov.cn/"],
        budget="within",
    )
    first = first.model_copy(
        update={
            "group": "preferred",
            "tie_with": [2],
            "china": first.china.model_copy(update={"cost": cost, "nmpa_year": 2021, "nrdl_since": 2022}),
            "rank_reasons": [RankReason(step="level", text="Level 1 evidence for this situation")],
        }
    )
    second = second.model_copy(update={"group": "preferred", "tie_with": [1]})
    third = third.model_copy(
        update={
            "group": "conditional",
            "condition": OptionCondition(
                text="If ALK is negative", tests=["ALK IHC or FISH"], biomarkers=["ALK"]
            ),
        }
    )
    return answer.model_copy(update={"options": [first, second, third, *opts[3:]]})


def test_api_options_carry_the_hospitals_that_deliver_them(client):
    resp = client.post("/api/v1/options", PROFILE, content_type="application/json")
    assert resp.status_code == 200
    options = resp.json()["options"]
    assert all("hospitals" in o for o in options)
    with_hospitals = [o for o in options if o["hospitals"]]
    assert with_hospitals, "some option should have a hospital in Shanghai"
    for o in with_hospitals:
        assert len(o["hospitals"]) <= services.HOSPITALS_PER_OPTION
        for h in o["hospitals"]:
            assert h["url"] == f"/hospitals/{h['id']}/"
            assert h["city"] == "Shanghai" and h["in_preferred_city"] is True
    # supportive and palliative care are not tied to a hospital list
    assert all(not o["hospitals"] for o in options if o["modality"] in ("supportive_care", "palliative_care"))


def test_hospitals_for_an_option_deliver_it_and_are_for_adults():
    from onconav.hospitals.audience import audiences
    from onconav.hospitals.selectors import hospital_get

    answer = services.options_for_profile(profile=PROFILE)
    by_rank = services.option_hospitals(answer, PROFILE)
    for o in answer.options:
        for h in by_rank[o.rank]:
            data = hospital_get(h["id"]).data
            assert not audiences(data), f"{h['id']} is a special hospital offered to an adult"
            assert data.get("oncology_relevant") is not False


def test_page_shows_groups_cost_access_hospitals_condition_ties_and_next_step(client):
    answer = _v2_answer()
    with mock.patch("onconav.options.services.options_for_profile", return_value=answer):
        html = client.post("/options/", FORM).content.decode()
    labels = {g["id"]: str(g["label"]) for g in services.answer_groups(answer)}
    assert {"preferred", "conditional"} <= set(labels)  # the groups in the engine's (or the site's) words
    assert labels["preferred"] in html and labels["conditional"] in html
    assert "CNY 120,000 – 180,000" in html and "EUR 15,300 – 22,900" in html
    from onconav.pages.labels import label

    assert "Prices of 2025." in html and label("budget", "within") in html
    assert "NMPA approval 2021" in html and "since 2022" in html
    assert "If ALK is negative" in html and "ALK IHC or FISH" in html
    assert "An equivalent choice to option 2" in html
    assert "Level 1 evidence for this situation" in html
    assert re.search(r'href="/hospitals/[a-z0-9-]+/"', html)
    assert "What the evidence levels mean" in html and "Hazard ratio" in html and "NRDL" in html
    assert "Start my treatment with this case" in html
    assert 'action="/options/#answer-title"' in html  # the page moves to the results


def test_chinese_page_has_no_raw_codes(client):
    with mock.patch("onconav.options.services.options_for_profile", return_value=_v2_answer("zh-hans")):
        html = client.post("/options/", FORM, HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S))
    for raw in (
        "first_line",
        "later_line",
        "standard_of_care",
        "not_applicable",
        "targeted_therapy",
        "PMID:",
    ):
        assert raw not in text, raw
    assert "优先推荐" in text or "首选" in text


def test_next_step_carries_the_profile_into_the_intake(client):
    from onconav.intake.models import IntakeDraft

    html = client.post("/options/", FORM).content.decode()
    signed = re.search(r'name="signed_profile" value="([^"]+)"', html).group(1)
    resp = client.post("/start/from-options/", {"signed_profile": signed})
    assert resp.status_code == 302 and resp["Location"] == "/start/tasks/"
    draft = IntakeDraft.objects.get()
    answers = draft.answers
    assert answers["diagnosis"]["cancer_type"] == "LUAD" and answers["diagnosis"]["stage"] == "IV"
    assert answers["biomarkers"]["egfr"] == "L858R" and answers["biomarkers"]["pdl1_tps"] == 30.0
    assert answers["ecog"] == {"ecog": "1"} and answers["cities"] == {"cities": ["Shanghai"]}
    assert answers["budget"]["budget_usd"] == 40000 and answers["patient"]["sex"] == "female"
    assert {"diagnosis", "biomarkers", "ecog", "cities"} <= set(draft.completed_steps)
    assert "budget" not in draft.completed_steps  # how it is paid is still to answer
    # the step pages show what was carried over
    page = client.get("/start/step/diagnosis/").content.decode()
    assert 'value="IV"' in page
    # what only the options page asked reaches the case's profile
    from onconav.intake.services import answers_to_profile

    profile = answers_to_profile(answers)
    assert {"name": "PD-L1 CPS", "value": 5.0} in profile["biomarkers"]
    assert profile["preferences"]["currency"] == "EUR"


def test_tampered_profile_is_refused(client):
    resp = client.post("/start/from-options/", {"signed_profile": "not-signed"})
    assert resp.status_code == 302 and resp["Location"] == "/options/"
