"""Normalise a validated profile against the knowledge base (ENGINE.md step 1).

:class:`Vocabulary` is compiled once per knowledge base (alias maps, gene index, ``implies``
closures, drug aliases); :func:`normalize` turns a :class:`~onconav.engine.profile.Profile` into a
:class:`Case`: biomarker facts (present / absent / numeric ranges), the cancer lineage, the stage
group(s), the line of therapy and what was received or failed. Whatever is not understood is
returned as a warning, never silently dropped.
"""

from __future__ import annotations

from onconav.engine.biomarkers import _Facts, _her2, _read_entry
from onconav.engine.case import UNUSED_WARNINGS, Case  # noqa: F401  (re-exported)
from onconav.engine.profile import Profile, ProfileError
from onconav.engine.stage_priors import (
    NON_ADVANCED_SETTINGS,  # noqa: F401  (re-exported)
    _priors,
    _stage,
    curative_failures,
    early_failures,
    resected_from_surgery,
    stage_from_lines,
)  # noqa: F401
from onconav.engine.vocabulary import (  # noqa: F401  (re-exported: historical home)
    GENE_SYNONYMS,
    GENERIC_ALTERATIONS,
    GROUPS,
    INF,
    NAME_FALLBACKS,
    NEGATIVE_WORDS,
    POSITIVE_WORDS,
    Vocabulary,
    canon_gene,
    drug_label,
    gene_key,
    norm_alt,
    parse_range,
    threshold_holds,
)
from onconav.kbdata.loader import KnowledgeBase


def _new_case(vocab: Vocabulary, kb: KnowledgeBase, profile: Profile, lang: str) -> Case:
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
    return Case(
        lang=lang,
        code=code,
        lineage=tuple(kb.lineage(code)),
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


def _biomarker_facts(vocab: Vocabulary, profile: Profile, case: Case) -> None:
    """Read every biomarker entry, then close over ``implies`` (present) and groups (absent)."""
    facts = _Facts()
    germline_absent: set[str] = set()
    for entry in profile.biomarkers:
        before = set(facts.present)
        before_absent = set(facts.absent)
        _read_entry(vocab, entry, facts, case)
        if entry.origin is not None:
            for bid in set(facts.present) - before:
                for implied in vocab.closure.get(bid, frozenset({bid})):
                    case.origins.setdefault(implied, entry.origin.value)
            if entry.origin.value == "germline":
                # a negative germline test does not rule out the change in the tumour (sporadic
                # RET-mutant medullary thyroid cancer, somatic BRCA in ovarian cancer): the marker
                # stays unknown, only items that need the germline change are ruled out
                for bid in set(facts.absent) - before_absent:
                    facts.absent.pop(bid, None)
                    germline_absent |= vocab.implied_by.get(bid, frozenset({bid}))
                    case.warn("w_germline_negative", marker=entry.label())
                    case.rules.append("normalize.germline_negative")
    case.germline_absent = frozenset(germline_absent)
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


def normalize(vocab: Vocabulary, kb: KnowledgeBase, profile: Profile, lang: str) -> Case:
    case = _new_case(vocab, kb, profile, lang)
    _stage(vocab, case.lineage, profile, case)
    _biomarker_facts(vocab, profile, case)
    _priors(vocab, profile, case)
    curative_failures(vocab, profile, case)
    early_failures(vocab, profile, case)
    stage_from_lines(case)
    resected_from_surgery(profile, case)
    if profile.ecog is None:
        case.warn("w_ecog_unknown")
    return case
