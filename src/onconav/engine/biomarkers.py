"""Normalisation of the profile's biomarker entries into facts: KB aliases, gene synonyms,
explicit negatives, measured ranges and HER2 IHC / ISH."""

from __future__ import annotations

import re

from onconav.engine.case import Case
from onconav.engine.profile import BiomarkerEntry
from onconav.engine.vocabulary import (
    GENERIC_ALTERATIONS,
    IHC_RE,
    INF,
    NAME_FALLBACKS,
    NEGATIVE_WORDS,
    POSITIVE_WORDS,
    Vocabulary,
    canon_gene,
    gene_key,
    negated_stems,
    norm_alt,
    parse_range,
)


class _Facts:
    def __init__(self) -> None:
        self.present: dict[str, str] = {}
        self.absent: dict[str, str] = {}
        self.numeric: dict[str, tuple[float, float]] = {}
        self.labels: dict[str, str] = {}
        self.her2_ihc: str | None = None
        self.her2_ish: bool | None = None

    def pos(self, bid: str, label: str) -> None:
        self.present.setdefault(bid, label)

    def neg(self, bid: str, label: str) -> None:
        self.absent.setdefault(bid, label)


def _gene_negative_ids(vocab: Vocabulary, gene: str) -> list[str]:
    """Ids an explicit 'wild-type' / 'negative' for the gene rules out (presence markers only,
    and not the 'low' expression categories such as ERBB2:low)."""
    out = []
    for bid in vocab.gene_ids.get(gene, ()):
        b = vocab.biomarker[bid]
        if b.value_type == "numeric" or "low" in bid.lower().split(":", 1)[1]:
            continue
        if b.kind in ("expression", "signature") and canon_gene(bid.split(":", 1)[0]) != gene:
            continue  # ESR1 wild-type says nothing about ER expression
        out.append(bid)
    return out


def _gene_primary_id(vocab: Vocabulary, gene: str) -> str | None:
    """What 'ALK positive' means: the gene's only presence marker, or its group/mutation id."""
    ids = [i for i in vocab.gene_ids.get(gene, ()) if vocab.biomarker[i].value_type != "numeric"]
    ids = [i for i in ids if not vocab.biomarker[i].resistance]
    if len(ids) == 1:
        return ids[0]
    for suffix in ("positive", "fusion", "mutation", "high", "amplification"):
        for i in ids:
            if i.split(":", 1)[1].lower() == suffix:
                return i
    groups = [i for i in ids if vocab.biomarker[i].kind == "group"]
    if groups:
        # the widest group: the one implied by the most ids
        return sorted(groups, key=lambda i: (-len(vocab.implied_by.get(i, ())), i))[0]
    return None


def _lookup_alteration(vocab: Vocabulary, gene_raw: str, gene: str, alt: str) -> str | None:
    a = alt.strip().lower()
    for key in (f"{gene_raw.strip().lower()} {a}", f"{gene.lower()} {a}"):
        bid = vocab.alias.get(key)
        if bid and vocab.gene_of.get(bid) == gene:
            return bid
    idx = vocab.by_gene.get(gene, {})
    na = norm_alt(alt)
    if na in idx:
        return idx[na]
    compact = na.replace(" ", "")
    if compact in idx:
        return idx[compact]
    for pat, bid in vocab.x_patterns.get(gene, ()):
        if pat.match(na):
            return bid
    if gene == "EGFR":
        # in-frame exon 19 deletions span codons 729-761 (E746_A750del, L747_P753delinsS...)
        if re.match(r"^[a-z]?7(2[9]|[3-5]\d|6[01])\D*.*del", na) and "exon19del" in idx:
            return idx["exon19del"]
        if re.match(r"^[a-z]?7(6[2-9]|7\d)\D*.*ins", na) and "exon20ins" in idx:
            return idx["exon20ins"]
    bid = vocab.alias.get(a)
    if bid and vocab.gene_of.get(bid) == gene:
        return bid
    # partner-named fusions: "ETV6-NTRK3 fusion", "EML4::ALK", "KIF5B-RET"
    if "fusion" in idx and ("fusion" in na or re.search(r"[a-z0-9]+(-|::|/)[a-z0-9]+", na)):
        if "fusion" in na or any(
            gene_key(part) in (gene, gene_raw.upper()) or canon_gene(part) == gene
            for part in re.split(r"-|::|/|\s", alt.strip())
        ):
            return idx["fusion"]
    return None


