"""Pydantic schemas of the curated knowledge base (``knowledge/*.yaml``).

This module is pure Python (no Django): the options engine, the ``kb-check`` validator
and the Django loader all read the knowledge base through these models.

Conventions (see docs/knowledge-base.md):

* every record carries ``sources`` (at least one reference), a ``reviewed`` date and
  ``verified`` (false where a fact could not be checked against a source);
* user-facing text is bilingual: ``Text(en=..., zh=...)``, both required;
* references are prefixed strings: ``PMID:29151359``, ``DOI:10.1056/...``,
  ``URL:https://...``, ``LABEL:FDA Tagrisso 2024``, ``GUIDELINE:CSCO NSCLC 2024``,
  ``NOTICE:NMPA 2021-06-22 savolitinib``, ``NOTICE:NHSA NRDL 2023``.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

REFERENCE_RE = re.compile(
    r"^(PMID:\d{6,9}|DOI:10\.\d{4,9}/\S+|URL:https?://\S+|LABEL:.+|GUIDELINE:.+|NOTICE:.+|BOOK:.+)$"
)

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, pattern=REFERENCE_RE.pattern)]
Inn = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9 \-]*[a-z0-9]$")]
BiomarkerId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9\-]+:[A-Za-z0-9_\-\.>+]+$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A user-facing text in both languages."""

    en: NonEmpty
    zh: NonEmpty


class Modality(StrEnum):
    SURGERY = "surgery"
    RADIOTHERAPY = "radiotherapy"
    CHEMOTHERAPY = "chemotherapy"
    TARGETED_THERAPY = "targeted_therapy"
    IMMUNOTHERAPY = "immunotherapy"
    CELL_THERAPY = "cell_therapy"
    BISPECIFIC_ANTIBODY = "bispecific_antibody"
    CANCER_VACCINE = "cancer_vaccine"
    ABLATION = "ablation"
    INTERVENTIONAL = "interventional"
    SUPPORTIVE_CARE = "supportive_care"
    PALLIATIVE_CARE = "palliative_care"
    CLINICAL_TRIAL = "clinical_trial"


class Level(StrEnum):
    """OncoKB-style levels of evidence (see docs/knowledge-base.md for the mapping)."""

    L1 = "1"
    L2 = "2"
    L3A = "3A"
    L3B = "3B"
    L4 = "4"
    R1 = "R1"
    R2 = "R2"


class ChinaAccess(StrEnum):
    APPROVED = "approved"  # NMPA-approved for this indication
    APPROVED_OTHER = "approved_other_indication"
    BOAO_ONLY = "boao_only"  # only in the Hainan Boao Lecheng pilot zone
    TRIAL_ONLY = "trial_only"
    NOT_AVAILABLE = "not_available"
    UNKNOWN = "unknown"


class Cited(Strict):
    sources: list[Reference] = Field(min_length=1)
    reviewed: dt.date
    verified: bool = True
    notes: str | None = None


# --- modalities -------------------------------------------------------------------------


class Technique(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
    name: Text
    description: Text
    proven: bool = True  # False: marketed without evidence of benefit (e.g. DC-CIK)


class ModalityRecord(Cited):
    id: Modality
    name: Text
    description: Text
    used_when: Text
    risks: Text
    evidence_status: Text
    techniques: list[Technique] = []


# --- cancers ----------------------------------------------------------------------------


class Cancer(Cited):
    oncotree_code: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]
    parent: str | None = None  # OncoTree parent code (LUAD -> NSCLC -> LUNG)
    category: Literal["solid", "heme"]
    name: Text
    icd10: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]\d{2}(\.\d{1,2})?$")]] = Field(min_length=1)
    staging_system: NonEmpty  # "AJCC 8th", "BCLC", "Lugano", "R-ISS", "FIGO 2018" ...
    staging_system_zh: str | None = None  # the same in Chinese (kb-check requires it)
    # Stage strings (upper-case, as the profile may give them) -> disease setting group.
    # Groups: early | locally_advanced | advanced. The engine falls back to AJCC rules.
    stage_groups: dict[str, Literal["early", "locally_advanced", "advanced"]] = {}
    modalities: list[Modality] = []
    description: Text | None = None
    # OncoTree codes below this node that the KB does not hold as records of their own (IDC, ILC
    # under BRCA): a profile with one of them is read as this node and finds its evidence.
    child_codes: list[Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]] = []


# --- biomarkers -------------------------------------------------------------------------


class CodonRange(Strict):
    start: int = Field(ge=1)
    end: int = Field(ge=1)
    kind: Literal["del", "ins", "delins", "dup", "any"]


