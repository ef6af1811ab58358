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
from onconav.engine.zh_terms import english, has_chinese


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
    bid = _by_codon(vocab, gene, na)
    if bid is not None:
        return bid
    bid = vocab.alias.get(a)
    if bid and vocab.gene_of.get(bid) == gene:
        return bid
    # HGNC pair names ("BCR::ABL1 fusion", "KMT2A::AFF1"): the KB's fusion named by the pair or
    # by this gene alone; a pair-named fusion of this gene with another partner is not it
    pair = _PAIR_RE.search(alt)
    if pair:
        bid = vocab.fusion_for(pair.group(0).split("::"))
        return bid if bid is not None and vocab.gene_of.get(bid) == gene else None
    # partner-named fusions: "ETV6-NTRK3 fusion", "EML4::ALK", "KIF5B-RET"
    if "fusion" in idx and ("fusion" in na or re.search(r"[a-z0-9]+(-|::|/)[a-z0-9]+", na)):
        if "fusion" in na or any(
            gene_key(part) in (gene, gene_raw.upper()) or canon_gene(part) == gene
            for part in re.split(r"-|::|/|\s", alt.strip())
        ):
            return idx["fusion"]
    return None


_PAIR_RE = re.compile(r"[A-Za-z0-9.]+(?:\s*::\s*[A-Za-z0-9.]+)+")
# words after an HGNC pair name that still mean "the fusion is there"
_FUSION_WORDS = GENERIC_ALTERATIONS | POSITIVE_WORDS | {"", "fusion gene", "fusion transcript"}


def _read_pair_entry(vocab: Vocabulary, e: BiomarkerEntry, facts: _Facts, case: Case) -> bool:
    """A gene written as an HGNC fusion pair ({gene: PML::RARA, alteration: fusion},
    {gene: BCR::ABL1, alteration: T315I}): the fusion (present or negative) when the alteration
    only names it, else the alteration of the pair's KB gene (rule ``normalize.fusion_pair``).
    True when handled."""
    assert e.gene is not None
    bid = vocab.fusion_for(e.gene.split("::"))
    if bid is None:
        return False
    label = e.label()
    alt = _with_value((e.alteration or "").strip() or str(e.value or "").strip(), e)
    stems = negated_stems(alt) if alt else []
    case.rules.append("normalize.fusion_pair")
    if stems and (norm_alt(stems[0]) in _FUSION_WORDS or stems[0].lower() in _FUSION_WORDS):
        facts.neg(bid, label)
        return True
    if alt.lower() in NEGATIVE_WORDS:
        facts.neg(bid, label)
        return True
    if alt.lower() in _FUSION_WORDS or norm_alt(alt) in _FUSION_WORDS:
        facts.pos(bid, label)
        return True
    gene = vocab.gene_of.get(bid)
    if gene is None:
        return False
    _read_gene_entry(vocab, e.model_copy(update={"gene": gene}), facts, case, label=label)
    return True


# An HGVS-like protein change anywhere in the text: "E746_A750del", "p.L747_P753delinsS",
# "A775_G776insYVMA", "p.Tyr772_Ala775dup", "G776delinsVC" (one- or three-letter residues).
_AA = r"(?:[a-z](?:[a-z]{2})?)?"
_HGVS_CHANGE = re.compile(
    rf"(?<![a-z0-9])(?:p\.)?\(?{_AA}(\d{{2,4}})(?:_{_AA}(\d{{2,4}}))?(delins|del|ins|dup)"
)


def _by_codon(vocab: Vocabulary, gene: str, na: str) -> str | None:
    """The biomarker whose codon range (``Biomarker.codon_ranges``, knowledge/biomarkers) holds an
    in-frame change written in HGVS-like text: EGFR E746_A750del is an exon 19 deletion, ERBB2
    A775_G776insYVMA an exon 20 insertion."""
    ranges = vocab.codon_ranges.get(gene)
    if not ranges:
        return None
    m = _HGVS_CHANGE.search(na)
    if m is None:
        return None
    first = int(m.group(1))
    last = int(m.group(2)) if m.group(2) else first
    kind = m.group(3)
    for start, end, rkind, bid in ranges:
        if start <= first <= last <= end and rkind in (kind, "any"):
            return bid
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


