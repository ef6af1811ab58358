"""Regimen abbreviations in a treatment history (knowledge/policy/regimen-names).

Records say "FOLFOX + bevacizumab", "R-CHOP" or "VRd" far more often than they list drugs. A
prior-therapy entry whose drug is not a drug the knowledge base knows but is a regimen
abbreviation is read as that regimen's drugs (rule ``normalize.regimen_name``); so is the
``regimen`` field when no drugs are given. Unknown names stay as they are (the engine then warns
that the drug is not in the knowledge base).
"""

from __future__ import annotations

import re

from onconav.engine.profile import Profile
from onconav.engine.vocabulary import Vocabulary
from onconav.kbdata.policy import RegimenName

_SPLIT = re.compile(r"\s*(?:\+|/|,|;| and | with |联合|＋)\s*")


def regimen_index(names: tuple[RegimenName, ...]) -> dict[str, tuple[str, ...]]:
    """Lower-case abbreviation -> the drugs it stands for."""
    return {n.strip().lower(): tuple(r.drugs) for r in names for n in r.names}


def _expand(raw: str, vocab: Vocabulary, index: dict[str, tuple[str, ...]]) -> list[str] | None:
    key = raw.strip().lower()
    if key in vocab.drug_alias:
        return None
    if key in index:
        return list(index[key])
    parts = [p for p in _SPLIT.split(raw) if p]
    if len(parts) < 2 or not any(p.strip().lower() in index for p in parts):
        return None
    out: list[str] = []
    for p in parts:
        out += list(index.get(p.strip().lower(), (p.strip(),)))
    return out


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
