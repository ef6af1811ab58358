"""The :class:`Engine`: compile a knowledge base once, answer profiles fast and deterministically."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from onconav.engine import (
    conditions,
    fact_tests,
    facts,
    failure,
    generate,
    grouping,
    prior_names,
    prior_reading,
    ranking,
    recommended_tests,
    relapse,
    resistance,
    sequencing,
    situational,
    substitutes,
    summary,
    unused,
)
from onconav.engine.answer import Answer, Excluded, Option
from onconav.engine.facts import FactBook
from onconav.engine.fitness import Builtin
from onconav.engine.messages import normalize_lang, t
from onconav.engine.model import DRIVER_KINDS, Candidate, RegimenInfo, Run, compile_regimen, text
from onconav.engine.msg import Msg, Txt, code, codes, msg, render, render_unique
from onconav.engine.normalize import Vocabulary, normalize
from onconav.engine.option_build import build_option
from onconav.engine.profile import Profile, parse_profile, unknown_fields
from onconav.engine.recommended_tests import GENE_DISPLAY  # noqa: F401  (historical home)
from onconav.kbdata.loader import KnowledgeBase
from onconav.kbdata.schema import Evidence, Level

RESISTANCE_LEVELS = (Level.R1, Level.R2)


class Engine:
    """Treatment-options engine over one knowledge base. Thread-safe after construction."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.vocab = Vocabulary.compile(kb)
        if kb.policy.fitness_builtin is None:
            raise ValueError(
                "the knowledge base has no built-in fitness policy (knowledge/policy/fitness-builtin.yaml)"
            )
        self._builtin = Builtin.compile(kb.policy.fitness_builtin)
        self.regimen_names = prior_names.regimen_index(kb.policy.regimen_names)
        self._names_cache: dict[str, dict[str, tuple[str, ...]]] = {}
        self._comorbidity_words = unused.words_pattern(unused.comorbidity_words(kb.policy))
        self.regimens: dict[str, RegimenInfo] = {
            r.id: compile_regimen(kb, self.vocab, r) for r in kb.regimens
        }
        by_cancer: dict[str, list[Evidence]] = {}
        res_by_cancer: dict[str, list[Evidence]] = {}
        for ev in sorted(kb.evidence, key=lambda e: e.id):
            target = res_by_cancer if ev.level in RESISTANCE_LEVELS else by_cancer
            target.setdefault(ev.cancer, []).append(ev)
        self._by_cancer = by_cancer
        self._res_by_cancer = res_by_cancer
        self._items_cache: dict[str, tuple[list[Evidence], list[Evidence]]] = {}
        for cancer_code in kb.cancer_by_code:
            lineage = kb.lineage(cancer_code)
            items = [ev for node in lineage for ev in by_cancer.get(node, [])]
            r_items = [ev for node in lineage for ev in res_by_cancer.get(node, [])]
            self._items_cache[cancer_code] = (items, r_items)
        # per cancer and set of stage groups: the items written for one of those groups, in
        # order (built on first use; most items fail that first check of ``generate``)
        self._staged_cache: dict[tuple[str, frozenset[str]], list[Evidence]] = {}

    def _names_for(self, lineage: list[str]) -> dict[str, tuple[str, ...]]:
        """Regimen abbreviations for a cancer, computed once per OncoTree node."""
        key = lineage[0] if lineage else ""
        names = self._names_cache.get(key)
        if names is None:
            # the KB's own regimen aliases for the regimens used in this cancer; policy names win
            used = {ev.regimen for ev in self._items_cache.get(key, ([], []))[0]}
            names = {
                **prior_reading.kb_regimen_names(self.kb.regimens, used, self.vocab),
                **prior_names.for_cancer(self.regimen_names, lineage),
            }
            self._names_cache[key] = names
        return names

    def _staged(self, code: str, items: list[Evidence], groups: frozenset[str]) -> list[Evidence]:
        """The items of ``code`` whose stage groups meet ``groups`` (the others fail
        ``generate``'s stage check, its first), computed once per cancer and set of groups."""
        key = (code, groups)
        staged = self._staged_cache.get(key)
        if staged is None:
            if len(self._staged_cache) >= 4096:
                self._staged_cache.clear()
            staged = self._staged_cache[key] = [ev for ev in items if groups.intersection(ev.stage_groups)]
        return staged

    # -- public --------------------------------------------------------------------------

    def recommend(self, profile: dict[str, Any] | Profile, lang: str = "en") -> Answer:
        """The ranked options for ``profile``. Raises ProfileError for an invalid profile."""
        lang = normalize_lang(lang)
        prof = parse_profile(profile)
        lineage = self.kb.lineage(prof.cancer.oncotree_code.strip().upper())
        names = self._names_for(lineage)
        prof, read_rules = prior_reading.read(prof, self.vocab, names)
        prof, _ = prior_names.expand(prof, self.vocab, names)
        prof, _ = prior_names.curative_induction(prof, "SOLID" in lineage)
        prof, relapsed = relapse.infer(prof, self.vocab)
        prof, sequence_inferred = relapse.infer_sequence(prof)
        case = normalize(self.vocab, self.kb, prof, lang)
        case.rules.extend(read_rules)
        unknown = unknown_fields(prof)
        extra_warnings = [msg("w_unknown_field", field=f) for f in unknown]
        if relapsed:
            extra_warnings.append(msg("w_relapse_inferred"))
        if sequence_inferred:
            extra_warnings.append(msg("w_line_relapse_inferred"))
        items, r_items = self._items_cache.get(case.code, ([], []))
        run = Run(case=case)
        run.facts = FactBook(self.kb.policy, facts.view(self.vocab, prof, case), case, case.origins)
        run.fitness_rules = self.kb.policy.fitness
        run.builtin = self._builtin
        run.classes = self.kb.policy.class_by_tag
        named = situational.applicable(run, self.kb)
        run.named_markers = situational.decided_markers(named, self.vocab)
        run.driver_found = any(
            self.vocab.biomarker[b].kind in DRIVER_KINDS and not self.vocab.biomarker[b].resistance
            for b in case.present
            if b in self.vocab.biomarker
        )
        # the pipeline
        generate.generate(
            run, items, self.regimens, self._staged(case.code, items, frozenset(case.stage_groups))
        )
        resistance.resistance(run, r_items, self.vocab)
        # substitutes first, so that the failure steps read them as they read every other option
        # (a substitute that repeats a drug stopped for grade 3 neuropathy is shown lower too)
        substitutes.apply(run, self.kb.policy.fitness, items, self.regimens)
        failure.not_reoffered(run, self.vocab)
        failure.maintenance_refractory(run, self.vocab)
        failure.failure(run, self.vocab)
        failure.poor_ps(run)
        sequencing.apply(run, self.kb.policy.sequencing)
        conditions.likelihood(run, self.kb, self.vocab)
        ranking.merge(run)
        ranking.rank(run)
        return self._answer(prof, run, extra_warnings, named, unknown)

    # -- answer building -----------------------------------------------------------------

    def _answer(
        self,
        prof: Profile,
        run: Run,
        extra_warnings: list[Msg],
        named: list[Any] | None = None,
        unknown: list[str] | None = None,
    ) -> Answer:
        case = run.case
        lang = case.lang
        placements = grouping.place(run, lang)
        options = [
            build_option(i + 1, c, case, placements[i], self.kb, self.vocab)
            for i, c in enumerate(run.options)
        ]
        excluded, excluded_by_reg = _excluded(run, {o.regimen for o in options})
        tests, waiting = recommended_tests.tests(run, self.kb, self.vocab, self.regimens)
        first = situational.recommended(named or [], run, self.vocab)
        names = {x.test for x in first}
        first += [x for x in fact_tests.recommended(run, self.kb) if x.test not in names]
        names = {x.test for x in first}
        covered = {b for x in first for b in x.biomarkers}  # a named test already decides them
        tests = first + [
            x for x in tests if x.test not in names and not (x.biomarkers and set(x.biomarkers) <= covered)
        ]
        waiting = (waiting - {o.regimen for o in options}) | {
            o.regimen for o in options if o.condition is not None
        }
        warnings = _warnings(run, extra_warnings, options, excluded, excluded_by_reg)
        if waiting and tests:
            warnings.append(msg("w_pending", count=len(waiting)))
        warning_lines, warnings = render_unique(warnings, lang)
        summary_msg = summary.profile_summary_msg(prof, case, self.kb, self.vocab)
        return Answer(
            knowledge_base_version=self.kb.version,
            profile_summary=render(summary_msg, lang),
            profile_summary_code=code(summary_msg),
            options=options,
            tests_recommended=tests,
            warnings=warning_lines,
            disclaimer=t("disclaimer", lang),
            language=lang,
            excluded=excluded,
            facts=summary.facts_out(run, self.kb),
            unused_inputs=unused.collect(prof, case, self._comorbidity_words, unknown or []),
            groups=grouping.group_labels({o.group for o in options}, lang),
            warning_codes=codes(warnings),
        )


