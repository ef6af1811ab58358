"""The options report's content, one language at a time, as keyed rows of flowables: the keys
line the two languages up when the report is printed side by side. Every code is turned into
words (site labels, in the report's language); references lose their technical prefixes."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.platypus import Spacer

from onconav.documents.pdf import _bullets, _p
from onconav.pages.labels import has_label, label

Row = tuple[str, list[Any]]


def _money(value: Any) -> str:
    from onconav.pages.templatetags.site import format_money

    return format_money(value)


def _ref(ref: str) -> str:
    from onconav.pages.templatetags.site import reference_parts

    text, url = reference_parts(ref)
    return (
        f"{text} ({url})" if url and url not in text and not text.startswith(("PubMed", "doi.org")) else text
    )


def _cost(o: Any) -> str:
    c = o.china.cost
    if c is None:
        return _("not estimated yet")
    text = f"CNY {_money(c.cny_low)} – {_money(c.cny_high)}"
    if c.currency and c.local_low is not None:
        text += (
            " ("
            + _("about %(amount)s")
            % {"amount": f"{c.currency} {_money(c.local_low)} – {_money(c.local_high or c.local_low)}"}
            + ")"
        )
    text += " " + label("per", c.per)
    if c.price_year:
        text += " · " + _("Prices of %(y)s.") % {"y": c.price_year}
    return text


def _facts(o: Any, hospitals: list[dict[str, Any]], zh: bool) -> list[str]:
    nrdl = (
        _("yes, on the national list (NRDL)")
        if o.china.nrdl_reimbursed
        else _("no")
        if o.china.nrdl_reimbursed is False
        else _("not known")
    )
    where = "; ".join(
        f"{(h.get('name_zh') if zh and h.get('name_zh') else h.get('name'))} ({label('city', h.get('city'))})"
        for h in hospitals
    )
    cost = _cost(o)
    if o.trial is not None:  # a trial's own open sites; its costs are the trial team's to say
        where = "; ".join(
            s.facility
            + (f" ({label('place', s.city) if has_label('place', s.city) else s.city})" if s.city else "")
            for s in o.trial.sites
        ) or _("No site of this trial is recruiting now.")
        cost = _(
            "Ask the trial team which costs the trial pays for (often the trial treatment and its tests) and which you pay (usually travel and accommodation)."
        )
    facts = [
        f"{_('When it is used')}: {label('setting', o.setting)}",
        f"{_('Evidence')}: {label('level_word', o.evidence_level)}",
        f"{_('Approved in China')}: {label('access', o.china.access)}",
        f"{_('Reimbursed in China')}: {nrdl}",
        f"{_('Approximate cost in China')}: {cost}",
        f"{_('Where in China')}: {where or _('ask your coordinator')}",
    ]
    if o.trial is not None:  # reimbursement does not apply to a trial
        facts = [f for f in facts if not f.startswith(_("Reimbursed in China"))]
    return facts


def _option_rows(o: Any, hospitals: list[dict[str, Any]], s: dict[str, Any], zh: bool) -> list[Row]:
    key = f"option-{o.rank}"
    head = [_p(f"{o.rank}. {o.title}", s["h3"])]
    if o.condition:
        head.append(_p(o.condition.text, s["small"]))
    if o.tie_with:
        head.append(
            _p(
                _("An equivalent choice to option(s) %(r)s.") % {"r": ", ".join(map(str, o.tie_with))},
                s["small"],
            )
        )
    rows: list[Row] = [(key, head), (key + "-facts", [_bullets(_facts(o, hospitals, zh), s["small"])])]
    if o.outcomes:
        lines = [
            f"{x.endpoint}: {x.value}" + (f" ({x.trial})" if x.trial else "") + f" — {_ref(x.reference)}"
            for x in o.outcomes
        ]
        rows.append((key + "-outcomes", [_bullets(lines, s["body"])]))
    why = [r.text for r in o.rank_reasons] + list(o.rationale)
    if why:
        rows.append((key + "-why", [_p(_("Why"), s["small"]), _bullets(why, s["small"])]))
    if o.cautions:
        rows.append(
            (key + "-cautions", [_p(_("Cautions"), s["small"]), _bullets(list(o.cautions), s["small"])])
        )
    if o.references:
        refs = "; ".join(_ref(r) for r in o.references)
        rows.append((key + "-refs", [_p(f"{_('References')}: {refs}", s["small"])]))
    return rows


def report_rows(
    answer: Any, hospitals: dict[int, list[dict[str, Any]]], lang: str, s: dict[str, Any]
) -> list[Row]:
    """The report in ``lang`` as keyed rows."""
    from onconav.options.services import answer_groups

    with translation.override(lang):
        zh = lang == "zh-hans"
        rows: list[Row] = [
            ("title", [_p("OncoNav — " + _("Treatment options report"), s["h1"])]),
            (
                "meta",
                [
                    _p(_("For discussion with the patient's own doctors."), s["small"]),
                    _p(
                        _("Made on %(date)s from knowledge base version %(v)s.")
                        % {"date": timezone.localdate().isoformat(), "v": answer.knowledge_base_version},
                        s["small"],
                    ),
                    Spacer(1, 4),
                ],
            ),
            ("disclaimer", [_p(answer.disclaimer, s["box"])]),
            ("profile", [_p(_("Case summary"), s["h2"]), _p(answer.profile_summary, s["body"])]),
        ]
        if answer.warnings:
            rows.append(("warnings", [_p(_("Notes"), s["h2"]), _bullets(list(answer.warnings), s["body"])]))
        if answer.tests_recommended:
            tests = [f"{t.test}: {t.reason}" for t in answer.tests_recommended]
            rows.append(
                ("tests", [_p(_("Tests that could change the options"), s["h2"]), _bullets(tests, s["body"])])
            )
        for g in answer_groups(answer):
            rows.append((f"group-{g['id']}", [_p(str(g["label"]), s["h2"])]))
            for o in g["options"]:
                rows += _option_rows(o, hospitals.get(o.rank, []), s, zh)
        rows.append(
            (
                "legend",
                [
                    _p(_("Evidence levels"), s["h2"]),
                    _bullets(
                        [
                            f"{label('level_word', lv)}: {label('level', lv)}"
                            for lv in ("1", "2", "3A", "3B", "4")
                        ],
                        s["small"],
                    ),
                ],
            )
        )
    return rows
