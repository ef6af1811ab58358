"""Pipeline steps: failure (what already failed is shown lower) and poor performance status
(supportive and palliative care first in ECOG 3-4)."""

from __future__ import annotations

import re

from onconav.engine.model import FAIL_TOGETHER, SUPPORTIVE_MODALITIES, Candidate, Run
from onconav.engine.msg import Join, Msg, Txt, kb_text, msg
from onconav.engine.normalize import Vocabulary
from onconav.engine.stage_priors import relapse_window
from onconav.kbdata.policy_builtin import NoRechallengeRule


def failed_class_tags(run: Run) -> dict[str, str]:
    """Class tags that count as failed (tag -> the failed tag it comes from): the failed drugs'
    tags whose class fails together (knowledge/policy/classes), and the tags they fail with."""
    classes = run.classes
    out: dict[str, str] = {}
    for tag in sorted(run.case.failed_reuse_tags):
        cls = classes.get(tag)
        if cls is None:
            if not classes and tag in FAIL_TOGETHER:  # no policy loaded (fixture KBs)
                out.setdefault(tag, tag)
            continue
        if cls.fails_together:
            out.setdefault(tag, tag)
        for other in cls.fails_with:
            out.setdefault(other, tag)
    return out


def early_relapse_first_line(run: Run, vocab: Vocabulary) -> None:
    """First-line options shown lower after an early relapse on curative-intent treatment
    (knowledge/policy/relapse-windows.yaml, ``early_relapse_first_line``): HER2-positive breast
    cancer back within the window of adjuvant trastuzumab emtansine is treated as second line
    (trastuzumab deruxtecan), not with first-line trastuzumab + pertuzumab + taxane, whose trial
    excluded such patients. Rule ``failure.early_relapse_first_line``."""
    case = run.case
    if not vocab.early_relapse_rules or not case.curative_failed:
        return
    lineage = set(case.lineage)
    failed = case.curative_failed | case.curative_failed_tags
    for cancer, drugs, lower in vocab.early_relapse_rules:
        if cancer not in lineage or not drugs & failed:
            continue
        on = sorted(d for d in case.curative_failed if ({d} | vocab.drug_tags.get(d, frozenset())) & drugs)
        names = Join(tuple(Txt.drug(vocab.drug_zh, d) for d in on))
        months = _window(run, vocab, set(on))
        for c in run.candidates:
            if c.ev.setting != "first_line" or not (set(c.reg.regimen.drugs) | c.reg.tags) & lower:
                continue
            c.demote(
                1,
                msg("c_early_relapse_first_line", drugs=names, months=months),
                "failure.early_relapse_first_line",
            )