# A result that is not a result: the test is pending, was not done, failed or gave no answer,
# or the variant's significance is unknown (rule ``normalize.pending``). Checked before any
# negative or positive reading: "not done" is not "not detected", "unknown" is not "un-mutated".
PENDING_RE = re.compile(
    r"\b(?:pending|awaited|awaiting|in progress|requested|sent out|to be done|tbd|"
    r"not (?:yet )?(?:done|tested|performed|assessed|evaluated|examined|available|reported|known|"
    r"interpretable|evaluable)|"
    r"unknown|unavailable|indeterminate|inconclusive|uninterpretable|non-?evaluable|"
    r"no result|no results|result awaited|(?:test|assay|sequencing|analysis) failed|failed|"
    r"insufficient(?: tissue| sample| material| dna)?|qns|quantity not sufficient|"
    r"variant of (?:unknown|uncertain) significance|vus)\b|n/a|"
    r"待定|待回报|待回|待查|检测中|未检测|未检|未做|未查|不详|未知|结果未出|无法评估|失败",
    re.IGNORECASE,
)


def pending(e: BiomarkerEntry) -> bool:
    """The entry states no result (pending, not done, failed, unknown significance)."""
    texts = [e.value] if isinstance(e.value, str) else []
    texts.append(e.alteration or "")
    return any(PENDING_RE.search(t) for t in texts if t)


def _read_entry(vocab: Vocabulary, e: BiomarkerEntry, facts: _Facts, case: Case) -> None:
    if pending(e):
        # neither positive nor negative: the marker stays unknown, so the options it decides
        # stay conditional and its test stays recommended
        case.warn("w_biomarker_pending", label=e.label())
        case.rules.append("normalize.pending")
        return
    if e.gene:
        _read_gene_entry(vocab, e, facts, case)
    elif (count := blood_count(e)) is not None:
        # a blood count written as a measured marker (rule normalize.blood_count)
        case.counts_from_biomarkers.setdefault(count[0], count[1])
        case.rules.append("normalize.blood_count")
    elif e.name and e.name.strip().lower() in vocab.risk_systems and e.value not in (None, ""):
        # a risk score or index the facts read, written as a biomarker (rule normalize.risk_score)
        case.risk_from_biomarkers[e.name.strip().lower()] = e.value
        case.rules.append("normalize.risk_score")
    else:
        _read_named_entry(vocab, e, facts, case)


# Blood counts written as measured markers: name -> (organ_function field, per-unit factors,
# the factor for a bare number by its size). Platelets and neutrophils in 10^9/L (= 10^3/µL);
# haemoglobin in g/dL.
_COUNT_NAMES = (
    (re.compile(r"^(?:platelets?|plt|platelet count|血小板(?:计数)?)$", re.I), "platelets_10e9_l"),
    (
        re.compile(
            r"^(?:anc|absolute neutrophil count|neutrophils?|neutrophil count|中性粒细胞(?:计数|绝对值)?)$",
            re.I,
        ),
        "neutrophils_10e9_l",
    ),
    (re.compile(r"^(?:ha?emoglobin|hb|hgb|血红蛋白)$", re.I), "hemoglobin_g_dl"),
)
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(.*)$")


def blood_count(e: BiomarkerEntry) -> tuple[str, float] | None:
    """(organ_function field, value in its unit) for a platelet, neutrophil or haemoglobin entry
    with a number; None otherwise. A number without a unit is read by its size (platelets 42 is
    10^9/L, 42000 is per µL; haemoglobin 82 is g/L)."""
    name = (e.name or "").strip()
    fld = next((f for rx, f in _COUNT_NAMES if rx.match(name)), None)
    if fld is None or e.value in (None, "") or isinstance(e.value, bool):
        return None
    m = _NUMBER.match(str(e.value).replace(",", ""))
    if not m:
        return None
    value = float(m.group(1))
    unit = (e.unit or m.group(2) or "").replace(" ", "").lower()
    if fld == "hemoglobin_g_dl":
        if "g/l" in unit or (not unit and value > 25):
            value /= 10
    elif "/ul" in unit.replace("µ", "u") and not unit.startswith(("10^3", "k", "x10^3")):
        value /= 1000
    elif not unit and value > 2000:
        value /= 1000
    return fld, round(value, 2)


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