def _excluded(run: Run, option_regs: set[str]) -> tuple[list[Excluded], dict[str, Candidate]]:
    """One entry per excluded regimen that is not among the options, with every reason."""
    lang = run.case.lang
    excluded_by_reg: dict[str, Candidate] = {}
    reasons: dict[str, list[Msg]] = {}
    evids: dict[str, list[str]] = {}
    for c in run.excluded:
        rid = c.reg.regimen.id
        if rid in option_regs:
            continue
        excluded_by_reg.setdefault(rid, c)
        for r in c.exclusions:
            if r not in reasons.setdefault(rid, []):
                reasons[rid].append(r)
        if c.ev.id not in evids.setdefault(rid, []):
            evids[rid].append(c.ev.id)
    excluded = []
    for rid in sorted(excluded_by_reg):
        lines, kept = render_unique(reasons[rid], lang)
        excluded.append(
            Excluded(
                regimen=rid,
                title=text(excluded_by_reg[rid].reg.regimen.name, lang),
                reasons=lines,
                evidence=sorted(evids[rid]),
                reason_codes=codes(kept),
            )
        )
    return excluded, excluded_by_reg


def _warnings(
    run: Run,
    extra_warnings: list[Msg],
    options: list[Option],
    excluded: list[Excluded],
    excluded_by_reg: dict[str, Candidate],
) -> list[Msg]:
    """The answer's warnings, as messages (rendered, without repeats, by the caller)."""
    case = run.case
    warnings = list(extra_warnings) + list(case.warnings)
    for ex in excluded:
        c = excluded_by_reg[ex.regimen]
        if any(r in ("resistance.R1",) for r in c.trace):
            # the first reason of the regimen's first excluded item (ex.reasons[0])
            warnings.append(msg("w_excluded", title=Txt.of(c.reg.regimen.name), reason=c.exclusions[0]))
    if case.ecog is not None and case.ecog >= 3:
        warnings.append(msg("w_poor_ps", ecog=case.ecog))
    if not options:
        warnings.append(msg("w_no_options"))
    return warnings


