"""Regimen abbreviations in a treatment history (knowledge/policy/regimen-names).

Records say "FOLFOX + bevacizumab", "R-CHOP" or "VRd" far more often than they list drugs. A
prior-therapy entry whose drug is not a drug the knowledge base knows but is a regimen
abbreviation is read as that regimen's drugs (rule ``normalize.regimen_name``); so is the
``regimen`` field when no drugs are given. Unknown names stay as they are (the engine then warns
that the drug is not in the knowledge base).

A combination written as one entry ("pembro/axi", "carbo/pem/pembro", "ipi-nivo",
"pembrolizumab + axitinib") is split on ``+ / , ;`` and "and" / "with" when one of its parts is an
abbreviation, or when every part is a known drug or abbreviation; on hyphens only when every part
is (so "R-CHOP", "nab-paclitaxel" or "trastuzumab-deruxtecan" are never cut apart). Short forms of
single drugs ("pembro", "axi", scoped "len" and "pem") are abbreviations like any other.
"""

from __future__ import annotations

import re

from onconav.engine.profile import Profile
from onconav.engine.vocabulary import Vocabulary
from onconav.kbdata.policy import RegimenName

_SPLIT = re.compile(r"\s*(?:\+|/|,|;| and | with |联合|＋)\s*", re.IGNORECASE)
_HYPHEN = re.compile(r"\s*-\s*")


Index = dict[str, tuple[tuple[frozenset[str], tuple[str, ...]], ...]]


def regimen_index(names: tuple[RegimenName, ...]) -> Index:
    """Lower-case abbreviation -> ((cancers where it holds, empty = any), drugs) pairs."""
    out: dict[str, list[tuple[frozenset[str], tuple[str, ...]]]] = {}
    for r in names:
        for n in r.names:
            out.setdefault(n.strip().lower(), []).append((frozenset(r.cancers), tuple(r.drugs)))
    return {k: tuple(v) for k, v in out.items()}


def for_cancer(index: Index, lineage: tuple[str, ...] | list[str]) -> dict[str, tuple[str, ...]]:
    """The abbreviations that hold for a cancer (its OncoTree lineage): cancer-specific ones win."""
    nodes = set(lineage)
    out: dict[str, tuple[str, ...]] = {}
    for name, entries in index.items():
        specific = [d for cancers, d in entries if cancers & nodes]
        general = [d for cancers, d in entries if not cancers]
        if specific or general:
            out[name] = (specific or general)[0]
    return out


def _expand(raw: str, vocab: Vocabulary, index: dict[str, tuple[str, ...]]) -> list[str] | None:
    key = raw.strip().lower()
    if key in vocab.drug_alias:
        return None
    if key in index:
        return list(index[key])
    for splitter in (_SPLIT, _HYPHEN):
        parts = [p.strip() for p in splitter.split(raw) if p.strip()]
        if len(parts) < 2:
            continue
        keys = [p.lower() for p in parts]
        named = any(k in index for k in keys)
        known = all(k in index or k in vocab.drug_alias for k in keys)
        if known or (named and splitter is _SPLIT):
            out: list[str] = []
            for p, k in zip(parts, keys, strict=True):
                out += list(index.get(k, (p,)))
            return out
    return None


def expand(prof: Profile, vocab: Vocabulary, index: dict[str, tuple[str, ...]]) -> tuple[Profile, bool]:
    """(profile, changed): prior-therapy regimen abbreviations read as their drugs."""
    if not index:
        return prof, False
    priors = list(prof.prior_therapies)
    changed = False
    for i, p in enumerate(priors):
        raw = list(p.drugs) or ([p.regimen] if p.regimen else [])
        drugs: list[str] = []
        hit = False
        for d in raw:
            got = _expand(d, vocab, index)
            if got is None:
                drugs.append(d)
            else:
                drugs += got
                hit = True
        if hit:
            priors[i] = p.model_copy(update={"drugs": list(dict.fromkeys(drugs))})
            changed = True
    if not changed:
        return prof, False
    return prof.model_copy(update={"prior_therapies": priors}), True


def curative_induction(prof: Profile, solid: bool) -> tuple[Profile, bool]:
    """In a solid tumour, "induction" chemotherapy with no line number and no maintenance after it
    is the induction before definitive treatment (nasopharyngeal or head and neck cancer before
    chemoradiation), so it is read as neoadjuvant, not as a line for advanced disease (rule
    ``normalize.induction_curative``). In blood cancers induction is the first line."""
    if not solid:
        return prof, False
    priors = list(prof.prior_therapies)
    changed = False
    for i, p in enumerate(priors):
        if (p.setting or "").strip().lower() != "induction" or p.line is not None:
            continue
        if any((q.setting or "").strip().lower() == "maintenance" for q in priors[i + 1 :]):
            continue
        priors[i] = p.model_copy(update={"setting": "neoadjuvant"})
        changed = True
    if not changed:
        return prof, False
    return prof.model_copy(update={"prior_therapies": priors}), True
