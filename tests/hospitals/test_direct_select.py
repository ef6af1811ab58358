"""The directory's filter form writes its selects in Python (``DirectSelect``, issue 13 speed):
the same HTML as Django's template-rendered ``forms.Select``."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe

from onconav.hospitals.forms import DirectoryFilterForm, DirectSelect


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "city": "Beijing",
            "capability": "proton",
            "hospital_type": "tcm",
            "accreditation": "JCI",
            "scope": "all",
        },
    ],
)
def test_directory_selects_are_written_as_django_writes_them(lang, data):
    with translation.override(lang):
        form = DirectoryFilterForm(data)
        for name, field in form.fields.items():
            if not isinstance(field.widget, DirectSelect):
                continue
            plain = forms.Select(choices=field.widget.choices)
            for value in (data.get(name), "", None, "not-a-choice"):
                assert field.widget.render(name, value, {"id": f"id_{name}"}) == plain.render(
                    name, value, {"id": f"id_{name}"}
                )


def test_direct_select_escapes_and_groups_as_django_does():
    choices = [
        ("", "Any <one>"),
        ("Group & co", [('a"b', "A & B"), ("c", mark_safe("<b>C</b>"))]),  # noqa: S308 - test input
        ("d'", "D"),
    ]
    attrs = {"id": "x<y", "required": True, "disabled": False, "data-q": 'a"b'}
    for value in ('a"b', "c", "", ["c", "d'"]):
        assert DirectSelect(choices=choices).render("n&m", value, attrs) == forms.Select(
            choices=choices
        ).render("n&m", value, attrs)
