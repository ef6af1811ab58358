"""Conditional options (docs/engine.md, "Conditional options").

An evidence item that fails only on unknown input (a biomarker not tested, a patient fact not
stated) is kept as a *conditional* option, ranked where it would stand, with the deciding test
named. Co-occurrence (knowledge/policy/co-occurrence) makes it *likely* (it needs other drivers
absent and one is present: ranked as if it held) or *unlikely* (it needs another driver of the
set: not offered, and the answer's warnings give the co-occurrence note).
"""

from __future__ import annotations

from onconav.engine.answer import OptionCondition
from onconav.engine.model import Candidate, Run
from onconav.engine.msg import Join, Msg, Txt, codes, kb_text, msg, render_cached, render_unique
from onconav.engine.normalize import Case, Vocabulary
from onconav.kbdata.loader import KnowledgeBase
from onconav.kbdata.policy import ExclusiveSet


def _member(vocab: Vocabulary, bid: str, markers: frozenset[str]) -> frozenset[str]:
    """The set's markers ``bid`` stands for (itself or what it implies)."""
    return vocab.closure.get(bid, frozenset({bid})) & markers


def _sets_for(kb: KnowledgeBase, case: Case) -> list[ExclusiveSet]:
    return [s for s in kb.policy.exclusive if s.cancer in case.lineage]


def likelihood(run: Run, kb: KnowledgeBase, vocab: Vocabulary) -> None:
    """Mark each conditional candidate likely / unlikely / open from co-occurrence."""
    case = run.case
    sets = _sets_for(kb, case)
    if not sets:
        return
    for c in run.candidates:
        if not c.cond_markers:
            continue
        verdicts: list[bool | None] = []
        for bid, role in sorted(c.cond_markers.items()):
            verdict: bool | None = None
            for s in sets:
                markers = frozenset(s.markers)
                mine = _member(vocab, bid, markers)
                if not mine:
                    continue
                present = {m for m in markers if case.state(m) is True} - mine
                if not present and s.rare and role == "absent" and case.code == s.cancer:
                    # the drivers are rare in this histology: ranked as if the test were negative
                    verdict = True
                    if s.id not in c.cond_notes:
                        c.cond_notes.append(s.id)
                    break
                if not present:
                    continue
                # a different driver of the set is present
                verdict = role == "absent"
                if s.id not in c.cond_notes:
                    c.cond_notes.append(s.id)
                break
            verdicts.append(verdict)
        if any(v is False for v in verdicts):
            c.likely = False
        elif verdicts and all(v is True for v in verdicts) and not c.cond_facts:
            c.likely = True
        if c.likely is not None:
            c.trace.append("condition.likely" if c.likely else "condition.unlikely")
    # an option needing a second driver when another is already found is not offered; the
    # answer says why (the co-occurrence note)
    unlikely = [c for c in run.candidates if c.likely is False]
    run.candidates = [c for c in run.candidates if c.likely is not False]
    noted = {sid for c in unlikely for sid in c.cond_notes}
    for p in run.pending:  # items not shown that wait on a second driver
        for bid, role in p.roles.items():
            for s in sets:
                markers = frozenset(s.markers)
                mine = _member(vocab, bid, markers)
                if (
                    role in ("present", "any")
                    and mine
                    and {m for m in markers if case.state(m) is True} - mine
                ):
                    noted.add(s.id)
    if noted:
        for s in sets:
            if s.id in noted:
                note = kb_text(s.note, f"exclusive.{s.id}")
                if note not in case.warnings:
                    case.warnings.append(note)


def marker_test(kb: KnowledgeBase, vocab: Vocabulary, bid: str) -> Msg:
    """The decisive test for a biomarker by name (Biomarker.test), else the biomarker's name."""
    b = vocab.biomarker.get(bid)
    if b is None:
        return kb_text(Txt(bid, bid), f"biomarker.{bid}")
    if b.test is not None:
        return kb_text(b.test, f"biomarker.{bid}")
    return msg("t_biomarker", marker=Txt.of(b.condition_name or b.name))


def fact_test(kb: KnowledgeBase, fid: str) -> Msg:
    fact = kb.policy.fact_by_id.get(fid)
    if fact is None:
        return kb_text(Txt(fid, fid), f"fact.{fid}")
    return kb_text(fact.test or fact.question, f"fact.{fid}")


_OPS = {">=": "≥", "<=": "≤", "==": "=", ">": ">", "<": "<"}


def _marker_name(vocab: Vocabulary, bid: str) -> Txt | str:
    b = vocab.biomarker.get(bid)
    if b is None:
        return bid
    return Txt.of(b.condition_name or b.name)


def _threshold_phrase(c: Candidate, vocab: Vocabulary, bid: str) -> Msg:
    """ "PD-L1 tumour proportion score (TPS) is ≥ 50%" from the item's thresholds."""
    b = vocab.biomarker.get(bid)
    unit = (b.unit or "") if b is not None else ""
    unit = "" if unit == "score" else (unit if unit == "%" else f" {unit}")
    bounds = [f"{_OPS[th.op]} {th.value:g}{unit}" for th in c.ev.thresholds if th.marker == bid]
    if not bounds:
        return msg("cond_threshold", marker=_marker_name(vocab, bid))
    return msg("cond_range", marker=_marker_name(vocab, bid), range=Join(tuple(bounds), "cond_and"))


def _marker_parts(c: Candidate, vocab: Vocabulary) -> list[Msg]:
    """One phrase per required marker; the markers of an any-of set in one phrase."""
    parts: list[Msg] = []
    any_of = [b for b, r in sorted(c.cond_markers.items()) if r == "any"]
    for bid, role in sorted(c.cond_markers.items()):
        if role == "threshold":
            parts.append(_threshold_phrase(c, vocab, bid))
        elif role != "any":
            parts.append(msg(f"cond_{role}", marker=_marker_name(vocab, bid)))
    if len(any_of) == 1:
        parts.append(msg("cond_present", marker=_marker_name(vocab, any_of[0])))
    elif any_of:
        parts.append(msg("cond_any", markers=Join(tuple(_marker_name(vocab, b) for b in any_of))))
    return parts


def condition_of(c: Candidate, kb: KnowledgeBase, vocab: Vocabulary, lang: str) -> OptionCondition | None:
    """The answer's ``option.condition`` for a conditional candidate, in ``lang``, with its
    message codes (``text_code``, ``test_codes``, ``note_codes``)."""
    if not c.conditional:
        return None
    parts = _marker_parts(c, vocab)
    for fid in c.cond_facts:
        fact = kb.policy.fact_by_id.get(fid)
        label = Txt.of(fact.label) if fact is not None else fid
        negated = fid in c.ev.requires_not
        parts.append(msg("cond_fact_not" if negated else "cond_fact", fact=label))
    test_msgs = [marker_test(kb, vocab, bid) for bid in sorted(c.cond_markers)]
    test_msgs += [fact_test(kb, fid) for fid in c.cond_facts]
    tests, test_msgs = render_unique(test_msgs, lang)
    notes = [kb_text(s.note, f"exclusive.{s.id}") for s in kb.policy.exclusive if s.id in c.cond_notes]
    condition = msg("cond_if", what=Join(tuple(parts), "cond_and"))
    return OptionCondition(
        text=render_cached(condition, lang),
        tests=tests,
        biomarkers=sorted(c.cond_markers),
        facts=list(c.cond_facts),
        likely=c.likely,
        note=" ".join(render_cached(n, lang) for n in notes) if notes else None,
        text_code=codes([condition])[0],  # memoised
        test_codes=codes(test_msgs),
        note_codes=codes(notes),
    )
