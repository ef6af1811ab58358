import pytest

from tests.e2e.conftest import shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_search_then_hospital_then_cost_estimate(live_server, page, kb_loaded, lang):
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    # Given a visitor searching the hospital directory
    page.goto(live_server.url + "/hospitals/?q=Fudan")
    page.locator(".hospital-card a[href='/hospitals/fudan-cancer-center/']").first.click()
    # Then the hospital page shows its facts and sources
    page.wait_for_url("**/hospitals/fudan-cancer-center/")
    assert "复旦" in page.content()
    shot(page, f"hospital-{lang}")
    # When they ask for a cost estimate there
    page.locator("a[href*='/costs/estimate/?hospital=fudan-cancer-center']").click()
    page.locator("#id_treatment").fill(
        "osimertinib" if lang == "en" else "奥希替尼"
    )  # by name, either language
    page.locator(".estimate-form button[type=submit]").click()
    # Then an estimate with a chart and line items appears
    page.wait_for_selector(".cost-chart svg")
    assert page.locator("table tbody tr").count() >= 5
    shot(page, f"estimate-{lang}")
