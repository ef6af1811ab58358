"""Normalisation of the stage (to stage groups) and of prior therapies (drugs received, failed,
not tolerated; the line now being chosen)."""

from __future__ import annotations

import re
from typing import Any

from onconav.engine.case import Case
from onconav.engine.profile import FAILED_OUTCOMES, Outcome, Profile
from onconav.engine.vocabulary import GROUPS, Vocabulary

# Stage words written in Chinese (after the trailing 期 is dropped): small cell lung cancer's
# limited / extensive stage, and words for newly diagnosed or recurrent disease
_ZH_STAGE_WORDS = {
    "广泛": "EXTENSIVE",
    "广泛性": "EXTENSIVE",
    "局限": "LIMITED",
    "局限性": "LIMITED",
    "初诊": "NEWLY DIAGNOSED",
    "新诊断": "NEWLY DIAGNOSED",
}


def _stage(kb_vocab: Vocabulary, lineage: tuple[str, ...], profile: Profile, case: Case) -> None:
    c = profile.cancer
    raw = (c.stage or "").strip()
    group: str | None = None
    if raw:
        key = re.sub(r"\s+", " ", re.sub(r"\s*期$", "", raw.upper()))  # "BCLC C期", "IV期"
        key = _ZH_STAGE_WORDS.get(key, key)  # "广泛期" -> EXTENSIVE (rule stage.chinese_words)
        keys = [key, re.sub(r"^STAGE\s*", "", key), key.replace("STAGE ", "")]
        group = _stage_map_group(kb_vocab, lineage, keys)
        if group is None:
            # free text after a recognised stage ("BCLC C (portal vein invasion)", "IIIA - N2"):
            # the longest leading run of words that is a stage of the cancer
            group = _stage_map_group(kb_vocab, lineage, _stage_prefixes(keys[1]))
            if group is not None:
                case.rules.append("stage.free_text_ignored")
        tnm = _tnm_groups(re.sub(r"^STAGE\s*", "", key), c.metastatic_sites) if group is None else None
        if tnm is not None:
            _set_groups(case, tnm, c.recurrent_metastatic, "stage.tnm")
            return
        if group is None:
            k = _strip_tnm(re.sub(r"^STAGE\s*", "", key))
            m = re.fullmatch(r"(0|IV|I{1,3}|[1-4])([A-D]\d?)?", k.replace(" ", ""))
            heads = _stage_prefixes(k)[:1]  # "IVB (liver, bone)": the text before the parenthesis
            if m is None and heads:
                m = re.fullmatch(r"(0|IV|I{1,3}|[1-4])([A-D]\d?)?", heads[0].replace(" ", ""))
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


def _stage_map_group(kb_vocab: Vocabulary, lineage: tuple[str, ...], keys: list[str]) -> str | None:
    for code in lineage:
        smap = kb_vocab.stage_maps.get(code, {})
        for k in keys:
            if k in smap:
                return smap[k]
    return None


def _stage_prefixes(key: str) -> list[str]:
    """Leading runs of words of a stage written with free text after it, longest first: the text
    before a parenthesis, comma, semicolon, colon or dash, then shorter runs of its words
    ("BCLC C (PORTAL VEIN INVASION)" -> "BCLC C", "BCLC")."""
    head = re.split(r"\s*[(（\[,;:，；]|\s+[-–—]\s*", key, maxsplit=1)[0].strip()
    words = head.split()
    out = [" ".join(words[:n]) for n in range(len(words), 0, -1)]
    return [k for k in out if k and k != key]


# "ypT2N1", "pT3 N0 M0", "cT4aN2M1b": a TNM stage without its AJCC group
_TNM = re.compile(
    r"^[CPYRA]{0,3}T(?:IS|[0-4X])[A-D]?\d?\s*,?\s*[CPY]{0,2}N[0-3X][A-C]?\d?(?:\s*,?\s*[CP]?M([01X])[A-D]?\d?)?$"
)
# a TNM descriptor after an AJCC group ("IV M1C", "IIIB (T3N1M0)")
_TRAILING_TNM = re.compile(r"[\s(,;]+\(?[CPYR]{0,3}[TNM](?:IS|[0-4X]).*$")


def _strip_tnm(k: str) -> str:
    return _TRAILING_TNM.sub("", k)


