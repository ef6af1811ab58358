"""Turn one criterion's text into a structured check, or None (pure Python).

A check states a *condition* in the words of the criterion ("age 18-75", "prior CAR-T therapy",
"ANC >= 1.5 x10^9/L"). Whether meeting the condition helps or hurts depends on the criterion's
kind: see :mod:`onconav.trials.matching`. Shapes (JSON-ready dicts):

    {"type": "age", "min": 18, "max": 75}              years, bounds inclusive
    {"type": "sex", "sex": "female" | "male" | "all"}
    {"type": "cancer", "codes": ["LBL", "FL"]}          any of the OncoTree codes (or a child)
    {"type": "status", "status": "relapsed_refractory" | "untreated" | "advanced" | "early"}
    {"type": "biomarker", "target": "EGFR", "variant": "sensitizing" | "exon20" | "any" ..., "positive": true}
    {"type": "her2", "level": "positive" | "low" | "negative" | "mutation"}
    {"type": "pdl1", "score": "TPS" | "CPS" | "TC", "min": 1, "max": null}
    {"type": "ecog", "max": 1}  /  {"type": "ecog", "min": 2}
    {"type": "karnofsky", "min": 70} / {"type": "karnofsky", "max": 60}
    {"type": "prior_lines", "min": 2, "max": null}
    {"type": "prior_drug", "classes": ["car_t"], "require_all": false}
    {"type": "measurable"}
    {"type": "cns_mets", "active_only": true}
    {"type": "lab", "analyte": "anc", "op": ">=", "value": 1.5, "unit": "10^9/L"}
    {"type": "life_expectancy", "min_weeks": 12}
    {"type": "pregnancy"}
    {"all": [...]} / {"any": [...]}                     several conditions in one criterion
"""

from __future__ import annotations

import re
from typing import Any

from onconav.trials.criteria.cancers import cancer_codes_in

__all__ = ["DRUG_CLASSES", "extract_check", "normalise"]


# Compiled patterns, cached by their text: parsing thousands of trials at import stays fast.
_COMPILED: dict[str, re.Pattern[str]] = {}


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    key = "(?i)" + pattern if flags else pattern
    rx = _COMPILED.get(key)
    if rx is None:
        rx = _COMPILED[key] = re.compile(key)
    return rx


def _search(pattern: str, text: str, flags: int = 0) -> re.Match[str] | None:
    return _rx(pattern, flags).search(text)


def _match(pattern: str, text: str, flags: int = 0) -> re.Match[str] | None:
    return _rx(pattern, flags).match(text)


def _fullmatch(pattern: str, text: str, flags: int = 0) -> re.Match[str] | None:
    return _rx(pattern, flags).fullmatch(text)


def _finditer(pattern: str, text: str, flags: int = 0):  # type: ignore[no-untyped-def]
    return _rx(pattern, flags).finditer(text)


def _sub(pattern: str, repl, text: str, flags: int = 0) -> str:  # type: ignore[no-untyped-def]
    return _rx(pattern, flags).sub(repl, text)


Check = dict[str, Any]

_WORDNUM = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "single": 1,
    "first": 1,
    "second": 2,
    "third": 3,
}


def normalise(text: str) -> str:
    """One spelling for symbols and units registries write in many ways."""
    t = text.replace("≧", "≥").replace("≦", "≤").replace("＞", ">").replace("＜", "<").replace("＝", "=")
    t = t.replace("–", "-").replace("—", "-").replace("～", "~").replace("，", ", ").replace("；", "; ")
    t = t.replace("μ", "µ").replace("（", "(").replace("）", ")").replace("：", ": ")
    t = _sub(
        r">\s*=|=\s*>|> or =|greater than or equal to|no less than|not less than|at least|≥\s*=",
        "≥",
        t,
        flags=re.I,
    )
    t = _sub(
        r"<\s*=|=\s*<|< or =|less than or equal to|no more than|not more than|not exceeding|not greater than|up to",
        "≤",
        t,
        flags=re.I,
    )
    t = _sub(r"\b(?:greater than|more than|higher than|above|over)\b", ">", t, flags=re.I)
    t = _sub(r"\b(?:less than|lower than|below|under)\b", "<", t, flags=re.I)
    # x10^9/L written as x109/L, ×10E9/L, x 10⁹/L, 10*9/L
    t = _sub(r"[x×*]\s*10\s*(?:\^|\*|e|E)?\s*(9|⁹)\s*/\s*l\b", " x10^9/L", t, flags=re.I)
    t = _sub(r"[x×*]\s*10\s*(?:\^|\*|e|E)?\s*(12|¹²)\s*/\s*l\b", " x10^12/L", t, flags=re.I)
    t = _sub(r"(?<=\d)\s*[x×*]\s*(?=uln|upper limit)", " xULN", t, flags=re.I)
    t = _sub(r"(?:times|fold)\s+(?:the\s+)?(?:uln|upper limit of normal)", "xULN", t, flags=re.I)
    t = _sub(
        r"[x×*]?\s*(?:the\s+)?(?:institutional\s+)?upper limits? of (?:the\s+)?normal(?: range)?(?:\s*\(uln\))?",
        "xULN",
        t,
        flags=re.I,
    )
    t = _sub(r"[x×]\s*ULN|xULN", "xULN", t, flags=re.I)
    t = _sub(r"\s+", " ", t)
    return t.strip()