_DEFAULT: Engine | None = None
_LOCK = threading.Lock()


def default_engine(kb_path: str | Path | None = None) -> Engine:
    """The engine over the default knowledge base, loaded once (lazily)."""
    global _DEFAULT
    if kb_path is not None:
        from onconav.kbdata.loader import load_knowledge_base

        return Engine(load_knowledge_base(kb_path, strict=False))
    with _LOCK:
        if _DEFAULT is None:
            from onconav.kbdata.loader import DEFAULT_KB_PATH, load_knowledge_base

            _DEFAULT = Engine(load_knowledge_base(DEFAULT_KB_PATH, strict=False))
        return _DEFAULT


_BY_KB: dict[int, tuple[KnowledgeBase, Engine]] = {}


def recommend(profile: dict[str, Any] | Profile, kb: KnowledgeBase | None = None, lang: str = "en") -> Answer:
    """Module-level convenience: ``recommend(profile)`` with the default KB (loaded once), or
    with a given KB (its compiled Engine is cached while the KB object lives)."""
    if kb is None:
        return default_engine().recommend(profile, lang=lang)
    with _LOCK:
        hit = _BY_KB.get(id(kb))
        if hit is None or hit[0] is not kb:
            if len(_BY_KB) >= 4:
                _BY_KB.pop(next(iter(_BY_KB)))
            hit = (kb, Engine(kb))
            _BY_KB[id(kb)] = hit
    return hit[1].recommend(profile, lang=lang)
