"""Trial pages, "trials for my case", the coordinator's case view, the options page and the API."""

from __future__ import annotations

import pytest
from django.utils import translation

from onconav.accounts.models import Role
from onconav.audit.models import AuditEvent
from onconav.options.services import trial_options
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

MYELOMA = {
    "age": 60,
    "sex": "male",
    "ecog": 1,
    "cancer": {"oncotree_code": "PCM"},
    "prior_therapies": [
        {"regimen": "VRd", "line": 1, "outcome": "relapse"},
        {"regimen": "DPd", "line": 2, "outcome": "progression"},
        {"drugs": ["carfilzomib"], "line": 3, "outcome": "refractory"},
    ],
    "preferences": {"cities": ["Hangzhou"]},
}


def test_search_page_filters_by_kind_and_labels_every_trial(client, demo_trials):
    # when a visitor filters for CAR-T trials
    html = client.get("/trials/", {"kind": "car_t"}).content.decode()
    # then only CAR-T studies are listed, each labelled investigational and demo
    assert "NCT99900001" in html and "NCT99900002" in html
    assert "NCT99900003" not in html  # bispecific
    assert "Investigational" in html and "Demo record, not a real trial" in html
    # and a city filter keeps trials with a site there
    html = client.get("/trials/", {"city": "Seoul"}).content.decode()
    assert "NCT99900003" in html and "NCT99900001" not in html


def test_trial_page_shows_plain_language_next_to_original_text_in_both_languages(client, demo_trials):
    html = client.get("/trials/NCT99900001/").content.decode()
    assert "PLT ≧ 50×109/L" not in html  # not in this record
    assert "Platelets ≥ 75×109/L" in html and "Blood test: Platelet count ≥ 75 10^9/L." in html
    assert "To be confirmed by the trial team." in html
    assert "Only sites with the status “Recruiting” are open." in html
    html_zh = client.get("/trials/NCT99900001/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert "化验：血小板计数" in html_zh and "需由试验团队确认。" in html_zh
    assert "试验性治疗" in html_zh
    assert client.get("/trials/NCT00000000/").status_code == 404


def test_trials_for_my_case_is_guarded_and_audited(client, login_as, make_user, demo_trials):
    # given a patient with a myeloma case and another patient
    owner = make_user(Role.PATIENT)
    case = CaseFactory(patient=owner, profile=MYELOMA, cancer_code="PCM")
    other = make_user(Role.PATIENT)
    # anonymous visitors are sent to sign in
    assert client.get("/trials/for-my-case/").status_code == 302
    # when the owner opens "trials for my case"
    login_as(owner)
    html = client.get("/trials/for-my-case/").content.decode()
    # then the matched trials are listed criterion by criterion, the BCMA CAR-T trial first
    assert html.index("NCT99900002") < html.index("NCT99900001")
    assert "Criterion by criterion" in html
    assert AuditEvent.objects.filter(object_type="case", action="read").exists()
    # and another patient cannot open that case's trials
    client.logout()
    login_as(other)
    assert client.get(f"/trials/for-case/{case.public_id}/").status_code == 404


def test_coordinator_case_view_has_trials_for_this_case(client, login_as, coordinator, demo_trials):
    case = CaseFactory(profile=MYELOMA, cancer_code="PCM")
    login_as(coordinator)
    html = client.get(f"/cases/{case.public_id}/").content.decode()
    assert "Trials for this case" in html and "NCT99900002" in html
    # a lymphoma CAR-T trial that the myeloma profile clearly fails is not offered
    section = html[html.index("Trials for this case") :]
    assert "NCT99900001" not in section[: section.find("</section>")]


def test_options_service_gives_clinical_trial_options(demo_trials):
    out = trial_options(MYELOMA, "en")
    assert out and all(o["modality"] == "clinical_trial" for o in out)
    first = out[0]
    assert first["nct_id"] in {"NCT99900002", "NCT99900010"} and first["is_demo"]
    assert first["label"].startswith("Investigational")
    assert all(s["status"] == "RECRUITING" for o in out for s in o["sites"])
    assert trial_options({"cancer": {}}, "en") == []  # an invalid profile gives nothing, no error
    # and each carries the engine answer's TrialInfo shape
    from onconav.engine.answer import TrialInfo

    info = TrialInfo.model_validate(first["trial"])
    assert info.nct_id == first["nct_id"] and info.not_met == 0 and info.label == "investigational"


def test_options_page_shows_trials_below_the_answer(client, demo_trials, kb_loaded):
    form = {"oncotree_code": "LUAD", "stage": "IV", "ecog": "1", "sex": "female", "egfr": "L858R"}
    html = client.post("/options/", form).content.decode()
    assert "Clinical trials that may fit" in html and "NCT99900005" in html
    assert html.index("Clinical trials that may fit") > html.index("data-kb")


def test_api_search_detail_and_match(client, demo_trials):
    # search
    resp = client.get("/api/v1/trials", {"kind": "adc"})
    assert resp.status_code == 200
    ids = {t["nct_id"] for t in resp.json()}
    assert ids == {"NCT99900004", "NCT99900006", "NCT99900011", "NCT99900015"}
    assert all(t["label"] == "investigational" for t in resp.json())
    # detail in Chinese: plain language next to the verbatim text
    d = client.get("/api/v1/trials/NCT99900002", {"lang": "zh-hans"}).json()
    assert any(c["plain"].startswith("年龄") for c in d["criteria"])
    assert d["sites"][0]["open"] is True
    assert client.get("/api/v1/trials/NCT99999999").status_code == 404
    # match (contract section 5): not_met trials last
    m = client.post("/api/v1/trials/match?lang=zh-hans", MYELOMA, content_type="application/json").json()
    flags = [t["not_met"] > 0 for t in m["trials"]]
    assert flags == sorted(flags) and m["trials"][0]["nct_id"] in {"NCT99900002", "NCT99900010"}
    assert {"text", "kind", "verdict", "reason"} <= set(m["trials"][0]["criteria"][0])
    # invalid input
    bad = client.post("/api/v1/trials/match", {"age": 5}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"].startswith("body")
    assert client.get("/api/v1/trials", {"lang": "fr"}).status_code == 422


def test_chinese_labels_on_the_search_page(client, demo_trials):
    with translation.override("zh-hans"):
        html = client.get("/trials/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert "临床试验" in html and "试验性" in html
