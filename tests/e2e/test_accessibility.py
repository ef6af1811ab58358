"""WCAG 2.2 AA checks with axe-core (vendored in tests/e2e/vendor, MPL-2.0) on the main pages, in
both languages. Serious and critical violations fail the test."""

import pytest

from tests.e2e.conftest import serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/options/",
    "/kb/",
    "/kb/drugs/osimertinib/",
    "/kb/cancers/LUAD/",
    "/hospitals/",
    "/hospitals/map/",
    "/costs/estimate/?hospital=fudan-cancer-center",  # treatments go in POST bodies only
    "/guide/",
    "/guide/faq/",
    "/accounts/login/",
]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_main_pages_have_no_serious_accessibility_violations(live_server, a11y_page, kb_loaded, lang):
    page = a11y_page
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    problems = {}
    for url in PAGES:
        page.goto(live_server.url + url)
        found = serious_accessibility_violations(page)
        if found:
            problems[url] = found
    assert not problems, problems


def test_options_results_have_no_serious_accessibility_violations(live_server, a11y_page, kb_loaded):
    page = a11y_page
    page.goto(live_server.url + "/options/")
    page.select_option("#id_oncotree_code", "LUAD")
    page.fill("#id_stage", "IV")
    page.select_option("#id_egfr", "L858R")
    page.locator("form.options-form button[type=submit]").first.click()
    page.wait_for_selector(".option-card")
    assert not serious_accessibility_violations(page)
