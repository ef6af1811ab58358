"""Knowledge-base pages in a real browser (issue 10): no horizontal scrolling at 390 px, in English
and Chinese, and no serious accessibility violation on the pages this work changed. Screenshots at
390 px and 1280 px go to test-artifacts/e2e/ (kb-<page>-<lang>-<width>.png) for people to look at."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "index": "/kb/",
    "drug": "/kb/drugs/tivantinib/",
    "drug-approved": "/kb/drugs/larotrectinib/",
    "evidence": "/kb/evidence/solid-ntrk-repotrectinib-after-trk-inhibitor/",
    "evidence-outcomes": "/kb/evidence/solid-her2-ihc3-trastuzumab-deruxtecan-later-line/",
    "cancer": "/kb/cancers/LUAD/",
    "modality": "/kb/modalities/cell_therapy/",
}
WIDTHS = (390, 1280)


def _open(browser, live_server, lang: str, width: int):  # type: ignore[no-untyped-def]
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_kb_pages_fit_a_phone_and_are_screenshotted(live_server, browser, kb_loaded, lang):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    too_wide = {}
    for width in WIDTHS:
        context, page = _open(browser, live_server, lang, width)
        for name, url in PAGES.items():
            resp = page.goto(live_server.url + url)
            assert resp is not None and resp.status == 200, url
            page.screenshot(path=str(ARTIFACTS / f"kb-{name}-{lang}-{width}.png"), full_page=True)
            scroll = page.evaluate("() => document.documentElement.scrollWidth")
            if width == 390 and scroll > 390:
                too_wide[url] = scroll
        context.close()
    assert not too_wide, f"pages scroll sideways at 390 px ({lang}): {too_wide}"


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_kb_pages_have_no_serious_accessibility_violations(live_server, browser, kb_loaded, lang):
    context, page = _open(browser, live_server, lang, 1280)
    problems = {}
    for url in PAGES.values():
        page.goto(live_server.url + url)
        found = serious_accessibility_violations(page)
        if found:
            problems[url] = found
    context.close()
    assert not problems, problems


def test_chinese_drug_page_speaks_chinese_about_access(live_server, browser, kb_loaded):
    context, page = _open(browser, live_server, "zh-hans", 390)
    page.goto(live_server.url + "/kb/drugs/tivantinib/")
    text = page.inner_text("main")
    context.close()
    assert "在中国" in text and "研究性药物" in text
    assert "In China" not in text and "Investigational" not in text