class Biomarker(Cited):
    id: BiomarkerId  # "EGFR:L858R", "EGFR:exon19del", "PD-L1:TPS", "MSI:high"
    gene: str | None = None  # HGNC symbol (ERBB2 for HER2)
    alteration: NonEmpty
    kind: Literal["mutation", "fusion", "amplification", "deletion", "expression", "signature", "group"]
    value_type: Literal["presence", "numeric", "category"] = "presence"
    unit: str | None = None  # for numeric markers: "%", "mut/Mb", "score"
    name: Text
    aliases: list[str] = []  # free-text spellings normalised to this id (case-insensitive)
    implies: list[BiomarkerId] = []  # group ids this one belongs to (EGFR:L858R -> EGFR:sensitizing)
    resistance: bool = False  # a resistance biomarker (T790M, C797S, MET amplification)
    resistance_to: list[str] = []  # drug class tags it confers resistance to
    description: Text | None = None
    # The test that decides this biomarker, named as a clinician orders it
    # ("T790M (tissue or plasma ctDNA)", "germline BRCA1/2 testing (blood or saliva)").
    test: Text | None = None
    # In-frame variants recognised by codon range (EGFR exon 19 deletions: 729-761, kind del).
    codon_ranges: list[CodonRange] = []
    # The name a condition uses ("If HER2 is negative"), where ``name`` already states the
    # positive result ("HER2-positive"); default: the name.
    condition_name: Text | None = None
    # Percentage of stained tumour cells at or above which a result counts as positive (ER/PR:
    # 1%, ASCO/CAP 2020), so that "ER 90%" is read; cited in the record's sources.
    positive_cutoff_percent: float | None = Field(default=None, ge=0, le=100)
    # IHC staining intensity (1 to 3, as in "2+") that the cells counted against
    # ``positive_cutoff_percent`` must reach (MAGE-A4: 2+ or more in 30% or more of tumour cells),
    # so that "IHC 2+ 60%" is read; a result with no intensity or no percentage stays unknown.
    positive_min_intensity: int | None = Field(default=None, ge=1, le=3)


# --- drugs ------------------------------------------------------------------------------


class Approval(Strict):
    agency: Literal["NMPA", "FDA", "EMA"]
    year: int | None = Field(default=None, ge=1950, le=2030)  # None: approval status unknown
    date: dt.date | None = None
    indication: NonEmpty
    indication_zh: str | None = None
    conditional: bool = False
    # The year an indication was withdrawn (accelerated approval not confirmed...): shown as
    # withdrawn, never as current.
    withdrawn: int | None = Field(default=None, ge=1950, le=2030)
    withdrawn_note: Text | None = None
    sources: list[Reference] = Field(min_length=1)
    verified: bool = True
    # When the year is unknown: the date it was searched for, and where (curator note).
    searched: dt.date | None = None


class Nrdl(Strict):
    """China National Reimbursement Drug List status. listed=None means unknown."""

    listed: bool | None
    since: int | None = Field(default=None, ge=2000, le=2030)
    indications: str | None = None
    indications_zh: str | None = None
    # Listed before and removed (year), e.g. not renewed at a negotiation round.
    removed: int | None = Field(default=None, ge=2000, le=2030)
    sources: list[Reference] = []
    verified: bool = True
    # Unknown status: the date it was searched for and what was searched (curator note).
    searched: dt.date | None = None
    search_note: str | None = None

    @model_validator(mode="after")
    def _cited_when_known(self) -> Nrdl:
        if self.listed is not None and not self.sources:
            raise ValueError("an NRDL status (listed true/false) needs sources; use listed: null if unknown")
        return self


class CostBand(Strict):
    usd_low: float = Field(ge=0)
    usd_high: float = Field(ge=0)
    per: Literal["month", "cycle", "course", "once"]
    basis: NonEmpty  # what the figure is: "NRDL negotiated price, 2024", "list price"
    sources: list[Reference] = Field(min_length=1)
    verified: bool = True


class Boao(Strict):
    """Access in the Hainan Boao Lecheng International Medical Tourism Pilot Zone (urgently
    needed imported drugs and devices used before NMPA approval)."""

    available: bool | None
    since: int | None = Field(default=None, ge=2013, le=2030)
    note: Text | None = None
    sources: list[Reference] = []
    verified: bool = True


