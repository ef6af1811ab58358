import pytest

pytestmark = pytest.mark.django_db


def test_home_page_explains_what_the_service_is_and_is_not(client):
    resp = client.get("/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert '<html lang="en">' in html
    assert "It does not diagnose or prescribe" in html
    assert 'id="main"' in html and "<header" in html and "<footer" in html and "<nav" in html


def test_home_page_in_simplified_chinese(client):
    resp = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    html = resp.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "不做诊断，也不开处方" in html


def test_language_switch_persists_the_choice(client):
    resp = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/about/"})
    assert resp.status_code == 302 and resp["Location"] == "/about/"
    assert "关于 OncoNav" in client.get("/about/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "About OncoNav" in client.get("/about/").content.decode()


def test_pages_use_no_external_resources(client):
    html = client.get("/").content.decode()
    assert "http://" not in html.replace('xmlns="http://www.w3.org', "")
    assert "https://" not in html
    assert "/static/vendor/htmx.min.js" in html


def test_security_headers_are_set(client):
    resp = client.get("/")
    assert "default-src 'self'" in resp["Content-Security-Policy"]
    assert resp["X-Frame-Options"] == "DENY"
    assert resp["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("lang", "text"), [("en", "Page not found"), ("zh-Hans", "页面未找到")])
def test_404_page_in_both_languages(client, settings, lang, text):
    settings.DEBUG = False
    resp = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=lang)
    assert resp.status_code == 404
    assert text in resp.content.decode()


def test_500_page_shows_no_stack_trace(client, settings):
    from django.test import RequestFactory
    from django.utils import translation

    from onconav.pages.views import error_500

    settings.DEBUG = False
    with translation.override("en"):
        resp = error_500(RequestFactory().get("/"))
    assert resp.status_code == 500
    body = resp.content.decode()
    assert "Something went wrong" in body and "Traceback" not in body