def _tnm_groups(k: str, sites: list[str] | None) -> frozenset[str] | None:
    """Stage groups of a bare TNM stage: M1 (or metastatic sites given) is advanced; otherwise the
    tumour is not known to have spread, so early or locally advanced (which one needs the cancer's
    AJCC table; the T and N categories alone do not say)."""
    m = _TNM.fullmatch(k.replace(" ", ""))
    if m is None:
        return None
    if m.group(1) == "1" or sites:
        return frozenset({"advanced"})
    return frozenset({"early", "locally_advanced"})


def _set_groups(case: Case, groups: frozenset[str], recurrent_metastatic: bool | None, rule: str) -> None:
    case.rules.append(rule)
    if recurrent_metastatic:
        groups = frozenset({"advanced"})
        case.rules.append("stage.recurrent_metastatic")
    case.stage_groups = groups
    case.stage_known = True


NON_ADVANCED_SETTINGS = frozenset(
    {"adjuvant", "neoadjuvant", "perioperative", "definitive", "consolidation", "chemoradiation", "curative"}
)
# An operation recorded as a prior "therapy" (setting surgery: thyroidectomy, Whipple) is local
# treatment, never a line of systemic therapy for advanced disease (rule line.surgery_not_a_line).
SURGERY_SETTINGS = frozenset({"surgery", "surgical", "resection", "operation"})
# Locoregional treatment recorded as a prior "therapy" (setting locoregional: TACE, ablation,
# radioembolisation) is local too: systemic therapy after TACE failure is first-line systemic
# therapy (rule line.locoregional_not_a_line).
LOCOREGIONAL_SETTINGS = frozenset({"locoregional", "local", "local_therapy", "locoregional_therapy"})
LOCAL_SETTINGS = SURGERY_SETTINGS | LOCOREGIONAL_SETTINGS


def _priors(vocab: Vocabulary, profile: Profile, case: Case) -> None:
    lines: set[int] = set()
    unnumbered = 0
    last: tuple[int, int, Outcome | None] | None = None  # (line, order, outcome) of the latest systemic line
    read: list[tuple[Any, list[str]]] = []  # each entry with the INNs read from it
    for order, p in enumerate(profile.prior_therapies):
        if p.with_radiotherapy:
            case.had_radiotherapy = True
        inns: list[str] = []
        for raw in p.drugs:
            key = raw.strip().lower()
            inn = vocab.drug_alias.get(key)
            if inn is None:
                if p.setting not in LOCAL_SETTINGS:  # "Whipple", "thyroidectomy", "TACE": local treatment
                    case.warn("w_drug_unrecognised", drug=raw)
                inn = key
            inns.append(inn)
        tags = set().union(*(vocab.drug_tags.get(i, frozenset()) for i in inns)) if inns else set()
        read.append((p, inns))
        case.received.update(inns)
        case.received_tags.update(tags)
        if p.outcome != Outcome.INTOLERANCE:
            case.tolerated.update(inns)
            case.tolerated_tags.update(tags)
        # stopped for side effects, then the cancer progressed (a progression date on the line):
        # the line has failed as well (rule line.intolerance_then_progression)
        failed_after_stop = p.outcome == Outcome.INTOLERANCE and p.progression_date is not None
        if failed_after_stop:
            case.rules.append("line.intolerance_then_progression")
        if p.outcome in FAILED_OUTCOMES or failed_after_stop:
            case.failed.update(inns)
            case.failed_tags.update(tags)
            # chemotherapy only: endocrine and targeted drugs keep their own resistance windows
            late = {i for i in inns if "chemotherapy" in vocab.drug_tags.get(i, ())}
            if late and _late_relapse(profile, order, relapse_window(vocab, case, list(inns))):
                case.rules.append("failure.late_relapse")
            else:
                late = set()
            # a backbone / supportive drug (failure_neutral class) does not fail with its line
            kept = [i for i in inns if i not in late and i not in vocab.failure_neutral]
            case.failed_reuse.update(kept)
            for i in kept:
                case.failed_reuse_tags.update(vocab.drug_tags.get(i, frozenset()))
        if p.outcome == Outcome.INTOLERANCE:
            case.intolerant.update(inns)
            case.intolerant_tags.update(tags)
            if p.reason and p.reason.strip():
                for i in inns:
                    case.intolerance_reasons.setdefault(i, []).append(p.reason.strip())
        if refractory_line(profile.prior_therapies, order):
            case.refractory.update(inns)
        if (
            p.outcome in FAILED_OUTCOMES
            and p.drugs
            and p.setting not in LOCAL_SETTINGS
            and not any(d.strip().lower() in vocab.drug_alias for d in p.drugs)
        ):
            case.unread_failed.append(" + ".join(p.drugs))
        if not inns:
            continue
        key = (p.line or 0, order, p.outcome)
        if last is None or key[:2] >= last[:2]:
            last = key
        if p.setting and p.setting in NON_ADVANCED_SETTINGS:
            continue
        if p.setting in SURGERY_SETTINGS:
            case.rules.append("line.surgery_not_a_line")
            continue
        if p.setting in LOCOREGIONAL_SETTINGS:
            case.rules.append("line.locoregional_not_a_line")
            continue
        if p.outcome not in FAILED_OUTCOMES and all("gnrh" in vocab.drug_tags.get(i, ()) for i in inns):
            continue  # ADT alone that still works is the backbone of every line, not a line
        if p.line is not None:
            lines.add(p.line)
        else:
            unnumbered += 1
    again = _lines_chosen_again(read, case)
    lines -= again
    _maintenance_failure_fails_its_line(vocab, read, case)
    case.late_relapse = case.failed - case.failed_reuse - vocab.failure_neutral
    case.advanced_lines = max(len(lines) + unnumbered, max(lines, default=0))
    case.line = case.advanced_lines + 1
    case.responding = last is not None and (
        last[2] in (Outcome.RESPONSE, Outcome.NO_PROGRESSION)
        # a drug stopped for side effects while the rest of its line works: still responding
        or (last[2] == Outcome.INTOLERANCE and last[0] in again and _line_works(read, last[0]))
    )
    case.maintenance_line = case.advanced_lines if case.responding and case.advanced_lines else case.line