def _named_unaltered(vocab: Vocabulary, gene_raw: str, gene: str, alt: str) -> bool:
    """ "IGHV unmutated" is a biomarker of its own (an alias), not a negative result."""
    a = alt.strip().lower()
    if not re.search(r"\bun(?:mutated|methylated|amplified)\b", a):
        return False
    for key in (a, f"{gene_raw.strip().lower()} {a}", f"{gene.lower()} {a}"):
        bid = vocab.alias.get(key)
        if bid and vocab.gene_of.get(bid) == gene:
            return True
    return False


def _read_negated(
    vocab: Vocabulary, gene_raw: str, gene: str, alt: str, label: str, facts: _Facts, case: Case
) -> bool:
    """Read "RET fusion not detected", "fusion negative", "no EGFR mutation", "unmethylated" as a
    negative result (rule ``normalize.negated``). True when read."""
    stems = negated_stems(alt)
    if not stems or _named_unaltered(vocab, gene_raw, gene, alt):
        return False
    stem, bid = stems[0], None
    for cand in stems:
        bid = _lookup_alteration(vocab, gene_raw, gene, cand)
        if bid is not None:
            stem = cand
            break
    if bid is None and canon_gene(stem.split()[0]) == gene and len(stem.split()) > 1:
        bid = _lookup_alteration(vocab, gene_raw, gene, stem.split(None, 1)[1])
    if bid is not None:
        facts.neg(bid, label)
        case.rules.append("normalize.negated")
        return True
    words = stem.lower().split()
    if words and canon_gene(words[0]) == gene:
        words = words[1:]
    if not words or " ".join(words) in GENERIC_ALTERATIONS:
        ids = _gene_negative_ids(vocab, gene)
        if ids:
            for i in ids:
                facts.neg(i, label)
            case.rules.append("normalize.negated")
            return True
    return False


def _numeric_id(vocab: Vocabulary, bid: str | None) -> bool:
    return bid is not None and bid in vocab.biomarker and vocab.biomarker[bid].value_type == "numeric"


def _name_id(vocab: Vocabulary, name: str, unit: str | None) -> str | None:
    n = name.strip().lower()
    bid = vocab.alias.get(n)
    if bid is None:
        key = gene_key(name)
        fb = NAME_FALLBACKS.get(key)
        if key == "PDL1" and unit and "cps" in unit.lower():
            fb = "PD-L1:CPS"
        if fb in vocab.biomarker:
            bid = fb
    return bid


def _read_entry(vocab: Vocabulary, e: BiomarkerEntry, facts: _Facts, case: Case) -> None:
    if e.gene:
        _read_gene_entry(vocab, e, facts, case)
    else:
        _read_named_entry(vocab, e, facts, case)


def _with_value(alt: str, e: BiomarkerEntry) -> str:
    """An alteration with a result word in ``value`` ({gene: MET, alteration: amplification,
    value: negative}) is read with it: a negative or not-detected value makes it a negative
    result (rule ``normalize.negated``), never the alteration itself."""
    value = e.value.strip().lower() if isinstance(e.value, str) else ""
    if not e.alteration or not value or value in POSITIVE_WORDS:
        return alt
    if value in NEGATIVE_WORDS or value.startswith(("not ", "no ", "un", "non")):
        return f"{alt} negative"
    return alt