_NUM = r"(\d+(?:\.\d+)?)"
_OP = r"(≥|≤|>|<|=)"


def _age(t: str) -> Check | None:
    low = t.lower()
    if not _search(r"\bage[ds]?\b|years? (?:of age|old)|\byrs?\b|岁|^adults?\b|^(?:≥|>)\s*\d+\s*years", low):
        return None
    if _search(r"life expectancy|survival|since|diagnos|after|within|months? (?:of|after)", low):
        return None
    m = _search(_NUM + r"\s*(?:years?(?: old)?\s*)?(?:-|~|to|and)\s*" + _NUM + r"\s*(?:years?|岁)", low)
    if m:
        return {"type": "age", "min": float(m.group(1)), "max": float(m.group(2))}
    lo = _search(r"(≥|>)\s*" + _NUM + r"\s*(?:years?|岁)?", low) or _search(
        _NUM + r"\s*(?:years?|岁)[^,;]{0,25}?(?:or older|or above|and above|or over|and older|\+)", low
    )
    hi = _search(r"(≤|<)\s*" + _NUM + r"\s*(?:years?|岁)?", low)
    out: Check = {"type": "age", "min": None, "max": None}
    if lo:
        if lo.lastindex == 2:
            out["min"] = float(lo.group(2)) + (1 if lo.group(1) == ">" else 0)
        else:
            out["min"] = float(lo.group(1))
    if hi:
        out["max"] = float(hi.group(2)) - (1 if hi.group(1) == "<" else 0)
    if out["min"] is None and out["max"] is None:
        return None
    return out


def _sex(t: str) -> Check | None:
    low = t.lower()
    if _search(r"pregnan|childbearing|contracept|lactat|breast-?feed", low):
        return None
    if _fullmatch(
        r"(?:gender|sex)?[: ]*(?:male (?:or|and) female|both (?:sexes|genders)|gender (?:is )?not limited|unlimited gender|any gender)[^a-z]*(?:patients?|subjects?|participants?)?\.?",
        low,
    ):
        return {"type": "sex", "sex": "all"}
    if _match(
        r"^(?:female|women)\b(?: patients| participants| subjects)?(?: only)?(?:\W*$|,? (?:aged?|≥|>|\d))",
        low,
    ):
        return {"type": "sex", "sex": "female"}
    if _match(
        r"^(?:male|men)\b(?: patients| participants| subjects)?(?: only)?(?:\W*$|,? (?:aged?|≥|>|\d))", low
    ):
        return {"type": "sex", "sex": "male"}
    return None


def _ecog(t: str) -> Check | None:
    m = _search(r"(?:ecog|eastern cooperative oncology group|\bps\b|performance status)", t, re.I)
    if not m or _search(r"karnofsky|\bkps\b|lansky", t, re.I):
        return None
    tail = t[m.start() : m.start() + 90]
    op = _search(r"(≥|≤|>|<)\s*(\d)", tail)
    if op:
        n = int(op.group(2))
        return {
            "≤": {"type": "ecog", "max": n},
            "<": {"type": "ecog", "max": n - 1},
            "≥": {"type": "ecog", "min": n},
            ">": {"type": "ecog", "min": n + 1},
        }[op.group(1)]
    digits = [int(d) for d in re.findall(r"(?<![\d.])([0-4])(?![\d.%])", tail)]
    rng = _search(r"([0-4])\s*(?:-|~|to)\s*([0-4])(?!\d)", tail)
    if rng:
        return (
            {"type": "ecog", "min": int(rng.group(1)), "max": int(rng.group(2))}
            if int(rng.group(1)) > 0
            else {"type": "ecog", "max": int(rng.group(2))}
        )
    if digits:
        if min(digits) == 0:
            return {"type": "ecog", "max": max(digits)}
        return {"type": "ecog", "min": min(digits), "max": max(digits)}
    return None


def _karnofsky(t: str) -> Check | None:
    m = _search(r"(?:karnofsky|\bkps\b)[^0-9]{0,40}?(≥|≤|>|<)?\s*(\d{2,3})\s*%?", t, re.I)
    if not m:
        return None
    n, op = int(m.group(2)), m.group(1) or "≥"
    if op in ("≥", ">"):
        return {"type": "karnofsky", "min": n + (10 if op == ">" else 0)}
    return {"type": "karnofsky", "max": n - (10 if op == "<" else 0)}


def _life(t: str) -> Check | None:
    m = _search(
        r"(?:life expectancy|expected survival|estimated survival|survival (?:time )?expected)[^0-9]{0,30}?"
        + _NUM
        + r"\s*(weeks?|months?)",
        t,
        re.I,
    )
    if not m:
        return None
    n = float(m.group(1))
    return {
        "type": "life_expectancy",
        "min_weeks": n if m.group(2).lower().startswith("week") else round(n * 4.345, 1),
    }


def _pregnancy(t: str) -> Check | None:
    if _search(r"pregnan|breast-?feeding|lactating|nursing", t, re.I):
        return {"type": "pregnancy"}
    return None