class Drug(Cited):
    inn: Inn  # lowercase WHO INN: the key
    name_zh: NonEmpty
    brands: list[str] = []
    company: NonEmpty
    drug_class: NonEmpty  # human-readable: "EGFR TKI (third generation)"
    drug_class_zh: str | None = None  # the same in Chinese (kb-check requires it)
    class_tags: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]] = Field(min_length=1)
    targets: list[str] = []
    route: Literal["oral", "iv", "sc", "im", "intravesical", "intratumoral", "topical", "infusion"]
    modality: Modality
    aliases: list[str] = []  # other spellings, code names (AZD9291), seed misspellings
    approvals: list[Approval] = []
    nrdl: Nrdl
    china_access: ChinaAccess  # best access for any indication
    cost: CostBand | None = None
    summary: Text | None = None
    boao: Boao | None = None
    # No NMPA approval recorded (or its year unknown): when and what was searched (curator note).
    nmpa_searched: dt.date | None = None
    nmpa_search_note: str | None = None
    # Never approved anywhere (investigational agents the seeds name): what became of it.
    investigational: bool = False
    development_status: Text | None = None


# --- regimens ---------------------------------------------------------------------------


class Regimen(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-+]*$")]
    name: Text
    drugs: list[Inn] = []  # empty for surgery / radiotherapy / ablation / supportive care
    modality: Modality
    # low: oral targeted or hormone therapy, best supportive care; moderate: single-agent
    # chemo or immunotherapy, SBRT; high: combination chemo(-immunotherapy), major surgery,
    # chemoradiation; very_high: CAR-T, stem-cell transplant
    intensity: Literal["low", "moderate", "high", "very_high"]
    description: Text | None = None
    # Other names a patient or a record uses for it ("R-CHOP", "FOLFOX", "AC-T"): used to read
    # prior treatment and to find the regimen by name (cost estimator, search).
    aliases: list[str] = []


# --- evidence ---------------------------------------------------------------------------


class Outcome(Strict):
    endpoint: NonEmpty  # "median PFS", "median OS", "ORR", "2-year OS", "pCR", "HR for OS"
    value: NonEmpty  # "18.9 months", "58%", "not reached"
    comparator: str | None = None  # "10.2 months with gefitinib or erlotinib"
    hazard_ratio: float | None = Field(default=None, gt=0, lt=5)
    reference: Reference
    # Chinese versions of the text fields (kb-check requires them where the English has words
    # that the engine's endpoint vocabulary does not translate).
    endpoint_zh: str | None = None
    value_zh: str | None = None
    comparator_zh: str | None = None


class Threshold(Strict):
    marker: BiomarkerId  # "PD-L1:TPS"
    op: Literal[">=", ">", "<", "<=", "=="]
    value: float


Setting = Literal[
    "neoadjuvant",
    "perioperative",
    "definitive",  # curative local treatment: resection, SBRT, definitive chemoradiation
    "adjuvant",
    "consolidation",
    "first_line",  # first systemic treatment of advanced / metastatic disease
    "later_line",  # after progression on earlier systemic treatment
    "maintenance",
    "supportive",
    "any",
]
StageGroup = Literal["early", "locally_advanced", "advanced"]
FactId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class Preference(Strict):
    """Guideline preference of an evidence item, as the guideline states it for this setting.

    nccn: preferred | other_recommended | certain_circumstances ("useful in certain
    circumstances") | not_listed; csco: I | II | III (CSCO level of recommendation) | not_listed |
    unknown (the CSCO tier for this setting could not be confirmed: say what was searched in the
    item's notes; ranking counts it no better than not_listed, so an unconfirmed tier neither
    wins nor loses against one recorded as not listed).
    """

    nccn: Literal["preferred", "other_recommended", "certain_circumstances", "not_listed"]
    csco: Literal["I", "II", "III", "not_listed", "unknown"]
    esmo: str | None = None  # ESMO-MCBS / level as printed ("I, A"), optional
    sources: list[Reference] = []


class Supersession(Strict):
    """A randomised trial in which another regimen did better than this item's regimen
    (``Evidence.superseded_by``): where that regimen is on offer for now, this option ranks after
    every option that was not beaten so (docs/engine.md, "Ranking")."""

    regimen: str  # Regimen.id of the winner
    trial: NonEmpty  # "LIBRETTO-531"
    hazard_ratio: float = Field(gt=0, lt=1)  # primary endpoint, winner vs this regimen
    reference: Reference