def _read_gene_entry(vocab: Vocabulary, e: BiomarkerEntry, facts: _Facts, case: Case) -> None:
    """{gene, alteration}: numeric written as a gene, negated results, the alteration, then
    positive / negative words."""
    assert e.gene is not None
    label = e.label()
    gene = canon_gene(e.gene)
    alt = (e.alteration or "").strip()
    if not alt and e.value is not None:
        alt = str(e.value)
    if gene == "ERBB2" and _her2_text(alt, facts):
        return
    alt = _with_value(alt, e)
    if not alt:
        case.warn("w_biomarker_unrecognised", label=label)
        return
    # numeric marker written as a gene (PD-L1 50%)
    nid = _name_id(vocab, e.gene, e.unit)
    if _numeric_id(vocab, nid) and parse_range(alt) is not None:
        facts.numeric[nid] = parse_range(alt)  # type: ignore[index,assignment]
        facts.labels[nid] = label  # type: ignore[index]
        return
    # a negated result is read before any positive lookup: "fusion negative" is not a fusion
    if _read_negated(vocab, e.gene, gene, alt, label, facts, case):
        return
    bid = _lookup_alteration(vocab, e.gene, gene, alt)
    if bid:
        facts.pos(bid, label)
        return
    low = alt.lower().strip()
    if low in NEGATIVE_WORDS:
        ids = _gene_negative_ids(vocab, gene)
        if ids:
            for bid in ids:
                facts.neg(bid, label)
            case.rules.append("normalize.gene_negative")
            return
    if low in POSITIVE_WORDS:
        bid = _gene_primary_id(vocab, gene)
        if bid:
            facts.pos(bid, label)
            return
    if gene in vocab.gene_ids and not any(c.isdigit() for c in low) and "mutation" in norm_alt(low):
        bid = _gene_primary_id(vocab, gene)
        if bid:
            facts.pos(bid, label)
            return
    case.warn("w_biomarker_unrecognised", label=label)


def _read_named_entry(vocab: Vocabulary, e: BiomarkerEntry, facts: _Facts, case: Case) -> None:
    """{name, value, unit}: HER2 IHC / ISH, a measured marker, or a categorical result."""
    label = e.label()
    name = (e.name or "").strip()
    value = e.value
    sval = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value).strip())
    if _read_her2_named(name.lower(), sval, label, facts, case):
        return
    bid = _name_id(vocab, name, e.unit)
    if _numeric_id(vocab, bid):
        assert bid is not None
        _read_numeric(bid, value, sval, label, facts, case)
        return
    _read_categorical(vocab, name, sval, bid, label, facts, case)


def _read_her2_named(lname: str, sval: str, label: str, facts: _Facts, case: Case) -> bool:
    """HER2 IHC / status / ISH given as {name, value}. True when handled."""
    if re.fullmatch(r"(her2|her-2|erbb2)\s*[-/ ]?\s*(ihc|immunohistochemistry|status|expression)?", lname):
        m = IHC_RE.match(sval)
        if m:
            facts.her2_ihc = m.group(1)
            return True
        if _her2_text(sval, facts):
            return True
    if re.fullmatch(r"(her2|her-2|erbb2)\s*[-/ ]?\s*(ish|fish|cish|sish|ddish)", lname):
        low = sval.lower()
        if low in POSITIVE_WORDS or "amplif" in low and "not" not in low and "non" not in low:
            facts.her2_ish = True
            return True
        if low in NEGATIVE_WORDS or "not" in low or "non" in low:
            facts.her2_ish = False
            return True
        case.warn("w_biomarker_value", label=label)
        return True
    return False


