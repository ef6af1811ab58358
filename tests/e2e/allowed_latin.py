"""Latin tokens a Chinese page may show (the checked list for test_every_page): INNs and brands
(from the knowledge base), trial names, gene and test names, units, currency codes, standards and
proper names. Anything else in Latin letters on a Chinese page is an untranslated word."""

from __future__ import annotations

from functools import lru_cache

FIXED = {
    # the product, formats, standards and laws
    "onconav",
    "pdf",
    "api",
    "fhir",
    "ips",
    "json",
    "r4",
    "gdpr",
    "pipl",
    "mcode",
    "dicom",
    "jpeg",
    "png",
    "zip",
    "whatsapp",
    "wechat",
    "pubmed",
    "doi",
    "org",
    "www",
    "http",
    "https",
    "com",
    "cn",
    "gov",
    "html",
    "en",
    # organisations, guidelines, regulators
    "nccn",
    "csco",
    "esmo",
    "asco",
    "nmpa",
    "nrdl",
    "fda",
    "ema",
    "nhsa",
    "jci",
    "chia",
    "achs",
    "who",
    "mdt",
    "ipd",
    # outcome terms and statistics
    "hr",
    "pfs",
    "os",
    "orr",
    "dfs",
    "efs",
    "rfs",
    "cr",
    "pr",
    "sd",
    "pd",
    "ci",
    "vs",
    # tests, genes and markers
    "egfr",
    "alk",
    "ros1",
    "ret",
    "met",
    "kras",
    "nras",
    "braf",
    "her2",
    "erbb2",
    "ntrk",
    "l1",
    "tps",
    "cps",
    "tmb",
    "msi",
    "mss",
    "dmmr",
    "pmmr",
    "brca",
    "brca1",
    "brca2",
    "hrd",
    "er",
    "ihc",
    "fish",
    "ish",
    "ngs",
    "ctdna",
    "pcr",
    "t790m",
    "l858r",
    "g12c",
    "v600e",
    "v600k",
    "exon",
    "del",
    "ins",
    "cd19",
    "cd20",
    "bcma",
    "ecog",
    "bclc",
    "ajcc",
    "iss",
    "r-iss",
    "tnm",
    "gleason",
    "psa",
    "ca",
    "ki",
    "mut",
    "mb",
    "pd-l1",
    "car",
    "car-t",
    # treatments and techniques
    "ct",
    "pet",
    "mri",
    "sbrt",
    "tace",
    "hipec",
    "tki",
    "adc",
    "r-chop",
    "folfox",
    "folfiri",
    "xelox",
    "capox",
    "ac",
    "tc",
    "bsc",
    "imrt",
    "vmat",
    # units, grades and currencies
    "mg",
    "kg",
    "ml",
    "cm",
    "mm",
    "iu",
    "iii",
    "ii",
    "iv",
    "i",
    "ia",
    "ib",
    "iia",
    "iib",
    "iiia",
    "iiib",
    "iiic",
    "iva",
    "ivb",
    "a",
    "b",
    "c",
    "cny",
    "usd",
    "eur",
    "gbp",
    "rub",
    "kzt",
    "aed",
    "jpy",
    "krw",
    "hkd",
    "sgd",
    "inr",
    "thb",
    "myr",
    "idr",
    "vnd",
    "php",
    "aud",
    "cad",
    "chf",
    "mnt",
    "uzs",
    "sar",
    "try",
    "pkr",
    "bdt",
    "npr",
    "lkr",
    "s1",
    "s2",
    "l",
    "m",
    "x",
}


@lru_cache(maxsize=1)
def allowed_tokens() -> frozenset[str]:
    from onconav.options.services import engine_get

    kb = engine_get().kb
    words: set[str] = set(FIXED)

    def add(text: str) -> None:
        for w in text.replace("-", " ").replace("/", " ").replace("(", " ").replace(")", " ").split():
            words.add(w.lower().strip(".,;:®™"))
        words.add(text.lower())

    for d in kb.drugs:
        add(d.inn)
        for b in (*d.brands, *d.aliases):
            add(b)
    for t in kb.trials:
        add(t.name)
    for e in kb.evidence:
        for o in getattr(e, "outcomes", []) or []:
            if getattr(o, "trial", None):
                add(o.trial)
    for r in kb.regimens:
        for a in r.aliases:
            add(a)
    for h in kb.hospitals:  # proper names shown beside the Chinese one, marked lang="en"
        for a in h.aliases:
            add(a)
    return frozenset(w for w in words if w)
