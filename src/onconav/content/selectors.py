"""The travel guide: articles (Markdown, sanitised) and FAQ from the knowledge base."""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3
from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language

from onconav.kbdata.articles import Article, load_articles

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "code",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
}


def current_lang() -> str:
    return "zh-hans" if (get_language() or "").startswith("zh") else "en"


@lru_cache(maxsize=1)
def _articles() -> tuple[Article, ...]:
    return tuple(load_articles(settings.KNOWLEDGE_BASE_PATH)[0])


def articles(lang: str | None = None) -> list[Article]:
    lang = lang or current_lang()
    return sorted((a for a in _articles() if a.lang == lang), key=lambda a: (a.topic, a.title))


def article_get(slug: str, lang: str | None = None) -> Article:
    lang = lang or current_lang()
    for a in _articles():
        if a.slug == slug and a.lang == lang:
            return a
    raise Http404("no such article")


def article_html(article: Article) -> str:
    html = markdown.markdown(article.body, extensions=["tables", "sane_lists"])
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener noreferrer"
    )


def faq(topic: str = ""):  # type: ignore[no-untyped-def]
    from onconav.options.services import engine_get

    items = list(engine_get().kb.faq)
    return [f for f in items if not topic or f.topic == topic]


def guide_search(q: str, lang: str | None = None) -> dict[str, list]:
    lang = lang or current_lang()
    term = q.strip().lower()
    if not term:
        return {"articles": [], "faq": []}
    arts = [a for a in articles(lang) if term in (a.title + " " + a.summary + " " + a.body).lower()]
    key = "zh" if lang == "zh-hans" else "en"
    qs = [f for f in faq() if term in (getattr(f.question, key) + " " + getattr(f.answer, key)).lower()]
    return {"articles": arts, "faq": qs}
