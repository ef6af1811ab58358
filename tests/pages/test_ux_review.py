"""Fixes from the UX review of 2026-12 (docs/ux-review-2026-12.md): what a phone shows, and
words instead of codes on Chinese pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

import onconav
from onconav.costs.services import chart_svg, cost_estimate
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db
CSS = Path(onconav.__file__).parent / "static" / "css" / "onconav.css"


def test_cost_chart_is_narrow_enough_to_read_on_a_phone_and_names_sit_above_bars(kb_loaded):
    # given an estimate with several phases
    svg = chart_svg(cost_estimate(regimen="osimertinib"))
    # then the drawing is at most 400 units wide, so a 360 px phone draws its text at full size
    width = float(re.search(r'viewBox="0 0 ([0-9.]+) ', svg).group(1))
    assert width <= 400
    # and every phase name starts at the left edge above its bar (never beside it, where a long
    # name like "Diagnosis and planning" ran into the bar)
    names = [float(y) for y in re.findall(r'<text x="0" y="([0-9.]+)" font-size="14"', svg)]
    bars = [float(y) for y in re.findall(r'<rect x="0" y="([0-9.]+)"', svg)]
    assert names and len(names) == len(bars)
    assert all(n < b for n, b in zip(names, bars, strict=True))


def test_cost_line_items_become_labelled_cards_on_a_phone(client, kb_loaded):
    # when someone estimates a treatment
    html = client.get("/costs/estimate/", {"treatment": "osimertinib", "city": "Shanghai"}).content.decode()
    # then the line-item table stacks on a phone (class "stack"), not a sideways-scrolling box
    table = re.search(r'<table class="stack cost-lines">.*?</table>', html, re.S).group(0)
    assert "Table (scrolls sideways on a small screen)" not in html
    # and each cell carries the name of its column, shown above it on a phone
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", table, re.S).group(1)
    labels = re.findall(r'<td data-label="([^"]+)"', first_row)
    assert labels == ["Phase", "Item", "Units", "Cost range", "Year of the price and source"]
    assert "table.stack td[data-label]::before" in CSS.read_text(encoding="utf-8")


def test_case_queue_names_cities_in_chinese(client, login_as, coordinator):
    # given a case whose patient prefers Beijing and Shanghai
    CaseFactory(preferred_cities=["Beijing", "Shanghai"])
    login_as(coordinator)
    # when the coordinator reads the queue in Chinese
    with translation.override("zh-hans"):
        html = client.get("/cases/queue/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    # then the cities are Chinese words
    assert "北京、上海" in html and "Beijing" not in html  # the enumeration comma in Chinese


def test_a_phase_whose_price_is_not_known_is_never_drawn_as_zero(kb_loaded):
    # given sotorasib, whose price in China is not in the knowledge base
    est = cost_estimate(regimen="sotorasib", city="Shanghai")
    treatment = next(p for p in est.phase_totals() if p["phase"] == "treatment")
    assert treatment["unknown_items"] >= 1 and treatment["cny_high"] == 0
    # when the chart is drawn, then the treatment phase reads "price not known", not "CNY 0 – 0"
    with translation.override("en"):
        svg = chart_svg(est)
    assert "price not known" in svg and "CNY 0 – 0" not in svg
    with translation.override("zh-hans"):
        assert "价格未知" in chart_svg(est)


def test_estimate_total_says_what_it_leaves_out(client, kb_loaded):
    # when someone estimates a treatment whose drug price is unknown
    html = client.get("/costs/estimate/", {"treatment": "sotorasib", "city": "Shanghai"}).content.decode()
    # then the total is followed by how many items it does not count
    assert "Not counted in this total:" in html
    # and the API says the same
    api = client.get("/api/v1/costs/estimate", {"regimen": "sotorasib", "currency": "USD"}).json()
    assert api["unknown_items"] >= 1
    assert all("unknown_items" in p for p in api["phases"])


def test_quote_builder_names_the_estimate_city_in_chinese(client, login_as, coordinator, kb_loaded):
    from onconav.cases.models import CaseState

    # given a matched case whose patient prefers Shanghai
    case = CaseFactory(state=CaseState.HOSPITAL_MATCHED, preferred_cities=["Shanghai"])
    login_as(coordinator)
    # when the coordinator opens the quote builder in Chinese
    with translation.override("zh-hans"):
        html = client.get(
            f"/cases/{case.public_id}/quotes/new/", HTTP_ACCEPT_LANGUAGE="zh-Hans"
        ).content.decode()
    # then the hint about the estimate is in Chinese, with the city's Chinese name
    assert "按上海的价格估算" in html
    assert "Estimate for" not in html


def test_audit_log_shows_actions_and_objects_as_codes(client, login_as, coordinator, patient):
    # given an audited read
    from onconav.audit.services import audit_record

    audit_record(request=None, actor=patient, action="case_list", object_type="case", object_id="x")
    login_as(coordinator)
    # when the audit log is read, then the technical names are marked as code, not prose
    html = client.get("/staff/audit/").content.decode()
    assert "<code>case_list</code>" in html


def test_hospital_choices_name_the_city_in_the_page_language(kb_loaded):
    from onconav.cases.hospitals import hospital_choices

    # when the hospital list of the quote, referral and travel forms is built in Chinese
    with translation.override("zh-hans"):
        zh = dict(hospital_choices())
    # then the city is in Chinese
    assert zh["fudan-cancer-center"].endswith("（上海）")
    with translation.override("en"):
        assert dict(hospital_choices())["fudan-cancer-center"].endswith(" (Shanghai)")


def test_case_queue_stacks_into_labelled_cards_on_a_phone(client, login_as, coordinator):
    CaseFactory()
    login_as(coordinator)
    html = client.get("/cases/queue/").content.decode()
    # then the queue is a stacking table, each cell named by its column (not six squeezed columns)
    assert '<table class="queue stack">' in html
    assert '<td data-label="Cities">' in html and '<td data-label="First reply due">' in html


def test_profile_upload_on_the_options_page_shows_that_it_is_working(client):
    # when someone opens the options page
    html = client.get("/options/").content.decode()
    # then the profile upload form is marked as a slow form with a status line, hidden until sent
    form = re.search(r'<form [^>]*action="/options/upload/[^"]*"[^>]*>.*?</form>', html, re.S).group(0)
    assert "data-busy" in form.split(">")[0]
    assert re.search(r'<p class="hint" role="status" data-busy-status hidden>', form)
    # and the site script disables the button and shows the status on submit
    js = (CSS.parents[1] / "js" / "onconav.js").read_text(encoding="utf-8")
    assert 'form.matches("form[data-busy]")' in js and "status.hidden = false" in js


def test_a_budget_the_patient_entered_is_shown_with_thousands_separators():
    from onconav.intake.display import answer_rows

    # given an intake with a budget of 50000 US dollars and one companion
    rows = answer_rows({"budget": {"budget_usd": 50000, "insurance": "none"}, "travel": {"companions": 1}})
    values = {i["label"]: i["value"] for r in rows for i in r["items"] if i["value"]}
    # then the staff's case page and the check page read "50,000"; small counts stay as they are
    assert "50,000" in values.values() and "50000" not in values.values()
    assert "1" in values.values()


def test_erase_confirmation_field_is_laid_out_like_every_other_field(client, login_as, patient):
    # when a patient opens "erase my data"
    login_as(patient)
    html = client.get("/my-data/erase/").content.decode()
    # then the email box is a full-width form field with its label above it (not a bare inline box)
    assert re.search(
        r'<div class="field"><label for="email">[^<]+</label><input type="email" id="email"', html
    )
    # and lists of cards (my cases, my consents) have no list bullets
    css = CSS.read_text(encoding="utf-8")
    assert ".case-list { list-style: none;" in css


def test_unused_preferences_on_the_options_page_are_words_in_chinese(client, kb_loaded):
    # given a profile whose preferred cities do not change the options
    data = {
        "oncotree_code": "LUAD",
        "stage": "IV",
        "other_alterations": "KRAS G12C",
        "cities": ["Beijing", "Shanghai"],
    }
    # when the options are shown in Chinese
    with translation.override("zh-hans"):
        html = client.post("/options/", data, HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    # then the list of what did not change the options names the cities in Chinese
    assert "您填写的内容中没有改变治疗方案的部分" in html
    block = html[html.index("您填写的内容中没有改变治疗方案的部分") :]
    block = block[: block.index("</ul>")]
    assert "北京、上海" in block and "Shanghai" not in block


def test_filter_bars_put_one_field_per_line_on_a_phone():
    # the trial search's condition box was too narrow at 390 px for its example text
    css = CSS.read_text(encoding="utf-8")
    assert "@media (max-width: 40rem) { .filters .field { flex: 1 1 100%; } }" in css
