import pytest

from onconav.accounts.models import Role
from onconav.hospitals.matching import hospital_match
from onconav.hospitals.models import HospitalChangeRequest
from onconav.hospitals.selectors import hospital_get, hospitals_filtered

pytestmark = pytest.mark.django_db


def test_directory_covers_every_city_in_scope(kb_loaded):
    cities = {h.data["city"] for h in hospitals_filtered()}
    assert cities == {"Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu", "Hangzhou", "Hainan"}


def test_a_hospital_listed_under_two_names_is_one_record_with_aliases(kb_loaded):
    h = hospital_get("peking-union-medical-college-hospital")
    assert "PUMCH" in h.data["aliases"]


def test_filters_by_city_and_capability(kb_loaded):
    proton = hospitals_filtered(capability="proton")
    assert proton and all("proton" in h.data["capabilities"] for h in proton)
    shanghai = hospitals_filtered(city="Shanghai")
    assert shanghai and all(h.data["city"] == "Shanghai" for h in shanghai)


def test_search_finds_a_hospital_by_chinese_name(kb_loaded):
    assert any(h.id == "fudan-cancer-center" for h in hospitals_filtered(q="复旦"))


def test_jci_is_never_claimed_without_a_source(kb_loaded):
    for h in hospitals_filtered():
        for a in h.data["accreditations"]:
            if a["verified"]:
                assert a["sources"], h.id


def test_matching_explains_each_point_and_prefers_capable_hospitals_in_preferred_city(kb_loaded):
    matches = hospital_match(modalities=["radiotherapy"], regimens=["proton"], cities=["Shanghai"])
    top = matches[0]
    assert top.hospital.data["city"] == "Shanghai"
    assert {"proton", "heavy_ion"} & set(top.hospital.data["capabilities"])
    assert any("Shanghai" in r for r in top.reasons)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)


def test_matching_leaves_out_hospitals_that_do_not_treat_cancer(kb_loaded):
    assert all(
        m.hospital.data.get("oncology_relevant") is not False
        for m in hospital_match(modalities=["chemotherapy"], limit=200)
    )


def test_pages_render_in_both_languages(client, kb_loaded):
    for lang in ("en", "zh-Hans"):
        for url in (
            "/hospitals/",
            "/hospitals/map/",
            "/hospitals/fudan-cancer-center/",
            "/hospitals/match/",
        ):
            assert client.get(url, HTTP_ACCEPT_LANGUAGE=lang).status_code == 200, url
        resp = client.post(
            "/hospitals/match/", {"modalities": "surgery", "cities": "Beijing"}, HTTP_ACCEPT_LANGUAGE=lang
        )
        assert resp.status_code == 200 and "match-list" in resp.content.decode()
    assert "复旦大学附属肿瘤医院" in client.get("/hospitals/fudan-cancer-center/").content.decode()


def test_map_overview_uses_no_external_tiles(client, kb_loaded):
    html = client.get("/hospitals/map/").content.decode()
    assert "<svg" in html and "tile" not in html.lower()


def test_api_lists_filters_and_matches(client, kb_loaded):
    assert all(h["city"] == "Chengdu" for h in client.get("/api/v1/hospitals", {"city": "Chengdu"}).json())
    assert client.get("/api/v1/hospitals/nope").status_code == 404
    resp = client.post(
        "/api/v1/hospitals/match",
        {"modalities": ["cell_therapy"], "cities": ["Beijing"]},
        content_type="application/json",
    )
    assert resp.status_code == 200 and resp.json()[0]["reasons"]


def test_partner_proposes_and_coordinator_approves_a_change(client, kb_loaded, make_user, login_as):
    partner = make_user(Role.PARTNER, partner_hospital_id="fudan-cancer-center")
    login_as(partner)
    resp = client.post(
        "/hospitals/fudan-cancer-center/propose-change/",
        {"languages": "en, ru", "evidence": "https://www.shca.org.cn/ international page"},
    )
    assert resp.status_code == 302
    cr = HospitalChangeRequest.objects.get()
    assert cr.status == "pending" and cr.changes == {"languages": ["en", "ru"]}
    assert "ru" not in hospital_get("fudan-cancer-center").data["languages"]
    client.logout()
    coordinator = make_user(Role.COORDINATOR)
    login_as(coordinator)
    client.post("/hospitals/changes/review/", {"id": str(cr.public_id), "decision": "approve"})
    assert "ru" in hospital_get("fudan-cancer-center").data["languages"]


def test_partner_cannot_change_another_hospital(client, kb_loaded, make_user, login_as):
    partner = make_user(Role.PARTNER, partner_hospital_id="fudan-cancer-center")
    login_as(partner)
    assert client.get("/hospitals/peking-union-medical-college-hospital/propose-change/").status_code == 403


def test_patient_cannot_review_changes(client, kb_loaded, patient, login_as):
    login_as(patient)
    assert client.get("/hospitals/changes/review/").status_code == 403


def test_directory_defaults_to_hospitals_for_adults_with_cancer(client, kb_loaded):
    from onconav.hospitals.audience import audiences

    default = hospitals_filtered(oncology_only=True)
    assert default and not [h.id for h in default if audiences(h.data)]
    assert all(h.data.get("oncology_relevant") is not False for h in default)
    everything = hospitals_filtered(include_special=True)
    assert any("children" in audiences(h.data) for h in everything)
    html = client.get("/hospitals/").content.decode()
    assert "Children&#x27;s Hospital of Fudan University" not in html
    html_all = client.get("/hospitals/", {"scope": "all", "city": "Shanghai"}).content.decode()
    assert "Children&#x27;s Hospital of Fudan University" in html_all


def test_special_hospitals_appear_when_they_fit_the_patient():
    kids = hospitals_filtered(include_special=False, age=8)
    assert any(
        "children" in __import__("onconav.hospitals.audience", fromlist=["x"]).audiences(h.data) for h in kids
    )


def test_directory_is_paginated(client, kb_loaded):
    from onconav.hospitals.views import PAGE_SIZE

    first = client.get("/hospitals/", {"scope": "all"}).content.decode()
    assert first.count('class="hospital-card"') == PAGE_SIZE
    assert "page=2" in first and 'aria-current="page"' in first
    second = client.get("/hospitals/", {"scope": "all", "page": "2"}).content.decode()
    assert 'class="hospital-card"' in second


def test_hospital_page_shows_contact_fields_and_readable_sources(client, kb_loaded):
    html = client.get("/hospitals/fudan-cancer-center/").content.decode()
    for heading in (
        "Address",
        "International patient department",
        "Languages spoken",
        "Departments",
        "Sources",
    ):
        assert heading in html
    assert "URL:http" not in html


def test_matching_names_needs_in_words_and_leaves_children_hospitals_out_for_adults():
    from onconav.hospitals.audience import audiences
    from onconav.hospitals.matching import hospital_match

    matches = hospital_match(modalities=["radiotherapy"], cities=["Shanghai"], age=60, cancer="LUAD")
    assert matches and not [m.hospital.id for m in matches if audiences(m.hospital.data)]
    text = " ".join(r for m in matches for r in m.reasons + m.cautions)
    assert "radiotherapy (" not in text.lower() or "Radiotherapy" in text
    assert "heavy_ion" not in text and "medical_oncology" not in text


def test_hospital_search_ignores_a_treatment_in_the_address(client, kb_loaded):
    # Given a link that carries a treatment and a budget in its query string (logs keep it)
    html = client.get("/hospitals/match/?modalities=surgery&cities=Beijing&budget_usd=5000").content.decode()
    # Then nothing is searched: the search is a POST (issue 14)
    assert "match-list" not in html