def _measurable(t: str) -> Check | None:
    if _search(
        r"\bmeasurable (?:disease|lesion|tumou?r)|\bevaluable (?:disease|lesion)|measurable[^.;]{0,40}(?:recist|lugano|imwg)",
        t,
        re.I,
    ):
        if _search(r"\bno(?:n)?[- ]measurable\b", t, re.I):
            return None
        return {"type": "measurable"}
    return None


def _cns(t: str) -> Check | None:
    if not _search(
        r"(?:brain|cns|central nervous system|leptomeningeal|meningeal)\s*(?:metasta|involvement|lymphoma|leuka?emia)|brain metasta|cns[- ]\d",
        t,
        re.I,
    ):
        return None
    active = bool(_search(r"active|untreated|symptomatic|unstable|progressive|uncontrolled|requir", t, re.I))
    check: Check = {"type": "cns_mets", "active_only": active}
    # "CNS involvement by myeloma / lymphoma": does not apply to a patient with another cancer.
    codes = cancer_codes_in(t)
    for word, group in _CNS_GROUPS.items():
        if not codes and _search(word, t, re.I):
            codes = list(group)
    if codes:
        check["codes"] = codes
    return check


_CNS_GROUPS = {
    r"lymphoma": ("LBL", "DLBCLNOS", "FL", "MCL", "CLLSLL", "CHL", "BLL", "TLL"),
    r"leuka?emia": ("BLL", "TLL", "AML", "CLLSLL", "CML", "APLPMLRARA"),
}


# Drug classes a registry names, and the drugs (INN, brand, common code) that belong to them.
DRUG_CLASSES: dict[str, tuple[str, ...]] = {
    "car_t": (
        "car-t",
        "car t",
        "chimeric antigen receptor",
        "axicabtagene",
        "axi-cel",
        "tisagenlecleucel",
        "tisa-cel",
        "lisocabtagene",
        "liso-cel",
        "relmacabtagene",
        "relma-cel",
        "brexucabtagene",
        "idecabtagene",
        "ide-cel",
        "ciltacabtagene",
        "cilta-cel",
        "equecabtagene",
        "eque-cel",
        "zevorcabtagene",
        "zevor-cel",
        "inaticabtagene",
    ),
    "anti_cd38": (
        "anti-cd38",
        "cd38 monoclonal",
        "cd38 antibod",
        "cd38-targeted",
        "cd38-directed",
        "daratumumab",
        "isatuximab",
    ),
    "bcma": (
        "bcma",
        "teclistamab",
        "elranatamab",
        "linvoseltamab",
        "belantamab",
        "idecabtagene",
        "ciltacabtagene",
        "equecabtagene",
        "zevorcabtagene",
    ),
    "cd19": (
        "cd19",
        "tafasitamab",
        "loncastuximab",
        "blinatumomab",
        "axicabtagene",
        "tisagenlecleucel",
        "lisocabtagene",
        "relmacabtagene",
        "brexucabtagene",
        "inaticabtagene",
    ),
    "pd1": (
        "pd-1",
        "pd1",
        "pd-l1",
        "pdl1",
        "immune checkpoint inhibitor",
        "checkpoint inhibitor",
        "pembrolizumab",
        "nivolumab",
        "sintilimab",
        "tislelizumab",
        "camrelizumab",
        "toripalimab",
        "penpulimab",
        "serplulimab",
        "atezolizumab",
        "durvalumab",
        "sugemalimab",
        "envafolimab",
        "adebrelimab",
        "cemiplimab",
        "ivonescimab",
        "cadonilimab",
    ),
    "proteasome_inhibitor": ("proteasome inhibitor", "bortezomib", "carfilzomib", "ixazomib"),
    "imid": ("immunomodulatory", "imid", "lenalidomide", "pomalidomide", "thalidomide"),
    "anti_cd20": ("anti-cd20", "cd20 monoclonal", "rituximab", "obinutuzumab", "ofatumumab"),
    "btk": ("btk inhibitor", "ibrutinib", "zanubrutinib", "acalabrutinib", "orelabrutinib", "pirtobrutinib"),
    "egfr_tki": (
        "egfr-tki",
        "egfr tki",
        "egfr tyrosine kinase inhibitor",
        "osimertinib",
        "gefitinib",
        "erlotinib",
        "afatinib",
        "dacomitinib",
        "icotinib",
        "almonertinib",
        "aumolertinib",
        "furmonertinib",
        "befotertinib",
    ),
    "alk_tki": (
        "alk inhibitor",
        "alk-tki",
        "alk tki",
        "crizotinib",
        "alectinib",
        "ceritinib",
        "brigatinib",
        "lorlatinib",
        "ensartinib",
        "iruplinalkib",
    ),
    "platinum": ("platinum", "cisplatin", "carboplatin", "oxaliplatin", "nedaplatin", "lobaplatin"),
    "claudin": ("claudin", "cldn18", "zolbetuximab"),
    "bispecific": (
        "bispecific",
        "glofitamab",
        "epcoritamab",
        "mosunetuzumab",
        "odronextamab",
        "teclistamab",
        "elranatamab",
        "talquetamab",
        "blinatumomab",
    ),
    "adc": (
        "antibody-drug conjugate",
        "antibody drug conjugate",
        "adc",
        "trastuzumab deruxtecan",
        "t-dxd",
        "sacituzumab",
        "datopotamab",
        "polatuzumab",
        "brentuximab",
        "enfortumab",
        "disitamab",
        "sacituzumab tirumotecan",
        "loncastuximab",
        "belantamab",
    ),
    "taxane": ("taxane", "paclitaxel", "docetaxel", "nab-paclitaxel"),
    "anthracycline": (
        "anthracycline",
        "doxorubicin",
        "epirubicin",
        "daunorubicin",
        "idarubicin",
        "pirarubicin",
    ),
    "alkylating": (
        "alkylating",
        "cyclophosphamide",
        "bendamustine",
        "chlorambucil",
        "melphalan",
        "ifosfamide",
    ),
    "chemotherapy": (
        "chemotherapy",
        "cisplatin",
        "carboplatin",
        "oxaliplatin",
        "nedaplatin",
        "pemetrexed",
        "docetaxel",
        "paclitaxel",
        "gemcitabine",
        "capecitabine",
        "s-1",
        "fluorouracil",
        "5-fu",
        "irinotecan",
        "etoposide",
        "cyclophosphamide",
        "doxorubicin",
        "epirubicin",
        "bendamustine",
        "vinorelbine",
        "ifosfamide",
    ),
    "met_inhibitor": (
        "met inhibitor",
        "met-tki",
        "met tki",
        "savolitinib",
        "capmatinib",
        "tepotinib",
        "glumetinib",
        "vebreltinib",
    ),
    "kras_g12c_inhibitor": (
        "kras g12c inhibitor",
        "g12c inhibitor",
        "sotorasib",
        "adagrasib",
        "garsorasib",
        "glecirasib",
        "divarasib",
        "fulzerasib",
    ),
    "egfr_exon20": (
        "exon 20 insertion targeted",
        "exon 20 insertion-targeted",
        "amivantamab",
        "mobocertinib",
        "sunvozertinib",
    ),
    "transplant": (
        "stem cell transplant",
        "hematopoietic cell transplant",
        "haematopoietic stem cell transplant",
        "hsct",
        "asct",
        "autologous transplant",
        "allogeneic transplant",
        "bone marrow transplant",
    ),
}
# Words that name a class rather than one drug.
_GENERIC = frozenset(
    {
        "car-t",
        "car t",
        "chimeric antigen receptor",
        "anti-cd38",
        "cd38 monoclonal",
        "cd38 antibod",
        "cd38-targeted",
        "cd38-directed",
        "bcma",
        "cd19",
        "pd-1",
        "pd1",
        "pd-l1",
        "pdl1",
        "immune checkpoint inhibitor",
        "checkpoint inhibitor",
        "proteasome inhibitor",
        "immunomodulatory",
        "imid",
        "anti-cd20",
        "cd20 monoclonal",
        "btk inhibitor",
        "egfr-tki",
        "egfr tki",
        "egfr tyrosine kinase inhibitor",
        "alk inhibitor",
        "alk-tki",
        "alk tki",
        "platinum",
        "claudin",
        "cldn18",
        "bispecific",
        "antibody-drug conjugate",
        "antibody drug conjugate",
        "adc",
        "taxane",
        "anthracycline",
        "alkylating",
        "chemotherapy",
        "met inhibitor",
        "met-tki",
        "met tki",
        "kras g12c inhibitor",
        "g12c inhibitor",
        "exon 20 insertion targeted",
        "exon 20 insertion-targeted",
        "stem cell transplant",
        "hematopoietic cell transplant",
        "haematopoietic stem cell transplant",
        "hsct",
        "asct",
        "autologous transplant",
        "allogeneic transplant",
        "bone marrow transplant",
    }
)
_CLASS_RES = {
    cls: re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(w) for w in words) + r")", re.I)
    for cls, words in DRUG_CLASSES.items()
}


