"""The engine's answer (contracts.md section 2) plus optional extensions.

Contract fields keep their names and order; extensions (``regimen``, ``evidence``, ``trace``,
``badge``, ``china.access``, ``china.boao_only``, ``tests_recommended[].biomarkers``,
``language``, ``excluded``) are additive.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OutcomeOut(_Model):
    endpoint: str
    value: str
    trial: str | None = None
    reference: str
    # extensions
    comparator: str | None = None
    hazard_ratio: float | None = None


class China(_Model):
    nmpa_approved: bool | None = None
    nrdl_reimbursed: bool | None = None
    approx_cost_usd_per_month: int | None = None
    # extensions
    access: str = "unknown"
    boao_only: bool = False


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


class TestRecommended(_Model):
    test: str
    reason: str
    # extension
    biomarkers: list[str] = []


class Excluded(_Model):
    regimen: str
    title: str
    reasons: list[str]
    evidence: list[str]


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
