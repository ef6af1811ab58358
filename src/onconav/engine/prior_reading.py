"""Prior-therapy names as records write them, read before the regimen abbreviations
(``prior_names.expand``):

* the ``regimen`` field is part of what was given: with no drugs it stands for them (``regimen:
  Dara-Pd``), and a regimen name the knowledge base can read is added to the drugs listed (rule
  ``normalize.regimen_field``);
* a dose or cycle count written into a name ("imatinib 400", "imatinib 400 mg", "R-CHOP x6") is
  dropped when what is left is a known drug or regimen name (rule ``normalize.dose_in_name``);
* the aliases of the knowledge base's own regimens ("DPd", "Dara-Pd" for daratumumab +
  pomalidomide + dexamethasone) are regimen names too, for the regimens the knowledge base uses in
  the patient's cancer (``kb_regimen_names``): compact names only (no spaces, "+" or "/"), and
  not when the alias names regimens with different drugs there ("TC") or a drug;
  knowledge/policy/regimen-names wins over them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from onconav.engine.profile import Profile
from onconav.engine.vocabulary import Vocabulary
from onconav.kbdata.schema import Regimen

_UNIT = r"(?:mg(?:\s*/\s*(?:m2|m²|kg|d|day))?|g|mcg|µg|ug|iu|units?)"
_FREQ = r"(?:\s*(?:/\s*d(?:ay)?|daily|qd|od|bid|once daily|twice daily|per day))?"
_NUM = r"\d+(?:\.\d+)?"
# a trailing dose ("400", "400 mg", "400mg daily") or cycle count ("x6", "×4", "6 cycles")
_TAIL = re.compile(
    rf"(?:\s+{_NUM}(?:\s*{_UNIT})?{_FREQ}|\s*{_NUM}\s*{_UNIT}{_FREQ}"
    r"|(?:\s+[x×]|×)\s*\d+(?:\s*cycles?)?|\s+\d+\s*cycles?)\s*$",
    re.I,
)


_COMPACT = re.compile(r"[^\s+/,;，、＋]+")


def kb_regimen_names(
    regimens: Iterable[Regimen], used: set[str], vocab: Vocabulary
) -> dict[str, tuple[str, ...]]:
    """Lower-case alias (or id) -> drugs, for the regimens in ``used`` (those the knowledge base
    has evidence for in the patient's cancer) that have drugs; an alias shared by regimens with
    different drugs, or that is a drug's name, is left out."""
    seen: dict[str, set[tuple[str, ...]]] = {}
    for r in regimens:
        if r.id not in used or not r.drugs:
            continue
        drugs = tuple(r.drugs)
        for name in [r.id, *(r.aliases or [])]:
            key = name.strip().lower()
            # one compact name ("DPd", "Dara-Pd"), not a description ("palbociclib + AI", where
            # the AI given may not be the regimen's letrozole)
            if key and key not in vocab.drug_alias and (name == r.id or _COMPACT.fullmatch(key)):
                seen.setdefault(key, set()).add(drugs)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def _strip_tail(raw: str, known: Callable[[str], bool]) -> str | None:
    text = raw.strip()
    for _ in range(3):  # "imatinib 400 mg x 6"
        cut = _TAIL.sub("", text).strip()
        if cut == text or not cut:
            return None
        if known(cut.lower()):
            return cut
        text = cut
    return None


def read(prof: Profile, vocab: Vocabulary, names: dict[str, tuple[str, ...]]) -> tuple[Profile, list[str]]:
    """(profile, rule ids): the ``regimen`` field and doses in names read (module docstring)."""

    def known(key: str) -> bool:
        return key in vocab.drug_alias or key in names

    priors = list(prof.prior_therapies)
    rules: list[str] = []
    for i, p in enumerate(priors):
        drugs = list(p.drugs)
        reg = (p.regimen or "").strip()
        if reg and (not drugs or (known(reg.lower()) and reg not in drugs)):
            drugs.append(reg)
            rules.append("normalize.regimen_field")
        out = []
        for d in drugs:
            cut = None if known(d.strip().lower()) else _strip_tail(d, known)
            if cut is not None:
                rules.append("normalize.dose_in_name")
            out.append(cut or d)
        if out != list(p.drugs):
            priors[i] = p.model_copy(update={"drugs": out})
    if not rules:
        return prof, []
    return prof.model_copy(update={"prior_therapies": priors}), sorted(set(rules))