def _prior_drug(t: str, kind: str) -> Check | None:
    low = t.lower()
    if not _search(
        r"prior|previous|previously|received|receipt|treated with|exposed|exposure|refractory to|failure of|failed|history of|resistant to|after",
        low,
    ) and not (kind == "exclusion" and _CLASS_RES["transplant"].search(t)):
        return None
    if _search(
        r"\b(?:is|are) (?:allowed|permitted|eligible|acceptable)|may be enrolled|can be enrolled|regardless",
        low,
    ):
        return None
    # An alternative the history cannot show ("failed ASCT or ineligible for it") leaves it open.
    if kind == "inclusion" and _search(
        r"ineligible|not (?:be )?(?:a )?candidates?|not eligible|unsuitable|unfit|intoleran|contraindicat|declined|refused",
        low,
    ):
        return None
    # Response rules ("no complete remission after 2 courses of induction") are not a drug history.
    if _search(r"remission|response", low):
        return None
    classes = [cls for cls, rx in _CLASS_RES.items() if rx.search(t)]
    # Wash-out windows ("within 14 days before the first dose") are timing rules, not a drug history;
    # for a transplant the question is first whether there was one at all.
    timed = bool(_search(r"within \d+\s*(?:days?|weeks?|months?|half-lives)|washout|wash-out", low))
    if timed and classes != ["transplant"]:
        return None
    if "bcma" in classes and "car_t" in classes and _search(r"bcma[- ](?:directed |targeted )?car", low):
        classes = ["bcma", "car_t"]
    if not classes:
        return None
    if "chemotherapy" in classes and {"platinum", "taxane", "anthracycline", "alkylating"} & set(classes):
        classes.remove("chemotherapy")  # "platinum-based chemotherapy" names the platinum
    if "car_t" in classes and "cd19" in classes and _search(r"cd19[- ](?:directed |targeted )?car", low):
        classes = ["cd19", "car_t"]
    triple = _search(r"triple[- ]class|three (?:drug )?classes", low)
    if triple:
        classes = [c for c in classes if c in ("proteasome_inhibitor", "imid", "anti_cd38")] or classes
    # "BCMA CAR-T" = a CAR-T that is BCMA-directed: all; lists ("PI, IMiD and anti-CD38") = all; "or" = any
    all_of = (
        bool(triple)
        or bool(
            _search(r"\band\b|combined with|\bplus\b|together with|as well as", low)
            and not _search(r"\bor\b(?! more| above| older| greater)", low)
        )
        or (set(classes) in ({"bcma", "car_t"}, {"cd19", "car_t"}))
    )
    check: Check = {"type": "prior_drug", "classes": classes, "require_all": all_of and len(classes) > 1}
    # Only named drugs ("previous treatment with docetaxel"): those drugs, not their whole class.
    words = {m.group(0).lower() for cls in classes for m in _CLASS_RES[cls].finditer(t)}
    if words and not words & _GENERIC:
        check["drugs"] = sorted(words)
    elif words - _GENERIC and _search(r"(?:first|second|third|1st|2nd|3rd)[- ]generation", low):
        check["drugs"] = sorted(words - _GENERIC)  # "a third-generation EGFR-TKI (e.g. osimertinib ...)"
        if _search(r"e\.g\.|such as|for example|including", low):
            check["examples"] = True  # the list may be incomplete: another drug of the class stays open
    codes = cancer_codes_in(t)
    if codes:
        check["codes"] = codes  # "chemotherapy for advanced NSCLC": only treatment for that cancer
    if _match(r"(?:no|not|without|never)\b", low):
        check["negated"] = True  # "no prior systemic chemotherapy for ...": must not have had it
    if timed:
        check["timed"] = True
    if kind == "inclusion" and _search(
        r"(?:refractory|resistant) to (?!the (?:last|most recent|previous|prior) (?:line|regimen|therapy|treatment))",
        low,
    ):
        check["refractory"] = True
    exc = _search(r"(?:other than|except(?: for)?|excluding|with the exception of)\s+([a-z0-9\- ]+)", low)
    if exc:
        check["except"] = exc.group(1).strip()
    return check


