"""Travel guide: articles and FAQ (public)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from onconav.api.schemas import ErrorBody
from onconav.content import selectors

router = Router(tags=["travel guide"])


def _lang(lang: str) -> str:
    return "zh-hans" if lang.lower().startswith("zh") else "en"


@router.get("/guide/articles", auth=None, summary="Travel-guide articles (metadata)")
def articles(request: HttpRequest, lang: str = "en") -> list[dict[str, Any]]:
    return [a.model_dump(mode="json", exclude={"body"}) for a in selectors.articles(_lang(lang))]


@router.get(
    "/guide/articles/{slug}",
    response={200: dict[str, Any], 404: ErrorBody},
    auth=None,
    summary="One article, Markdown and sanitised HTML",
)
def article(request: HttpRequest, slug: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    a = selectors.article_get(slug, _lang(lang))
    return {**a.model_dump(mode="json"), "html": selectors.article_html(a)}


@router.get("/guide/faq", auth=None, summary="Frequently asked questions, both languages")
def faq(request: HttpRequest, topic: str = "") -> list[dict[str, Any]]:
    return [f.model_dump(mode="json") for f in selectors.faq(topic)]
