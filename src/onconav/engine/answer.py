"""The engine's answer (contracts.md section 2) plus optional extensions.

Contract fields keep their names and order; extensions (``regimen``, ``evidence``, ``trace``,
``badge``, ``china.access``, ``china.boao_only``, ``tests_recommended[].biomarkers``,
``language``, ``excluded``) are additive.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# A message code (docs/engine.md "Message codes"): ``{"code": key, "params": {...}}``, ``code`` a
# key of the engine's message table (``kb_text``: knowledge-base text, given in both languages in
# ``params.text``); a parameter is a plain value, a nested code, a text in both languages
# ``{"en", "zh-hans"}`` or a list of these. The same profile gives the same codes in every language;
# the rendered text sits next to them. (Plain dicts: built once per line, they must stay cheap.)
MessageCode = dict[str, Any]


class OutcomeOut(_Model):
    endpoint: str
    value: str
    trial: str | None = None
    reference: str
    # extensions
    comparator: str | None = None
    hazard_ratio: float | None = None


class CostRange(_Model):
    """An option's approximate cost in China (regimen x typical duration, from the KB's cost
    model; NRDL negotiated prices where listed), in CNY, in USD and in the patient's currency."""

    cny_low: int
    cny_high: int
    per: str  # course | month
    months: float | None = None  # the typical duration the course figure covers
    usd_low: int
    usd_high: int
    currency: str | None = None  # the patient's currency (preferences.currency)
    local_low: int | None = None
    local_high: int | None = None
    price_year: int | None = None  # the year of the oldest price used
    nrdl_price: bool = False  # at least one drug priced at its NRDL negotiated price
    basis: str = ""  # what the figure covers, in the answer language
    sources: list[str] = []
    budget: str | None = None  # within | over | unknown (the patient's budget, never used to hide)


class China(_Model):
    nmpa_approved: bool | None = None
    nrdl_reimbursed: bool | None = None
    approx_cost_usd_per_month: int | None = None
    # extensions
    access: str = "unknown"
    boao_only: bool = False
    nmpa_year: int | None = None  # first NMPA approval year of the option's newest drug
    nrdl_since: int | None = None
    boao: bool | None = None  # available in the Boao Lecheng pilot zone
    cost: CostRange | None = None


class OptionCondition(_Model):
    """What an option waits on: unknown biomarkers or patient facts, the tests that decide, and
    whether co-occurrence makes the condition likely (True), unlikely (False) or open (None)."""

    text: str  # "If EGFR and ALK are both negative"
    tests: list[str] = []  # the deciding tests, by name
    biomarkers: list[str] = []  # biomarker ids
    facts: list[str] = []  # fact ids (knowledge/policy/facts)
    likely: bool | None = None
    note: str | None = None  # "KRAS G12C makes an EGFR or ALK alteration very unlikely"
    # message codes (docs/engine.md "Message codes"): ``text`` as a code, ``tests`` as codes
    # (parallel lists), ``note`` as one code per co-occurrence note (joined with a space)
    text_code: MessageCode | None = None
    test_codes: list[MessageCode] = []
    note_codes: list[MessageCode] = []


class RankReason(_Model):
    step: str  # a ranking step id (knowledge/policy/ranking.yaml) or a rule id
    text: str
    code: MessageCode | None = None  # the text as a message code


class TrialSite(_Model):
    facility: str
    city: str | None = None
    country: str | None = None
    status: str | None = None  # the site's own recruitment status
    contact: str | None = None


class TrialInfo(_Model):
    """A clinical_trial option's study (trials app, contract section 5)."""

    nct_id: str
    phase: str | None = None
    status: str | None = None
    met: int = 0
    unknown: int = 0
    not_met: int = 0
    sites: list[TrialSite] = []
    label: str = "investigational"  # investigational | approved_product | unproven_commercial


