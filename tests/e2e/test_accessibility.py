"""WCAG 2.2 AA checks with axe-core (vendored in tests/e2e/vendor, MPL-2.0) on the main pages, in
both languages. Serious and critical violations fail the test."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
PAGES = [
    "/",
    "/options/",
    "/kb/",
    "/kb/drugs/osimertinib/",
    "/kb/cancers/LUAD/",
    "/hospitals/",
    "/hospitals/map/",
    "/costs/estimate/?regimen=osimertinib",
    "/guide/",
    "/guide/faq/",
    "/accounts/login/",
]


@pytest.fixture
def a11y_page(browser):  # type: ignore[no-untyped-def]
    """A page that may inject axe-core despite the site's Content-Security-Policy."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def _violations(page):  # type: ignore[no-untyped-def]
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_main_pages_have_no_serious_accessibility_violations(live_server, a11y_page, kb_loaded, lang):
    page = a11y_page
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    problems = {}
    for url in PAGES:
        page.goto(live_server.url + url)
        found = _violations(page)
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
    assert not _violations(page)