def _prior_lines(t: str) -> Check | None:
    low = t.lower()
    if not _search(r"lines?\b|regimens?\b", low) or not _search(
        r"prior|previous|received|after|failure|failed|relapsed|refractory|treated", low
    ):
        return None
    # Conditions on others ("patients who have failed only one line must ...") are not a line count.
    if _match(
        r"(?:(?:patients?|subjects?|participants?) who\b.*\b(?:must|should|need)|if\b|for (?:patients?|subjects?) (?:who|with))",
        low,
    ):
        return None
    check = _lines_count(low)
    if check is None:
        return None
    # "more than one line of therapy for LBCL": counts only for that cancer.
    codes = cancer_codes_in(t)
    if codes:
        check["codes"] = codes
    return check


def _lines_count(low: str) -> Check | None:
    words = "|".join(_WORDNUM)
    num = rf"(\d+|{words})"

    def val(s: str) -> int:
        return int(s) if s.isdigit() else _WORDNUM[s]

    m = _search(num + r"\s*(?:-|~|to|or)\s*" + num + r"\s*(?:prior |previous )?(?:lines?|regimens?)", low)
    if m:
        return {"type": "prior_lines", "min": val(m.group(1)), "max": val(m.group(2))}
    m = _search(
        r"(≥|>|≤|<)\s*"
        + num
        + r"\s*(?:prior |previous |systemic |mm |anti-myeloma |standard )*(?:lines?|regimens?)",
        low,
    )
    if m:
        n = val(m.group(2))
        op = m.group(1)
        return {
            "≥": {"type": "prior_lines", "min": n, "max": None},
            ">": {"type": "prior_lines", "min": n + 1, "max": None},
            "≤": {"type": "prior_lines", "min": None, "max": n},
            "<": {"type": "prior_lines", "min": None, "max": n - 1},
        }[op]
    m = _search(
        num + r"\s*(?:or more|\+|and above|or above)\s*(?:prior |previous |systemic )*(?:lines?|regimens?)",
        low,
    )
    if m:
        return {"type": "prior_lines", "min": val(m.group(1)), "max": None}
    m = _search(num + r"\s*(?:prior |previous |systemic |standard )*(?:lines?|regimens?)", low)
    if m:
        n = val(m.group(1))
        if _search(r"(?:only|exactly|one and only)\s*" + re.escape(m.group(1)), low):
            return {"type": "prior_lines", "min": n, "max": n}
        return {"type": "prior_lines", "min": n, "max": None}
    return None


