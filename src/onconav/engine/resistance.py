"""Pipeline step: resistance -- R1 removes, R2 demotes candidates a present biomarker works against."""

from __future__ import annotations

from onconav.engine.generate import _biomarkers, _setting_and_line
from onconav.engine.model import Candidate, Run
from onconav.engine.msg import Join, Txt, kb_text, msg
from onconav.engine.normalize import Case, Vocabulary
from onconav.kbdata.schema import Evidence


def _hits(c: Candidate, tokens: list[str]) -> bool:
    reg = c.reg
    return any(tok == reg.regimen.id or tok in reg.regimen.drugs or tok in reg.tags for tok in tokens)


def _variant_of(designed_for: set[str], ev: Evidence, case: Case, vocab: Vocabulary) -> bool:
    """True when the candidate was designed for a specific variant of the resisting alteration
    and the patient has that variant (sotorasib + panitumumab for KRAS G12C against "a KRAS
    mutation resists anti-EGFR antibodies"): the resistance item then does not apply to it."""
    resisting = set(ev.biomarkers) | set(ev.biomarkers_any)
    return any(
        case.state(b) is True and resisting & (vocab.closure.get(b, frozenset({b})) - {b})
        for b in designed_for
    )


def resistance(run: Run, r_items: list[Evidence], vocab: Vocabulary) -> None:
    case = run.case
    active: list[tuple[Evidence, set[str]]] = []
    for ev in r_items:
        ok, unknown, _ = _biomarkers(ev, case)
        if not ok:
            continue
        markers = (
            set(ev.biomarkers)
            | {b for b in ev.biomarkers_any if case.state(b)}
            | {th.marker for th in ev.thresholds}
        )
        if unknown:
            # would the result matter? only if a current candidate is hit and the item's setting holds
            ok_setting, _ = _setting_and_line(ev, case)
            if ok_setting and any(_hits(c, ev.resists) for c in run.candidates):
                run.resistance_pending.append((ev, tuple(sorted(unknown))))
            continue
        related = set().union(*(vocab.closure.get(m, frozenset({m})) for m in markers)) if markers else set()
        active.append((ev, related | markers))
    if not active:
        return
    keep: list[Candidate] = []
    for c in run.candidates:
        removed = False
        designed_for = set(c.ev.biomarkers) | set(c.ev.biomarkers_any)
        for ev, markers in sorted(active, key=lambda x: x[0].id):
            if (
                not _hits(c, ev.resists)
                or designed_for & markers
                or _variant_of(designed_for, ev, case, vocab)
            ):
                continue
            names = _marker_names(ev, case, vocab)
            level = ev.level.value
            if level == "R1":
                c.exclude(msg("x_resistance", marker=names, level=level), "resistance.R1")
                removed = True
            else:
                c.demote(1, msg("c_resistance", marker=names, level=level), "resistance.R2")
                if ev.summary is not None:
                    c.caution(kb_text(ev.summary, f"evidence.{ev.id}"))
        if removed:
            run.excluded.append(c)
        else:
            keep.append(c)
    run.candidates = keep


def _marker_names(ev: Evidence, case: Case, vocab: Vocabulary) -> Join | str:
    """The resistance markers the patient has, as the profile stated them, else by their KB
    name in the answer's language (never a raw id such as KRAS:mutation)."""
    out: list[Txt] = []
    for m in sorted(set(ev.biomarkers) | set(ev.biomarkers_any)):
        if not case.state(m):
            continue
        if m in case.labels:
            out.append(Txt(case.labels[m], case.labels[m]))
        elif m in vocab.biomarker:
            name = vocab.biomarker[m].name
            out.append(Txt(name.en, name.zh))
        else:
            out.append(Txt(m, m))
    return Join(tuple(out)) if out else ev.id
