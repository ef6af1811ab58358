"""Normalise a validated profile against the knowledge base (ENGINE.md step 1).

:class:`Vocabulary` is compiled once per knowledge base (alias maps, gene index, ``implies``
closures, drug aliases); :func:`normalize` turns a :class:`~onconav.engine.profile.Profile` into a
:class:`Case`: biomarker facts (present / absent / numeric ranges), the cancer lineage, the stage
group(s), the line of therapy and what was received or failed. Whatever is not understood is
returned as a warning, never silently dropped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from onconav.engine.messages import t
from onconav.engine.profile import FAILED_OUTCOMES, BiomarkerEntry, Outcome, Profile, ProfileError
from onconav.kbdata.loader import KnowledgeBase
from onconav.kbdata.schema import Biomarker

INF = math.inf
GROUPS = ("early", "locally_advanced", "advanced")

# Gene synonyms (upper-case, spaces/hyphens removed) -> canonical symbol used for lookups.
GENE_SYNONYMS = {
    "HER2": "ERBB2",
    "HER2NEU": "ERBB2",
    "NEU": "ERBB2",
    "ERBB2": "ERBB2",
    "PDL1": "CD274",
    "CD274": "CD274",
    "NTRK1": "NTRK",
    "NTRK2": "NTRK",
    "NTRK3": "NTRK",
    "BRCA1": "BRCA",
    "BRCA2": "BRCA",
    "BRCA1/2": "BRCA",
    "CMET": "MET",
    "CLDN182": "CLDN18",
    "CLDN18.2": "CLDN18",
    "CLAUDIN18.2": "CLDN18",
    "CLAUDIN182": "CLDN18",
    "MMR": "MSI",
    "DMMR": "MSI",
    "MSIH": "MSI",
    "ESTROGENRECEPTOR": "ER",
    "ESR": "ER",
    "PROGESTERONERECEPTOR": "PR",
    "PGR": "PR",
}

# Name fallbacks for measured markers when the KB has no alias for them.
NAME_FALLBACKS = {
    "PDL1TPS": "PD-L1:TPS",
    "TPS": "PD-L1:TPS",
    "PDL1": "PD-L1:TPS",
    "PDL1CPS": "PD-L1:CPS",
    "CPS": "PD-L1:CPS",
    "TMB": "TMB:score",
    "TUMORMUTATIONALBURDEN": "TMB:score",
    "TUMOURMUTATIONALBURDEN": "TMB:score",
    "MSI": "MSI:high",
    "MMR": "MSI:high",
    "MSIMMR": "MSI:high",
    "ER": "ER:positive",
    "PR": "PR:positive",
    "HR": "HR:positive",
    "HGF": "HGF:high",
}

NEGATIVE_WORDS = frozenset(
    {
        "wild-type",
        "wild type",
        "wildtype",
        "wt",
        "negative",
        "neg",
        "not detected",
        "undetected",
        "no mutation",
        "none detected",
        "absent",
        "-",
        "none",
        "no",
        "normal",
        "not amplified",
        "mss",
        "pmmr",
        "msi-l",
        "msi-low",
        "mmr proficient",
        "proficient",
        "low",
        "non-amplified",
    }
)
POSITIVE_WORDS = frozenset(
    {
        "positive",
        "pos",
        "+",
        "detected",
        "present",
        "yes",
        "mutated",
        "mutation",
        "mutant",
        "altered",
        "high",
        "amplified",
        "msi-h",
        "msi-high",
        "dmmr",
        "mmr deficient",
        "deficient",
        "overexpressed",
        "overexpression",
        "rearranged",
        "fusion",
        "true",
    }
)
NEG_SUFFIX_RE = re.compile(
    r"^(?P<alt>.+?)[\s:,]+(?:negative|neg|not detected|wild[\s-]?type|absent|not found)$", re.I
)
# "no RET fusion", "negative for ALK rearrangement", "unmethylated", "unmutated"
NEG_PREFIX_RE = re.compile(
    r"^(?:(?:no|not|non|negative for|without|absence of)[\s-]+|un(?=methylated|mutated|amplified))(?P<alt>.+)$",
    re.I,
)
# words that stand for "the gene's alteration" in a negative result ("ROS1 rearrangement negative")
GENERIC_ALTERATIONS = frozenset(
    {
        "fusion",
        "fusions",
        "rearrangement",
        "rearrangements",
        "translocation",
        "mutation",
        "mutations",
        "alteration",
        "alterations",
        "variant",
        "variants",
        "amplification",
        "gene fusion",
        "gene rearrangement",
    }
)
IHC_RE = re.compile(r"^\s*(?:ihc\s*)?([0-3])\s*\+?\s*$", re.I)


def gene_key(s: str) -> str:
    return re.sub(r"[\s\-_]", "", s.strip().upper())


def canon_gene(s: str) -> str:
    k = gene_key(s)
    return GENE_SYNONYMS.get(k, k)


_ALT_SUBS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.I), r)
    for p, r in (
        (r"^p\.\s*", ""),
        (r"^c\.\s*", "c."),
        (r"\bex(?:on)?\s*(\d+)\s*(?:deletions?|del)\b", r"exon\1del"),
        (r"\bex(?:on)?\s*(\d+)\s*(?:insertions?|ins)\b", r"exon\1ins"),
        (r"\bex(?:on)?\s*(\d+)\s*(?:skipping|skip|skipping mutation|splice site)\b", r"exon\1skipping"),
        (r"^(\d+)\s*del$", r"exon\1del"),
        (r"^(\d+)\s*ins$", r"exon\1ins"),
        (r"\b(?:amp|amplified|gene amplification|copy number gain)\b", "amplification"),
        (r"\b(?:rearrangement|rearranged|translocation|fusion positive|fusions)\b", "fusion"),
        (r"\b(?:mutant|mutated|mutations)\b", "mutation"),
        (r"\s+", " "),
    )
)


def norm_alt(s: str) -> str:
    out = s.strip().lower()
    for pat, rep in _ALT_SUBS:
        out = pat.sub(rep, out)
    return out.strip()


def parse_range(value: float | str | None) -> tuple[float, float] | None:
    """A measured value as an inclusive range: 60 -> (60, 60); "≥50%" -> (50, inf); "<1%" -> (0, <1)."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return None if math.isnan(value) else (float(value), float(value))
    s = str(value).strip().lower()
    for a, b in (
        ("≥", ">="),
        ("≤", "<="),
        ("＜", "<"),
        ("＞", ">"),
        ("＝", "="),
        ("–", "-"),
        ("—", "-"),
        ("％", "%"),
        ("mut/mb", ""),
        ("muts/mb", ""),
        ("mutations/mb", ""),
        ("%", ""),
        ("tps", ""),
        ("cps", ""),
        ("score", ""),
        ("=>", ">="),
        ("=<", "<="),
    ):
        s = s.replace(a, b)
    s = s.replace(" ", "")
    m = re.fullmatch(r"(>=|>|<=|<|=)?(\d+(?:\.\d+)?)", s)
    if m:
        op, x = m.group(1) or "=", float(m.group(2))
        eps = 1e-9
        return {
            "=": (x, x),
            ">=": (x, INF),
            ">": (x + eps, INF),
            "<=": (0.0, x),
            "<": (0.0, x - eps),
        }[op]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?:-|~|to)(\d+(?:\.\d+)?)", s)
    if m:
        lo, hi = float(m.group(1)), float(m.group(2))
        return (min(lo, hi), max(lo, hi))
    return None