def _line_works(read: list[tuple[Any, list[str]]], line: int) -> bool:
    return any(p.line == line and p.outcome in (Outcome.RESPONSE, Outcome.NO_PROGRESSION) for p, _ in read)


def _lines_chosen_again(read: list[tuple[Any, list[str]]], case: Case) -> set[int]:
    """Line numbers in which a drug was stopped for side effects while the rest of the line goes on
    and nothing progressed: the cancer did not fail that line, so its choice is made again without
    the drug (another
    androgen-receptor inhibitor after abiraterone hepatitis, palbociclib after ribociclib QT
    prolongation, the chemotherapy of CAPOX + nivolumab after pneumonitis; rule
    ``line.intolerance_not_a_line``). The drug itself is shown lower (failure.intolerance)."""
    by_line: dict[int, set[Outcome | None]] = {}
    for p, _ in read:
        if p.line is not None and p.setting not in NON_ADVANCED_SETTINGS and p.setting not in LOCAL_SETTINGS:
            by_line.setdefault(p.line, set()).add(p.outcome)
    # only where the rest of the line goes on (a split record): a whole line stopped for side
    # effects is a line (the labels of second-line drugs say "after resistance or intolerance")
    going_on = {Outcome.RESPONSE, Outcome.NO_PROGRESSION, None}
    again = {
        n
        for n, outs in by_line.items()
        if Outcome.INTOLERANCE in outs and outs & going_on and not outs & FAILED_OUTCOMES
    }
    if again:
        case.rules.append("line.intolerance_not_a_line")
    return again


