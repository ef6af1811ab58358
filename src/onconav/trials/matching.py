"""Match a patient profile against trials, criterion by criterion (pure Python, no Django).

Each check states a condition (see :mod:`onconav.trials.criteria.extract`). The profile makes the
condition true, false or unknown; an inclusion criterion is ``met`` when true, an exclusion
criterion is ``met`` when false (the patient is clear of it). ``not_met`` is given only when the
profile clearly contradicts the criterion: a value is recorded and is outside the limit. Nothing
that is missing from the profile counts against the patient.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from onconav.engine.profile import Profile, parse_profile
from onconav.trials.criteria import parse_criteria
from onconav.trials.criteria.cancers import ancestors, cancer_codes_in, known_codes
from onconav.trials.criteria.extract import _CLASS_RES

__all__ = [
    "MET",
    "NOT_MET",
    "OPEN_SITE_STATUSES",
    "OPEN_STUDY_STATUSES",
    "REASONS",
    "CompiledTrial",
    "PatientFacts",
    "compile_trial",
    "match_trials",
    "reason_text",
]

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
OPEN_SITE_STATUSES = frozenset({"RECRUITING"})
OPEN_STUDY_STATUSES = frozenset({"RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION"})

# Reason codes with their English and Chinese wording ({value} filled from the profile).
REASONS: dict[str, tuple[str, str]] = {
    "to_confirm": ("To be confirmed by the trial team.", "需由试验团队确认。"),
    "not_in_profile": (
        "Your profile does not record this; the trial team will check it.",
        "您的资料中没有记录此项，将由试验团队核实。",
    ),
    "age_in": ("Age {value} is within the limits.", "年龄{value}岁在要求范围内。"),
    "age_out": ("Age {value} is outside the limits.", "年龄{value}岁不在要求范围内。"),
    "sex_in": ("Sex matches.", "性别符合。"),
    "sex_out": ("The trial is for the other sex.", "该试验只招募另一性别。"),
    "cancer_in": (
        "Your diagnosis ({value}) is one of the cancers named.",
        "您的诊断（{value}）属于所列癌种。",
    ),
    "cancer_out": (
        "Your diagnosis ({value}) is not one of the cancers named.",
        "您的诊断（{value}）不属于所列癌种。",
    ),
    "cancer_vague": (
        "Your diagnosis ({value}) is recorded less precisely than the criterion.",
        "您记录的诊断（{value}）不如该标准具体。",
    ),
    "status_yes": ("Your history shows this ({value}).", "您的病史显示如此（{value}）。"),
    "status_no": ("Your history shows otherwise ({value}).", "您的病史显示并非如此（{value}）。"),
    "ecog_in": ("ECOG {value} is within the limits.", "ECOG评分{value}在要求范围内。"),
    "ecog_out": ("ECOG {value} is outside the limits.", "ECOG评分{value}不在要求范围内。"),
    "kps_in": (
        "ECOG {value} corresponds to a Karnofsky score within the limits.",
        "ECOG评分{value}对应的KPS评分在要求范围内。",
    ),
    "kps_out": (
        "ECOG {value} corresponds to a Karnofsky score outside the limits.",
        "ECOG评分{value}对应的KPS评分不在要求范围内。",
    ),
    "kps_edge": (
        "ECOG {value} spans Karnofsky scores on both sides of the limit.",
        "ECOG评分{value}对应的KPS评分跨越界值。",
    ),
    "lines_in": (
        "{value} prior line(s) of treatment recorded: within the limits.",
        "记录的既往治疗线数为{value}：在要求范围内。",
    ),
    "lines_out": (
        "{value} prior line(s) of treatment recorded: outside the limits.",
        "记录的既往治疗线数为{value}：不在要求范围内。",
    ),
    "drug_yes": ("Your treatment history includes it ({value}).", "您的治疗史中包括（{value}）。"),
    "drug_no": ("Your recorded treatment history does not include it.", "您记录的治疗史中没有此类治疗。"),
    "marker_yes": ("Your test result fits ({value}).", "您的检测结果符合（{value}）。"),
    "marker_no": ("Your test result does not fit ({value}).", "您的检测结果不符合（{value}）。"),
    "marker_unclear": (
        "Your test result ({value}) does not say enough to decide.",
        "您的检测结果（{value}）不足以判断。",
    ),
    "cns_yes": ("Brain or CNS metastases are recorded.", "记录有脑或中枢神经系统转移。"),
    "cns_no": ("Metastatic sites are recorded and do not include the brain.", "已记录的转移部位不包括脑。"),
    "cns_active": (
        "Brain metastases are recorded; whether they are active must be confirmed.",
        "记录有脑转移；是否为活动性需确认。",
    ),
    "lab_in": ("{value}: within the limit.", "{value}：在要求范围内。"),
    "lab_out": ("{value}: outside the limit.", "{value}：超出要求范围。"),
    "lab_exception": (
        "{value}: outside the main limit, but an exception in the criterion may apply.",
        "{value}：超出主要界值，但该标准的例外情况可能适用。",
    ),
    "not_applicable_male": ("Does not apply (male patient).", "不适用（男性患者）。"),
    "children_met": ("Every part is met.", "各项均符合。"),
    "children_not_met": ("At least one part is not met.", "至少一项不符合。"),
    "children_one_met": ("One of the alternatives is met.", "其中一项可选条件符合。"),
    "children_unknown": ("Some parts need confirming.", "部分内容需要确认。"),
}


def reason_text(code: str, value: Any = "", lang: str = "en") -> str:
    """The reason in one language; ``value`` may be a pair (English, Chinese) of its own."""
    en, zh = REASONS.get(code, REASONS["to_confirm"])
    chinese = lang.lower().startswith("zh")
    if isinstance(value, tuple | list) and len(value) == 2:
        value = value[1] if chinese else value[0]
    return (zh if chinese else en).format(value=value)


# Regimen abbreviations that name drugs by letter.
_REGIMENS: dict[str, tuple[str, ...]] = {
    "r-chop": ("rituximab", "cyclophosphamide", "doxorubicin"),
    "r-chp": ("rituximab", "cyclophosphamide", "doxorubicin"),
    "pola-r-chp": ("polatuzumab", "rituximab", "cyclophosphamide", "doxorubicin"),
    "hyper-cvad": ("cyclophosphamide", "doxorubicin"),
    "r-hyper-cvad": ("rituximab", "cyclophosphamide", "doxorubicin"),
    "r-gemox": ("rituximab", "oxaliplatin"),
    "r-dhap": ("rituximab", "cisplatin"),
    "r-ice": ("rituximab", "carboplatin", "ifosfamide"),
    "br": ("rituximab", "bendamustine"),
    "r-cvp": ("rituximab", "cyclophosphamide"),
    "r2": ("lenalidomide", "rituximab"),
    "vrd": ("bortezomib", "lenalidomide"),
    "rvd": ("bortezomib", "lenalidomide"),
    "vd": ("bortezomib",),
    "drd": ("daratumumab", "lenalidomide"),
    "dvrd": ("daratumumab", "bortezomib", "lenalidomide"),
    "d-vrd": ("daratumumab", "bortezomib", "lenalidomide"),
    "dvd": ("daratumumab", "bortezomib"),
    "kd": ("carfilzomib",),
    "krd": ("carfilzomib", "lenalidomide"),
    "pd": ("pomalidomide",),
    "dpd": ("daratumumab", "pomalidomide"),
    "vcd": ("bortezomib", "cyclophosphamide"),
    "cybord": ("bortezomib", "cyclophosphamide"),
    "folfox": ("oxaliplatin",),
    "capox": ("oxaliplatin",),
    "xelox": ("oxaliplatin",),
    "sox": ("oxaliplatin",),
    "folfiri": ("irinotecan",),
    "gp": ("cisplatin",),
    "tp": ("paclitaxel", "cisplatin"),
    "ec": ("epirubicin", "cyclophosphamide"),
    "ac": ("doxorubicin", "cyclophosphamide"),
}
_NON_LINE_SETTINGS = frozenset(
    {"adjuvant", "neoadjuvant", "perioperative", "definitive", "consolidation", "maintenance"}
)
_FAILED = {"progression", "relapse", "refractory"}
# ECOG -> the Karnofsky range it may correspond to: the union of the conventional table and two
# empirical conversions (Ma et al. 2010, DOI:10.1016/j.ejca.2010.06.126; Prasad et al. 2018,
# DOI:10.5306/wjco.v9.i7.140), so that a Karnofsky limit is not_met only when they all agree.
_ECOG_TO_KPS = {0: (90, 100), 1: (70, 90), 2: (50, 70), 3: (30, 60), 4: (10, 40)}
_ROMAN = {"0": 0, "I": 1, "II": 2, "III": 3, "IV": 4}


@dataclass
class PatientFacts:
    """What matching reads from a profile, computed once per profile."""

    age: float | None
    sex: str | None
    ecog: int | None
    code: str
    lineage: list[str]
    stage_number: int | None
    recurrent_metastatic: bool | None
    resectable: bool | None
    metastatic_sites: set[str]
    markers: list[tuple[str, str]]  # (target key, lower-case result text)
    history: list[
        dict[str, Any]
    ]  # [{"classes": set, "drugs": text, "line": int|None, "setting": str, "outcome": str}]
    lines: int | None
    organ: dict[str, float]
    cities: list[str]
    countries: list[str]
    units: list[tuple[str, str, Any]] = field(default_factory=list)  # verdict per unit id
    weights: list[int] = field(default_factory=list)

    @classmethod
    def from_profile(cls, profile: Profile | dict[str, Any]) -> PatientFacts:
        p = parse_profile(profile)
        stage_n = None
        if p.cancer.stage:
            m = re.match(r"\s*(?:stage\s*)?(IV|III|II|I|0)", p.cancer.stage, re.I)
            stage_n = _ROMAN.get(m.group(1).upper()) if m else None
        markers: list[tuple[str, str]] = []
        for b in p.biomarkers:
            key = _marker_key(b.gene or b.name or "")
            text = " ".join(str(x) for x in (b.alteration, b.value, b.unit) if x not in (None, "")).lower()
            markers.append((key, text))
        history = []
        for t in p.prior_therapies:
            words = " ".join([*t.drugs, t.regimen or ""]).lower()
            drugs = (
                words
                + " "
                + " ".join(
                    d
                    for r, ds in _REGIMENS.items()
                    for d in ds
                    if re.search(rf"(?<![a-z]){re.escape(r)}(?![a-z])", words)
                )
            )
            classes = {cls for cls, rx in _CLASS_RES.items() if rx.search(drugs)}
            history.append(
                {
                    "classes": classes,
                    "drugs": drugs.strip(),
                    "line": t.line,
                    "setting": t.setting or "",
                    "outcome": str(t.outcome.value) if t.outcome else "",
                }
            )
        advanced = [h for h in history if h["setting"] not in _NON_LINE_SETTINGS]
        lines = None
        if history:
            numbered = {h["line"] for h in advanced if h["line"]}
            lines = max(
                len(numbered),
                max(numbered, default=0),
                len([h for h in advanced if not h["line"]]) + len(numbered),
            )
        organ = {}
        of = p.organ_function
        if of.creatinine_clearance_ml_min is not None:
            organ["crcl"] = of.creatinine_clearance_ml_min
        if of.bilirubin_x_uln is not None:
            organ["bilirubin"] = of.bilirubin_x_uln
        if of.lvef_percent is not None:
            organ["lvef"] = of.lvef_percent
        for key, value in (
            ("platelets", of.platelets_10e9_l),
            ("anc", of.neutrophils_10e9_l),
            ("hemoglobin", of.hemoglobin_g_dl),
        ):
            if value is not None:
                organ[key] = value
        extra = p.preferences.model_extra or {}
        countries = extra.get("countries") or []
        return cls(
            age=p.age,
            sex=p.sex.value if p.sex else None,
            ecog=p.ecog,
            code=p.cancer.oncotree_code,
            lineage=ancestors(p.cancer.oncotree_code),
            stage_number=stage_n,
            recurrent_metastatic=p.cancer.recurrent_metastatic,
            resectable=p.cancer.resectable,
            metastatic_sites={s.lower() for s in p.cancer.metastatic_sites},
            markers=markers,
            history=history,
            lines=lines,
            organ=organ,
            cities=[c.lower() for c in p.preferences.cities],
            countries=[str(c).lower() for c in (countries if isinstance(countries, list) else [countries])],
        )


def _marker_key(name: str) -> str:
    n = re.sub(r"[\s_\-]", "", name.lower())
    return {
        "erbb2": "her2",
        "her2": "her2",
        "claudin18.2": "cldn18.2",
        "cldn18.2": "cldn18.2",
        "cldn18": "cldn18.2",
        "pdl1": "pdl1",
        "tnfrsf17": "bcma",
        "msi": "msi",
        "mmr": "msi",
    }.get(n, n)


# --- one condition -> (truth, reason code, value) ---------------------------------------------

Result = tuple[bool | None, str, Any]


def _between(x: float, lo: float | None, hi: float | None) -> bool:
    return (lo is None or x >= lo) and (hi is None or x <= hi)


def _eval(check: dict[str, Any], f: PatientFacts, kind: str) -> Result:
    if "type" not in check:
        parts = [_eval(c, f, kind) for c in check.get("all") or check.get("any")]
        truths = [p[0] for p in parts]
        if "all" in check:
            if False in truths:
                return next(p for p in parts if p[0] is False)
            if all(t is True for t in truths):
                return True, parts[0][1], parts[0][2]
            return None, next(p for p in parts if p[0] is None)[1], next(p for p in parts if p[0] is None)[2]
        if True in truths:
            return next(p for p in parts if p[0] is True)
        if all(t is False for t in truths):
            return parts[0]
        return None, next(p for p in parts if p[0] is None)[1], next(p for p in parts if p[0] is None)[2]
    fn = _EVALUATORS.get(check.get("type", ""))
    return fn(check, f, kind) if fn else (None, "to_confirm", "")


def _age(c: dict, f: PatientFacts, kind: str) -> Result:
    if f.age is None:
        return None, "not_in_profile", ""
    return (
        _between(f.age, c.get("min"), c.get("max")),
        "age_in" if _between(f.age, c.get("min"), c.get("max")) else "age_out",
        f"{f.age:g}",
    )


def _sex(c: dict, f: PatientFacts, kind: str) -> Result:
    if c["sex"] == "all":
        return True, "sex_in", ""
    if f.sex not in ("female", "male"):
        return None, "not_in_profile", ""
    return (f.sex == c["sex"]), "sex_in" if f.sex == c["sex"] else "sex_out", f.sex


def _cancer(c: dict, f: PatientFacts, kind: str) -> Result:
    codes = set(c["codes"])
    if codes & set(f.lineage):
        return True, "cancer_in", f.code
    if f.code not in known_codes():
        return None, "not_in_profile", f.code
    # The patient's code is a parent of a named code: recorded less precisely.
    if any(f.code in ancestors(x) for x in codes):
        return None, "cancer_vague", f.code
    return False, "cancer_out", f.code


def _status(c: dict, f: PatientFacts, kind: str) -> Result:
    status = c["status"]
    if status == "relapsed_refractory":
        failed = [h for h in f.history if h["outcome"] in _FAILED]
        if failed:
            return True, "status_yes", failed[0]["outcome"]
        return None, "not_in_profile", ""
    if status == "untreated":
        if _other_cancer(c, f):
            return True, "status_yes", "untreated"  # never treated for a cancer the patient does not have
        treated = [h for h in f.history if h["setting"] not in _NON_LINE_SETTINGS]
        if treated:
            return False, "status_no", "treated"
        return None, "not_in_profile", ""
    advanced = f.recurrent_metastatic is True or f.stage_number == 4 or f.resectable is False
    early = (
        f.stage_number is not None
        and f.stage_number <= 2
        and f.recurrent_metastatic is not True
        and f.resectable is not False
    )
    if status == "advanced":
        if advanced:
            return True, "status_yes", "advanced"
        if early:
            return False, "status_no", "early stage"
        return None, "not_in_profile", ""
    return None, "to_confirm", ""


def _ecog(c: dict, f: PatientFacts, kind: str) -> Result:
    if f.ecog is None:
        return None, "not_in_profile", ""
    ok = _between(f.ecog, c.get("min"), c.get("max"))
    return ok, "ecog_in" if ok else "ecog_out", f.ecog


def _kps(c: dict, f: PatientFacts, kind: str) -> Result:
    if f.ecog is None:
        return None, "not_in_profile", ""
    lo, hi = _ECOG_TO_KPS[f.ecog]
    if c.get("min") is not None:
        if lo >= c["min"]:
            return True, "kps_in", f.ecog
        if hi < c["min"]:
            return False, "kps_out", f.ecog
        return None, "kps_edge", f.ecog
    if c.get("max") is not None:
        if hi <= c["max"]:
            return True, "kps_in", f.ecog
        if lo > c["max"]:
            return False, "kps_out", f.ecog
        return None, "kps_edge", f.ecog
    return None, "to_confirm", ""


def _other_cancer(c: dict, f: PatientFacts) -> bool:
    """The criterion is about a named cancer the patient clearly does not have."""
    codes = c.get("codes")
    return (
        bool(codes)
        and f.code in known_codes()
        and not (set(codes) & set(f.lineage))
        and not any(f.code in ancestors(x) for x in codes)
    )


def _lines(c: dict, f: PatientFacts, kind: str) -> Result:
    if _other_cancer(c, f):
        ok = _between(0, c.get("min"), c.get("max"))  # no line for a cancer the patient does not have
        return ok, "lines_in" if ok else "lines_out", 0
    if f.lines is None:
        return None, "not_in_profile", ""
    ok = _between(f.lines, c.get("min"), c.get("max"))
    return ok, "lines_in" if ok else "lines_out", f.lines


def _drug(c: dict, f: PatientFacts, kind: str) -> Result:
    truth, reason, value = _drug_truth(c, f)
    if c.get("negated") and truth is not None:
        return (not truth), reason, value  # the reason still says what the history holds
    return truth, reason, value


def _drug_truth(c: dict, f: PatientFacts) -> Result:
    if not f.history:
        return None, "not_in_profile", ""
    if _other_cancer(c, f):
        return False, "drug_no", ""  # no treatment for a cancer the patient does not have
    classes = set(c["classes"])
    history = f.history
    if c.get("drugs"):
        hit = [h for h in history if any(d in h["drugs"] for d in c["drugs"])]
        if not hit:
            if c.get("examples") and any(h["classes"] & classes for h in history):
                return None, "to_confirm", ""  # a drug of the class that the example list may omit
            return False, "drug_no", ""
        return (None, "to_confirm", "") if c.get("timed") else (True, "drug_yes", hit[0]["drugs"])
    if c.get("except"):
        # "CD19-directed therapy other than blinatumomab": that drug does not count.
        history = []
        for h in f.history:
            drugs = h["drugs"].replace(c["except"], " ")
            history.append({**h, "classes": {k for k, rx in _CLASS_RES.items() if rx.search(drugs)}})
    if c.get("require_all") and classes in ({"bcma", "car_t"}, {"cd19", "car_t"}):
        hit = [h for h in history if classes <= h["classes"]]
    elif c.get("require_all"):
        got = set().union(*(h["classes"] for h in history))
        hit = [h for h in history if h["classes"] & classes] if classes <= got else []
    else:
        hit = [h for h in history if h["classes"] & classes]
    if not hit:
        return False, "drug_no", ""
    if c.get("timed"):
        return None, "to_confirm", ""  # when it was given decides
    if c.get("refractory") and not all(h["outcome"] == "refractory" for h in hit):
        return None, "to_confirm", ""  # refractory needs progression on treatment
    return True, "drug_yes", hit[0]["drugs"]


def _marker_truth(c: dict, f: PatientFacts) -> Result:
    target = _marker_key(c["target"])
    results = [
        text
        for key, text in f.markers
        if key == target or (target == "msi" and key in ("msi", "dmmr", "mmr"))
    ]
    if not results:
        return None, "not_in_profile", ""
    text = results[0]
    negative = bool(
        re.search(r"negative|wild[- ]?type|\bwt\b|not detected|absent|^0$|\bno\b|^-$|mss|pmmr", text)
    )
    variant = c.get("variant", "any")
    if negative:
        truth: bool | None = False
    elif variant == "sensitizing":
        if re.search(r"19|l858r|l861q|g719|s768i|sensiti|del", text):
            truth = True
        elif re.search(r"exon\s*20|ins", text):
            truth = False
        else:
            truth = None
    elif variant == "exon20":
        truth = (
            True
            if re.search(r"exon\s*20|20\s*ins|ins20", text)
            else (False if re.search(r"19|l858r", text) else None)
        )
    elif variant == "G12C":
        truth = "g12c" in text if re.search(r"g1[23]|q61|g12c", text) else None
    elif variant == "T790M":
        truth = True if "t790m" in text else None
    elif variant == "exon14":
        truth = True if re.search(r"exon\s*14|ex14", text) else None
    elif variant == "amplification":
        truth = True if re.search(r"amplif", text) else None
    elif variant == "positive" and c.get("min_percent"):
        pct = re.search(r"(\d+(?:\.\d+)?)\s*%?", text)
        truth = (float(pct.group(1)) >= c["min_percent"]) if pct else None
    else:
        truth = True
    if truth is None:
        return None, "marker_unclear", text
    if not c.get("positive", True):
        truth = not truth
    return truth, "marker_yes" if truth else "marker_no", text


def _marker(c: dict, f: PatientFacts, kind: str) -> Result:
    return _marker_truth(c, f)


def _her2(c: dict, f: PatientFacts, kind: str) -> Result:
    results = [text for key, text in f.markers if key == "her2"]
    if not results:
        return None, "not_in_profile", ""
    text = results[0]
    if re.search(r"mutat|exon\s*20|ins", text):
        status = "mutation"
    elif (
        re.search(r"3\+|positive|amplif|ish\+|fish\+|2\+\s*/?\s*(?:ish|fish)\s*\+", text)
        and "negative" not in text
    ):
        status = "positive"
    elif re.search(r"low|1\+|2\+", text):
        status = "low"
    elif re.search(r"^0$|ihc\s*0|\b0\b|ultralow|negative", text):
        status = "zero" if re.search(r"^0$|ihc\s*0|\b0\b", text) else "negative"
    else:
        return None, "marker_unclear", text
    level = c["level"]
    table = {
        "positive": {"positive": True, "low": False, "zero": False, "negative": False, "mutation": None},
        "low": {"positive": False, "low": True, "zero": False, "negative": None, "mutation": None},
        "negative": {"positive": False, "low": True, "zero": True, "negative": True, "mutation": None},
        "mutation": {"mutation": True, "positive": None, "low": None, "zero": None, "negative": None},
    }
    truth = table[level][status]
    if truth is None:
        return None, "marker_unclear", text
    return truth, "marker_yes" if truth else "marker_no", text


def _pdl1(c: dict, f: PatientFacts, kind: str) -> Result:
    results = [text for key, text in f.markers if key == "pdl1"]
    if not results:
        return None, "not_in_profile", ""
    text = results[0]
    score = (
        "CPS"
        if "cps" in text
        else ("TC" if re.search(r"\btc\b", text) else ("TPS" if re.search(r"tps|%", text) else None))
    )
    if score != c["score"]:
        return None, "marker_unclear", text
    rng = re.search(r"(\d+(?:\.\d+)?)\s*%?\s*-\s*(\d+(?:\.\d+)?)", text)
    if rng:
        lo, hi = float(rng.group(1)), float(rng.group(2))
    else:
        m = re.search(r"(≥|>=|<|≤)?\s*(\d+(?:\.\d+)?)", text)
        if not m:
            return None, "marker_unclear", text
        v = float(m.group(2))
        lo, hi = {"≥": (v, 100.0), ">=": (v, 100.0), "<": (0.0, v - 0.01), "≤": (0.0, v)}.get(
            m.group(1) or "", (v, v)
        )
    mn, mx = c.get("min"), c.get("max")
    if _between(lo, mn, mx) and _between(hi, mn, mx):
        return True, "marker_yes", text
    if (mn is not None and hi < mn) or (mx is not None and lo > mx):
        return False, "marker_no", text
    return None, "marker_unclear", text


def _cns(c: dict, f: PatientFacts, kind: str) -> Result:
    if _other_cancer(c, f):
        return False, "cancer_out", f.code
    if not f.metastatic_sites:
        return None, "not_in_profile", ""
    if any(re.search(r"brain|cns|central nervous|leptomening", s) for s in f.metastatic_sites):
        return (None, "cns_active", "") if c.get("active_only") else (True, "cns_yes", "")
    return False, "cns_no", ""


_OPS = {
    "≥": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "≤": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
}
# The units a criterion may state for each analyte, with the factor that turns the profile's
# value (mL/min, x ULN, %, 10^9/L, g/dL) into that unit. The extractor already turns counts per
# mm3 / µL into 10^9/L.
_LAB_UNITS: dict[str, dict[str, float]] = {
    "crcl": {"ml/min": 1.0, "ml/min/1.73 m2": 1.0, "ml/min/1.73m2": 1.0},
    "bilirubin": {"xULN": 1.0},
    "lvef": {"%": 1.0},
    "platelets": {"10^9/L": 1.0},
    "anc": {"10^9/L": 1.0},
    "hemoglobin": {"g/dl": 1.0, "g/l": 10.0},
}
_LAB_NAMES = {
    "crcl": ("Creatinine clearance {v:g} mL/min", "肌酐清除率{v:g} mL/min"),
    "bilirubin": ("Bilirubin {v:g} x ULN", "胆红素为正常上限的{v:g}倍"),
    "lvef": ("LVEF {v:g}%", "左心室射血分数{v:g}%"),
    "platelets": ("Platelets {v:g} x 10^9/L", "血小板{v:g}×10^9/L"),
    "anc": ("Neutrophils {v:g} x 10^9/L", "中性粒细胞{v:g}×10^9/L"),
    "hemoglobin": ("Haemoglobin {v:g} g/dL", "血红蛋白{v:g} g/dL"),
}


def _lab(c: dict, f: PatientFacts, kind: str) -> Result:
    analyte = c["analyte"]
    factor = _LAB_UNITS.get(analyte, {}).get(c.get("unit") or "")
    if analyte not in f.organ or factor is None:
        return None, "not_in_profile", ""
    v = f.organ[analyte]
    label = tuple(name.format(v=v) for name in _LAB_NAMES[analyte])
    v *= factor
    if _OPS[c["op"]](v, c["value"]):
        return True, "lab_in", label
    if any(_OPS[a["op"]](v, a["value"]) for a in c.get("alternatives", []) if a.get("unit") == c.get("unit")):
        return None, "lab_exception", label
    return False, "lab_out", label


def _pregnancy(c: dict, f: PatientFacts, kind: str) -> Result:
    if f.sex == "male":
        # An inclusion rule about pregnancy tests is satisfied; an exclusion for pregnancy does not apply.
        return kind == "inclusion", "not_applicable_male", ""
    return None, "not_in_profile", ""


def _unknown(c: dict, f: PatientFacts, kind: str) -> Result:
    return None, "not_in_profile", ""


_EVALUATORS = {
    "age": _age,
    "sex": _sex,
    "cancer": _cancer,
    "status": _status,
    "ecog": _ecog,
    "karnofsky": _kps,
    "prior_lines": _lines,
    "prior_drug": _drug,
    "biomarker": _marker,
    "her2": _her2,
    "pdl1": _pdl1,
    "cns_mets": _cns,
    "lab": _lab,
    "pregnancy": _pregnancy,
    "measurable": _unknown,
    "life_expectancy": _unknown,
}


# --- trials ------------------------------------------------------------------------------------


@dataclass
class CompiledCriterion:
    index: int
    kind: str
    text: str
    parent: int | None
    depth: int
    check: dict[str, Any] | None
    key: str  # the check as canonical JSON: verdicts are cached per profile by it
    any_of: bool = False
    children: list[int] = field(default_factory=list)


@dataclass
class CompiledTrial:
    nct_id: str
    title: str
    phases: list[str]
    status: str
    conditions: list[str]
    condition_codes: list[str]
    intervention_types: list[str]
    criteria: list[CompiledCriterion]
    sites: list[dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)
    plan: list[tuple[Any, ...]] | None = None
    top: tuple[int, ...] = ()
    open_cities: frozenset[str] = frozenset()
    open_countries: frozenset[str] = frozenset()


def compile_criteria(rows: list[dict[str, Any]]) -> list[CompiledCriterion]:
    crit = [
        CompiledCriterion(
            r["index"],
            r["kind"],
            r["text"],
            r.get("parent"),
            r.get("depth", 0),
            r.get("check"),
            json.dumps([r["kind"], r.get("check")], sort_keys=True),
            bool(r.get("any_of")),
        )
        for r in rows
    ]
    by_index = {c.index: c for c in crit}
    for c in crit:
        if c.parent is not None and c.parent in by_index:
            by_index[c.parent].children.append(c.index)
    return crit


def registry_criteria(min_age: float | None, max_age: float | None, sex: str | None) -> list[dict[str, Any]]:
    """Criteria from the registry's structured eligibility fields (they bind like the free text)."""
    rows: list[dict[str, Any]] = []
    if min_age is not None or max_age is not None:
        lo = f"{min_age:g}" if min_age is not None else "any"
        hi = f"{max_age:g}" if max_age is not None else "no upper limit"
        rows.append(
            {
                "kind": "inclusion",
                "text": f"Age {lo} to {hi} years (registry eligibility fields)",
                "check": {"type": "age", "min": min_age, "max": max_age},
            }
        )
    if sex and sex.upper() in ("FEMALE", "MALE"):
        rows.append(
            {
                "kind": "inclusion",
                "text": f"Sex: {sex.lower()} only (registry eligibility fields)",
                "check": {"type": "sex", "sex": sex.lower()},
            }
        )
    return rows