def threshold_holds(rng: tuple[float, float], op: str, value: float) -> bool | None:
    """True / False when the whole range decides the comparison, None when it straddles it."""
    lo, hi = rng
    if op == ">=":
        return True if lo >= value else False if hi < value else None
    if op == ">":
        return True if lo > value else False if hi <= value else None
    if op == "<":
        return True if hi < value else False if lo >= value else None
    if op == "<=":
        return True if hi <= value else False if lo > value else None
    # ==
    if lo == hi == value:
        return True
    return False if value < lo or value > hi else None


@dataclass(frozen=True)
class Vocabulary:
    """Indexes compiled once per knowledge base."""

    biomarker: dict[str, Biomarker]
    alias: dict[str, str]  # lower-case alias -> biomarker id
    by_gene: dict[str, dict[str, str]]  # canonical gene -> normalised alteration -> id
    gene_ids: dict[str, tuple[str, ...]]  # canonical gene -> ids (sorted)
    gene_of: dict[str, str]  # id -> canonical gene
    x_patterns: dict[str, tuple[tuple[re.Pattern[str], str], ...]]
    closure: dict[str, frozenset[str]]  # id -> itself and every id it implies (transitively)
    implied_by: dict[str, frozenset[str]]  # id -> every id whose closure contains it
    members: dict[str, frozenset[str]]  # group id -> ids that directly imply it
    drug_alias: dict[str, str]  # lower-case name / brand / alias -> INN
    drug_tags: dict[str, frozenset[str]]  # INN -> class tags
    drug_zh: dict[str, str]  # INN -> Chinese name
    stage_maps: dict[str, dict[str, str]]  # cancer code -> upper-case stage -> group

    @classmethod
    def compile(cls, kb: KnowledgeBase) -> Vocabulary:
        biomarker = {b.id: b for b in kb.biomarkers}
        alias: dict[str, str] = {}
        by_gene: dict[str, dict[str, str]] = {}
        gene_ids: dict[str, list[str]] = {}
        gene_of: dict[str, str] = {}
        x_patterns: dict[str, list[tuple[re.Pattern[str], str]]] = {}
        for b in kb.biomarkers:
            prefix, _, suffix = b.id.partition(":")
            genes = {canon_gene(prefix)} | ({canon_gene(b.gene)} if b.gene else set())
            main_gene = canon_gene(b.gene) if b.gene else canon_gene(prefix)
            gene_of[b.id] = main_gene
            keys = [b.id, *b.aliases, f"{prefix} {suffix}", f"{prefix} {b.alteration}", b.name.en, b.name.zh]
            if b.gene:
                keys += [f"{b.gene} {b.alteration}", f"{b.gene} {suffix}"]
            for k in keys:
                alias.setdefault(k.strip().lower(), b.id)
            for g in genes:
                gene_ids.setdefault(g, []).append(b.id)
                idx = by_gene.setdefault(g, {})
                alts = [b.alteration, suffix, *b.aliases]
                for a in alts:
                    na = norm_alt(a)
                    for gname in (prefix, b.gene or ""):
                        if gname and na.startswith(gname.lower() + " "):
                            idx.setdefault(na[len(gname) + 1 :].strip(), b.id)
                    idx.setdefault(na, b.id)
                m = re.fullmatch(r"([A-Z]\d+)X", suffix)
                if m:
                    x_patterns.setdefault(g, []).append((re.compile(rf"^{m.group(1).lower()}[a-z]$"), b.id))
        closure: dict[str, frozenset[str]] = {}

        def close(bid: str, stack: tuple[str, ...] = ()) -> frozenset[str]:
            if bid in closure:
                return closure[bid]
            out = {bid}
            b = biomarker.get(bid)
            if b is not None:
                for g in b.implies:
                    if g not in stack:
                        out |= close(g, (*stack, bid))
            closure[bid] = frozenset(out)
            return closure[bid]

        for bid in sorted(biomarker):
            close(bid)
        implied_by_l: dict[str, set[str]] = {}
        for bid, cl in closure.items():
            for g in cl:
                implied_by_l.setdefault(g, set()).add(bid)
        drug_alias: dict[str, str] = {}
        drug_tags: dict[str, frozenset[str]] = {}
        for d in kb.drugs:
            drug_tags[d.inn] = frozenset(d.class_tags)
            for k in (d.inn, d.name_zh, *d.brands, *d.aliases):
                drug_alias.setdefault(k.strip().lower(), d.inn)
        stage_maps = {
            c.oncotree_code: {k.strip().upper(): v for k, v in c.stage_groups.items()} for c in kb.cancers
        }
        members: dict[str, set[str]] = {}
        for b in kb.biomarkers:
            for g in b.implies:
                if g in biomarker and biomarker[g].kind == "group":
                    members.setdefault(g, set()).add(b.id)
        return cls(
            members={g: frozenset(v) for g, v in members.items()},
            drug_zh={d.inn: d.name_zh for d in kb.drugs},
            biomarker=biomarker,
            alias=alias,
            by_gene=by_gene,
            gene_ids={g: tuple(sorted(set(v))) for g, v in gene_ids.items()},
            gene_of=gene_of,
            x_patterns={g: tuple(v) for g, v in x_patterns.items()},
            closure=closure,
            implied_by={k: frozenset(v) for k, v in implied_by_l.items()},
            drug_alias=drug_alias,
            drug_tags=drug_tags,
            stage_maps=stage_maps,
        )