_STATUS_PATTERNS = (
    (
        "relapsed_refractory",
        r"relapsed(?: (?:and|or|/) ?)?(?:/|or|and)?\s*refractory|r/r\b|\brr\b|relapsed|refractory|progress(?:ed|ion) (?:after|on|following)|recurrent or refractory|recurren(?:t|ce) after",
    ),
    (
        "untreated",
        r"newly diagnosed|previously untreated|treatment[- ]na[iï]ve|chemotherapy[- ]na[iï]ve|untreated|not (?:previously )?received (?:any )?(?:prior )?systemic|^no (?:prior|previous) (?:systemic |anti-?(?:tumou?r|cancer) |first-line )*(?:systemic )?(?:therapy|treatment|chemotherapy|anti-?(?:tumou?r|cancer) (?:therapy|treatment))",
    ),
    (
        "advanced",
        r"metastatic|advanced|unresectable|inoperable|stage (?:iv|iiib|iiic|iii-iv|iiib-iv|iiib/iv)\b",
    ),
)


def _status(t: str) -> Check | None:
    low = t.lower()
    for status, rx in _STATUS_PATTERNS:
        if _search(rx, low):
            if status == "untreated" and _search(
                r"untreated (?:brain|cns)|untreated (?:hbv|hepatitis|infection)", low
            ):
                continue
            if status == "relapsed_refractory" and _search(
                r"within \d+ (?:months?|weeks?|days?)|\d+ months? (?:of|after|from)|primary refractory", low
            ):
                return None  # relapse timing: not in the profile
            check: Check = {"type": "status", "status": status}
            codes = cancer_codes_in(t) if status == "untreated" else []
            if codes:
                check["codes"] = codes  # "no previous systemic treatment for HCC"
            return check
    return None


_BIOMARKERS = (
    ("KRAS", "G12C", r"kras[ -]?(?:p\.)?g12c"),
    ("EGFR", "exon20", r"egfr[^;.]{0,40}exon\s*20\s*ins|exon\s*20\s*insertion"),
    ("EGFR", "T790M", r"t790m"),
    (
        "EGFR",
        "sensitizing",
        r"egfr[^;.]{0,60}(?:sensiti[sz]ing|exon\s*19|19del|l858r|activating|mutation|mutant|mutated|positive|\+)|(?:sensiti[sz]ing|activating) egfr",
    ),
    (
        "ALK",
        "any",
        r"\balk\b[^;.]{0,30}(?:rearrang|fusion|positive|translocation|gene|\+)|\balk[- ]positive|eml4-alk",
    ),
    ("ROS1", "any", r"ros1[^;.]{0,20}(?:rearrang|fusion|positive|\+)"),
    ("MET", "exon14", r"met\s*(?:exon\s*14|ex14)|metex14"),
    ("MET", "amplification", r"\bmet\b[^;.]{0,20}amplif"),
    ("MET", "overexpression", r"c-met[^;.]{0,30}(?:overexpress|ihc|positive)|\bmet\b[^;.]{0,20}overexpress"),
    ("CLDN18.2", "positive", r"claudin\s*18\.?2|cldn\s*18\.?2"),
    ("BCMA", "positive", r"bcma[^;.]{0,25}(?:express|positive|\+)"),
    ("CD19", "positive", r"cd19[^;.]{0,25}(?:express|positive|\+)|cd19-positive"),
    ("CD20", "positive", r"cd20[^;.]{0,25}(?:express|positive|\+)|cd20-positive"),
    ("BRAF", "V600E", r"braf\s*v600e"),
    ("BRCA", "any", r"\bbrca[12]?\b[^;.]{0,20}(?:mutation|mutat|positive)"),
    (
        "ER",
        "positive",
        r"hormone receptor[- ]positive|\bhr[- ]?positive|\bhr\+|\ber[- ]?positive|\ber\+|estrogen receptor[- ]positive|\(er ≥",
    ),
    ("MSI", "MSI-H", r"msi-h|dmmr|mismatch repair[- ]deficient|microsatellite instability[- ]high"),
)


def _biomarkers(t: str) -> list[Check]:
    low = t.lower()
    out: list[Check] = []
    for target, variant, rx in _BIOMARKERS:
        if _search(rx, low):
            if target == "EGFR" and variant == "sensitizing" and any(c.get("target") == "EGFR" for c in out):
                continue
            if (
                target in ("BCMA", "CD19", "CD20")
                and _search(rf"{target.lower()}[- ](?:directed|targeted|car)", low)
                and not _search(r"express|positive", low)
            ):
                continue
            neg = bool(_match(r"(?:no|without|absence of|negative for)\b", low)) or bool(
                _search(
                    rf"(?:{rx})[^;.]{{0,25}}(?:negative|wild[- ]type|-negative)|(?:negative|wild[- ]type) (?:for )?(?:{rx})",
                    low,
                )
            )
            check: Check = {"type": "biomarker", "target": target, "variant": variant, "positive": not neg}
            if target == "CLDN18.2":
                pct = _search(r"≥\s*(\d+)\s*%", low)
                if pct:
                    check["min_percent"] = int(pct.group(1))
            out.append(check)
    return out


def _her2(t: str) -> Check | None:
    low = t.lower()
    if not _search(r"her2|her-2|erbb2", low):
        return None
    if _search(r"her2[- ]?low|ihc\s*1\+|ihc\s*2\+\s*/?\s*(?:and\s*)?(?:ish|fish)\s*[-−]", low):
        return {"type": "her2", "level": "low"}
    if _search(r"her-?2[^;.]{0,15}(?:mutation|mutant|exon\s*20)|erbb2[^;.]{0,15}mutation", low):
        return {"type": "her2", "level": "mutation"}
    if _search(r"her-?2[- ]?(?:negative|-)|her-?2[^;.]{0,10}negative", low):
        return {"type": "her2", "level": "negative"}
    if _search(r"her-?2[- ]?(?:positive|\+|overexpress|amplif)|ihc\s*3\+", low):
        return {"type": "her2", "level": "positive"}
    return None


