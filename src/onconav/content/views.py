from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from onconav.content import selectors


def guide_index(request: HttpRequest) -> HttpResponse:
    return render(request, "content/index.html", {"articles": selectors.articles()})


def article(request: HttpRequest, slug: str) -> HttpResponse:
    a = selectors.article_get(slug)
    html = mark_safe(selectors.article_html(a))  # noqa: S308 - sanitised by nh3
    return render(request, "content/article.html", {"a": a, "html": html})


def faq(request: HttpRequest) -> HttpResponse:
    return render(request, "content/faq.html", {"faq": selectors.faq(request.GET.get("topic", ""))})


def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    return render(request, "content/search.html", {"q": q, "results": selectors.guide_search(q)})