def drug_label(vocab: Vocabulary, inn: str, lang: str) -> str:
    """The INN in English, the Chinese name in Chinese (the INN when unknown)."""
    return vocab.drug_zh.get(inn, inn) if lang != "en" else inn


@dataclass
class Case:
    """The normalised profile the rules run on."""

    lang: str
    code: str
    lineage: tuple[str, ...]
    category: str
    stage: str | None
    stage_groups: frozenset[str]
    stage_known: bool
    present: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)
    numeric: dict[str, tuple[float, float]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # id -> how the profile stated it
    line: int = 1  # the line of systemic therapy for advanced disease now being chosen
    advanced_lines: int = 0
    maintenance_line: int = 1  # the line a maintenance treatment would continue
    responding: bool = False  # the last systemic treatment worked (response / no progression)
    received: set[str] = field(default_factory=set)  # INNs (or unknown names) received
    received_tags: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)
    failed_tags: set[str] = field(default_factory=set)
    intolerant: set[str] = field(default_factory=set)
    had_radiotherapy: bool = False
    ecog: int | None = None
    age: float | None = None
    child_pugh: str | None = None
    operable: bool | None = None
    resected: bool | None = None
    resectable: bool | None = None
    tumor_size_cm: float | None = None
    tumor_count: int | None = None
    crcl: float | None = None
    lvef: float | None = None
    budget_usd: float | None = None
    comorbidities: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)  # normalisation rule ids that fired
    origins: dict[str, str] = field(default_factory=dict)  # biomarker id -> germline | somatic
    route: str | None = None  # preferences.route: oral | infusion | any
    unused: list[tuple[str, str, str]] = field(default_factory=list)  # (field, value, reason key)

    def state(self, bid: str) -> bool | None:
        if bid in self.present:
            return True
        if bid in self.absent:
            return False
        return None

    def warn(self, key: str, **kw: object) -> None:
        if key in UNUSED_WARNINGS:
            field_name, reason, arg = UNUSED_WARNINGS[key]
            item = (field_name, str(kw.get(arg, "")), reason)
            if item not in self.unused:
                self.unused.append(item)
        msg = t(key, self.lang, **kw)
        if msg not in self.warnings:
            self.warnings.append(msg)