def _maintenance_failure_fails_its_line(
    vocab: Vocabulary, read: list[tuple[Any, list[str]]], case: Case
) -> None:
    """Progression on the maintenance of a line ends that whole line: the drugs of its induction
    (entries of the same line number recorded as working or with no outcome) count as failed too,
    so items written "after failure of platinum" apply after carboplatin-pemetrexed-pembrolizumab
    followed by pemetrexed-pembrolizumab maintenance (rule ``line.maintenance_failure``). Whether
    they are shown lower as failed follows the late-relapse window from the induction's end."""
    from onconav.engine.facts import months  # local: facts imports normalize

    for m, _ in read:
        if m.setting != "maintenance" or m.line is None or m.outcome not in FAILED_OUTCOMES:
            continue
        for p, inns in read:
            if p is m or p.line != m.line or p.setting in ("maintenance", *SURGERY_SETTINGS):
                continue
            if p.outcome in FAILED_OUTCOMES or not inns:
                continue
            case.failed.update(inns)
            for i in inns:
                case.failed_tags.update(vocab.drug_tags.get(i, frozenset()))
            end, back = months(p.end), months(m.progression_date or m.end)
            late = end is not None and back is not None and back - end >= relapse_window(vocab, case, inns)
            # shown lower as failed only when the line ended within the late-relapse window of
            # the induction's end, for every drug of it (lenalidomide maintenance failing four
            # years after daratumumab-bortezomib does not make them refractory)
            kept = [] if late else [i for i in inns if i not in vocab.failure_neutral]
            case.failed_reuse.update(kept)
            for i in kept:
                case.failed_reuse_tags.update(vocab.drug_tags.get(i, frozenset()))
            case.rules.append("line.maintenance_failure")


LATE_RELAPSE_MONTHS = 6  # the default of knowledge/policy/relapse-windows.yaml (fixture KBs without it)
# IMWG (Rajkumar et al., Blood 2011, DOI:10.1182/blood-2010-10-299487): refractory disease is
# progression on therapy or within 60 days of the last dose
REFRACTORY_WINDOW_MONTHS = 2.0
_CONTINUOUS_SETTINGS = frozenset({"maintenance"})


def refractory_line(priors: list[Any], i: int) -> bool:
    """The disease was refractory to the drugs of prior therapy ``i``: outcome "refractory", best
    response PD on a failed line, or progression on it or within 60 days of its end (IMWG). The
    progression date is ``progression_date``, else the start of the next entry when that is another
    line (a consolidation or maintenance of the same line is not a progression). Without an end
    date only maintenance (given until progression) reads as progression on it: a fixed-length
    regimen whose end was not written down may have ended long before (rule
    ``prior.refractory``)."""
    from onconav.engine.facts import months  # local: facts imports normalize

    p = priors[i]
    if p.outcome == Outcome.REFRACTORY:
        return True
    if p.outcome not in FAILED_OUTCOMES:
        return False
    if p.best_response is not None and p.best_response.value == "PD":
        return True
    if p.end is None:
        return bool(p.progression_date) and p.setting in _CONTINUOUS_SETTINGS
    back = p.progression_date
    if back is None and i + 1 < len(priors):
        q = priors[i + 1]
        same_line = q.line is not None and q.line == p.line
        if not same_line and q.setting not in ("maintenance", "consolidation"):
            back = q.start
    end, rel = months(p.end), months(back)
    return end is not None and rel is not None and rel - end <= REFRACTORY_WINDOW_MONTHS


def relapse_window(vocab: Vocabulary, case: Case, drugs: list[str]) -> float:
    """Months after the end of a curative-intent course from which a relapse is late: the
    longest window of the rules (knowledge/policy/relapse-windows.yaml) whose cancer is in the
    patient's lineage and that name one of the course's drugs or their classes, else the
    default (rule ``failure.late_relapse``)."""
    window = vocab.relapse_default_months
    if not vocab.relapse_rules:
        return window
    lineage = set(case.lineage)
    names: set[str] = set()
    for raw in drugs:
        inn = vocab.drug_alias.get(raw.strip().lower(), raw.strip().lower())
        names.add(inn)
        names |= vocab.drug_tags.get(inn, frozenset())
    for cancer, rule_drugs, months in vocab.relapse_rules:
        if cancer in lineage and rule_drugs & names:
            window = max(window, months)
    return window


def _late_relapse(profile: Profile, i: int, window: float = LATE_RELAPSE_MONTHS) -> bool:
    """A curative-intent treatment (adjuvant, definitive, chemoradiation ...) after which the
    cancer came back >= 6 months after its end: its chemotherapy drugs may be used again (NCCN Head and Neck:
    platinum re-used when recurrence is > 6 months after it), so they are not "failed" for the
    failure step. The relapse date is ``progression_date``, else the next treatment's start."""
    from onconav.engine.facts import months  # local: facts imports normalize

    priors = profile.prior_therapies
    p = priors[i]
    if p.setting not in NON_ADVANCED_SETTINGS:
        return False
    back = p.progression_date or (priors[i + 1].start if i + 1 < len(priors) else None)
    end, rel = months(p.end), months(back)
    return end is not None and rel is not None and rel - end >= window


