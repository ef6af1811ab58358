"""Pipeline steps: failure (what already failed is shown lower) and poor performance status
(supportive and palliative care first in ECOG 3-4)."""

from __future__ import annotations

from onconav.engine.messages import t
from onconav.engine.model import FAIL_TOGETHER, SUPPORTIVE_MODALITIES, Run, text
from onconav.engine.normalize import Vocabulary, drug_label


def failed_class_tags(run: Run) -> dict[str, str]:
    """Class tags that count as failed (tag -> the failed tag it comes from): the failed drugs'
    tags whose class fails together (knowledge/policy/classes), and the tags they fail with."""
    classes = run.classes
    out: dict[str, str] = {}
    for tag in sorted(run.case.failed_tags):
        cls = classes.get(tag)
        if cls is None:
            if not classes and tag in FAIL_TOGETHER:  # no policy loaded (fixture KBs)
                out.setdefault(tag, tag)
            continue
        if cls.fails_together:
            out.setdefault(tag, tag)
        for other in cls.fails_with:
            out.setdefault(other, tag)
    return out


def failure(run: Run, vocab: Vocabulary) -> None:
    case = run.case
    if not (case.failed or case.intolerant):
        return
    failed_tags = failed_class_tags(run)
    sep = t("list_sep", case.lang)
    for c in run.candidates:
        drugs = set(c.reg.regimen.drugs)
        exempt = set(c.ev.after_failure_of)
        for tok in c.ev.after_failure_of:  # a drug named in after_failure_of exempts its classes
            exempt |= vocab.drug_tags.get(tok, frozenset())
        same = sorted(d for d in drugs & case.failed if d not in exempt)
        if same:
            names = sep.join(drug_label(vocab, d, case.lang) for d in same)
            c.demote(2, t("c_failed_drug", case.lang, drugs=names), "failure.same_drug")
        else:
            # an item written for after failure of a class is exempt for that class only
            shared = sorted((c.reg.tags & set(failed_tags)) - exempt)
            if shared:
                c.demote(
                    2, _class_message(run, vocab, shared[0], failed_tags[shared[0]]), "failure.same_class"
                )
        bad = sorted(drugs & case.intolerant)
        if bad:
            names = sep.join(drug_label(vocab, d, case.lang) for d in bad)
            c.demote(1, t("c_intolerance", case.lang, drugs=names), "failure.intolerance")


def _class_message(run: Run, vocab: Vocabulary, tag: str, source: str) -> str:
    lang = run.case.lang
    cls = run.classes.get(tag) or run.classes.get(source)
    if cls is None:
        return t("c_failed_class", lang, cls=tag.replace("_", " "))
    drugs = sorted(d for d in run.case.failed if source in vocab.drug_tags.get(d, frozenset()))
    names = t("list_sep", lang).join(drug_label(vocab, d, lang) for d in drugs) or text(cls.label, lang)
    why = text(cls.why, lang) if cls.why else t("c_failed_class", lang, cls=text(cls.label, lang))
    return t("c_class_failed", lang, drugs=names, cls=text(cls.label, lang), why=why)


# --- step: poor performance status ---------------------------------------------------------------


def poor_ps(run: Run) -> None:
    case = run.case
    if case.ecog is None or case.ecog < 3:
        return
    for c in run.candidates:
        if c.fit == 2 and (
            c.reg.regimen.modality.value in SUPPORTIVE_MODALITIES or c.ev.setting == "supportive"
        ):
            c.fit = 0
            c.trace.append("fitness.ps_supportive_first")
