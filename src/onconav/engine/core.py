"""The :class:`Engine`: compile a knowledge base once, answer profiles fast and deterministically."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from onconav.engine import (
    conditions,
    fact_tests,
    facts,
    grouping,
    relapse,
    rules,
    sequencing,
    situational,
    substitutes,
    unused,
)
from onconav.engine.answer import Answer, China, Excluded, FactOut, Option, OutcomeOut, TestRecommended
from onconav.engine.facts import FactBook
from onconav.engine.messages import localise_endpoint, localise_value, normalize_lang, t
from onconav.engine.normalize import Case, Vocabulary, drug_label, normalize
from onconav.engine.profile import Profile, parse_profile, unknown_fields
from onconav.engine.rules import (
    DRIVER_GENES,
    LEVEL_RANK,
    Candidate,
    RegimenInfo,
    Run,
    china_access,
    text,
)
from onconav.kbdata.loader import KnowledgeBase
from onconav.kbdata.schema import Evidence, Level

GENE_DISPLAY = {"ERBB2": "HER2 (ERBB2)", "CD274": "PD-L1", "NTRK": "NTRK1/2/3", "BRCA": "BRCA1/2"}
RESISTANCE_LEVELS = (Level.R1, Level.R2)


class Engine:
    """Treatment-options engine over one knowledge base. Thread-safe after construction."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.vocab = Vocabulary.compile(kb)
        self._comorbidity_words = unused.words_pattern(unused.comorbidity_words(kb.policy))
        self.regimens: dict[str, RegimenInfo] = {
            r.id: rules.compile_regimen(kb, self.vocab, r) for r in kb.regimens
        }
        by_cancer: dict[str, list[Evidence]] = {}
        res_by_cancer: dict[str, list[Evidence]] = {}
        for ev in sorted(kb.evidence, key=lambda e: e.id):
            target = res_by_cancer if ev.level in RESISTANCE_LEVELS else by_cancer
            target.setdefault(ev.cancer, []).append(ev)
        self._by_cancer = by_cancer
        self._res_by_cancer = res_by_cancer
        self._items_cache: dict[str, tuple[list[Evidence], list[Evidence]]] = {}
        for code in kb.cancer_by_code:
            lineage = kb.lineage(code)
            items = [ev for node in lineage for ev in by_cancer.get(node, [])]
            r_items = [ev for node in lineage for ev in res_by_cancer.get(node, [])]
            self._items_cache[code] = (items, r_items)

    # -- public --------------------------------------------------------------------------

    def recommend(self, profile: dict[str, Any] | Profile, lang: str = "en") -> Answer:
        """The ranked options for ``profile``. Raises ProfileError for an invalid profile."""
        lang = normalize_lang(lang)
        prof = parse_profile(profile)
        prof, relapsed = relapse.infer(prof, self.vocab)
        case = normalize(self.vocab, self.kb, prof, lang)
        unknown = unknown_fields(prof)
        extra_warnings = [t("w_unknown_field", lang, field=f) for f in unknown]
        if relapsed:
            extra_warnings.append(t("w_relapse_inferred", lang))
        items, r_items = self._items_cache.get(case.code, ([], []))
        run = Run(case=case)
        run.facts = FactBook(self.kb.policy, facts.view(self.vocab, prof, case), case, case.origins)
        run.fitness_rules = self.kb.policy.fitness
        run.classes = self.kb.policy.class_by_tag
        named = situational.applicable(run, self.kb)
        run.named_markers = situational.decided_markers(named, self.vocab)
        # the pipeline
        rules.generate(run, items, self.regimens)
        rules.resistance(run, r_items, self.vocab)
        rules.failure(run, self.vocab)
        rules.poor_ps(run)
        sequencing.apply(run, self.kb.policy.sequencing)
        substitutes.apply(run, self.kb.policy.fitness, items, self.regimens)
        conditions.likelihood(run, self.kb, self.vocab)
        rules.merge(run)
        rules.rank(run)
        return self._answer(prof, run, extra_warnings, named, unknown)

    # -- answer building -----------------------------------------------------------------

    def _answer(
        self,
        prof: Profile,
        run: Run,
        extra_warnings: list[str],
        named: list[Any] | None = None,
        unknown: list[str] | None = None,
    ) -> Answer:
        case = run.case
        lang = case.lang
        placements = grouping.place(run, lang)
        options = [self._option(i + 1, c, case, placements[i]) for i, c in enumerate(run.options)]
        option_regs = {o.regimen for o in options}
        excluded_by_reg: dict[str, Candidate] = {}
        reasons: dict[str, list[str]] = {}
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
        excluded = [
            Excluded(
                regimen=rid,
                title=text(excluded_by_reg[rid].reg.regimen.name, lang),
                reasons=reasons[rid],
                evidence=sorted(evids[rid]),
            )
            for rid in sorted(excluded_by_reg)
        ]
        warnings = list(extra_warnings) + list(case.warnings)
        for ex in excluded:
            c = excluded_by_reg[ex.regimen]
            if any(r in ("resistance.R1",) for r in c.trace):
                warnings.append(t("w_excluded", lang, title=ex.title, reason=ex.reasons[0]))
        if case.ecog is not None and case.ecog >= 3:
            warnings.append(t("w_poor_ps", lang, ecog=case.ecog))
        if not options:
            warnings.append(t("w_no_options", lang))
        tests, waiting = self._tests(run)
        first = situational.recommended(named or [], run, self.vocab)
        names = {x.test for x in first}
        first += [x for x in fact_tests.recommended(run, self.kb) if x.test not in names]
        names = {x.test for x in first}
        covered = {b for x in first for b in x.biomarkers}  # a named test already decides them
        tests = first + [
            x for x in tests if x.test not in names and not (x.biomarkers and set(x.biomarkers) <= covered)
        ]
        waiting = (waiting - option_regs) | {o.regimen for o in options if o.condition is not None}
        if waiting and tests:
            warnings.append(t("w_pending", lang, count=len(waiting)))
        seen: set[str] = set()
        warnings = [w for w in warnings if not (w in seen or seen.add(w))]  # type: ignore[func-returns-value]
        return Answer(
            knowledge_base_version=self.kb.version,
            profile_summary=self._summary(prof, case),
            options=options,
            tests_recommended=tests,
            warnings=warnings,
            disclaimer=t("disclaimer", lang),
            language=lang,
            excluded=excluded,
            facts=self._facts_out(run),
            unused_inputs=unused.collect(prof, case, self._comorbidity_words, unknown or []),
            groups=grouping.group_labels({o.group for o in options}, lang),
        )

    def _setting_label(self, ev: Evidence, case: Case) -> str:
        lang = case.lang
        key = f"s_{ev.setting}"
        setting = t(key, lang, line=case.line) if ev.setting == "later_line" else t(key, lang)
        if case.stage:
            return t("setting_with_stage", lang, setting=setting, stage=case.stage)
        groups = [
            g
            for g in ("early", "locally_advanced", "advanced")
            if g in ev.stage_groups and g in case.stage_groups
        ]
        if not groups:
            return setting
        return t(
            "setting_with_group",
            lang,
            setting=setting,
            group=t("list_sep", lang).join(t(f"g_{g}", lang) for g in groups),
        )

    def _marker_name(self, bid: str, lang: str) -> str:
        b = self.vocab.biomarker.get(bid)
        return text(b.name, lang) if b else bid

    def _facts_out(self, run: Run) -> list[FactOut]:
        """The patient facts the evidence items of this answer asked about."""
        if run.facts is None:
            return []
        out = []
        for fid in sorted(run.facts.values):
            fact = self.kb.policy.fact_by_id.get(fid)
            if fact is None:
                continue
            fv = run.facts.values[fid]
            out.append(
                FactOut(id=fid, label=text(fact.label, run.case.lang), value=fv.value, derived=fv.derived)
            )
        return out

    def _option(self, rank: int, c: Candidate, case: Case, placement: grouping.Placement) -> Option:
        lang = case.lang
        ev, reg = c.ev, c.reg
        kb = self.kb
        access, _, nmpa, nrdl = china_access(c)
        level = ev.level.value
        rationale: list[str] = []
        summary = text(ev.summary, lang)
        if summary:
            rationale.append(summary)
        for bid in ev.biomarkers:
            if case.state(bid) is True:
                rationale.append(t("r_marker_present", lang, marker=self._marker_name(bid, lang)))
        for bid in ev.biomarkers_any:
            if case.state(bid):
                rationale.append(t("r_marker_present", lang, marker=self._marker_name(bid, lang)))
        for bid in ev.biomarkers_absent:
            if case.state(bid) is False:
                rationale.append(t("r_marker_absent", lang, marker=self._marker_name(bid, lang)))
        for th in ev.thresholds:
            rng = case.numeric.get(th.marker)
            patient = case.labels.get(th.marker, "") if rng else ""
            rationale.append(
                t(
                    "r_threshold",
                    lang,
                    marker=self._marker_name(th.marker, lang),
                    op=th.op,
                    value=f"{th.value:g}",
                    patient=patient,
                )
            )
        cancer = kb.cancer_by_code.get(ev.cancer)
        if cancer is not None and cancer.parent is None:
            rationale.append(t("r_agnostic", lang, root=text(cancer.name, lang)))
        elif cancer is not None:
            name = t("ps_cancer", lang, name=text(cancer.name, lang), code=cancer.oncotree_code)
            rationale.append(t("r_written_for", lang, cancer=name))
        if ev.after_failure_of:
            tokens = set(ev.after_failure_of)
            failed = sorted(
                d for d in case.failed if d in tokens or self.vocab.drug_tags.get(d, frozenset()) & tokens
            )
            labels = [drug_label(self.vocab, d, lang) for d in failed]
            what = t("list_sep", lang).join(labels or [tok.replace("_", " ") for tok in ev.after_failure_of])
            rationale.append(t("r_after_failure", lang, what=what))
        setting_label = self._setting_label(ev, case)
        if c.fit == 2:
            rationale.append(t("r_setting_support", lang))
        elif c.fit == 0:
            rationale.append(t("r_setting_fit", lang, setting=setting_label))
        else:
            rationale.append(t("r_setting_other", lang, setting=setting_label))
        if (
            "fitness.ps_supportive_first" in c.trace
            and reg.regimen.modality.value in rules.SUPPORTIVE_MODALITIES
        ):
            rationale.append(t("r_ps_first", lang, ecog=case.ecog))
        if level in LEVEL_RANK:
            rationale.append(t("r_level", lang, level=level, meaning=t(f"level_{level}", lang)))
        hr = rules.best_hr(ev)
        if hr is not None:
            o = next(o for o in ev.outcomes if o.hazard_ratio is not None)
            trial = f", {ev.trial}" if ev.trial else ""
            endpoint = (lang == "zh-hans" and o.endpoint_zh) or localise_endpoint(o.endpoint, lang)
            rationale.append(t("r_benefit", lang, hr=f"{hr:g}", endpoint=endpoint, trial=trial))
        else:
            rationale.append(t("r_benefit_none", lang))
        rationale.append(t("r_access", lang, access=t(f"access_{access}", lang)))
        if reg.regimen.drugs:
            rationale.append(
                t("r_nrdl_yes" if nrdl is True else "r_nrdl_no" if nrdl is False else "r_nrdl_unknown", lang)
            )
        if case.budget_usd is not None and reg.cost_month is not None:
            over = reg.cost_month * 12 > case.budget_usd
            rationale.append(t("r_cost_over" if over else "r_cost_within", lang, cost=reg.cost_month))
        rationale.extend(c.notes)
        for d in c.demotions:
            rationale.append(t("r_demoted", lang, reason=d))
        if len(c.merged) > 1:
            rationale.append(t("r_merged", lang, count=len(c.merged)))
        outcomes: list[OutcomeOut] = []
        references: list[str] = []
        for item in c.merged or [ev]:
            for o in item.outcomes:
                zh = lang == "zh-hans"
                # the KB's curated Chinese (endpoint_zh, value_zh, comparator_zh) first; else the
                # English with the common endpoint names and units put into Chinese
                out = OutcomeOut(
                    endpoint=(zh and o.endpoint_zh) or localise_endpoint(o.endpoint, lang),
                    value=(zh and o.value_zh) or localise_value(o.value, lang),
                    trial=item.trial,
                    reference=o.reference,
                    comparator=(zh and o.comparator_zh) or o.comparator,
                    hazard_ratio=o.hazard_ratio,
                )
                if out not in outcomes:
                    outcomes.append(out)
            for r in item.references:
                if r not in references:
                    references.append(r)
        cautions = list(c.cautions)
        if (
            case.budget_usd is not None
            and reg.cost_month is not None
            and reg.cost_month * 12 > case.budget_usd
        ):
            cautions.append(t("c_budget", lang))
        modality = reg.regimen.modality.value
        if modality == "clinical_trial" or access == "trial_only":
            badge = "clinical_trial_only"
        elif modality in rules.SUPPORTIVE_MODALITIES:
            badge = "supportive_care"
        elif level in ("1", "2"):
            badge = "standard_of_care"
        elif access == "approved":
            badge = "approved_in_china"
        else:
            badge = "investigational"
        trace: list[str] = []
        for r in c.trace:
            if r not in trace:
                trace.append(r)
        return Option(
            rank=rank,
            title=text(reg.regimen.name, lang),
            modality=modality,
            drugs=list(reg.regimen.drugs),
            setting=setting_label,
            evidence_level=level,
            rationale=rationale,
            outcomes=outcomes,
            cautions=cautions,
            china=China(
                nmpa_approved=nmpa,
                nrdl_reimbursed=nrdl,
                approx_cost_usd_per_month=reg.cost_month,
                access=access,
                boao_only=access == "boao_only",
            ),
            references=references,
            regimen=reg.regimen.id,
            evidence=[e.id for e in (c.merged or [ev])],
            trace=trace,
            badge=badge,
            summary=summary,
            guideline=ev.guideline,
            drug_names=[drug_label(self.vocab, d, lang) for d in reg.regimen.drugs],
            group=placement.group,
            condition=conditions.condition_of(c, kb, self.vocab, lang),
            rank_reasons=placement.reasons,
            tie_with=placement.tie_with,
            preference=placement.preference,
        )

    def _tests(self, run: Run) -> tuple[list[TestRecommended], set[str]]:
        """The tests recommended, and the regimens that wait on them."""
        case, vocab, lang = run.case, self.vocab, run.case.lang
        present_driver_genes = {
            vocab.gene_of[b]
            for b in case.present
            if b in vocab.biomarker
            and vocab.biomarker[b].kind in ("mutation", "fusion", "amplification", "deletion")
            and not vocab.biomarker[b].resistance
        }
        groups: dict[str, dict[str, Any]] = {}
        waiting: set[str] = set()

        def add(
            key: str, bid: str, level_rank: int, regimen: str, reason_kind: str, agnostic: bool = False
        ) -> None:
            g = groups.setdefault(
                key, {"ids": set(), "rank": 99, "regimens": {}, "kind": reason_kind, "agnostic": True}
            )
            if not agnostic:
                g["agnostic"] = False
            g["ids"].add(bid)
            if level_rank < g["rank"]:
                g["rank"] = level_rank
            g["regimens"].setdefault(regimen, level_rank)
            g["regimens"][regimen] = min(level_rank, g["regimens"][regimen])
            if reason_kind == "unlock":
                g["kind"] = "unlock"

        def key_of(bid: str) -> str:
            b = vocab.biomarker.get(bid)
            if b is not None and b.value_type == "numeric":
                return bid
            return vocab.gene_of.get(bid, bid.split(":", 1)[0])

        for p in run.pending:
            post_failure = bool(p.ev.after_failure_of)
            lr = LEVEL_RANK.get(p.ev.level.value, 9)
            if lr > LEVEL_RANK["3A"]:
                # A test is recommended only when it could open an option with clinical evidence
                # (levels 1-3A): biological or other-cancer evidence alone is no reason to test
                # (e.g. HGF expression, which is not a clinical test).
                continue
            for bid in p.unknown:
                b = vocab.biomarker.get(bid)
                gene = vocab.gene_of.get(bid, bid.split(":", 1)[0])
                if p.roles.get(bid) == "present" and not post_failure and (b is None or not b.resistance):
                    if gene in present_driver_genes:
                        continue
                    if gene in DRIVER_GENES and present_driver_genes & DRIVER_GENES:
                        continue
                agnostic = (
                    self.kb.cancer_by_code[p.ev.cancer].parent is None
                    if p.ev.cancer in self.kb.cancer_by_code
                    else False
                )
                add(key_of(bid), bid, lr, p.reg.regimen.id, "unlock", agnostic)
                waiting.add(p.reg.regimen.id)
        for ev, unknown in run.resistance_pending:
            hit = [c for c in run.candidates if rules._hits(c, ev.resists)]
            if not hit:
                continue
            best = min(hit, key=lambda c: LEVEL_RANK.get(c.ev.level.value, 9))
            for bid in unknown:
                add(
                    key_of(bid),
                    bid,
                    LEVEL_RANK.get(best.ev.level.value, 9),
                    best.reg.regimen.id,
                    "resistance",
                )

        def example(g: dict[str, Any]) -> tuple[str, str]:
            rid = min(g["regimens"], key=lambda r: (g["regimens"][r], r))
            reg = self.regimens[rid].regimen
            lvl = {v: k for k, v in LEVEL_RANK.items()}.get(g["regimens"][rid], "?")
            return text(reg.name, lang), lvl

        tests: list[tuple[tuple[Any, ...], TestRecommended]] = []
        driver_keys = sorted(k for k in groups if k in DRIVER_GENES)
        ngs = (
            "NSCLC" in case.lineage
            and case.code != "LUSC"
            and "advanced" in case.stage_groups
            and len(driver_keys) >= 2
        )
        if ngs:
            ids: set[str] = set()
            regs: dict[str, int] = {}
            rank = 99
            agn = True
            # NGS panels also report tumour mutational burden and microsatellite status.
            panel_keys = driver_keys + sorted(k for k in groups if k.split(":", 1)[0] in ("TMB", "MSI"))
            for k in panel_keys:
                g = groups.pop(k)
                agn = agn and g["agnostic"]
                ids |= g["ids"]
                rank = min(rank, g["rank"])
                for r, lr in g["regimens"].items():
                    regs[r] = min(lr, regs.get(r, 99))
            tests.append(
                (
                    (1, int(agn), rank, -len(regs), "ngs"),
                    TestRecommended(
                        test=t("t_ngs", lang),
                        reason=t(
                            "t_ngs_reason",
                            lang,
                            markers=", ".join(GENE_DISPLAY.get(k, k.split(":", 1)[0]) for k in panel_keys),
                            count=len(regs),
                        ),
                        biomarkers=sorted(ids),
                    ),
                )
            )
        for key in sorted(groups):
            g = groups[key]
            b = vocab.biomarker.get(key)
            marker = text(b.name, lang) if b is not None else GENE_DISPLAY.get(key, key)
            title, lvl = example(g)
            if g["kind"] == "unlock":
                reason = t("t_reason_unlocks", lang, count=len(g["regimens"]), example=title, level=lvl)
            else:
                reason = t("t_reason_resistance", lang, example=title)
            tests.append(
                (
                    (1, int(g["agnostic"]), g["rank"], -len(g["regimens"]), key),
                    TestRecommended(
                        test=t("t_biomarker", lang, marker=marker),
                        reason=reason,
                        biomarkers=sorted(g["ids"]),
                    ),
                )
            )
        if not case.stage_known:
            tests.append(
                (
                    (0, 0, 0, 0, "staging"),
                    TestRecommended(test=t("t_staging", lang), reason=t("t_staging_reason", lang)),
                )
            )
        if run.need_child_pugh:
            classes = "/".join(sorted(run.need_child_pugh))
            tests.append(
                (
                    (0, 0, 1, 0, "child_pugh"),
                    TestRecommended(
                        test=t("t_child_pugh", lang), reason=t("t_child_pugh_reason", lang, classes=classes)
                    ),
                )
            )
        return [tr for _, tr in sorted(tests, key=lambda x: x[0])], waiting

    def _summary(self, prof: Profile, case: Case) -> str:
        lang = case.lang
        sep = t("list_sep", lang)
        parts: list[str] = []
        first: list[str] = []
        if prof.age is not None:
            first.append(t("ps_age", lang, age=f"{prof.age:g}"))
        if prof.sex is not None:
            first.append(t(f"ps_sex_{prof.sex.value}", lang))
        if first:
            parts.append(sep.join(first))
        cancer = self.kb.cancer_by_code[case.code]
        parts.append(t("ps_cancer", lang, name=text(cancer.name, lang), code=case.code))
        groups = sep.join(
            t(f"g_{g}", lang) for g in ("early", "locally_advanced", "advanced") if g in case.stage_groups
        )
        if case.stage and case.stage_known:
            parts.append(t("ps_stage", lang, stage=case.stage, group=groups))
        elif case.stage_known:
            parts.append(t("ps_stage_groups", lang, groups=groups))
        else:
            parts.append(t("ps_stage_unknown", lang))
        if case.resected:
            parts.append(t("ps_resected", lang))
        if case.operable is False:
            parts.append(t("ps_inoperable", lang))
        if prof.ecog is not None:
            parts.append(t("ps_ecog", lang, ecog=prof.ecog))
        if prof.child_pugh is not None:
            parts.append(t("ps_child_pugh", lang, cp=prof.child_pugh.value))
        if prof.biomarkers:
            parts.append(t("ps_biomarkers", lang, items=sep.join(e.label() for e in prof.biomarkers)))
        if case.advanced_lines:
            drugs = sep.join(drug_label(self.vocab, d, lang) for d in sorted(case.received))
            parts.append(t("ps_prior", lang, lines=case.advanced_lines, drugs=drugs, next=case.line))
        elif "advanced" in case.stage_groups and case.stage_known:
            parts.append(t("ps_no_prior", lang))
        if case.failed:
            parts.append(
                t(
                    "ps_failed",
                    lang,
                    drugs=sep.join(drug_label(self.vocab, d, lang) for d in sorted(case.failed)),
                )
            )
        return t("part_sep", lang).join(parts)


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