def curative_failures(vocab: Vocabulary, profile: Profile, case: Case) -> None:
    """Drugs of curative-intent courses that failed early (relapse on them or within 6 months of
    their end, or with no date to say otherwise): ``case.curative_failed`` (later relapses:
    ``case.curative_failed_late``). NCCN reads such a
    relapse as failure of that treatment, so the next treatment is a later line (recurrent
    glioblastoma after radiotherapy + temozolomide; relapse within months of adjuvant chemotherapy)."""
    for i, p in enumerate(profile.prior_therapies):
        if p.setting not in NON_ADVANCED_SETTINGS or p.outcome not in FAILED_OUTCOMES:
            continue
        late = _late_relapse(profile, i, relapse_window(vocab, case, p.drugs))
        for raw in p.drugs:
            inn = vocab.drug_alias.get(raw.strip().lower(), raw.strip().lower())
            tags = vocab.drug_tags.get(inn, frozenset())
            if late:
                case.curative_failed_late.add(inn)
                case.curative_failed_late_tags.update(tags)
            else:
                case.curative_failed.add(inn)
                case.curative_failed_tags.update(tags)


def early_failures(vocab: Vocabulary, profile: Profile, case: Case) -> None:
    """``case.failed_early``: the drugs of every treatment that ended in progression or
    refractoriness (or in a relapse dated within 6 months of its end), unless a progression date
    6 months or more after the end says it was a late relapse. A late relapse allows
    re-challenge (platinum in platinum-sensitive ovarian cancer); an early failure does not."""
    from onconav.engine.facts import months  # local: facts imports normalize

    for p in profile.prior_therapies:
        if p.outcome not in FAILED_OUTCOMES:
            continue
        end, back = months(p.end), months(p.progression_date)
        if end is not None and back is not None:
            early = back - end < relapse_window(vocab, case, p.drugs)
        else:
            early = p.outcome != Outcome.RELAPSE
        if early:
            case.failed_early.update(
                vocab.drug_alias.get(d.strip().lower(), d.strip().lower()) for d in p.drugs
            )


def stage_from_lines(case: Case) -> None:
    """No readable stage, but treatment for advanced disease on record: the disease is advanced
    (rule ``stage.from_prior_lines``; the answer warns). Otherwise surgery and ablation for early
    disease came first for a liver cancer after lenvatinib."""
    if case.stage_known or not case.advanced_lines:
        return
    case.stage_groups = frozenset({"advanced"})
    case.rules.append("stage.from_prior_lines")
    case.warn("w_stage_from_lines")


_RESECTION = re.compile(r"resect|ectomy|excision|切除")  # words of a removal, even beside "biopsy"
_OPERATION = re.compile(r"whipple|surgery|operation|根治术|手术")


def resected_from_surgery(profile: Profile, case: Case) -> None:
    """``cancer.resected`` not given, an operation on record ("subtotal resection", "lobectomy",
    not a biopsy), no treatment that failed, and a stage that is not advanced: the tumour was
    operated on, so the items for after surgery apply (rule ``stage.resected_from_surgery``; the
    answer warns, naming the operation). A grade 2 oligodendroglioma after subtotal resection
    gets radiotherapy + PCV or vorasidenib, not a second operation first (blind round 10)."""
    if case.resected is not None or not case.stage_known or "advanced" in case.stage_groups:
        return
    if any(p.outcome in FAILED_OUTCOMES for p in profile.prior_therapies):
        return
    for p in profile.prior_therapies:
        if (p.setting or "").lower() not in SURGERY_SETTINGS:
            continue
        text = (p.regimen or " + ".join(p.drugs)).strip()
        low = text.lower()
        removal = _RESECTION.search(low)
        if "biops" in low and not removal:
            continue
        if removal or _OPERATION.search(low) or not low:
            case.resected = True
            case.rules.append("stage.resected_from_surgery")
            case.warn("w_resected_from_surgery", what=text or (p.setting or ""))
            return
