from pathlib import Path

import pytest
from django.conf import settings

from onconav.kbdata.articles import TOPICS, load_articles

pytestmark = pytest.mark.django_db

# Every travel-guide topic has at least one article (record review is filed under "treatment").
REQUIRED_TOPICS = set(TOPICS) - {"treatment"}


def test_every_article_exists_in_both_languages_with_review_date_and_sources():
    articles, problems = load_articles(Path(settings.KNOWLEDGE_BASE_PATH))
    assert problems == []
    assert REQUIRED_TOPICS <= {a.topic for a in articles}
    for a in articles:
        assert a.sources and a.reviewed


def test_guide_avoids_marketing_claims():
    articles, _ = load_articles(Path(settings.KNOWLEDGE_BASE_PATH))
    for a in articles:
        text = (a.title + a.summary + a.body).lower()
        for word in (" the best ", "guaranteed", "miracle", "100% cure"):
            assert word not in text, (a.slug, word)


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_guide_pages_render(client, lang):
    assert client.get("/guide/", HTTP_ACCEPT_LANGUAGE=lang).status_code == 200
    assert client.get("/guide/boao-lecheng-pilot-zone/", HTTP_ACCEPT_LANGUAGE=lang).status_code == 200
    assert client.get("/guide/faq/", HTTP_ACCEPT_LANGUAGE=lang).status_code == 200


def test_guide_search_finds_articles_and_questions(client):
    html = client.get("/guide/search/", {"q": "visa"}).content.decode()
    assert "/guide/medical-visa/" in html


def test_article_html_is_sanitised():
    from onconav.content.selectors import article_html
    from onconav.kbdata.articles import Article

    a = Article(
        slug="x",
        lang="en",
        title="t",
        summary="s",
        topic="visa",
        reviewed="2026-11-24",
        sources=["URL:https://example.org"],
        body="<script>alert(1)</script> " + "text " * 20,
    )
    assert "<script>" not in article_html(a)


def test_api_serves_articles_and_faq(client):
    arts = client.get("/api/v1/guide/articles", {"lang": "zh-hans"}).json()
    assert arts and all(a["lang"] == "zh-hans" for a in arts)
    assert client.get("/api/v1/guide/articles/medical-visa").json()["html"]
    assert len(client.get("/api/v1/guide/faq").json()) >= 30