# warnings that also mean "this input was not used": key -> (field, reason message key, kw name)
UNUSED_WARNINGS = {
    "w_biomarker_unrecognised": ("biomarkers", "u_biomarker", "label"),
    "w_biomarker_value": ("biomarkers", "u_biomarker", "label"),
    "w_drug_unrecognised": ("prior_therapies.drugs", "u_drug", "drug"),
}


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


def _read_negated(
    vocab: Vocabulary, gene_raw: str, gene: str, alt: str, label: str, facts: _Facts, case: Case
) -> bool:
    """Read "RET fusion not detected", "fusion negative", "no EGFR mutation", "unmethylated" as a
    negative result (rule ``normalize.negated``). True when read."""
    m = NEG_SUFFIX_RE.match(alt) or NEG_PREFIX_RE.match(alt.strip())
    if not m:
        return False
    stem = m.group("alt").strip()
    bid = _lookup_alteration(vocab, gene_raw, gene, stem)
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
    label = e.label()
    if e.gene:
        gene = canon_gene(e.gene)
        alt = (e.alteration or "").strip()
        if not alt and e.value is not None:
            alt = str(e.value)
        if gene == "ERBB2" and _her2_text(alt, facts):
            return
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
        return

    # {name, value, unit}
    name = (e.name or "").strip()
    value = e.value
    sval = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value).strip())
    lname = name.lower()
    if re.fullmatch(r"(her2|her-2|erbb2)\s*[-/ ]?\s*(ihc|immunohistochemistry|status|expression)?", lname):
        m = IHC_RE.match(sval)
        if m:
            facts.her2_ihc = m.group(1)
            return
        if _her2_text(sval, facts):
            return
    if re.fullmatch(r"(her2|her-2|erbb2)\s*[-/ ]?\s*(ish|fish|cish|sish|ddish)", lname):
        low = sval.lower()
        if low in POSITIVE_WORDS or "amplif" in low and "not" not in low and "non" not in low:
            facts.her2_ish = True
            return
        if low in NEGATIVE_WORDS or "not" in low or "non" in low:
            facts.her2_ish = False
            return
        case.warn("w_biomarker_value", label=label)
        return
    bid = _name_id(vocab, name, e.unit)
    if _numeric_id(vocab, bid):
        assert bid is not None
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
        return
    # categorical: "<name> <value>", then the value alone, then positive/negative words
    for key in (f"{name} {sval}".lower(), sval.lower()):
        cand = vocab.alias.get(key)
        if cand and (bid is None or vocab.gene_of.get(cand) == vocab.gene_of.get(bid) or key == sval.lower()):
            if vocab.biomarker[cand].value_type != "numeric":
                facts.pos(cand, label)
                return
    low = sval.lower()
    neg = NEG_PREFIX_RE.match(low)
    if neg:
        cand = vocab.alias.get(f"{name} {neg.group('alt')}".lower())
        if cand and vocab.biomarker[cand].value_type != "numeric":
            facts.neg(cand, label)
            case.rules.append("normalize.negated")
            return
    if bid is not None:
        if low in NEGATIVE_WORDS or low == "0":
            facts.neg(bid, label)
            return
        if low in POSITIVE_WORDS or re.fullmatch(r"[123]\+", low):
            facts.pos(bid, label)
            return
    # a gene written as a name: {name: KRAS, value: G12C}
    g = canon_gene(name)
    if g in vocab.gene_ids and sval:
        _read_entry(vocab, BiomarkerEntry(gene=name, alteration=sval), facts, case)
        return
    case.warn("w_biomarker_value" if bid else "w_biomarker_unrecognised", label=label)


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