class Option(_Model):
    rank: int
    title: str
    modality: str
    drugs: list[str]
    setting: str
    evidence_level: str
    rationale: list[str]
    outcomes: list[OutcomeOut]
    cautions: list[str]
    china: China
    references: list[str]
    # extensions
    regimen: str
    evidence: list[str]
    trace: list[str]
    badge: str
    summary: str = ""
    guideline: str | None = None
    drug_names: list[str] = []  # the drugs in the answer's language (Chinese names in zh-hans)
    # v2 extensions (docs/engine.md "The answer")
    group: str = "reasonable"  # preferred | reasonable | conditional | failed_before | later | supportive
    condition: OptionCondition | None = None
    rank_reasons: list[RankReason] = []  # which steps put the option where it is
    tie_with: list[int] = []  # ranks of options that are equivalent choices
    preference: dict[str, str] | None = None  # {"nccn": ..., "csco": ..., "label": ...}
    trial: TrialInfo | None = None
    caution_codes: list[MessageCode] = []  # ``cautions`` as message codes (parallel lists)
    rationale_codes: list[MessageCode] = []  # ``rationale`` as message codes (parallel lists)
    setting_code: MessageCode | None = None  # ``setting`` as a message code


class TestRecommended(_Model):
    test: str
    reason: str
    # extensions
    biomarkers: list[str] = []
    kind: str = "biomarker"  # biomarker | panel | situational | rebiopsy | fact | staging
    decides: list[str] = []  # regimen ids whose place the result decides
    facts: list[str] = []  # fact ids it decides
    test_code: MessageCode | None = None  # ``test`` as a message code
    reason_code: MessageCode | None = None  # ``reason`` as a message code


class UnusedInput(_Model):
    """Something the profile said that the engine could not use (never silently dropped)."""

    field: str
    value: str
    reason: str


class FactOut(_Model):
    id: str
    label: str
    value: bool | None
    derived: bool = False  # estimated from other fields (transplant eligibility from age, ECOG)


class Excluded(_Model):
    regimen: str
    title: str
    reasons: list[str]
    evidence: list[str]
    reason_codes: list[MessageCode] = []  # ``reasons`` as message codes (parallel lists)


class Answer(_Model):
    knowledge_base_version: str
    profile_summary: str
    options: list[Option]
    tests_recommended: list[TestRecommended]
    warnings: list[str]
    disclaimer: str
    # extensions
    language: str = "en"
    excluded: list[Excluded] = []
    unused_inputs: list[UnusedInput] = []
    facts: list[FactOut] = []  # the patient facts that mattered for this answer
    groups: list[dict[str, str]] = []  # [{"id": "preferred", "label": "Preferred now"}, ...] in order
    warning_codes: list[MessageCode] = []  # ``warnings`` as message codes (parallel lists)
    profile_summary_code: MessageCode | None = None  # ``profile_summary`` as a message code

    def to_dict(self) -> dict:  # type: ignore[type-arg]
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


# The keys the contract fixes (tests validate every answer against them).
CONTRACT_ANSWER_KEYS = (
    "knowledge_base_version",
    "profile_summary",
    "options",
    "tests_recommended",
    "warnings",
    "disclaimer",
)
CONTRACT_OPTION_KEYS = (
    "rank",
    "title",
    "modality",
    "drugs",
    "setting",
    "evidence_level",
    "rationale",
    "outcomes",
    "cautions",
    "china",
    "references",
)
CONTRACT_OUTCOME_KEYS = ("endpoint", "value", "trial", "reference")
CONTRACT_CHINA_KEYS = ("nmpa_approved", "nrdl_reimbursed", "approx_cost_usd_per_month")
CONTRACT_TEST_KEYS = ("test", "reason")
MODALITIES = (
    "surgery",
    "radiotherapy",
    "chemotherapy",
    "targeted_therapy",
    "immunotherapy",
    "cell_therapy",
    "bispecific_antibody",
    "cancer_vaccine",
    "ablation",
    "interventional",
    "supportive_care",
    "palliative_care",
    "clinical_trial",
)