def _read_numeric(
    bid: str, value: float | str | None, sval: str, label: str, facts: _Facts, case: Case
) -> None:
    """A measured marker: a number or range, or a word read as a range (with a warning)."""
    rng = parse_range(value)
    if rng is None:
        low = sval.lower()
        if low in ("negative", "neg", "-"):
            rng = (0.0, 1.0 - 1e-9)
            case.warn("w_biomarker_interpreted", label=label, meaning=f"{bid} < 1")
        elif low in ("positive", "pos", "+"):
            rng = (1.0, INF)
            case.warn("w_biomarker_interpreted", label=label, meaning=f"{bid} ≥ 1")
        elif low in ("high",) and bid == "TMB:score":
            rng = (10.0, INF)
            case.warn("w_biomarker_interpreted", label=label, meaning=f"{bid} ≥ 10")
        elif low in ("high",):
            rng = (50.0, INF)
            case.warn("w_biomarker_interpreted", label=label, meaning=f"{bid} ≥ 50")
        else:
            case.warn("w_biomarker_value", label=label)
            return
    if rng[0] != rng[1]:
        case.rules.append("normalize.numeric_range")
    facts.numeric[bid] = rng
    facts.labels[bid] = label


def _read_categorical(
    vocab: Vocabulary, name: str, sval: str, bid: str | None, label: str, facts: _Facts, case: Case
) -> None:
    """ "<name> <value>", then the value alone, then positive / negative words."""
    for key in (f"{name} {sval}".lower(), sval.lower()):
        cand = vocab.alias.get(key)
        if cand and (bid is None or vocab.gene_of.get(cand) == vocab.gene_of.get(bid) or key == sval.lower()):
            if vocab.biomarker[cand].value_type != "numeric":
                facts.pos(cand, label)
                return
    low = sval.lower()
    for stem in negated_stems(low):
        cand = vocab.alias.get(f"{name} {stem}".lower())
        if cand and vocab.biomarker[cand].value_type != "numeric":
            facts.neg(cand, label)
            case.rules.append("normalize.negated")
            return
    if bid is None:
        # "ER: 90%", "ER: weakly positive": the name's own positive marker ("ER positive")
        bid = _positive_id(vocab, name)
    if bid is not None:
        if low in NEGATIVE_WORDS or low == "0":
            facts.neg(bid, label)
            return
        if low in POSITIVE_WORDS or re.fullmatch(r"[123]\+", low):
            facts.pos(bid, label)
            return
        state = _qualified_state(vocab, bid, low)
        if state is not None:
            (facts.pos if state else facts.neg)(bid, label)
            case.rules.append("normalize.qualified_result")
            return
    # a gene written as a name: {name: KRAS, value: G12C}
    g = canon_gene(name)
    if g in vocab.gene_ids and sval:
        _read_entry(vocab, BiomarkerEntry(gene=name, alteration=sval), facts, case)
        return
    case.warn("w_biomarker_value" if bid else "w_biomarker_unrecognised", label=label)


_QUALIFIERS = re.compile(
    r"^(?:weakly|weak|strongly|strong|focally|focal|moderately|diffusely|low|high)[\s-]+"
)
_PERCENT = re.compile(r"(<|≤|<=|>|≥|>=)?\s*(\d+(?:\.\d+)?)\s*%")


def _positive_id(vocab: Vocabulary, name: str) -> str | None:
    """The presence marker a bare name stands for ("ER" -> "ER positive"), if the KB has one."""
    cand = vocab.alias.get(f"{name.strip().lower()} positive")
    if cand is None or vocab.biomarker[cand].value_type == "numeric":
        return None
    return cand


def _qualified_state(vocab: Vocabulary, bid: str, low: str) -> bool | None:
    """A result written with qualifiers: "positive (90%)", "weakly positive", "ER+ 80%",
    "negative (<1%)", or a percentage of stained cells read against the marker's
    ``positive_cutoff_percent`` (rule ``normalize.qualified_result``). None when unreadable."""
    core = re.sub(r"\(.*?\)", " ", low)
    core = re.split(r"[,;/]", core)[0].strip()
    first = core.split()[0] if core.split() else ""
    alias = vocab.alias.get(first)
    if alias is not None and (alias == bid or bid in vocab.closure.get(alias, frozenset())):
        core = core[len(first) :].strip() or "positive"  # "ER+ 80%": the alias says it
    core = _QUALIFIERS.sub("", core)
    head = core.split()[0] if core.split() else ""
    if head in ("positive", "pos", "+"):
        return True
    if head in ("negative", "neg", "-"):
        return False
    cutoff = vocab.biomarker[bid].positive_cutoff_percent
    m = _PERCENT.fullmatch(core) or _PERCENT.search(low)
    if m is None or cutoff is None:
        return None
    op, value = m.group(1) or "", float(m.group(2))
    if op in ("<", "≤", "<="):
        return False if value <= cutoff else None
    return value >= cutoff