def compile_trial(record: dict[str, Any]) -> CompiledTrial:
    """``record``: nct_id, title, phases, status, conditions, criteria_text (or criteria rows),
    min_age, max_age, sex, intervention_types, sites."""
    rows = record.get("criteria")
    if rows is None:
        rows = parse_criteria(record.get("criteria_text") or "")
    rows = list(rows)
    base = len(rows)
    for i, r in enumerate(registry_criteria(record.get("min_age"), record.get("max_age"), record.get("sex"))):
        rows.append({"index": base + i, "parent": None, "depth": 0, **r})
    codes: list[str] = []
    for cond in record.get("conditions") or []:
        for code in cancer_codes_in(cond):
            if code not in codes:
                codes.append(code)
    trial = CompiledTrial(
        nct_id=record["nct_id"],
        title=record.get("title", ""),
        phases=list(record.get("phases") or []),
        status=record.get("status", ""),
        conditions=list(record.get("conditions") or []),
        condition_codes=codes,
        intervention_types=list(record.get("intervention_types") or []),
        criteria=compile_criteria(rows),
        sites=list(record.get("sites") or []),
        extra=record.get("extra") or {},
    )
    trial.plan, trial.top = _plan(trial.criteria)
    open_sites = [x for x in trial.sites if (x.get("status") or "").upper() in OPEN_SITE_STATUSES]
    trial.open_cities = frozenset((x.get("city") or "").lower() for x in open_sites)
    trial.open_countries = frozenset((x.get("country") or "").lower() for x in open_sites)
    return trial