def failure(run: Run, vocab: Vocabulary) -> None:
    case = run.case
    early_relapse_first_line(run, vocab)
    if not (case.failed or case.intolerant):
        return
    failed_tags = failed_class_tags(run)
    no_rechallenge = _no_rechallenge(run, vocab)
    dropped: list[Candidate] = []
    failed = case.failed_reuse  # a late relapse after curative-intent treatment does not count
    for c in run.candidates:
        drugs = set(c.reg.regimen.drugs)
        exempt = set(c.ev.after_failure_of)
        for tok in c.ev.after_failure_of:  # a drug named in after_failure_of exempts its classes
            exempt |= vocab.drug_tags.get(tok, frozenset())
        # ... and a failed drug is exempt when the item names it or one of its classes
        # (tucatinib + trastuzumab + capecitabine "after anti-HER2 antibody", HER2CLIMB) - but
        # only when the regimen brings a drug that has not failed: cabozantinib "after a VEGF TKI"
        # after progression on cabozantinib is the failed drug again (failure.own_drug_failed).
        # A re-challenge item after a late relapse re-uses its failed drugs (failure.rechallenge).
        rechallenge = _rechallenged(c, drugs & failed, case.failed_early, vocab)
        if rechallenge:
            exempt |= rechallenge
            names = Join(tuple(Txt.drug(vocab.drug_zh, d) for d in sorted(rechallenge)))
            c.caution(msg("c_rechallenge_late_relapse", drugs=names, months=_window(run, vocab, rechallenge)))
            c.trace.append("failure.rechallenge")
        own = _nothing_new(drugs, failed - rechallenge, vocab) if not rechallenge else False
        same = sorted(
            d
            for d in drugs & failed
            if d not in rechallenge and not _exempt(d, c.ev.after_failure_of, exempt, own, vocab)
        )
        if own and same:
            c.trace.append("failure.own_drug_failed")
            exempt -= {t for d in same for t in vocab.drug_tags.get(d, frozenset())}
        if same:
            names = Join(tuple(Txt.drug(vocab.drug_zh, d) for d in same))
            c.demote(2, msg("c_failed_drug", drugs=names), "failure.same_drug")
        else:
            # an item written for after failure of a class is exempt for that class only
            shared = sorted((c.reg.tags & set(failed_tags)) - exempt)
            if shared:
                c.demote(
                    2, _class_message(run, vocab, shared[0], failed_tags[shared[0]]), "failure.same_class"
                )
        if c.tier >= 2 and (
            _repeats(drugs, failed, failed_tags, exempt, vocab)
            or _same_again(drugs, case.failed_early, exempt, vocab)
        ):
            c.repeats_failure = True
            c.trace.append("failure.repeat")
        bad = sorted(drugs & case.intolerant)
        if bad:
            names = Join(tuple(Txt.drug(vocab.drug_zh, d) for d in bad))
            c.demote(1, msg("c_intolerance", drugs=names), "failure.intolerance")
            active = {d for d in drugs if d not in vocab.failure_neutral}
            if active and active <= (case.intolerant | failed) and not c.repeats_failure:
                # nothing new besides what was not tolerated (or failed): not among the options for now
                c.repeats_failure = True
                c.trace.append("failure.intolerance_repeat")
        for rule, drug, what in no_rechallenge:
            if drug in drugs or (rule.class_tags and c.reg.tags & set(rule.class_tags)):
                name = Txt.drug(vocab.drug_zh, drug)
                if rule.action == "relative_contraindication":
                    reason = msg("c_no_rechallenge_relative", drugs=name, what=Join((what,)))
                    c.contraindicate(reason, "failure.no_rechallenge_relative")
                    continue
                c.exclude(msg("x_no_rechallenge", drugs=name, what=Join((what,))), "failure.no_rechallenge")
                dropped.append(c)
                break
        late = sorted(drugs & case.late_relapse)
        if late:
            names = Join(tuple(Txt.drug(vocab.drug_zh, d) for d in late))
            c.caution(msg("c_late_relapse_reuse", drugs=names, months=_window(run, vocab, set(late))))
            c.trace.append("failure.late_relapse")
    if dropped:  # not given again after a serious toxicity: answer.excluded
        run.excluded.extend(dropped)
        gone = {id(c) for c in dropped}
        run.candidates = [c for c in run.candidates if id(c) not in gone]


def _window(run: Run, vocab: Vocabulary, drugs: set[str]) -> int:
    """The late-relapse window (months) that applies to these drugs in this cancer
    (knowledge/policy/relapse-windows.yaml), as the caution states it."""
    return int(relapse_window(vocab, run.case, sorted(drugs)))


_GRADE = re.compile(r"(?:grade|gr\.?|g|ctcae)\s*([1-5])(?![0-9])|([1-5])\s*[级度]")


def _no_rechallenge(run: Run, vocab: Vocabulary) -> list[tuple[NoRechallengeRule, str, str]]:
    """(rule, drug, toxicity text) for each drug stopped for intolerance whose line's reason or a
    comorbidity names a toxicity of a no-re-challenge rule (knowledge/policy/fitness-builtin.yaml,
    ``no_rechallenge``): after it the label says to discontinue the drug permanently."""
    case = run.case
    rules = run.builtin.policy.no_rechallenge if run.builtin is not None else []
    out: list[tuple[NoRechallengeRule, str, str]] = []
    for drug in sorted(case.intolerant):
        tags = vocab.drug_tags.get(drug, frozenset())
        texts = [*case.intolerance_reasons.get(drug, []), *case.comorbidities]
        for rule in rules:
            if drug not in rule.drugs and not tags & set(rule.class_tags):
                continue
            hit = next((t for t in texts if _names_toxicity(rule, t)), None)
            if hit is not None:
                out.append((rule, drug, hit))
    return out


