"""The options pipeline (ENGINE.md steps 2-6): a sequence of steps over data, each leaving a trace.

    generate  -> candidates whose evidence predicates hold; pending items (unknown biomarker)
    resistance-> R1 removes, R2 demotes candidates the present biomarker works against
    failure   -> what already failed (same drug / class that fails together) is shown lower
    fitness   -> ECOG, intensity, age, organ function, Child-Pugh, tumour size
    merge     -> one option per regimen; the best evidence item decides
    rank      -> deterministic lexicographic key
    tests     -> tests that would decide pending items, most decision-changing first

Rule ids (the ``trace`` of each option) are the keys of :data:`RULES`; docs/engine.md explains
each one.
"""

# The steps live in their own modules; this module keeps the rule ids and re-exports the steps
# and their data under their historical names (``rules.generate``, ``rules.Candidate``...).
from onconav.engine.failure import _class_message, failed_class_tags, failure, poor_ps  # noqa: F401
from onconav.engine.fitness import Builtin, _fitness, _num, is_driver_targeted  # noqa: F401
from onconav.engine.generate import (  # noqa: F401
    _biomarkers,
    _conditional_allowed,
    _fit,
    _matches_prior,
    _place,
    _setting_and_line,
    _v2_filters,
    generate,
)
from onconav.engine.model import (  # noqa: F401
    ACCESS_ORDER,
    DRIVER_GENES,
    FAIL_TOGETHER,
    LEVEL_RANK,
    LINE_SETTINGS,
    LOCAL_UNRESECTED_SETTINGS,
    PRIMARY_SETTINGS,
    SUPPORTIVE_MODALITIES,
    Candidate,
    Pending,
    RegimenInfo,
    Run,
    compile_regimen,
    text,
)
from onconav.engine.ranking import (  # noqa: F401
    CSCO_RANK,
    NCCN_RANK,
    _beats,
    best_hr,
    china_access,
    cost_rank,
    evidence_key,
    item_key,
    matched,
    matched_standard,
    merge,
    preference_rank,
    rank,
    rank_key,
    route_rank,
    supersede,
)
from onconav.engine.resistance import _hits, _variant_of, resistance  # noqa: F401