def _verdict(truth: bool | None, kind: str) -> str:
    if truth is None:
        return UNKNOWN
    return (MET if truth else NOT_MET) if kind == "inclusion" else (NOT_MET if truth else MET)


_TO_CONFIRM = (UNKNOWN, "to_confirm", "")
# Units: every distinct check (with its kind) and every distinct parent (its own unit, its
# children's units, any/all) across all compiled trials, registered once, children first. A
# profile evaluates each unit once; a trial is then a tuple of unit ids.
_UNITS: list[tuple[Any, ...]] = [("const", _TO_CONFIRM)]
_UNIT_IDS: dict[Any, int] = {}
_UNIT_LOCK = threading.Lock()
# Verdicts as numbers so that a trial's counts are one sum: not_met adds 10000, unknown adds 1.
_WEIGHT = {MET: 0, UNKNOWN: 1, NOT_MET: 10000}


def _unit(key: Any, spec: tuple[Any, ...]) -> int:
    uid = _UNIT_IDS.get(key)
    if uid is None:
        with _UNIT_LOCK:
            uid = _UNIT_IDS.get(key)
            if uid is None:
                _UNITS.append(spec)
                uid = _UNIT_IDS[key] = len(_UNITS) - 1
    return uid


def _plan(criteria: list[CompiledCriterion]) -> tuple[list[tuple[Any, ...]], tuple[int, ...]]:
    """Unit ids per criterion (children first) and the top-level unit ids."""
    units: dict[int, int] = {}
    plan = []
    for c in sorted(criteria, key=lambda x: -x.depth):
        own = _unit(c.key, ("check", c.check, c.kind)) if c.check is not None else None
        if c.children:
            kids = tuple(units[i] for i in c.children if i in units)
            uid = _unit(("group", own, kids, c.any_of), ("group", own, kids, c.any_of))
        else:
            uid = own if own is not None else 0
        units[c.index] = uid
        plan.append((c.index, uid))
    return plan, tuple(units[c.index] for c in criteria if c.depth == 0)