def _names_toxicity(rule: NoRechallengeRule, text: str) -> bool:
    low = text.lower()
    if not any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", low) for w in rule.keywords):
        return False
    if rule.min_grade is None:
        return True
    grades = [int(a or b) for a, b in _GRADE.findall(low)]
    return not grades or max(grades) >= rule.min_grade


def _rechallenged(c: Candidate, failed: set[str], early: set[str], vocab: Vocabulary) -> set[str]:
    """The failed drugs a re-challenge item may re-use: an item that names one of its own drugs
    (or their classes) in ``after_exposure_to`` is written for giving them again (platinum-etoposide
    for small cell lung cancer relapsing 6 months or more after it, carboplatin-paclitaxel for
    platinum-sensitive ovarian cancer); after a late relapse (not in ``case.failed_early``) none of
    the regimen's failed drugs is shown lower as failed (rule ``failure.rechallenge``)."""
    named = set(c.ev.after_exposure_to)
    if not failed or not named:
        return set()
    own = any(d in named or vocab.drug_tags.get(d, frozenset()) & named for d in c.reg.regimen.drugs)
    if not own:
        return set()
    return {d for d in failed if d not in early}


def _nothing_new(drugs: set[str], failed: frozenset[str] | set[str], vocab: Vocabulary) -> bool:
    """Every drug of the regimen (failure-neutral backbones aside) has already failed."""
    active = {d for d in drugs if d not in vocab.failure_neutral}
    return bool(active) and active <= failed


def _exempt(
    d: str, after: list[str] | tuple[str, ...], exempt: set[str], own: bool, vocab: Vocabulary
) -> bool:
    """A failed drug of the regimen that the item's ``after_failure_of`` allows again: named by its
    INN, or (when the regimen adds a drug that has not failed) by one of its classes."""
    if d in after:
        return True
    if own:
        return False
    return d in exempt or bool(vocab.drug_tags.get(d, frozenset()) & set(after))


def _same_again(drugs: set[str], early: set[str], exempt: set[str], vocab: Vocabulary) -> bool:
    """Every drug of the regimen (backbones aside) failed early: the same treatment again
    (FOLFIRI + bevacizumab after progressing on it). Not after a late relapse (re-challenge)."""
    active = {d for d in drugs if d not in vocab.failure_neutral}
    return bool(active) and active <= early and not (active & exempt)


def _repeats(
    drugs: set[str],
    failed: frozenset[str] | set[str],
    failed_tags: dict[str, str],
    exempt: set[str],
    vocab: Vocabulary,
) -> bool:
    """True when the regimen brings nothing new against a class that fails together: each of its
    drugs already failed or carries the tag of a class that fails together with a failed drug, and
    at least one carries such a tag (teclistamab, or elranatamab, after teclistamab;
    daratumumab-bortezomib-dexamethasone after daratumumab and bortezomib failed). Policy is the
    class's ``fails_together`` / ``fails_with`` (knowledge/policy/classes); failure-neutral drugs
    (dexamethasone, leucovorin) are left out of the count. A new drug added to a
    failed backbone (cabazitaxel + prednisone after docetaxel + prednisone) and re-use of drugs
    whose class does not fail together (platinum re-challenge in platinum-sensitive ovarian
    cancer) are not repeats. A drug or class the item names in ``after_failure_of`` counts as new."""
    if not drugs:
        return False
    hit = False
    for d in drugs:
        if d in vocab.failure_neutral:  # a backbone (dexamethasone) is neither new nor failed
            continue
        tags = vocab.drug_tags.get(d, frozenset())
        if d in exempt or tags & exempt:
            return False
        in_class = bool(tags & failed_tags.keys())
        if d not in failed and not in_class:
            return False
        hit = hit or in_class
    return hit


