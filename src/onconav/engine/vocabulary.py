"""Normalisation vocabulary: gene synonyms, result words, ranges, and the :class:`Vocabulary`
indexes compiled once per knowledge base (alias maps, gene index, ``implies`` closures, drug aliases)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

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
# the negation at the END: "promoter unmethylated", "ERBB2 not amplified", "KRAS not mutated";
# ``pos`` is the positive word ("methylated", "amplified", "mutated") the stem is looked up with
NEG_TRAIL_RE = re.compile(
    r"^(?P<pre>.*?)[\s:,]*\b(?:un|not[\s-]+|non[\s-]?)(?P<pos>methylated|mutated|amplified)$",
    re.I,
)
# positive word -> the noun forms a vocabulary alias may use
NEG_TRAIL_NOUNS = {
    "methylated": ("methylated", "methylation", "promoter methylated", "promoter methylation"),
    "mutated": ("mutated", "mutation"),
    "amplified": ("amplified", "amplification"),
}


def negated_stems(text: str) -> list[str]:
    """The alteration a negative result is about, most specific first: "fusion negative" ->
    ["fusion"]; "promoter unmethylated" -> ["promoter methylated", "methylated", ...]; [] when the
    text is not a negative result."""
    m = NEG_SUFFIX_RE.match(text) or NEG_PREFIX_RE.match(text.strip())
    if m:
        return [m.group("alt").strip()]
    t = NEG_TRAIL_RE.match(text.strip())
    if not t:
        return []
    pre, pos = t.group("pre").strip(), t.group("pos").lower()
    nouns = NEG_TRAIL_NOUNS[pos]
    return [f"{pre} {n}".strip() for n in nouns if pre] + list(nouns)


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
        ("ng/ml", ""),
        ("μg/l", ""),
        ("ug/l", ""),
        ("iu/ml", ""),
        ("ku/l", ""),
        ("u/ml", ""),
        ("copies/ml", ""),
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
    # INNs whose every class tag is ``failure_neutral`` (knowledge/policy/classes): a backbone or
    # supportive drug (dexamethasone, leucovorin) whose failed line says nothing about it
    failure_neutral: frozenset[str] = frozenset()
    # fusions named by their two partners in HGNC notation ("PML::RARA"): the set of the two
    # canonical genes -> id, for a biomarker whose id names the pair (PML-RARA:fusion); and a
    # gene -> the fusion id named by that gene alone (ALK:fusion, KMT2A:fusion), any partner
    fusion_pairs: dict[frozenset[str], str] = field(default_factory=dict)
    fusion_genes: dict[str, str] = field(default_factory=dict)
    # canonical gene -> (first codon, last codon, kind, biomarker id): in-frame variants recognised
    # by where they fall (Biomarker.codon_ranges: EGFR exon 19 deletions 729-761, exon 20 insertions)
    codon_ranges: dict[str, tuple[tuple[int, int, str, str], ...]] = field(default_factory=dict)
    # late relapse after curative-intent treatment (knowledge/policy/relapse-windows.yaml):
    # the default window in months, and (cancer node, drugs or class tags, months) rules
    relapse_default_months: float = 6.0
    relapse_rules: tuple[tuple[str, frozenset[str], float], ...] = ()
    # (cancer node, drugs or tags of the curative course, drugs or tags of first-line options
    # shown lower) - relapse-windows.yaml ``early_relapse_first_line``
    early_relapse_rules: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = ()
    # the risk scores / indices the facts read (cancer.risk_groups.<name>), lower-case name -> the
    # names as the facts write them: a biomarker entry written with one of these names
    # ({name: Ki-67, value: "15%"}) is that score
    risk_systems: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def compile(cls, kb: KnowledgeBase) -> Vocabulary:
        biomarker = {b.id: b for b in kb.biomarkers}
        alias, by_gene, gene_ids, gene_of, x_patterns = _biomarker_indexes(kb)
        closure = _closures(biomarker)
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
            failure_neutral=_failure_neutral(kb),
            **_fusion_indexes(kb),
            codon_ranges=_codon_ranges(kb),
            **_relapse_windows(kb),
            risk_systems=_risk_systems(kb),
        )

    def fusion_for(self, partners: list[str]) -> str | None:
        """The fusion biomarker an HGNC pair name ("PML::RARA", "EML4::ALK", "KMT2A::AFF1")
        stands for: the KB's biomarker named by the pair, else one named by either gene alone
        (any partner); None when the KB has neither (NPM1::RARA is not PML::RARA)."""
        genes = [canon_gene(p) for p in partners if p.strip()]
        if len(genes) < 2:
            return None
        bid = self.fusion_pairs.get(frozenset(genes))
        if bid is not None:
            return bid
        for g in reversed(genes):  # the 3' partner first: usually the kinase (EML4::ALK)
            if g in self.fusion_genes:
                return self.fusion_genes[g]
        return None


def _risk_systems(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    prefix = "cancer.risk_groups."
    conditions = [c for f in kb.policy.facts for c in (*f.all, *f.any, *f.false_when)]
    out: dict[str, set[str]] = {}
    for c in conditions:
        if (c.field or "").startswith(prefix):
            name = c.field[len(prefix) :]
            out.setdefault(name.lower(), set()).add(name)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _relapse_windows(kb: KnowledgeBase) -> dict[str, object]:
    """``relapse_default_months`` and ``relapse_rules`` of :class:`Vocabulary`."""
    w = kb.policy.relapse_windows
    if w is None:
        return {}
    rules = tuple((r.cancer, frozenset(r.drugs), float(r.months)) for r in w.rules)
    early = tuple(
        (r.cancer, frozenset(r.drugs), frozenset(r.first_line_shown_lower))
        for r in w.early_relapse_first_line
    )
    return {
        "relapse_default_months": float(w.default_months),
        "relapse_rules": rules,
        "early_relapse_rules": early,
    }


def _fusion_indexes(kb: KnowledgeBase) -> dict[str, dict]:
    """``fusion_pairs`` and ``fusion_genes`` of :class:`Vocabulary` (see there)."""
    pairs: dict[frozenset[str], str] = {}
    genes: dict[str, str] = {}
    for b in kb.biomarkers:
        if b.kind != "fusion":
            continue
        prefix = b.id.partition(":")[0]
        parts = [canon_gene(p) for p in prefix.split("-") if p]
        if len(parts) == 2:
            pairs.setdefault(frozenset(parts), b.id)
        elif len(parts) == 1:
            genes.setdefault(parts[0], b.id)
            if b.gene:
                genes.setdefault(canon_gene(b.gene), b.id)
    return {"fusion_pairs": pairs, "fusion_genes": genes}


def _codon_ranges(kb: KnowledgeBase) -> dict[str, tuple[tuple[int, int, str, str], ...]]:
    out: dict[str, list[tuple[int, int, str, str]]] = {}
    for b in kb.biomarkers:
        gene = canon_gene(b.gene or b.id.partition(":")[0])
        for r in b.codon_ranges:
            out.setdefault(gene, []).append((r.start, r.end, r.kind, b.id))
    return {g: tuple(v) for g, v in out.items()}


def _failure_neutral(kb: KnowledgeBase) -> frozenset[str]:
    neutral = {c.tag for c in kb.policy.classes if c.failure_neutral}
    return frozenset(d.inn for d in kb.drugs if d.class_tags and set(d.class_tags) <= neutral)


def _biomarker_indexes(
    kb: KnowledgeBase,
) -> tuple[
    dict[str, str],
    dict[str, dict[str, str]],
    dict[str, list[str]],
    dict[str, str],
    dict[str, list[tuple[re.Pattern[str], str]]],
]:
    """(alias, by_gene, gene_ids, gene_of, x_patterns) of :class:`Vocabulary`."""
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
    return alias, by_gene, gene_ids, gene_of, x_patterns


def _closures(biomarker: dict[str, Biomarker]) -> dict[str, frozenset[str]]:
    """Each id with every id it implies, transitively (cycles cut)."""
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
    return closure


def drug_label(vocab: Vocabulary, inn: str, lang: str) -> str:
    """The INN in English, the Chinese name in Chinese (the INN when unknown)."""
    return vocab.drug_zh.get(inn, inn) if lang != "en" else inn