def _stage(kb_vocab: Vocabulary, lineage: tuple[str, ...], profile: Profile, case: Case) -> None:
    c = profile.cancer
    raw = (c.stage or "").strip()
    group: str | None = None
    if raw:
        key = re.sub(r"\s+", " ", raw.upper())
        keys = [key, re.sub(r"^STAGE\s*", "", key), key.replace("STAGE ", "")]
        for code in lineage:
            smap = kb_vocab.stage_maps.get(code, {})
            for k in keys:
                if k in smap:
                    group = smap[k]
                    break
            if group:
                break
        if group is None:
            k = re.sub(r"^STAGE\s*", "", key)
            m = re.fullmatch(r"(0|IV|I{1,3}|[1-4])([A-D]\d?)?", k.replace(" ", ""))
            if m:
                roman = {"1": "I", "2": "II", "3": "III", "4": "IV"}.get(m.group(1), m.group(1))
                group = {
                    "0": "early",
                    "I": "early",
                    "II": "early",
                    "III": "locally_advanced",
                    "IV": "advanced",
                }[roman]
                if case.category == "heme" and roman == "III":
                    group = "advanced"  # lymphoma stage III (Lugano/Ann Arbor) is advanced-stage disease
                case.rules.append("stage.ajcc_fallback")
            elif re.search(r"METASTA|RECURR|ADVANCED|EXTENSIVE|转移|晚期|复发", k) and "LOCALLY" not in k:
                group = "advanced"
                case.rules.append("stage.words")
            elif re.search(r"LOCALLY ADVANCED|局部晚期", k):
                group = "locally_advanced"
                case.rules.append("stage.words")
            elif re.search(r"EARLY|LOCALI[SZ]ED|LIMITED|早期", k):
                group = "early"
                case.rules.append("stage.words")
    if c.recurrent_metastatic:
        group = "advanced"
        case.rules.append("stage.recurrent_metastatic")
    if group is None:
        if raw:
            case.warn("w_stage_unrecognised", stage=raw)
        else:
            case.warn("w_stage_unknown")
        case.stage_groups = frozenset(GROUPS)
        case.stage_known = False
        return
    groups = {group}
    if group == "locally_advanced" and c.resectable is True:
        groups.add("early")  # resectable stage III: surgery-based treatment is on the table
        case.rules.append("stage.resectable_locally_advanced")
    case.stage_groups = frozenset(groups)
    case.stage_known = True


NON_ADVANCED_SETTINGS = frozenset(
    {"adjuvant", "neoadjuvant", "perioperative", "definitive", "consolidation", "chemoradiation", "curative"}
)


