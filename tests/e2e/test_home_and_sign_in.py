import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import current_totp
from tests.e2e.conftest import shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_in_both_languages_with_switch(live_server, page):
    # Given a visitor on the home page in English
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Understand your cancer treatment options")
    )
    shot(page, "home-en")
    # When they choose 简体中文 in the language switch
    page.get_by_label("Language").select_option("zh-hans")
    # Then the page is in Chinese, and it stays so on the next page
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    assert "了解您的癌症治疗方案" in page.get_by_role("heading", level=1).inner_text()
    shot(page, "home-zh")
    page.get_by_role("link", name="关于", exact=True).first.click()
    assert "关于 OncoNav" in page.get_by_role("heading", level=1).inner_text()


def test_keyboard_user_can_skip_to_main_content(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused


def test_coordinator_signs_in_with_two_factor(live_server, page, coordinator, password):
    # Given a coordinator with an authenticator device
    device = TOTPDevice.objects.get(user=coordinator)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(coordinator.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # Then the second step asks for the code
    page.wait_for_url("**/accounts/2fa/verify/**")
    shot(page, "login-2fa")
    page.get_by_label("6-digit code from your authenticator app").fill("123")
    page.get_by_role("button", name="Verify").click()
    assert page.locator(".error-summary").is_visible()
    page.get_by_label("6-digit code from your authenticator app").fill(current_totp(device))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/cases/queue/")  # staff land on their queue
    assert coordinator.email not in page.url
    shot(page, "coordinator-signed-in")