def not_reoffered(run: Run, vocab: Vocabulary) -> None:
    """A failed drug of a ``not_reoffered`` class (knowledge/policy/classes) is not offered again,
    nor, when the class fails together, any other member (a second CD19 CAR-T): the option moves to
    ``answer.excluded`` (rule ``failure.not_reoffered``)."""
    case = run.case
    stop: dict[str, list[str]] = {}  # class tag -> the failed drugs that carry it
    for d in sorted(case.failed):
        for tag in sorted(vocab.drug_tags.get(d, frozenset())):
            cls = run.classes.get(tag)
            if cls is not None and cls.not_reoffered:
                stop.setdefault(tag, []).append(d)
    if not stop:
        return
    keep = []
    for c in run.candidates:
        hit = _reoffer_hit(run, vocab, c, stop)
        if hit is None:
            keep.append(c)
            continue
        tag, drugs = hit
        cls = run.classes[tag]
        names = Join(tuple(Txt.drug(vocab.drug_zh, d) for d in drugs))
        why = kb_text(cls.why, f"class.{cls.tag}") if cls.why else Txt.of(cls.label)
        c.exclude(
            msg("x_not_reoffered", drugs=names, cls=Txt.of(cls.label), why=why), "failure.not_reoffered"
        )
        run.excluded.append(c)
    run.candidates = keep


def maintenance_refractory(run: Run, vocab: Vocabulary) -> None:
    """Maintenance is not offered again with drugs the disease is refractory to (progressed on
    them, maintenance included, or within 60 days of their last dose): rituximab maintenance after
    progression on rituximab maintenance, lenalidomide maintenance after progression on it. The
    option moves to ``answer.excluded`` (rule ``failure.maintenance_refractory``). An item written
    for use after that failure (``after_failure_of``) is exempt; backbones (failure-neutral
    drugs such as dexamethasone) do not count."""
    case = run.case
    if not case.refractory:
        return
    keep = []
    for c in run.candidates:
        drugs = {d for d in c.reg.regimen.drugs if d not in vocab.failure_neutral}
        exempt = set(c.ev.after_failure_of)
        if (
            c.ev.setting != "maintenance"
            or not drugs
            or not drugs <= case.refractory
            or drugs & exempt
            or any(vocab.drug_tags.get(d, frozenset()) & exempt for d in drugs)
        ):
            keep.append(c)
            continue
        names = Join(tuple(Txt.drug(vocab.drug_zh, d) for d in sorted(drugs)))
        c.exclude(msg("x_maintenance_refractory", drugs=names), "failure.maintenance_refractory")
        run.excluded.append(c)
    run.candidates = keep


def _reoffer_hit(
    run: Run, vocab: Vocabulary, c: Candidate, stop: dict[str, list[str]]
) -> tuple[str, list[str]] | None:
    exempt = set(c.ev.after_failure_of)
    drugs = set(c.reg.regimen.drugs)
    for tag, failed in stop.items():
        if tag in exempt:
            continue
        if run.classes[tag].fails_together:
            if tag in c.reg.tags:
                return tag, failed
        elif drugs & (set(failed) - exempt):
            return tag, sorted(drugs & set(failed))
    return None


def _class_message(run: Run, vocab: Vocabulary, tag: str, source: str) -> Msg:
    cls = run.classes.get(tag) or run.classes.get(source)
    if cls is None:
        return msg("c_failed_class", cls=tag.replace("_", " "))
    drugs = sorted(d for d in run.case.failed_reuse if source in vocab.drug_tags.get(d, frozenset()))
    label = Txt.of(cls.label)
    names = Join(tuple(Txt.drug(vocab.drug_zh, d) for d in drugs)) if drugs else label
    why = kb_text(cls.why, f"class.{cls.tag}") if cls.why else msg("c_failed_class", cls=label)
    return msg("c_class_failed", drugs=names, cls=label, why=why)


# --- step: poor performance status ---------------------------------------------------------------


def poor_ps(run: Run) -> None:
    case = run.case
    poor = run.builtin.policy.performance.poor_ecog if run.builtin is not None else None
    if case.ecog is None or poor is None or case.ecog < poor:
        return
    for c in run.candidates:
        if c.fit == 2 and (
            c.reg.regimen.modality.value in SUPPORTIVE_MODALITIES or c.ev.setting == "supportive"
        ):
            c.fit = 0
            c.trace.append("fitness.ps_supportive_first")
