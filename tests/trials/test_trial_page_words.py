"""Trial pages in Chinese: the registry's codes (PHASE2, RECRUITING) shown as words, cities and
countries in Chinese, and the registry's English text marked as English (UX review 2026-12)."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from onconav.accounts.models import Role
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

RAW_REGISTRY_CODE = re.compile(
    r">[^<]*\b(?:EARLY_PHASE1|PHASE[1-4]|RECRUITING|NOT_YET_RECRUITING|ACTIVE_NOT_RECRUITING)\b"
)


def zh(client, url: str, **params) -> str:  # type: ignore[no-untyped-def]
    with translation.override("zh-hans"):
        return client.get(url, params, HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()


def test_search_page_in_chinese_shows_phase_status_and_cities_as_words(client, demo_trials):
    # when a visitor opens the trial search in Chinese
    html = zh(client, "/trials/")
    # then phases, statuses and cities are Chinese words, also in the filter choices
    assert "2期" in html and "正在招募" in html and "上海" in html
    assert '<option value="PHASE3">3期</option>' in html
    assert '<option value="RECRUITING">正在招募</option>' in html
    # and no registry code is shown as text
    assert not RAW_REGISTRY_CODE.findall(html)
    # and the registry's English titles are marked as English
    assert re.search(r'<a href="/trials/NCT99900001/" lang="en">', html)


def test_trial_page_in_chinese_shows_words_and_marks_registry_english(client, demo_trials):
    html = zh(client, "/trials/NCT99900001/")
    # then the phase, the status and each site's city and country are in Chinese
    assert "<dd>2期</dd>" in html and "<dd>正在招募</dd>" in html
    assert "上海，中国" in html and "武汉，中国" in html  # Chinese commas (ux-review leftovers)
    # and a site that is not open says why in words
    assert "（尚未开始招募）" in html or "(尚未开始招募)" in html
    assert not RAW_REGISTRY_CODE.findall(html)
    # and the facility names, as the registry writes them, are marked as English
    assert '<span lang="en">Demo Hospital A (fictional)</span>' in html


def test_trial_page_in_english_reads_naturally(client, demo_trials):
    html = client.get("/trials/NCT99900001/").content.decode()
    assert "<dd>Phase 2</dd>" in html and "<dd>Recruiting</dd>" in html
    assert "(Not yet recruiting)" in html
    assert not RAW_REGISTRY_CODE.findall(html)


def test_trials_for_my_case_in_chinese_shows_words(client, login_as, make_user, demo_trials):
    # given a patient with a myeloma case
    owner = make_user(Role.PATIENT)
    CaseFactory(
        patient=owner,
        cancer_code="PCM",
        profile={"age": 60, "sex": "male", "ecog": 1, "cancer": {"oncotree_code": "PCM"}},
    )
    login_as(owner)
    # when they open "trials for my case" in Chinese
    html = zh(client, "/trials/for-my-case/")
    # then matched trials show phases, statuses and cities in Chinese, never registry codes
    assert "trial-card" in html and "期" in html
    assert not RAW_REGISTRY_CODE.findall(html)


@pytest.mark.parametrize(
    ("value", "en", "zh_hans"),
    [
        ("Wuhan", "Wuhan", "武汉"),
        ("Korea, Republic of", "South Korea", "韩国"),
        ("Ulaanbaatar", '<span lang="en">Ulaanbaatar</span>', '<span lang="en">Ulaanbaatar</span>'),
    ],
)
def test_place_names_are_translated_or_marked_as_english(value, en, zh_hans):
    t = Template('{% load site %}{{ v|label_or_en:"place" }}|{{ p|phases }}')
    with translation.override("en"):
        assert t.render(Context({"v": value, "p": ["PHASE1", "PHASE2"]})) == f"{en}|Phase 1 / Phase 2"
    with translation.override("zh-hans"):
        assert t.render(Context({"v": value, "p": "PHASE1/PHASE2"})) == f"{zh_hans}|1期 / 2期"


def test_case_page_trials_show_phase_words_and_chinese_cities(client, login_as, coordinator, demo_trials):
    # given a myeloma case with matching trials
    case = CaseFactory(
        cancer_code="PCM",
        profile={"age": 60, "sex": "male", "ecog": 1, "cancer": {"oncotree_code": "PCM"}},
    )
    login_as(coordinator)
    # when the coordinator reads the case in Chinese
    html = zh(client, f"/cases/{case.public_id}/")
    section = html[html.index('id="case-trials-title"') :]
    section = section[: section.index("</section>")]
    # then the trials show phases in words and cities in Chinese
    assert "期" in section and "NCT99900002" in section
    assert not RAW_REGISTRY_CODE.findall(section)
    assert not re.search(r"Hangzhou|Shanghai|Beijing", section)


@pytest.mark.parametrize("url", ["/trials/", "/trials/NCT99900001/"])
def test_the_investigational_label_is_said_once(client, demo_trials, url):
    # the label already begins with "Investigational:" ("试验性治疗："); no second prefix before it
    assert "Investigational: Investigational" not in re.sub(r"<[^>]+>", "", client.get(url).content.decode())
    assert '<p class="notice">Investigational: a research study.' in client.get(url).content.decode()
    assert '<p class="notice">试验性治疗：这是一项临床研究。' in zh(client, url)
