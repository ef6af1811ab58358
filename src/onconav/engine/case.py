"""The :class:`Case`: the normalised profile the pipeline steps run on."""

from __future__ import annotations

from dataclasses import dataclass, field

from onconav.engine.msg import Msg, msg, render


@dataclass
class Case:
    """The normalised profile the rules run on."""

    lang: str
    code: str
    lineage: tuple[str, ...]
    category: str
    stage: str | None
    stage_groups: frozenset[str]
    stage_known: bool
    present: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)
    numeric: dict[str, tuple[float, float]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # id -> how the profile stated it
    line: int = 1  # the line of systemic therapy for advanced disease now being chosen
    advanced_lines: int = 0
    maintenance_line: int = 1  # the line a maintenance treatment would continue
    responding: bool = False  # the last systemic treatment worked (response / no progression)
    received: set[str] = field(default_factory=set)  # INNs (or unknown names) received
    received_tags: set[str] = field(default_factory=set)
    # received in a line that was not stopped for side effects (not_after reads these: a drug
    # stopped for intolerance does not rule out the others of its kind)
    tolerated: set[str] = field(default_factory=set)
    tolerated_tags: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)
    failed_tags: set[str] = field(default_factory=set)
    # failures that count against re-use (failure step): not those of a curative-intent treatment
    # (adjuvant, definitive, chemoradiation ...) after which relapse came >= 6 months after its end
    failed_reuse: set[str] = field(default_factory=set)
    failed_reuse_tags: set[str] = field(default_factory=set)
    late_relapse: set[str] = field(default_factory=set)  # failed, but only by such a late relapse
    # drugs of curative-intent treatment (adjuvant, chemoradiation...) the cancer came back on or
    # soon after (not a late relapse): that failure counts as a line for later-line items
    curative_failed: set[str] = field(default_factory=set)
    curative_failed_tags: set[str] = field(default_factory=set)
    # drugs of a treatment the cancer progressed on, or came back on within 6 months of its end
    # (no date for a relapse: not counted): re-using all of them again is a repeat
    failed_early: set[str] = field(default_factory=set)
    curative_failed_late: set[str] = field(default_factory=set)  # ... that came back later
    curative_failed_late_tags: set[str] = field(default_factory=set)
    intolerant: set[str] = field(default_factory=set)
    intolerant_tags: set[str] = field(default_factory=set)
    # drug stopped for intolerance -> the reasons given on its lines (PriorTherapy.reason)
    intolerance_reasons: dict[str, list[str]] = field(default_factory=dict)
    # drugs the disease is refractory to (IMWG: progression on it or within 60 days of its last
    # dose, an outcome "refractory", or best response PD); stage_priors.refractory_line
    refractory: set[str] = field(default_factory=set)
    # prior lines that ended in failure and of which no drug could be read ("Atezo/Bev" before
    # the abbreviation was known): what failed is unknown (rule prior.after_failure_unread)
    unread_failed: list[str] = field(default_factory=list)
    had_radiotherapy: bool = False
    ecog: int | None = None
    age: float | None = None
    child_pugh: str | None = None
    operable: bool | None = None
    resected: bool | None = None
    resectable: bool | None = None
    tumor_size_cm: float | None = None
    tumor_count: int | None = None
    crcl: float | None = None
    lvef: float | None = None
    budget_usd: float | None = None
    comorbidities: tuple[str, ...] = ()
    warnings: list[Msg] = field(default_factory=list)  # rendered by the answer step
    rules: list[str] = field(default_factory=list)  # normalisation rule ids that fired
    origins: dict[str, str] = field(default_factory=dict)  # biomarker id -> germline | somatic
    germline_absent: frozenset[str] = frozenset()  # negative on a germline test only (tumour unknown)
    # risk scores written as biomarker entries ({name: Ki-67, value: "15%"}), read by the facts as
    # cancer.risk_groups.<name> when the profile's risk_groups does not give them
    risk_from_biomarkers: dict[str, object] = field(default_factory=dict)
    # blood counts written as biomarker entries ({name: platelet count, value: 42}), in the units
    # of organ_function (platelets_10e9_l, neutrophils_10e9_l, hemoglobin_g_dl); organ_function wins
    counts_from_biomarkers: dict[str, float] = field(default_factory=dict)
    route: str | None = None  # preferences.route: oral | infusion | any
    unused: list[tuple[str, str, str]] = field(default_factory=list)  # (field, value, reason key)

    def state(self, bid: str) -> bool | None:
        if bid in self.present:
            return True
        if bid in self.absent:
            return False
        return None

    def squamous_nsclc(self) -> bool:
        """Squamous non-small cell lung cancer, where broad driver testing is not routine (no NSCLC
        panel, no driver option shown while its test is awaited)."""
        return "NSCLC" in self.lineage and self.code == "LUSC"

    @property
    def warning_texts(self) -> list[str]:
        """The warnings so far, rendered in the case's language."""
        return [render(m, self.lang) for m in self.warnings]

    def warn(self, key: str, **kw: object) -> None:
        if key in UNUSED_WARNINGS:
            field_name, reason, arg = UNUSED_WARNINGS[key]
            item = (field_name, str(kw.get(arg, "")), reason)
            if item not in self.unused:
                self.unused.append(item)
        m = msg(key, **kw)
        if m not in self.warnings:
            self.warnings.append(m)


# warnings that also mean "this input was not used": key -> (field, reason message key, kw name)
UNUSED_WARNINGS = {
    "w_biomarker_unrecognised": ("biomarkers", "u_biomarker", "label"),
    "w_biomarker_value": ("biomarkers", "u_biomarker", "label"),
    "w_drug_unrecognised": ("prior_therapies.drugs", "u_drug", "drug"),
}
