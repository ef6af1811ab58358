"""The directory writes its hospital cards in Python (``{% hospital_cards %}``, issue 13 speed):
the same HTML as the template loop it replaced, for every hospital of the knowledge base and for
the odd values a record can hold, in both languages."""

from __future__ import annotations

import pytest
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe

from onconav.hospitals import selectors

# the loop as hospitals/_list.html wrote it before
LOOP = """{% load i18n bilingual site %}<div class="hospital-grid">{% for h, url in hospitals %}
<article class="hospital-card">
  <h3><a href="{{ url }}">{% if LANGUAGE_CODE == "zh-hans" and h.data.name_zh %}{{ h.data.name_zh }}{% else %}<span lang="en">{{ h.data.name }}</span>{% endif %}</a></h3>
  {% if LANGUAGE_CODE != "zh-hans" and h.data.name_zh %}<p class="hint" lang="zh-Hans">{{ h.data.name_zh }}</p>{% endif %}
  <p>{{ h.data.city|label:"city" }} · {{ h.data.type|hospital_type }}{% if h.data.boao_pilot_zone %} · {% translate "Boao Lecheng pilot zone" %}{% endif %}</p>
  {% if h.data.capabilities %}<p class="badges">{% for c in h.data.capabilities %}<span class="badge">{{ c|capability }}</span>{% endfor %}</p>{% endif %}
  {% if not h.data.verified %}<p class="hint">{% translate "Some facts are not yet verified." %}</p>{% endif %}
</article>
{% empty %}<p>{% translate "No hospital matches these filters." %}</p>{% endfor %}</div>"""
TAG = """{% load i18n bilingual site %}<div class="hospital-grid">{% if hospitals %}{% hospital_cards hospitals %}{% else %}<p>{% translate "No hospital matches these filters." %}</p>{% endif %}</div>"""

ODD = [
    {},
    {"name": None, "name_zh": None, "city": None, "type": None, "capabilities": None, "verified": None},
    {"name": "A & <B>", "name_zh": "", "city": "Beijing", "type": "private", "verified": True},
    {
        "name": 'O\'Brien "Clinic"',
        "name_zh": "诊所<b>",
        "city": "Nowhere & Co",
        "type": "not_a_type",
        "boao_pilot_zone": True,
        "capabilities": ["proton", "not_a_capability", "<x>"],
        "verified": False,
    },
    {"name": mark_safe("<i>safe</i>"), "name_zh": "医院", "capabilities": [], "boao_pilot_zone": 0},  # noqa: S308
]


def _both(hospitals, lang):  # type: ignore[no-untyped-def]
    django = engines["django"]
    with translation.override(lang):
        ctx = {"hospitals": hospitals, "LANGUAGE_CODE": translation.get_language()}
        return django.from_string(LOOP).render(ctx), django.from_string(TAG).render(ctx)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_every_hospital_card_is_written_as_the_template_wrote_it(kb_loaded, lang):
    hospitals = [(h, f"/hospitals/{h.id}/?a=1&b=<2>") for h in selectors.hospital_views()]
    assert len(hospitals) > 100
    old, new = _both(hospitals, lang)
    assert new == old


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_odd_values_and_no_hospital_are_written_as_the_template_wrote_them(lang):
    hospitals = [
        (selectors.HospitalView(id=f"h{i}", data=d, updates=[]), f"/h/{i}/") for i, d in enumerate(ODD)
    ]
    old, new = _both(hospitals, lang)
    assert new == old
    assert _both([], lang)[0] == _both([], lang)[1]


FIELDS_OLD = '{% for field in form %}{% include "includes/field.html" %}{% endfor %}'
FIELDS_NEW = (
    "{% load site %}{% for field in form %}{% if field.use_fieldset %}"
    '{% include "includes/field.html" %}{% else %}{% form_field field %}{% endif %}{% endfor %}'
)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"city": "Beijing", "capability": "proton", "q": "<b>&", "language": "en", "scope": "all"},
        {"city": "Nowhere", "capability": "x", "q": "x" * 101, "language": "y" * 11, "accreditation": "?"},
    ],
)
def test_the_filter_fields_are_written_as_the_field_include_wrote_them(lang, data):
    """The directory's filters with ``{% form_field %}``: the same HTML as ``includes/field.html``,
    valid or not; a form with a hint and a fieldset (the hospital match form) too."""
    from onconav.hospitals.forms import DirectoryFilterForm, MatchForm

    django = engines["django"]
    with translation.override(lang):
        for form in (DirectoryFilterForm(data), MatchForm(data)):
            if data is not None:
                form.is_valid()
            old = django.from_string(FIELDS_OLD).render({"form": form})
            new = django.from_string(FIELDS_NEW).render({"form": form})
            assert new == old
            assert "<label" in new
