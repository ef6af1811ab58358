"""The intake's answers in words, step by step (the "check your answers" page and the staff's
case page show the same rows)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from onconav.intake.forms import STEPS
from onconav.pages.templatetags.site import format_money


def display_value(form_class: Any, key: str, value: Any) -> str:
    field = form_class().fields.get(key)
    if field is None or value in (None, "", []):
        return ""
    choices = {str(k): v for k, v in (getattr(field, "choices", []) or [])}
    if isinstance(value, list):
        return ", ".join(str(choices.get(str(v), v)) for v in value)
    if isinstance(value, bool):
        return str(_("Yes")) if value else ""
    if (
        isinstance(field, forms.IntegerField)
        and not choices
        and isinstance(value, int)
        and abs(value) >= 10000
    ):
        return format_money(value)  # 50000 -> "50,000"
    return str(choices.get(str(value), value))


def answer_rows(answers: dict[str, Any], *, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """One entry per step: the step, its questions with the answers in words, and whether it
    was answered."""
    rows = []
    for spec in STEPS:
        if spec.slug in skip:
            continue
        saved = (answers or {}).get(spec.slug)
        items = [
            {"label": field.label, "value": display_value(spec.form, key, (saved or {}).get(key))}
            for key, field in spec.form().fields.items()
        ]
        rows.append({"step": spec, "items": items, "done": saved is not None})
    return rows
