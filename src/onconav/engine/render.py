"""Plain-text rendering of an :class:`~onconav.engine.answer.Answer` (``--format text``)."""

from __future__ import annotations

from onconav.engine.answer import Answer, Option
from onconav.engine.messages import MESSAGES, t


def _wrap(prefix: str, lines: list[str]) -> list[str]:
    return [f"{prefix}{line}" for line in lines]


def _china_line(o: Option, lang: str) -> str:
    c = o.china
    cost = (
        t("txt_cost", lang, cost=c.approx_cost_usd_per_month)
        if c.approx_cost_usd_per_month is not None
        else t("txt_cost_unknown", lang)
    )
    nrdl = t(
        "txt_nrdl_yes"
        if c.nrdl_reimbursed
        else "txt_nrdl_no"
        if c.nrdl_reimbursed is False
        else "txt_nrdl_unknown",
        lang,
    )
    access_key = f"access_{c.access}"
    access = t(access_key, lang) if access_key in MESSAGES else c.access
    return f"   {t('txt_china', lang)}: {access}; {nrdl}; {cost}"


def _option_lines(o: Option, lang: str) -> list[str]:
    out: list[str] = []
    badge_key = f"badge_{o.badge}"
    badge = t(badge_key, lang) if badge_key in MESSAGES else o.badge
    modality_key = f"m_{o.modality}"
    modality = t(modality_key, lang) if modality_key in MESSAGES else o.modality
    out.append(f"{o.rank}. {o.title}  [{badge}]")
    out.append(f"   {t('txt_modality', lang)}: {modality}")
    if o.drugs:
        names = o.drug_names if len(o.drug_names) == len(o.drugs) else o.drugs
        shown = [n if n == d else f"{n} ({d})" for n, d in zip(names, o.drugs, strict=True)]
        out.append(f"   {t('txt_drugs', lang)}: {t('list_sep', lang).join(shown)}")
    out.append(f"   {t('txt_setting', lang)}: {o.setting}")
    out.append(f"   {t('txt_level', lang)}: {o.evidence_level}")
    out.append(f"   {t('txt_why', lang)}:")
    out += _wrap("     - ", o.rationale)
    if o.outcomes:
        out.append(f"   {t('txt_outcomes', lang)}:")
        for oc in o.outcomes:
            trial = f", {oc.trial}" if oc.trial else ""
            out.append(f"     - {oc.endpoint}: {oc.value} ({oc.reference}{trial})")
    if o.cautions:
        out.append(f"   {t('txt_cautions', lang)}:")
        out += _wrap("     - ", o.cautions)
    out.append(_china_line(o, lang))
    if o.references:
        out.append(f"   {t('txt_references', lang)}: {'; '.join(o.references)}")
    out.append("")
    return out


def _section(title: str, lines: list[str]) -> list[str]:
    return [title, "-" * 8, *lines, ""] if lines else []


def render_text(answer: Answer, lang: str | None = None) -> str:
    lang = lang or answer.language
    out: list[str] = []
    title = t("txt_title", lang)
    out += [title, "=" * max(len(title), 8), t("txt_kb", lang, version=answer.knowledge_base_version), ""]
    out += [f"{t('txt_profile', lang)}: {answer.profile_summary}", ""]
    out.append(t("txt_options", lang))
    out.append("-" * 8)
    if not answer.options:
        out.append(t("txt_none", lang))
    for o in answer.options:
        out += _option_lines(o, lang)
    out += _section(t("txt_tests", lang), [f"- {tr.test}: {tr.reason}" for tr in answer.tests_recommended])
    out += _section(
        t("txt_excluded", lang), [f"- {ex.title}: {' '.join(ex.reasons)}" for ex in answer.excluded]
    )
    out += _section(t("txt_warnings", lang), _wrap("- ", answer.warnings))
    out.append(f"{t('txt_disclaimer', lang)}: {answer.disclaimer}")
    return "\n".join(out) + "\n"
