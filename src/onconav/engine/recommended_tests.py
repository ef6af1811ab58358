"""Answer step: the tests recommended (docs/engine.md step 8) -- tests that would decide pending
items, most decision-changing first; an NGS panel for several NSCLC drivers; staging and
Child-Pugh when needed -- and the regimens that wait on them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from onconav.engine.answer import TestRecommended
from onconav.engine.model import DRIVER_GENES, LEVEL_RANK, RegimenInfo, Run
from onconav.engine.msg import Join, Msg, Txt, code, msg, render_cached
from onconav.engine.normalize import Vocabulary
from onconav.engine.resistance import _hits
from onconav.kbdata.loader import KnowledgeBase

GENE_DISPLAY = {"ERBB2": "HER2 (ERBB2)", "CD274": "PD-L1", "NTRK": "NTRK1/2/3", "BRCA": "BRCA1/2"}
_LEVEL_OF_RANK = {v: k for k, v in LEVEL_RANK.items()}


def coded(test: Msg, reason: Msg, lang: str, **fields: Any) -> TestRecommended:
    """A test recommended: its name and reason rendered in ``lang``, with their message codes."""
    return TestRecommended(
        test=render_cached(test, lang),
        reason=render_cached(reason, lang),
        test_code=code(test),
        reason_code=code(reason),
        **fields,
    )


@dataclass
class _Group:
    """Biomarker ids that one test decides, with the regimens it would decide."""

    ids: set[str] = field(default_factory=set)
    rank: int = 99
    regimens: dict[str, int] = field(default_factory=dict)  # regimen id -> best level rank
    kind: str = ""  # "unlock" or "resistance"
    agnostic: bool = True


class _Groups(dict[str, _Group]):
    def add(
        self, key: str, bid: str, level_rank: int, regimen: str, reason_kind: str, agnostic: bool = False
    ) -> None:
        g = self.setdefault(key, _Group(kind=reason_kind))
        if not agnostic:
            g.agnostic = False
        g.ids.add(bid)
        if level_rank < g.rank:
            g.rank = level_rank
        g.regimens.setdefault(regimen, level_rank)
        g.regimens[regimen] = min(level_rank, g.regimens[regimen])
        if reason_kind == "unlock":
            g.kind = "unlock"


def _present_driver_genes(run: Run, vocab: Vocabulary) -> set[str]:
    return {
        vocab.gene_of[b]
        for b in run.case.present
        if b in vocab.biomarker
        and vocab.biomarker[b].kind in ("mutation", "fusion", "amplification", "deletion")
        and not vocab.biomarker[b].resistance
    }


def _key_of(vocab: Vocabulary, bid: str) -> str:
    b = vocab.biomarker.get(bid)
    if b is not None and b.value_type == "numeric":
        return bid
    return vocab.gene_of.get(bid, bid.split(":", 1)[0])


def _collect(run: Run, kb: KnowledgeBase, vocab: Vocabulary) -> tuple[_Groups, set[str]]:
    """Group the pending items (and pending resistance markers) by the test that decides them."""
    groups = _Groups()
    waiting: set[str] = set()
    present_driver_genes = _present_driver_genes(run, vocab)
    for p in run.pending:
        post_failure = bool(p.ev.after_failure_of)
        lr = LEVEL_RANK.get(p.ev.level.value, 9)
        if lr > LEVEL_RANK["3A"]:
            # A test is recommended only when it could open an option with clinical evidence
            # (levels 1-3A): biological or other-cancer evidence alone is no reason to test
            # (e.g. HGF expression, which is not a clinical test).
            continue
        for bid in p.unknown:
            b = vocab.biomarker.get(bid)
            gene = vocab.gene_of.get(bid, bid.split(":", 1)[0])
            if (
                p.roles.get(bid) in ("present", "any")
                and not post_failure
                and (b is None or not b.resistance)
            ):
                if gene in present_driver_genes:
                    continue
                if gene in DRIVER_GENES and present_driver_genes & DRIVER_GENES:
                    continue
            agnostic = (
                kb.cancer_by_code[p.ev.cancer].parent is None if p.ev.cancer in kb.cancer_by_code else False
            )
            groups.add(_key_of(vocab, bid), bid, lr, p.reg.regimen.id, "unlock", agnostic)
            waiting.add(p.reg.regimen.id)
    for ev, unknown in run.resistance_pending:
        hit = [c for c in run.candidates if _hits(c, ev.resists)]
        if not hit:
            continue
        best = min(hit, key=lambda c: LEVEL_RANK.get(c.ev.level.value, 9))
        for bid in unknown:
            lr = LEVEL_RANK.get(best.ev.level.value, 9)
            groups.add(_key_of(vocab, bid), bid, lr, best.reg.regimen.id, "resistance")
    return groups, waiting


def _ngs(run: Run, groups: _Groups) -> tuple[tuple[Any, ...], TestRecommended] | None:
    """One comprehensive NGS panel for two or more unknown drivers in advanced non-squamous
    NSCLC (the panel also reports TMB and MSI); the groups it covers are taken out."""
    case, lang = run.case, run.case.lang
    driver_keys = sorted(k for k in groups if k in DRIVER_GENES)
    if not (
        "NSCLC" in case.lineage
        and not case.squamous_nsclc()
        and "advanced" in case.stage_groups
        and len(driver_keys) >= 2
    ):
        return None
    ids: set[str] = set()
    regs: dict[str, int] = {}
    rank = 99
    agn = True
    # NGS panels also report tumour mutational burden and microsatellite status.
    panel_keys = driver_keys + sorted(k for k in groups if k.split(":", 1)[0] in ("TMB", "MSI"))
    for k in panel_keys:
        g = groups.pop(k)
        agn = agn and g.agnostic
        ids |= g.ids
        rank = min(rank, g.rank)
        for r, lr in g.regimens.items():
            regs[r] = min(lr, regs.get(r, 99))
    markers = Join(tuple(GENE_DISPLAY.get(k, k.split(":", 1)[0]) for k in panel_keys))
    return (
        (1, int(agn), rank, -len(regs), "ngs"),
        coded(
            msg("t_ngs", markers=markers),
            msg("t_ngs_reason", markers=markers, count=len(regs)),
            lang,
            biomarkers=sorted(ids),
        ),
    )


def _gene_display(key: str, g: _Group, vocab: Vocabulary) -> Txt | str:
    """How a test named by gene key is shown: the display name of the gene; for markers recorded
    without a gene (a tissue type, "HLA-A*02:01"), their one condition name ("HLA-A*02:01 typing")
    rather than the key the id makes ("HLAA")."""
    if key in GENE_DISPLAY:
        return GENE_DISPLAY[key]
    records = [vocab.biomarker[i] for i in sorted(g.ids) if i in vocab.biomarker]
    if records and not any(r.gene for r in records):
        names = {r.condition_name.en: r.condition_name for r in records if r.condition_name}
        if len(names) == 1:
            return Txt.of(next(iter(names.values())))
    return key


def _marker_test(
    key: str, g: _Group, vocab: Vocabulary, regimens: dict[str, RegimenInfo], lang: str
) -> tuple[tuple[Any, ...], TestRecommended]:
    b = vocab.biomarker.get(key)
    marker: Txt | str = Txt.of(b.condition_name or b.name) if b is not None else _gene_display(key, g, vocab)
    rid = min(g.regimens, key=lambda r: (g.regimens[r], r))
    title = Txt.of(regimens[rid].regimen.name)
    lvl = _LEVEL_OF_RANK.get(g.regimens[rid], "?")
    if g.kind == "unlock":
        reason = msg("t_reason_unlocks", count=len(g.regimens), example=title, level=lvl)
    else:
        reason = msg("t_reason_resistance", example=title)
    return (
        (1, int(g.agnostic), g.rank, -len(g.regimens), key),
        coded(msg("t_biomarker", marker=marker), reason, lang, biomarkers=sorted(g.ids)),
    )


def tests(
    run: Run, kb: KnowledgeBase, vocab: Vocabulary, regimens: dict[str, RegimenInfo]
) -> tuple[list[TestRecommended], set[str]]:
    """The tests recommended, and the regimens that wait on them."""
    case, lang = run.case, run.case.lang
    groups, waiting = _collect(run, kb, vocab)
    out: list[tuple[tuple[Any, ...], TestRecommended]] = []
    ngs = _ngs(run, groups)
    if ngs is not None:
        out.append(ngs)
    for key in sorted(groups):
        out.append(_marker_test(key, groups[key], vocab, regimens, lang))
    if not case.stage_known:
        staging = coded(msg("t_staging"), msg("t_staging_reason"), lang)
        out.append(((0, 0, 0, 0, "staging"), staging))
    if run.need_child_pugh:
        classes = "/".join(sorted(run.need_child_pugh))
        cp = coded(msg("t_child_pugh"), msg("t_child_pugh_reason", classes=classes), lang)
        out.append(((0, 0, 1, 0, "child_pugh"), cp))
    return [tr for _, tr in sorted(out, key=lambda x: x[0])], waiting