def _aggregate(vs: list[str], any_of: bool) -> tuple[str, str, str]:
    if any_of:
        if MET in vs:
            return MET, "children_one_met", ""
        if vs and all(v == NOT_MET for v in vs):
            return NOT_MET, "children_not_met", ""
        return UNKNOWN, "children_unknown", ""
    if NOT_MET in vs:
        return NOT_MET, "children_not_met", ""
    return (
        (MET, "children_met", "") if vs and all(v == MET for v in vs) else (UNKNOWN, "children_unknown", "")
    )


_ONE_MET = (MET, "children_one_met", "")
_ALL_NOT = (NOT_MET, "children_not_met", "")
_ONE_NOT = (NOT_MET, "children_not_met", "")
_ALL_MET = (MET, "children_met", "")
_SOME_UNKNOWN = (UNKNOWN, "children_unknown", "")


def _evaluate_units(facts: PatientFacts) -> list[tuple[str, str, Any]]:
    """Every registered unit's verdict for this profile (new units are added on the next call)."""
    done = facts.units
    weights = facts.weights
    wget = weights.__getitem__
    for spec in _UNITS[len(done) :]:
        if spec[0] == "const":
            own = spec[1]
        elif spec[0] == "check":
            truth, reason, value = _eval(spec[1], facts, spec[2])
            own = (_verdict(truth, spec[2]), reason, value)
        else:
            _, own_id, kids, any_of = spec
            n_not, n_unknown = divmod(sum(map(wget, kids)), 10000)
            if any_of:
                n_met = len(kids) - n_not - n_unknown
                agg = _ONE_MET if n_met else (_ALL_NOT if kids and n_not == len(kids) else _SOME_UNKNOWN)
            else:
                agg = _ONE_NOT if n_not else (_ALL_MET if kids and not n_unknown else _SOME_UNKNOWN)
            own = done[own_id] if own_id is not None else None
            # A parent with its own check: a not_met on either side decides; met needs both.
            if own is None or agg[0] == NOT_MET or (own[0] == MET and agg[0] != MET):
                own = agg
        done.append(own)
        weights.append(_WEIGHT[own[0]])
    return done