def _read_gene_entry(
    vocab: Vocabulary, e: BiomarkerEntry, facts: _Facts, case: Case, label: str | None = None
) -> None:
    """{gene, alteration}: numeric written as a gene, negated results, the alteration, then
    positive / negative words."""
    assert e.gene is not None
    if "::" in e.gene and _read_pair_entry(vocab, e, facts, case):
        return
    label = label or e.label()
    gene = canon_gene(e.gene)
    alt = (e.alteration or "").strip()
    if not alt and e.value is not None:
        alt = str(e.value)
    if has_chinese(alt):
        alt = english(alt)  # "EML4-ALK融合阳性" -> "EML4-ALK fusion positive"
        case.rules.append("normalize.chinese_terms")
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
    primary = _gene_primary_id(vocab, gene)
    if primary and vocab.biomarker[primary].kind == "expression":
        # {gene: CD22, alteration: "95% positive"}: a percent-positive flow / IHC result
        state = _qualified_state(vocab, primary, low)
        if state is not None:
            (facts.pos if state else facts.neg)(primary, label)
            case.rules.append("normalize.qualified_result")
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
    if has_chinese(sval):
        sval = english(sval)  # {name: ER, value: 阳性}
        case.rules.append("normalize.chinese_terms")
    if _read_her2_named(name.lower(), sval, label, facts, case):
        return
    bid = _name_id(vocab, name, e.unit)
    pair = _PAIR_RE.match(name) if bid is None else None
    if pair and vocab.fusion_for(pair.group(0).split("::")):
        # {name: "BCR::ABL1 fusion", value: positive}: the pair read as a gene entry
        rest = name[pair.end() :].strip() or None
        entry = BiomarkerEntry(gene=pair.group(0).replace(" ", ""), alteration=rest, value=value)
        _read_gene_entry(vocab, entry, facts, case, label=label)
        return
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
        scored = vocab.biomarker[bid].positive_min_intensity is not None
        if low in POSITIVE_WORDS or (re.fullmatch(r"[123]\+", low) and not scored):
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
_LEADING_PERCENT = re.compile(
    r"^(?:[<>≤≥]=?\s*)?\d+(?:\.\d+)?\s*%\s*(?:of\s+(?:cells|blasts|tumou?r\s+cells)\s+)?"
)
# result words that say the finding is there: "del(5q) isolated" (the sole karyotype abnormality),
# "detected", "present in 30% of metaphases", "identified"
_PRESENT_WORDS = frozenset({"isolated", "detected", "present", "identified", "confirmed", "found"})
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
    b = vocab.biomarker[bid]
    if b.positive_min_intensity is not None and b.positive_cutoff_percent is not None:
        return _intensity_state(b.positive_min_intensity, b.positive_cutoff_percent, low)
    core = re.sub(r"\(.*?\)", " ", low)
    core = re.split(r"[,;/]", core)[0].strip()
    first = core.split()[0] if core.split() else ""
    alias = vocab.alias.get(first)
    if alias is not None and (alias == bid or bid in vocab.closure.get(alias, frozenset())):
        core = core[len(first) :].strip() or "positive"  # "ER+ 80%": the alias says it
    core = _QUALIFIERS.sub("", _LEADING_PERCENT.sub("", core))  # "95% positive"
    head = core.split()[0] if core.split() else ""
    if head in ("positive", "pos", "+") or head in _PRESENT_WORDS:
        return True
    if head in ("negative", "neg", "-"):
        return False
    cutoff = vocab.biomarker[bid].positive_cutoff_percent
    m = _PERCENT.fullmatch(core) or _PERCENT.search(low)
    if m is None:
        return None
    op, value = m.group(1) or "", float(m.group(2))
    if cutoff is None:
        # a measured level of a fusion transcript or mutation ("BCR-ABL1 0.8% IS", a variant
        # allele fraction) above zero means it is there; zero or "<x%" says nothing about it
        kind = vocab.biomarker[bid].kind
        return True if kind in ("fusion", "mutation") and op not in ("<", "≤", "<=") and value > 0 else None
    if op in ("<", "≤", "<="):
        return False if value <= cutoff else None
    return value >= cutoff


_INTENSITY = re.compile(r"(?<![\d.])([0-3])\s*\+")
_INTENSITY_PERCENT = re.compile(r"(?<![\d.])([0-3])\s*\+[^\d%]{0,12}?(\d+(?:\.\d+)?)\s*%")
_PERCENT_INTENSITY = re.compile(r"(\d+(?:\.\d+)?)\s*%[^\d%+]{0,12}?(?<![\d.])([0-3])\s*\+")


def _intensity_state(min_intensity: int, cutoff: float, low: str) -> bool | None:
    """An IHC result scored by intensity and share of cells ("IHC 2+ 60%", "2+ in 40% of cells,
    3+ in 10%", or the share first: "85% PS2+", "80%, 2+"): positive when the cells at ``min_intensity`` or more add up to ``cutoff`` percent;
    negative when they do not, or when every stated intensity is below it; otherwise unknown."""
    pairs = [(int(i), float(p)) for i, p in _INTENSITY_PERCENT.findall(low)]
    if not pairs:  # the share first: "85% PS2+" (FRα, VENTANA FOLR1), "80%, 2+"
        pairs = [(int(i), float(p)) for p, i in _PERCENT_INTENSITY.findall(low)]
    if pairs:
        return sum(p for i, p in pairs if i >= min_intensity) >= cutoff
    intensities = [int(i) for i in _INTENSITY.findall(low)]
    if intensities and max(intensities) < min_intensity:
        return False
    return None


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