def _pdl1(t: str) -> Check | None:
    low = t.lower()
    if not _search(r"pd-?l1", low) or _search(
        r"anti-pd-?l1|pd-?l1 inhibitor|pd-?1/pd-?l1|pd-?l1 (?:antibod|therap|blockade)", low
    ):
        return None
    score = "CPS" if "cps" in low else ("TC" if _search(r"\btc\b", low) else "TPS")
    m = _search(r"(≥|>|≤|<)\s*" + _NUM + r"\s*%?", low[low.find("pd") :])
    if m:
        n = float(m.group(2))
        if m.group(1) in ("≥", ">"):
            return {"type": "pdl1", "score": score, "min": n if m.group(1) == "≥" else n + 0.01, "max": None}
        return {"type": "pdl1", "score": score, "min": None, "max": n if m.group(1) == "≤" else n - 0.01}
    rng = _search(_NUM + r"\s*%?\s*-\s*" + _NUM + r"\s*%", low)
    if rng:
        return {"type": "pdl1", "score": score, "min": float(rng.group(1)), "max": float(rng.group(2))}
    return None


_ANALYTES = (
    ("anc", r"absolute neutrophil count|neutrophil count|neutrophils|\banc\b|\bneu\b"),
    ("platelets", r"platelets?(?: count)?|\bplt\b"),
    ("hemoglobin", r"ha?emoglobin|\bhgb\b|\bhb\b"),
    ("wbc", r"white blood cells?|\bwbc\b|leukocytes?"),
    ("alc", r"absolute lymphocyte count|\balc\b|lymphocyte count"),
    (
        "crcl",
        r"creatinine clearance|\bccr\b|\bcrcl\b|\begfr\b(?! (?:mutation|sensiti|tki))|glomerular filtration rate",
    ),
    ("creatinine", r"(?:serum )?creatinine\b(?! clearance)|\bscr\b|\bcr\b"),
    ("bilirubin", r"total bilirubin|bilirubin|\btbil\b|\btbi\b"),
    ("ast_alt", r"\bast\b|\balt\b|aspartate|alanine|transaminase|sgot|sgpt"),
    ("lvef", r"left ventricular ejection fraction|\blvef\b|ejection fraction"),
    ("inr", r"\binr\b|international normali[sz]ed ratio"),
    ("albumin", r"albumin"),
    ("spo2", r"oxygen saturation|\bspo2\b"),
)
_UNIT = r"(xULN|x10\^9/L|x10\^12/L|g/dl|g/l|mg/dl|µmol/l|umol/l|mmol/l|ml/min(?:/1\.73\s*m2)?|%|/mm3|/mm³|/µl|/ul|cells/µl|cells/mm3)?"


def _unit(u: str) -> str:
    return u.replace("x10^9/l", "10^9/L").replace("xuln", "xULN").replace("x10^12/l", "10^12/L")


# "100,000/mm3" -> "100000/mm3"; "1.5 x 10^9/L", "1.5×10⁹/L", "1.5 x 10*9/L" -> "1.5 x10^9/L"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_GIGA_PER_L = re.compile(r"\s*[x×*]\s*10\s*(?:\^|\*|\*\*)?\s*(?:9|⁹)\s*/\s*l\b", re.I)


def _labs(t: str) -> list[Check]:
    t = _GIGA_PER_L.sub(" x10^9/L", _THOUSANDS.sub("", t))
    out: list[Check] = []
    spans = []
    for analyte, rx in _ANALYTES:
        for m in _finditer(rx, t, re.I):
            spans.append((m.start(), m.end(), analyte))
    spans.sort()
    for i, (start, end, analyte) in enumerate(spans):
        if any(s < start < e for s, e, _ in spans[:i]):
            continue
        nxt = next((s for s, _e, a in spans[i + 1 :] if a != analyte and s > end), len(t))
        seg = t[end:nxt]
        m = _search(
            r"(?:\([^)]*\)\s*)?(?:level|count|value|of|is|must be|:)?\s*"
            + _OP
            + r"\s*"
            + _NUM
            + r"\s*"
            + _UNIT,
            seg,
            re.I,
        )
        if not m:
            continue
        op, value, unit = m.group(1), float(m.group(2)), (m.group(3) or "").strip()
        unit_l = (
            unit.lower()
            .replace("umol", "µmol")
            .replace("/µl", "/mm3")
            .replace("cells/mm3", "/mm3")
            .replace("/mm³", "/mm3")
            .replace("cells/µmol", "/mm3")
        )
        if unit_l in ("/mm3", "/ul", "cells/µl"):  # per mm3 = per µL -> x10^9/L
            value, unit_l = value / 1000, "x10^9/l"
        if not unit_l:
            unit_l = {"lvef": "%", "spo2": "%", "crcl": "ml/min"}.get(analyte, "")
        check: Check = {"type": "lab", "analyte": analyte, "op": op, "value": value, "unit": _unit(unit_l)}
        # Further thresholds in the same stretch ("(<= 3 xULN for Gilbert's syndrome)") are exceptions.
        for alt in _finditer(_OP + r"\s*" + _NUM + r"\s*" + _UNIT, seg[m.end() :], re.I):
            if alt.group(3):
                check.setdefault("alternatives", []).append(
                    {"op": alt.group(1), "value": float(alt.group(2)), "unit": _unit(alt.group(3).lower())}
                )
        out.append(check)
    # Alternative thresholds for the same analyte ("<= 3 xULN for Gilbert's syndrome") -> keep the first, mark the rest.
    seen: dict[str, Check] = {}
    result: list[Check] = []
    for c in out:
        if c["analyte"] in seen:
            seen[c["analyte"]].setdefault("alternatives", []).append(
                {k: c[k] for k in ("op", "value", "unit")}
            )
            continue
        seen[c["analyte"]] = c
        result.append(c)
    return result


