"""What the UX review of 2026-12 left (docs/ux-review-2026-12.md, "Remaining", issue 11): Chinese
punctuation in lists, trial-site places in Chinese, the co-occurrence note once, and the KB's
curated Chinese for outcomes on the options page."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_trials():  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    call_command("trials_load_demo", verbosity=0)


CJK = re.compile(r"[\u4e00-\u9fff]")
KRAS = {"oncotree_code": "LUAD", "stage": "IV", "other_alterations": "KRAS G12C"}


def _zh(client, url: str, data: dict | None = None) -> str:  # type: ignore[type-arg]
    with translation.override("zh-hans"):
        if data is None:
            return client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
        return client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()


def _dd(html: str, term: str) -> str:
    return re.search(rf"<dt>{re.escape(term)}</dt><dd[^>]*>(.*?)</dd>", html, re.S).group(1)


# --- lists of words in Chinese use the enumeration comma ------------------------------------------


def test_hospital_lists_use_the_chinese_enumeration_comma(client, kb_loaded):
    # given a hospital known to offer several things
    # when its page is read in Chinese
    html = _zh(client, "/hospitals/fudan-cancer-center/")
    offers = _dd(html, "已知可提供的治疗")
    # then the items are joined with 、, never with a Latin comma
    assert "、" in offers and "," not in offers
    # and in English with commas
    en = _dd(client.get("/hospitals/fudan-cancer-center/").content.decode(), "What it is known to offer")
    assert ", " in en and "、" not in en


def test_sep_tag_gives_the_mark_of_the_page_language():
    t = Template('{% load site %}a{% sep %}b{% sep "; " %}c{% sep ", " "，" %}d')
    with translation.override("en"):
        assert t.render(Context()) == "a, b; c, d"
    with translation.override("zh-hans"):
        assert t.render(Context()) == "a、b、c，d"


def test_the_intake_send_page_names_the_chosen_cities_in_chinese(client, login_as, patient, kb_loaded):
    from tests.intake.test_intake_flow import _fill_required

    login_as(patient)
    _fill_required(client)
    html = _zh(client, "/start/send/")
    assert "北京、上海" in html and "Beijing, Shanghai" not in html


# --- trial-site places --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "en", "zh_hans"),
    [
        ("Hefei", "Hefei", "合肥"),
        ("Kunming", "Kunming", "昆明"),
        ("Urumqi", "Urumqi", "乌鲁木齐"),
        ("Xian", "Xi&#x27;an", "西安"),  # registry spellings of Xi'an, already in the first table
        ("XI'AN", "Xi&#x27;an", "西安"),
        ("Hefei City", "Hefei City", "合肥"),
        ("Taiwan", "Taiwan", "中国台湾"),
        ("Singapore", "Singapore", "新加坡"),
        ("Russian Federation", "Russian Federation", "俄罗斯"),
    ],
)
def test_trial_site_places_beyond_the_first_table_are_named_in_chinese(value, en, zh_hans):
    t = Template('{% load site %}{{ v|label_or_en:"place" }}')
    with translation.override("zh-hans"):
        assert t.render(Context({"v": value})) == zh_hans
    with translation.override("en"):
        assert t.render(Context({"v": value})) == en


@pytest.mark.parametrize("value", ["Taizhou", "Fuzhou", "Springfield"])
def test_ambiguous_or_unknown_places_stay_marked_as_english(value):
    # two Chinese cities share the pinyin "Taizhou" (台州, 泰州) and "Fuzhou" (福州, 抚州)
    t = Template('{% load site %}{{ v|label_or_en:"place" }}')
    with translation.override("zh-hans"):
        assert t.render(Context({"v": value})) == f'<span lang="en">{value}</span>'


def test_trial_page_joins_facility_city_and_country_with_chinese_commas(client, demo_trials):
    html = _zh(client, "/trials/NCT99900002/")
    sites = html[html.index('<ul class="sites">') :]
    sites = sites[: sites.index("</ul>")]
    assert "，" in sites and "</span>, " not in sites


# --- the co-occurrence note once ------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_co_occurrence_note_is_shown_once(client, kb_loaded, lang):
    from onconav.options.services import options_for_profile

    # given a KRAS G12C lung cancer, where many options wait on EGFR and ALK results
    answer = options_for_profile(
        profile={
            "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
            "biomarkers": [{"gene": "KRAS", "alteration": "G12C"}],
        },
        lang=lang,
    )
    notes = {o.condition.note for o in answer.options if o.condition and o.condition.note}
    assert notes, "the profile no longer gives conditional options with a note"
    # when the options page is shown
    if lang == "en":
        html = client.post("/options/", KRAS).content.decode()
    else:
        html = _zh(client, "/options/", KRAS)
    # then each note appears once on the page, not on every conditional option
    for note in notes:
        escaped = note.replace("'", "&#x27;").replace('"', "&quot;")
        assert html.count(escaped) == 1, (note, html.count(escaped))


def test_a_note_not_among_the_warnings_stays_on_the_first_option_only():
    from types import SimpleNamespace as NS

    from onconav.options.services import condition_notes_once

    def opt(rank, note):  # type: ignore[no-untyped-def]
        return NS(rank=rank, condition=NS(note=note) if note else None)

    options = [opt(1, "A"), opt(2, "A"), opt(3, None), opt(4, "B"), opt(5, "B")]
    answer = NS(warnings=["B"])
    groups = [{"options": options[:2]}, {"options": options[2:]}]
    assert condition_notes_once(answer, groups) == {1: "A"}


# --- the KB's Chinese for outcomes on the options page ---------------------------------------------


def test_options_in_chinese_use_the_curated_chinese_of_outcomes(kb_loaded):
    from onconav.options.services import engine_get, options_for_profile

    kb = engine_get().kb
    curated = {(o.reference, o.comparator_zh) for e in kb.evidence for o in e.outcomes if o.comparator_zh}
    profiles = [
        {
            "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
            "biomarkers": [{"gene": "KRAS", "alteration": "G12C"}],
        },
        {
            "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
            "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}],
        },
    ]
    seen = 0
    for profile in profiles:
        for o in options_for_profile(profile=profile, lang="zh-hans").options:
            for out in o.outcomes:
                if out.comparator:
                    seen += 1
                    # every comparator is the KB's Chinese text, never the English one
                    assert CJK.search(out.comparator), out.comparator
                    assert (out.reference, out.comparator) in curated
                assert CJK.search(out.endpoint), out.endpoint
            # and the benefit line of "why this option" names the endpoint in Chinese too
            for line in o.rationale:
                if line.startswith("获益：风险比"):
                    assert not re.search(r"survival|response|HR for", line), line
    assert seen >= 5
    # and English answers keep the English
    en = options_for_profile(profile=profiles[1], lang="en").options
    assert not any(CJK.search(out.comparator or "") for o in en for out in o.outcomes)


def test_outcomes_and_deciding_tests_use_chinese_punctuation(client, kb_loaded):
    html = _zh(client, "/options/", KRAS)
    outcomes = html[html.index('<ul class="outcomes"') :]
    outcomes = outcomes[: outcomes.index("</ul>")]
    assert "（对照：" in outcomes and "(对照" not in outcomes
    assert "：<strong>" in outcomes and ": <strong>" not in outcomes
    condition = html[html.index('<div class="condition"') :]
    condition = condition[: condition.index("</div>")]
    assert "起决定作用的检测：" in condition and "; " not in condition
    # and equivalent options are listed with the enumeration comma
    tie = re.search(r'<p class="tie">(.*?)</p>', html, re.S).group(1)
    assert re.search(r"\d、\d", tie) and not re.search(r"\d, \d", tie)
