"""KB search is paged (issue 13): the API keeps its bare list and adds limit/offset with Link
headers; the page shows one page of results with next/previous links."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_api_search_pages_with_limit_offset_and_link_headers(client, kb_loaded):
    # given a common word with many matches
    first = client.get("/api/v1/kb/search?q=cancer&limit=5")
    assert first.status_code == 200
    page1 = first.json()
    assert isinstance(page1, list) and len(page1) == 5
    assert 'rel="next"' in first["Link"] and "offset=5" in first["Link"]
    # when the next page is asked for; then it continues the same order
    both = client.get("/api/v1/kb/search?q=cancer&limit=10").json()
    second = client.get("/api/v1/kb/search?q=cancer&limit=5&offset=5")
    assert page1 + second.json() == both
    assert 'rel="prev"' in second["Link"]
    # and without paging parameters the answer is the first 50, as before
    assert len(client.get("/api/v1/kb/search?q=cancer").json()) == 50
    # and a limit beyond the maximum is clamped, never an error
    assert len(client.get("/api/v1/kb/search?q=cancer&limit=100000").json()) == 200


def test_api_search_last_page_has_no_next_link(client, kb_loaded):
    r = client.get("/api/v1/kb/search?q=osimertinib&limit=200")
    assert r.status_code == 200 and r.json()
    assert 'rel="next"' not in r.get("Link", "")


def test_search_page_links_to_the_next_page_in_both_languages(client, kb_loaded):
    for lang, words in (
        ("en", ("Next page", "Pages of the search results")),
        ("zh-hans", ("下一页", "搜索结果分页")),
    ):
        html = client.get("/kb/search/?q=cancer", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert "page=2" in html
        for w in words:
            assert w in html, (lang, w)
    html = client.get("/kb/search/?q=cancer&page=2").content.decode()
    assert "page=1" in html and 'rel="prev"' in html
    assert client.get("/kb/search/?q=cancer&page=abc").status_code == 200


def test_api_collections_are_paged_and_whole_by_default(client, kb_loaded):
    from onconav.kb.models import KBRecord, RecordKind

    n = KBRecord.objects.filter(kind=RecordKind.DRUG).count()
    everyone = client.get("/api/v1/kb/drugs")
    assert len(everyone.json()) == n == int(everyone["X-Total-Count"])
    page = client.get("/api/v1/kb/drugs?limit=7&offset=14")
    assert page.json() == everyone.json()[14:21]
    assert 'rel="next"' in page["Link"] and 'rel="prev"' in page["Link"]
    ev = client.get("/api/v1/kb/evidence?cancer=LUAD&limit=3")
    assert len(ev.json()) == 3 and int(ev["X-Total-Count"]) > 3
    refs = client.get("/api/v1/kb/references?limit=2")
    assert len(refs.json()) == 2 and "ref" in refs.json()[0]