RULES: dict[str, str] = {
    "cancer.lineage": "the item is written for the patient's cancer or an ancestor (LUAD -> NSCLC -> LUNG -> SOLID)",
    "cancer.agnostic": "tumour-agnostic item written for SOLID/HEME applies as written",
    "stage.group": "the item's stage groups include the patient's",
    "setting.adjuvant_needs_resection": "adjuvant items need a resected primary",
    "setting.local_needs_unresected": "definitive / neoadjuvant / perioperative items need an unresected primary",
    "setting.line": "first_line needs no prior line for advanced disease; later_line needs line >= 2",
    "setting.fit": "the item's setting is the primary one for the patient's situation",
    "setting.other": "the item holds, in a related setting",
    "setting.early_after_failure": "early disease after failure of its local standard: a later-line item written for that failure is primary",
    "setting.consolidation": "consolidation follows chemoradiation",
    "setting.maintenance": "maintenance follows a treatment that worked (response or no progression)",
    "setting.later_line_on_progression": "while the last treatment is working, later-line options are for progression",
    "prior.after_failure_of": "the item needs a failed prior drug or class",
    "prior.after_intolerance_of": "the item needs a failed prior drug or class, or one stopped for intolerance (Evidence.intolerance_counts, as the label says: 'resistance or intolerance')",
    "prior.after_failure_unread": "the item needs a failed prior drug or class, and a failed prior line could not be read at all (its drugs unknown): shown lower with a caution asking for the drugs, not hidden",
    "prior.not_after": "the item is excluded after a drug or class already received",
    "operability.requires_inoperable": "the item is for patients judged inoperable",
    "operability.surgery": "surgery needs an operable, resectable patient",
    "biomarker.present": "required biomarkers are present",
    "biomarker.any": "at least one of the biomarkers is present",
    "biomarker.absent": "biomarkers that must be negative are known negative",
    "biomarker.threshold": "measured biomarker thresholds hold",
    "biomarker.pending": "the item would hold if an unknown biomarker were known: a test is recommended",
    "line.maintenance_failure": "progression on the maintenance of a line ends the whole line: the drugs of its induction count as failed (after_failure_of platinum holds after carboplatin-pemetrexed-pembrolizumab then pemetrexed-pembrolizumab maintenance); re-use still follows the late-relapse window",
    "condition.awaiting_test": "standard care (level 1, written for this setting and line) that waits on an untested alteration no named test decides: the best item per deciding marker is shown as a conditional option, ranked after the options that do not wait on a positive result",
    "biomarker.origin_unknown": "the item is for a germline (or somatic) alteration whose origin is not given: conditional on the origin fact's test",
    "resistance.R1": "a present biomarker predicts resistance (standard evidence): option removed",
    "resistance.R2": "a present biomarker suggests resistance: option demoted",
    "failure.same_drug": "a drug of the option already failed: shown lower",
    "failure.own_drug_failed": "every drug of the option already failed: the item's 'after failure of <class>' does not exempt the option's own failed drug (cabozantinib 'after a VEGF TKI' after progression on cabozantinib)",
    "failure.same_class": "a drug of a class that fails together already failed: shown lower",
    "failure.no_rechallenge": "the drug was stopped for a toxicity after which its label says to discontinue it permanently (policy/fitness-builtin.yaml no_rechallenge): not offered again",
    "failure.intolerance_repeat": "every drug of the option was not tolerated before (or failed): group failed_before, not among the options for now",
    "failure.repeat": "every drug of the option already failed, itself or as a class that fails together: not an option for now (group failed_before, after clinical trials)",
    "failure.not_reoffered": "a failed drug of a class that is not re-offered (a CAR-T product, a second CD19 CAR-T): excluded",
    "failure.maintenance_refractory": "maintenance with drugs the disease is refractory to (progression on them, or within 60 days of the last dose): excluded",
    "failure.intolerance": "previous intolerance to a drug of the option",
    "failure.late_relapse": "a chemotherapy drug given with curative intent (adjuvant, definitive, chemoradiation) with relapse >= 6 months after its end: not counted as failed for re-use (cautioned)",
    "failure.rechallenge": "a re-challenge item (it names one of its own drugs or their classes in after_exposure_to) after a late relapse (>= 6 months after the end of those drugs): they are not shown lower as failed (cautioned)",
    "line.surgery_not_a_line": "an operation recorded as a prior therapy (setting surgery) is local treatment, not a line of systemic therapy for advanced disease",
    "line.intolerance_then_progression": "a line stopped for side effects whose record gives a later progression date counts as failed as well",
    "line.intolerance_not_a_line": "a line in which a drug was stopped for side effects and nothing progressed is chosen again without it (not counted as a line; not_after ignores drugs stopped for intolerance)",
    "line.locoregional_not_a_line": "a locoregional treatment recorded as a prior therapy (setting locoregional: TACE, ablation) is not a line of systemic therapy for advanced disease",
    "fitness.ecog": "ECOG above the item's limit excludes it",
    "fitness.ps_targeted_kept": "targeted therapy for a driver is kept in poor performance status",
    "fitness.ps_supportive_first": "ECOG 3-4: supportive and palliative care first",
    "fitness.very_high": "CAR-T / transplant need ECOG <= 1 (2 with caution)",
    "fitness.high_ecog2": "high-intensity treatment demoted for ECOG 2",
    "fitness.high_age75": "high-intensity treatment demoted from age 75",
    "fitness.crcl_cisplatin": "creatinine clearance < 45 mL/min with cisplatin: caution",
    "fitness.lvef": "LVEF < 50% with anti-HER2 antibodies or anthracyclines: caution",
    "fitness.child_pugh": "Child-Pugh class outside the item's list excludes it",
    "fitness.substitute": "the standard substitute for a regimen a fitness rule drops (knowledge/policy/fitness substitutes): 'in place of X' with the reason",
    "fitness.comorbidity_demote": "a comorbidity rule with action demote (policy/fitness-builtin.yaml): checkpoint inhibitors after a solid-organ transplant are shown lower",
    "fitness.comorbidity_exclude": "a comorbidity rule with action exclude (policy/fitness-builtin.yaml): a label contraindication, the option is not offered (talimogene laherparepvec in immunocompromised patients)",
    "failure.early_relapse_first_line": "an early relapse on or after curative-intent treatment (policy/relapse-windows.yaml, early_relapse_first_line): first-line options with the named drugs or classes are shown lower (HER2-positive breast cancer back soon after adjuvant trastuzumab emtansine: second-line therapy)",
    "failure.no_rechallenge_relative": "a no-re-challenge rule with action relative_contraindication (policy/fitness-builtin.yaml): after a cumulative toxicity (grade 3 taxane neuropathy) options with the drug or class rank after every option not contraindicated",
    "normalize.risk_score": "a biomarker entry named as a risk score or index the facts read ({name: Ki-67, value: 15%}) is read as cancer.risk_groups.<name> when risk_groups does not give it",
    "stage.resected_from_surgery": "cancer.resected not given, an operation on record (not a biopsy), nothing failed and the stage is not advanced: the tumour is taken as operated on (warning w_resected_from_surgery)",
    "fitness.relative_contraindication": "a comorbidity rule with action relative_contraindication (policy/fitness-builtin.yaml): checkpoint inhibitors after a solid-organ transplant rank after every option not contraindicated, conditional ones included",
    "fitness.comorbidity": "a serious comorbidity gives a caution (intensive treatment, immunotherapy, HBV reactivation)",
    "fitness.tumor_size": "tumour size / count limits",
    "merge.regimen": "several evidence items for one regimen are merged; the best decides",
    "rank.superseded": "a single-drug option beaten head-to-head by another option of the same level is listed after it",
    "rank.beaten": "the item records a randomised trial it lost to a regimen on offer now (Evidence.superseded_by): ranked after every option not beaten so, whatever its level",
    "rank.trial_before_repeat": "the clinical trial referral is listed before the options that repeat a failed treatment (they keep their place before other supportive care)",
    "rank.key": "rank = (setting fit, repeats a failed treatment, condition, fitness tier, biomarker-matched with level 1-2 evidence, level, match specificity (genes matched), preference, superseded, China access, NRDL, route, cost vs budget, regimen id)",
}