def _cancer(t: str, kind: str) -> Check | None:
    low = t.lower()
    if kind == "exclusion":
        # Exclusions of another cancer ("other malignancy") are history questions, not this cancer.
        if _search(
            r"other (?:active )?malignan|second (?:primary )?malignan|prior malignan|history of (?:another|other)",
            low,
        ):
            return None
        if not _search(r"primary cns lymphoma|burkitt|with (?:known )?(?:cns|central)", low):
            return None
    elif _match(
        r"(?:no |not |prior (?!diagnosis)|previous(?:ly)? (?:treated|received)|received |treated |had |history of |failure |failed |progress)",
        low,
    ):
        return None  # a treatment-history sentence names the cancer it was given for
    codes = cancer_codes_in(t)
    if not codes:
        return None
    return {"type": "cancer", "codes": codes}


def extract_check(text: str, kind: str = "inclusion") -> Check | None:
    """The structured check for one criterion, or None when nothing in it can be checked reliably."""
    t = normalise(text)
    # A rule for some patients only ("patients who ... must ...", "if ...") cannot be read alone.
    if _match(r"(?:(?:patients?|subjects?|participants?) who\b.*\b(?:must|should|need)\b|if\b)", t, re.I):
        return None
    # Permissions ("... are permitted / allowed") exclude no one.
    # "(age >= 16 years)" inside a performance-status rule is not an age rule.
    bare = _sub(r"\([^)]*\)", " ", t)
    if _search(
        r"\b(?:are|is) (?:permitted|allowed|eligible|acceptable)\b|\bmay (?:be )?(?:enrolled|eligible|participate)",
        bare,
        re.I,
    ):
        return None
    checks: list[Check] = []
    for fn in (_age, _sex, _karnofsky, _life):
        c = fn(bare if fn in (_age, _karnofsky) else t)
        if c:
            checks.append(c)
    if not any(c["type"] in ("age", "karnofsky", "life_expectancy") for c in checks):
        c = _ecog(t)
        if c:
            checks.append(c)
    labs = _labs(t)
    checks.extend(labs)
    if not labs:
        for fn in (_pregnancy, _measurable, _cns):
            c = fn(t)
            if c:
                checks.append(c)
        her2 = _her2(t)
        if her2:
            checks.append(her2)
        pd = _pdl1(t)
        if pd:
            checks.append(pd)
        pdrug = _prior_drug(t, kind)
        if pdrug:
            checks.append(pdrug)
        elif not _search(
            r"(?:prior|previous|received|treated with).{0,60}(?:inhibitor|targeted|directed|therapy targeting)",
            t,
            re.I,
        ):
            checks.extend(_biomarkers(t))
        pl = _prior_lines(t)
        if pl:
            checks.append(pl)
        if not any(c["type"] in ("pregnancy", "cns_mets", "prior_drug", "prior_lines") for c in checks):
            cancer = _cancer(t, kind)
            if cancer:
                checks.append(cancer)
                st = _status(t)
                if st:
                    checks.append(st)
            elif kind == "inclusion" and not checks:
                st = _status(t)
                about_treatment = _search(
                    r"(?:therapy|treatment|chemotherapy|regimens?|lines?|received)\b.{0,40}(?:advanced|metastatic)",
                    t,
                    re.I,
                )
                if (
                    st
                    and not (st["status"] == "advanced" and about_treatment)
                    and _search(
                        r"disease|lymphoma|myeloma|cancer|carcinoma|tumou?r|leuka?emia|malignan|therapy|treatment|line",
                        t,
                        re.I,
                    )
                ):
                    checks.append(st)
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]
    markers_only = all(c["type"] in ("biomarker", "her2", "pdl1") for c in checks)
    negated = _match(r"(?:no|without|absence of|negative for)\b", t, re.I)  # "no EGFR or ALK": neither
    joiner = (
        "any"
        if (markers_only and _search(r"\bor\b", t) and not negated)
        or (_search(r"\bor\b|/", t) and all(c["type"] == "lab" for c in checks) and _is_alternative(t))
        else "all"
    )
    return {joiner: checks}


def _is_alternative(t: str) -> bool:
    """ "creatinine <= 1.5 xULN or CrCl >= 50 mL/min" are alternatives; a list joined by commas is not."""
    return bool(_search(r"\d[^,;]{0,25}\bor\b[^,;]{0,40}\d", t)) and "," not in t.split(" or ")[0][-15:]