def _priors(vocab: Vocabulary, profile: Profile, case: Case) -> None:
    lines: set[int] = set()
    unnumbered = 0
    last: tuple[int, int, Outcome | None] | None = None  # (line, order, outcome) of the latest systemic line
    for order, p in enumerate(profile.prior_therapies):
        if p.with_radiotherapy:
            case.had_radiotherapy = True
        inns: list[str] = []
        for raw in p.drugs:
            key = raw.strip().lower()
            inn = vocab.drug_alias.get(key)
            if inn is None:
                case.warn("w_drug_unrecognised", drug=raw)
                inn = key
            inns.append(inn)
        tags = set().union(*(vocab.drug_tags.get(i, frozenset()) for i in inns)) if inns else set()
        case.received.update(inns)
        case.received_tags.update(tags)
        if p.outcome in FAILED_OUTCOMES:
            case.failed.update(inns)
            case.failed_tags.update(tags)
        elif p.outcome == Outcome.INTOLERANCE:
            case.intolerant.update(inns)
        if not inns:
            continue
        key = (p.line or 0, order, p.outcome)
        if last is None or key[:2] >= last[:2]:
            last = key
        if p.setting and p.setting in NON_ADVANCED_SETTINGS:
            continue
        if p.outcome not in FAILED_OUTCOMES and all("gnrh" in vocab.drug_tags.get(i, ()) for i in inns):
            continue  # ADT alone that still works is the backbone of every line, not a line
        if p.line is not None:
            lines.add(p.line)
        else:
            unnumbered += 1
    case.advanced_lines = max(len(lines) + unnumbered, max(lines, default=0))
    case.line = case.advanced_lines + 1
    case.responding = last is not None and last[2] in (Outcome.RESPONSE, Outcome.NO_PROGRESSION)
    case.maintenance_line = case.advanced_lines if case.responding and case.advanced_lines else case.line


def normalize(vocab: Vocabulary, kb: KnowledgeBase, profile: Profile, lang: str) -> Case:
    code = profile.cancer.oncotree_code
    cancer = kb.cancer_by_code.get(code)
    if cancer is None:
        raise ProfileError(
            [
                {
                    "field": "cancer.oncotree_code",
                    "message": f"unknown OncoTree code {code!r} (not in the knowledge base)",
                }
            ]
        )
    lineage = tuple(kb.lineage(code))
    case = Case(
        lang=lang,
        code=code,
        lineage=lineage,
        category=cancer.category,
        stage=profile.cancer.stage,
        stage_groups=frozenset(GROUPS),
        stage_known=False,
        ecog=profile.ecog,
        age=profile.age,
        child_pugh=profile.child_pugh.value if profile.child_pugh else None,
        operable=profile.operable,
        resected=profile.cancer.resected,
        resectable=profile.cancer.resectable,
        tumor_size_cm=profile.cancer.tumor_size_cm,
        tumor_count=profile.cancer.tumor_count,
        crcl=profile.organ_function.creatinine_clearance_ml_min,
        lvef=profile.organ_function.lvef_percent,
        budget_usd=profile.preferences.budget_usd,
        route=profile.preferences.route.value if profile.preferences.route else None,
        comorbidities=tuple(c for c in profile.comorbidities if isinstance(c, str) and c.strip()),
    )
    _stage(vocab, lineage, profile, case)

    facts = _Facts()
    for entry in profile.biomarkers:
        before = set(facts.present)
        _read_entry(vocab, entry, facts, case)
        if entry.origin is not None:
            for bid in set(facts.present) - before:
                for implied in vocab.closure.get(bid, frozenset({bid})):
                    case.origins.setdefault(implied, entry.origin.value)
    _her2(vocab, facts, case)
    present: set[str] = set()
    for bid in facts.present:
        present |= vocab.closure.get(bid, frozenset({bid}))
    absent: set[str] = set()
    for bid in facts.absent:
        absent |= vocab.implied_by.get(bid, frozenset({bid}))
    # a group whose every member is known negative is negative (ER- and PR- => HR:positive absent)
    changed = True
    while changed:
        changed = False
        for gid, members in vocab.members.items():
            if gid not in absent and members and members <= absent:
                absent |= vocab.implied_by.get(gid, frozenset({gid}))
                changed = True
    conflicts = sorted(present & absent)
    for bid in conflicts:
        if bid in facts.present or bid in facts.absent:  # report what the profile itself stated
            case.warn("w_biomarker_conflict", marker=bid)
    case.present = present
    case.absent = absent - present
    case.numeric = dict(facts.numeric)
    case.labels = {**facts.absent, **facts.present, **facts.labels}
    _priors(vocab, profile, case)
    if profile.ecog is None:
        case.warn("w_ecog_unknown")
    return case