HER2_IHC_IN_TEXT = re.compile(r"(?:ihc\s*[:=]?\s*([0-3])\b\s*\+?)|(?:\b([0-3])\s*\+)", re.I)
HER2_ISH_IN_TEXT = re.compile(
    r"\b(?:f|c|s|dd)?ish\b\s*[:=\-]?\s*(positive|pos|\+|amplified|negative|neg|-|not amplified|non-amplified|unamplified)",
    re.I,
)


def _her2_text(value: str, facts: _Facts) -> bool:
    """Read 'IHC 2+ ISH negative', '3+', 'IHC 1+' from one string. True if anything was read."""
    low = value.strip().lower()
    m = HER2_IHC_IN_TEXT.search(low) if ("ihc" in low or re.search(r"[0-3]\s*\+", low)) else None
    found = False
    if m:
        facts.her2_ihc = m.group(1) or m.group(2)
        found = True
    m2 = HER2_ISH_IN_TEXT.search(low)
    if m2:
        word = m2.group(1)
        facts.her2_ish = word in ("positive", "pos", "+", "amplified")
        found = True
    elif "not amplified" in low or "non-amplified" in low:
        facts.her2_ish = False
        found = found or "ish" in low
    return found


def _her2(vocab: Vocabulary, facts: _Facts, case: Case) -> None:
    pos_id = "ERBB2:positive" if "ERBB2:positive" in vocab.biomarker else None
    low_id = "ERBB2:low" if "ERBB2:low" in vocab.biomarker else None
    amp_id = "ERBB2:amplification" if "ERBB2:amplification" in vocab.biomarker else None
    ihc3_id = vocab.by_gene.get("ERBB2", {}).get(norm_alt("IHC 3+"))
    ihc2_id = vocab.by_gene.get("ERBB2", {}).get(norm_alt("IHC 2+"))
    if (
        low_id
        and low_id in facts.present
        and facts.her2_ihc is None
        and pos_id
        and pos_id not in facts.present
    ):
        facts.neg(pos_id, facts.present[low_id])  # "HER2-low" is by definition not HER2-positive
    ish = facts.her2_ish
    if amp_id and amp_id in facts.present and ish is None:
        ish = True
    label = "HER2"
    if facts.her2_ihc is not None:
        label = f"HER2 IHC {facts.her2_ihc}{'+' if facts.her2_ihc != '0' else ''}"
    score = facts.her2_ihc
    if score is None and ish is None:
        return
    case.rules.append("normalize.her2")
    if ihc3_id:
        if score == "3":
            facts.pos(ihc3_id, label)
        elif score is not None:
            facts.neg(ihc3_id, label)
    if ihc2_id and score is not None:  # the IHC score alone, whatever the ISH result
        if score == "2":
            facts.pos(ihc2_id, label)
        else:
            facts.neg(ihc2_id, label)
    if score == "3" or ish is True:
        if pos_id:
            facts.pos(pos_id, label)
        if low_id:
            facts.neg(low_id, label)
        if ish is True and amp_id:
            facts.pos(amp_id, label)
    elif score in ("1", "2"):
        if low_id:
            facts.pos(low_id, label)
        if pos_id and (score == "1" or ish is False):
            facts.neg(pos_id, label)
    elif score == "0":
        for bid in (pos_id, low_id):
            if bid:
                facts.neg(bid, label)
    if ish is False:
        if amp_id:
            facts.neg(amp_id, label)
        if pos_id and score != "3":
            facts.neg(pos_id, label)