class Evidence(Cited):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$")]
    regimen: str  # Regimen.id
    cancer: str  # OncoTree code; applies to the node and its descendants
    setting: Setting
    stage_groups: list[StageGroup] = Field(min_length=1)
    line_min: int = Field(default=1, ge=1)  # first-line: 1; "after one line": 2
    line_max: int | None = None
    # Biomarker predicates (BiomarkerId, group ids allowed):
    biomarkers: list[BiomarkerId] = []  # all must be present
    biomarkers_any: list[BiomarkerId] = []  # at least one present
    biomarkers_absent: list[BiomarkerId] = []  # must be known negative / wild-type
    thresholds: list[Threshold] = []
    # Randomised trials this regimen lost to another regimen (head-to-head), with their source.
    superseded_by: list[Supersession] = []
    # Prior-treatment predicates: drug INN or class tag, any-of. Failed = progression,
    # relapse or refractory on it.
    after_failure_of: list[str] = []
    not_after: list[str] = []  # excluded when already received (any outcome)
    # True: after resection only; False: unresected only; "any": after resection or biopsy
    # alike (glioblastoma radiotherapy); None: by setting (adjuvant resected, local unresected)
    requires_resected: bool | Literal["any"] | None = None
    requires_inoperable: bool | None = None
    # Prior-exposure predicate, all-of: each token (drug INN or class tag) received before, with
    # any outcome ("after a proteasome inhibitor, an IMiD and an anti-CD38 antibody").
    after_exposure_to: list[str] = []
    # False: the early failure of a curative-intent course never stands in for the line this
    # later-line item needs (setting.line_after_curative_failure), because its trial required the
    # line to be given for advanced disease (DESTINY-Breast06: endocrine therapy for metastatic disease).
    curative_failure_counts: bool = True
    # True: `after_failure_of` is also met by a drug stopped for intolerance, as the label or
    # guideline says ("resistance or intolerance to prior therapy including imatinib": dasatinib,
    # nilotinib, bosutinib in CML). The drug is still not counted as failed anywhere else.
    intolerance_counts: bool = False
    # Patient facts (knowledge/policy/facts/*.yaml): all of `requires` must hold, none of
    # `requires_not`. An unknown fact makes the option conditional on it (the fact's question).
    requires: list[FactId] = []
    requires_not: list[FactId] = []
    # The required biomarkers must be germline (OlympiA) or somatic; origin unknown makes the
    # option conditional on germline testing.
    biomarker_origin: Literal["germline", "somatic"] | None = None
    preference: Preference | None = None  # kb-check requires it
    ecog_max: int = Field(default=2, ge=0, le=4)
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    child_pugh: list[Literal["A", "B", "C"]] = []
    max_tumor_size_cm: float | None = None
    max_tumor_count: int | None = None
    level: Level
    resists: list[str] = []  # for R1/R2: regimen ids or class tags the biomarker works against
    guideline: str | None = None  # "NCCN category 1; CSCO class I"
    trial: str | None = None
    nct_id: Annotated[str, StringConstraints(pattern=r"^NCT\d{8}$")] | None = None
    outcomes: list[Outcome] = []
    references: list[Reference] = Field(min_length=1)
    summary: Text
    cautions: list[Text] = []
    nmpa_indication: bool | None = None  # NMPA-approved for exactly this indication
    nrdl_indication: bool | None = None  # reimbursed for this indication

    @model_validator(mode="after")
    def _resistance_targets(self) -> Evidence:
        if self.level in (Level.R1, Level.R2) and not self.resists:
            raise ValueError("resistance evidence (R1/R2) must say what it resists")
        return self


# --- trials (pivotal studies referenced by evidence) -------------------------------------


class Trial(Cited):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$")]
    name: NonEmpty  # "FLAURA"
    nct_id: Annotated[str, StringConstraints(pattern=r"^NCT\d{8}$")] | None = None
    phase: Literal["1", "1/2", "2", "2/3", "3", "4"]
    design: NonEmpty
    population: Text
    status: str | None = None


# --- hospitals --------------------------------------------------------------------------


class Accreditation(Strict):
    body: Literal["JCI", "CHIA", "ACHS", "other"]
    year: int | None = None
    verified: bool = False
    sources: list[Reference] = []
    note: str | None = None


class Fact(Strict):
    """A value with its own provenance (used where per-fact verification matters)."""

    value: bool | str | None
    verified: bool = False
    sources: list[Reference] = []


class Hospital(Cited):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
    name: NonEmpty
    name_zh: str | None = None
    aliases: list[str] = []
    city: Literal["Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu", "Hangzhou", "Hainan"]
    district: str | None = None
    type: Literal[
        "public_tertiary",
        "public_general",
        "public_specialist",
        "cancer_centre",
        "private",
        "international",
        "tcm",
        "clinic",
        "other",
    ]
    grade_3a: bool | None = None
    oncology_relevant: bool | None = None
    specialties: list[str] = []
    capabilities: list[
        Literal[
            "medical_oncology",
            "thoracic_surgery",
            "robotic_surgery",
            "radiotherapy",
            "sbrt",
            "proton",
            "heavy_ion",
            "car_t",
            "bmt",
            "interventional_oncology",
            "tcm_oncology",
            "pediatric_oncology",
            "nuclear_medicine",
            "clinical_trials",
        ]
    ] = []
    international_department: bool | None = None
    languages: list[str] = []
    accreditations: list[Accreditation] = []
    boao_pilot_zone: bool = False
    website: str | None = None
    description: Text | None = None
    # For the hospital page (issue 11): shown where known, with the record's sources.
    address: Text | None = None
    international_contact: str | None = None  # the international patient department's phone / email
    departments: list[Text] = []  # oncology departments by their own names