def evaluate_trial(trial: CompiledTrial, facts: PatientFacts) -> dict[int, tuple[str, str, Any]]:
    """Verdict, reason code and value for every criterion."""
    if trial.plan is None:
        trial.plan, trial.top = _plan(trial.criteria)
    units = _evaluate_units(facts)
    return {index: units[uid] for index, uid in trial.plan}


def sort_sites(sites: list[dict[str, Any]], facts: PatientFacts | None = None) -> list[dict[str, Any]]:
    """Open sites first, China first, then the patient's cities."""
    cities = facts.cities if facts else []
    return sorted(
        sites,
        key=lambda s: (
            (s.get("status") or "").upper() not in OPEN_SITE_STATUSES,
            (s.get("city") or "").lower() not in cities,
            (s.get("country") or "") != "China",
            s.get("city") or "",
        ),
    )


def match_trials(
    profile: Profile | dict[str, Any],
    trials: list[CompiledTrial],
    *,
    lang: str = "en",
    limit: int | None = None,
    only_open: bool = True,
) -> list[dict[str, Any]]:
    """Every trial with a verdict per criterion, best first (contract section 5)."""
    facts = profile if isinstance(profile, PatientFacts) else PatientFacts.from_profile(profile)
    _evaluate_units(facts)
    weight = facts.weights.__getitem__
    lineage = {code: depth for depth, code in enumerate(facts.lineage)}
    cities, countries = set(facts.cities), set(facts.countries)
    scored = []
    for t in trials:
        if only_open and t.status and t.status not in OPEN_STUDY_STATUSES:
            continue
        if t.plan is None:
            t.plan, t.top = _plan(t.criteria)
            _evaluate_units(facts)
            weight = facts.weights.__getitem__
        total = sum(map(weight, t.top))
        n_not, n_unknown = divmod(total, 10000)
        relevance = 0
        if t.condition_codes:
            for code in t.condition_codes:
                depth = lineage.get(code)
                if depth is not None:
                    relevance = max(relevance, 3 if depth == 0 else (2 if depth <= 2 else 1))
        place = 0
        if cities or countries:
            if not t.open_cities.isdisjoint(cities):
                place = 2
            elif not t.open_countries.isdisjoint(countries):
                place = 1
        scored.append(((n_not > 0, n_unknown, -relevance, -place, t.nct_id), t, n_not, n_unknown))
    scored.sort(key=lambda x: x[0])
    if limit is not None:
        scored = scored[:limit]
    out = []
    for _k, t, n_not, n_unknown in scored:
        verdicts = evaluate_trial(t, facts)
        top = [verdicts[c.index][0] for c in t.criteria if c.depth == 0]
        score = round(top.count(MET) / len(top), 2) if top else 0.0
        out.append(_render(t, verdicts, score, n_not, n_unknown, facts, lang))
    return out


def _render(
    t: CompiledTrial, verdicts: dict, score: float, n_not: int, n_unknown: int, facts: PatientFacts, lang: str
) -> dict[str, Any]:
    crit = []
    for c in t.criteria:
        v, reason, value = verdicts[c.index]
        crit.append(
            {
                "text": c.text,
                "kind": c.kind,
                "verdict": v,
                "reason": reason_text(reason, value, lang),
                "reason_code": reason,
                "depth": c.depth,
                "checked": c.check is not None,
            }
        )
    return {
        "nct_id": t.nct_id,
        "title": t.title,
        "phase": "/".join(t.phases),
        "status": t.status,
        "score": score,
        "not_met": n_not,
        "unknown": n_unknown,
        "is_demo": bool(t.extra.get("is_demo")),
        "intervention_kinds": list(t.intervention_types),
        "criteria": crit,
        "sites": [
            {
                "facility": s.get("facility", ""),
                "city": s.get("city", ""),
                "country": s.get("country", ""),
                "status": s.get("status", ""),
                "open": (s.get("status") or "").upper() in OPEN_SITE_STATUSES,
                "contact": s.get("contact", ""),
            }
            for s in sort_sites(t.sites, facts)
        ],
    }
