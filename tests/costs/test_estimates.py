import re

import pytest

from onconav.costs.services import chart_svg, cost_estimate

pytestmark = pytest.mark.django_db


def test_estimate_has_line_items_from_diagnosis_to_follow_up_with_sources():
    est = cost_estimate(regimen="osimertinib", city="Shanghai", currency="USD")
    phases = {x.phase for x in est.lines}
    assert {"diagnosis", "treatment", "follow_up", "travel"} <= phases
    for line in est.lines:
        if line.known:
            assert line.item.sources and line.item.price_date
    lo, hi = est.total_cny()
    assert 0 < lo <= hi


def test_conversion_uses_the_dated_rate():
    est = cost_estimate(regimen="osimertinib", currency="EUR")
    lo, _ = est.total_cny()
    assert est.rate is not None
    assert est.as_dict()["total"]["low"] == pytest.approx(lo / est.rate.cny_per_unit)


def test_international_hospitals_cost_more_than_public_ones():
    public = cost_estimate(regimen="osimertinib", hospital_type="public_tertiary").total_cny()
    intl = cost_estimate(regimen="osimertinib", hospital_type="international").total_cny()
    assert intl[1] >= public[1]


def test_unknown_prices_are_shown_as_unknown_not_guessed():
    est = cost_estimate(regimen="osimertinib")
    d = est.as_dict()
    for line in d["lines"]:
        assert (line["cny_low"] is None) == (line["item"] is None)
    assert d["excluded"]


def test_unknown_regimen_is_rejected():
    with pytest.raises(ValueError):
        cost_estimate(regimen="no-such-regimen")


def test_chart_is_inline_svg_with_a_text_alternative():
    svg = chart_svg(cost_estimate(regimen="osimertinib"))
    assert svg.startswith("<svg") and "<title>" in svg and "aria-label" in svg


def test_estimate_page_and_api(client, kb_loaded):
    resp = client.post("/costs/estimate/", {"regimen": "osimertinib", "city": "Shanghai", "currency": "GBP"})
    html = resp.content.decode()
    assert resp.status_code == 200 and "<svg" in html and "GBP" in html
    api = client.get("/api/v1/costs/estimate", {"regimen": "osimertinib", "currency": "USD"}).json()
    assert api["total"]["low"] > 0
    bad = client.get("/api/v1/costs/estimate", {"regimen": "x", "currency": "XXX"})
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {
        "query.currency",
        "query.regimen",
    }


def test_estimate_from_a_hospital_page_uses_its_city(client, kb_loaded):
    html = client.post(
        "/costs/estimate/", {"hospital": "fudan-cancer-center", "regimen": "osimertinib"}
    ).content.decode()
    assert "Shanghai" in html


@pytest.mark.parametrize(
    "name", ["osimertinib", "Tagrisso", "奥希替尼", "OSIMERTINIB", "osimertinib (Tagrisso)"]
)
def test_estimator_finds_a_treatment_by_name_in_either_language(client, kb_loaded, name):
    from onconav.costs.names import treatment_resolve

    assert treatment_resolve(name) == "osimertinib"
    html = client.post("/costs/estimate/", {"treatment": name, "currency": "EUR"}).content.decode()
    assert "Estimated total" in html and "EUR" in html


def test_estimator_page_formats_amounts_and_shows_phases_years_and_sources(client, kb_loaded):
    import re

    html = client.post("/costs/estimate/", {"treatment": "Tagrisso", "currency": "EUR"}).content.decode()
    assert re.search(r"CNY \d{1,3}(,\d{3})+ – \d{1,3}(,\d{3})+", html)  # thousands separators
    assert re.search(r"EUR \d{1,3}(,\d{3})* – ", html)  # the patient's currency beside CNY
    assert "Diagnosis and planning" in html and "Stay and interpreter" in html
    for raw in ("follow_up<", "ngs_panel", "PMID:", "URL:http"):
        assert raw not in html
    zh = client.post(
        "/costs/estimate/", {"treatment": "奥希替尼"}, HTTP_ACCEPT_LANGUAGE="zh-Hans"
    ).content.decode()
    assert 'value="奥希替尼"' in zh  # the name is shown back in Chinese, not the id
    assert re.search(r"CNY \d{1,3}(,\d{3})+ – \d{1,3}(,\d{3})+", zh)  # separators in Chinese too


def test_unknown_treatment_name_is_a_field_error(client, kb_loaded):
    html = client.post("/costs/estimate/", {"treatment": "no such medicine"}).content.decode()
    assert "There is a problem" in html


def test_a_treatment_in_the_address_is_ignored(client, kb_loaded):
    # Given a link that carries a treatment name in its query string (web-server logs keep it)
    # When it is opened
    html = client.get("/costs/estimate/", {"treatment": "osimertinib", "currency": "EUR"}).content.decode()
    # Then the treatment is not used: only a POST body may carry it (issue 14)
    title = re.search(r'<h2 id="estimate-title"[^>]*>(.*?)</h2>', html, re.S)
    assert title is None or "osimertinib" not in title.group(1).lower()
    assert 'value="osimertinib"' not in html
    # And the same name in a POST body is used
    posted = client.post("/costs/estimate/", {"treatment": "osimertinib", "currency": "EUR"}).content.decode()
    assert (
        "osimertinib" in re.search(r'<h2 id="estimate-title"[^>]*>(.*?)</h2>', posted, re.S).group(1).lower()
    )


def test_the_estimator_form_posts_its_answers(client, kb_loaded):
    html = client.get("/costs/estimate/").content.decode()
    assert 'class="estimate-form"' in html
    assert re.search(r'<form method="post"[^>]*class="estimate-form"', html)