# --- costs (issue: where, how much) -----------------------------------------------------


CostComponent = Literal[
    "consultation",
    "mdt_review",
    "imaging",
    "pet_ct",
    "pathology",
    "ngs_panel",
    "blood_tests",
    "surgery",
    "robotic_surgery",
    "radiotherapy_course",
    "sbrt_course",
    "proton_course",
    "heavy_ion_course",
    "chemo_cycle",
    "targeted_month",
    "immunotherapy_cycle",
    "adc_cycle",
    "car_t_product",
    "car_t_stay",
    "stem_cell_transplant",
    "ablation",
    "tace",
    "hospital_day",
    "follow_up_visit",
    "interpreter_day",
    "accommodation_night",
    "visa",
    "other",
]


class CostItem(Cited):
    """A price range for one component of care, in CNY, with its date and source."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$")]
    component: CostComponent
    name: Text
    city: str | None = None  # None: applies nationally
    hospital_type: Literal["public_tertiary", "private", "international", "any"] = "any"
    modality: Modality | None = None
    drug: Inn | None = None  # for drug-specific prices (targeted_month, immunotherapy_cycle ...)
    regimen: str | None = None
    cny_low: float = Field(ge=0)
    cny_high: float = Field(ge=0)
    unit: Literal["once", "cycle", "month", "course", "day", "night", "visit"]
    typical_units: float | None = None  # e.g. 6 chemo cycles, 12 months of a targeted drug
    price_date: dt.date
    nrdl_price: bool = False  # the price after national reimbursement negotiation (before insurance)
    compare_us_usd_low: float | None = None
    compare_us_usd_high: float | None = None
    compare_sources: list[Reference] = []
    excludes: Text | None = None

    @model_validator(mode="after")
    def _range(self) -> CostItem:
        if self.cny_high < self.cny_low:
            raise ValueError("cny_high must be >= cny_low")
        if (self.compare_us_usd_low is not None) and not self.compare_sources:
            raise ValueError("a US/EU comparison needs compare_sources")
        return self


class CostUse(Strict):
    """One cost item used by a regimen: ``units`` of the item's unit per cycle (``per: cycle``),
    per month (``per: month``) or once for the course (``per: course``)."""

    item: str  # CostItem.id
    units: float = Field(default=1, gt=0)
    per: Literal["cycle", "month", "course"]


class RegimenCost(Cited):
    """The cost model of a regimen: its items and typical duration. The engine multiplies the
    items' CNY ranges out to a course (and a monthly figure) for an option's cost range."""

    regimen: str  # Regimen.id
    cycle_days: int | None = Field(default=None, ge=1, le=365)
    typical_cycles: float | None = Field(default=None, gt=0)
    typical_months: float | None = Field(default=None, gt=0)  # continuous treatment
    uses: list[CostUse] = Field(min_length=1)
    duration_note: Text | None = None  # "until progression; 12 months shown"


class ExchangeRate(Cited):
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    cny_per_unit: float = Field(gt=0)
    rate_date: dt.date


# --- content (travel guide articles and FAQ) ---------------------------------------------


class Faq(Cited):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
    topic: NonEmpty
    question: Text
    answer: Text


# --- references (a link a reader can open for every non-PMID/DOI reference) --------------


class ReferenceRecord(Strict):
    """What a ``LABEL:`` / ``GUIDELINE:`` / ``NOTICE:`` / ``BOOK:`` / ``URL:`` reference is and
    where a reader opens it. PMID and DOI references link themselves (PubMed, doi.org)."""

    ref: Reference
    type: Literal[
        "label", "guideline", "notice", "nrdl_list", "book", "web", "news", "registry", "price_list"
    ]
    title: NonEmpty
    title_zh: str | None = None  # the title in Chinese, for Chinese pages (kb-check requires it)
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    publisher: str | None = None
    year: int | None = Field(default=None, ge=1950, le=2030)
    accessed: dt.date | None = None
    note: str | None = None  # curator note, never shown
