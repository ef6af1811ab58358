"""The patient profile, version 1 (docs: contracts.md section 1).

Every field is optional except ``cancer.oncotree_code``. Unknown fields are kept (pydantic
``extra="allow"``) and reported by :func:`unknown_fields`; wrong types raise
:class:`ProfileError` with field-level errors.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

__all__ = [
    "BiomarkerEntry",
    "CancerInfo",
    "OrganFunction",
    "Preferences",
    "PriorTherapy",
    "Profile",
    "ProfileError",
    "parse_profile",
    "unknown_fields",
]


from onconav.engine.profile_types import (  # noqa: F401  (re-exported)
    _CASTRATION_WORDS,
    _MENOPAUSE_WORDS,
    _ORIGIN_WORDS,
    _RESPONSE_WORDS,
    FAILED_OUTCOMES,
    CastrationStatus,
    ChildPugh,
    MenopausalStatus,
    Origin,
    Outcome,
    PlatinumSensitivity,
    ProfileError,
    Response,
    RoutePreference,
    Sex,
    Smoking,
    _date_or_none,
    _date_text,
    _lower_enum,
    _no_nan,
    _Open,
    _strict_bool,
    _strict_number,
    _word,
)


class OrganFunction(_Open):
    creatinine_clearance_ml_min: float | None = Field(default=None, ge=0, le=500)
    bilirubin_x_uln: float | None = Field(default=None, ge=0, le=100)
    lvef_percent: float | None = Field(default=None, ge=0, le=100)
    # blood counts (extension): platelets and neutrophils in 10^9/L, haemoglobin in g/dL
    platelets_10e9_l: float | None = Field(default=None, ge=0, le=5000)
    neutrophils_10e9_l: float | None = Field(default=None, ge=0, le=500)
    hemoglobin_g_dl: float | None = Field(default=None, ge=0, le=30)

    @field_validator(
        "creatinine_clearance_ml_min",
        "bilirubin_x_uln",
        "lvef_percent",
        "platelets_10e9_l",
        "neutrophils_10e9_l",
        "hemoglobin_g_dl",
        mode="before",
    )
    @classmethod
    def _num(cls, v: Any) -> Any:
        return _strict_number(v)


class CancerInfo(_Open):
    oncotree_code: str = Field(min_length=1, max_length=40)
    stage: str | None = Field(default=None, max_length=60)
    tumor_size_cm: float | None = Field(default=None, ge=0, le=100)
    tumor_count: int | None = Field(default=None, ge=0, le=1000)
    resected: bool | None = None
    resectable: bool | None = None
    recurrent_metastatic: bool | None = None
    # --- extensions (profile v1, optional; docs/engine.md "Profile") -------------------------
    castration_status: CastrationStatus | None = None  # prostate: sensitive (HSPC) | resistant (CRPC)
    platinum_sensitivity: PlatinumSensitivity | None = None  # ovarian, SCLC relapse
    platinum_free_interval_months: float | None = Field(default=None, ge=0, le=600)
    risk_groups: dict[str, str | float] = {}  # {IMDC: intermediate, R-ISS: III, IPI: 3, ELN: adverse}
    metastatic_sites: list[str] = []  # brain, liver, bone, lung, peritoneum, lymph nodes ...
    residual_disease: bool | None = None  # residual invasive disease after neoadjuvant therapy
    histologic_transformation: str | None = Field(default=None, max_length=60)  # small cell, Richter
    left_sided_primary: bool | None = None  # colorectal: primary from the splenic flexure to the rectum

    @field_validator("histologic_transformation", mode="before")
    @classmethod
    def _transformation(cls, v: Any) -> Any:
        # a yes / no written as a boolean: true = transformed (type not given), false = none
        if isinstance(v, bool):
            return "transformed" if v else "none"
        return v

    @field_validator("castration_status", mode="before")
    @classmethod
    def _castration(cls, v: Any) -> Any:
        w = _word(v)
        return _CASTRATION_WORDS.get(w, w) if isinstance(w, str) else w

    @field_validator("platinum_sensitivity", mode="before")
    @classmethod
    def _platinum(cls, v: Any) -> Any:
        w = _word(v)
        if isinstance(w, str):
            w = w.removeprefix("platinum ").strip()
        return w

    @field_validator("platinum_free_interval_months", mode="before")
    @classmethod
    def _pfi(cls, v: Any) -> Any:
        return _strict_number(v)

    @field_validator("metastatic_sites", mode="before")
    @classmethod
    def _sites(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else ([] if v is None else v)

    @field_validator("risk_groups", mode="before")
    @classmethod
    def _risk(cls, v: Any) -> Any:
        if v is None:
            return {}
        if isinstance(v, dict):
            return {str(k).strip(): (str(x) if isinstance(x, bool) else x) for k, x in v.items()}
        return v

    @field_validator("residual_disease", "left_sided_primary", mode="before")
    @classmethod
    def _residual(cls, v: Any) -> Any:
        return _strict_bool(v)

    @field_validator("oncotree_code", mode="before")
    @classmethod
    def _code(cls, v: Any) -> Any:
        return v.strip().upper() if isinstance(v, str) else v

    @field_validator("stage", mode="before")
    @classmethod
    def _stage(cls, v: Any) -> Any:
        # YAML reads `stage: 4` as a number; accept it as the string "4".
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v)
        return v

    @field_validator("tumor_size_cm", "tumor_count", mode="before")
    @classmethod
    def _num(cls, v: Any) -> Any:
        return _strict_number(v)

    @field_validator("resected", "resectable", "recurrent_metastatic", mode="before")
    @classmethod
    def _bool(cls, v: Any) -> Any:
        return _strict_bool(v)


class BiomarkerEntry(_Open):
    """A gene alteration ``{gene, alteration}`` or a measured marker ``{name, value, unit}``."""

    gene: str | None = Field(default=None, max_length=60)
    alteration: str | None = Field(default=None, max_length=200)
    name: str | None = Field(default=None, max_length=100)
    value: float | str | None = None
    unit: str | None = Field(default=None, max_length=40)
    origin: Origin | None = None  # extension: germline | somatic (tumour)

    @field_validator("origin", mode="before")
    @classmethod
    def _origin(cls, v: Any) -> Any:
        w = _word(v)
        return _ORIGIN_WORDS.get(w, w) if isinstance(w, str) else w

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, v: Any) -> Any:
        if isinstance(v, bool):
            return "positive" if v else "negative"
        if isinstance(v, int | float):
            return _no_nan(float(v))
        return v

    @field_validator("gene", "alteration", "name", "unit", mode="before")
    @classmethod
    def _text(cls, v: Any) -> Any:
        if isinstance(v, int | float) and not isinstance(v, bool):
            return str(v)
        return v

    @model_validator(mode="after")
    def _one_kind(self) -> BiomarkerEntry:
        if not self.gene and not self.name:
            raise ValueError("a biomarker needs a 'gene' (with 'alteration') or a 'name' (with 'value')")
        return self

    def label(self) -> str:
        if self.gene:
            text = f"{self.gene} {self.alteration or ''}".strip()
            # a result word given apart ({gene: FLT3, alteration: ITD, value: negative}) is part of
            # what was stated: "FLT3 ITD negative", never "FLT3 ITD" as if it were found
            if (
                isinstance(self.value, str)
                and self.value.strip()
                and self.value.strip().lower() not in text.lower()
            ):
                text = f"{text} {self.value.strip()}"
            return text
        val = (
            "" if self.value is None else (f"{self.value:g}" if isinstance(self.value, float) else self.value)
        )
        return f"{self.name} {val}{self.unit or ''}".strip()


# Chinese words of records (the contract's values stay English).
_ZH_SEX = {"男": "male", "男性": "male", "女": "female", "女性": "female"}
_ZH_OUTCOME = {
    "进展": "progression",
    "疾病进展": "progression",
    "复发": "relapse",
    "难治": "refractory",
    "缓解": "response",
    "有效": "response",
    "部分缓解": "response",
    "完全缓解": "response",
    "稳定": "no progression",
    "疾病稳定": "no progression",
    "完成": "no progression",
    "不耐受": "intolerance",
    "毒性": "intolerance",
    "耐药": "progression",
    "治疗失败": "progression",
    "失败": "progression",
}


class PriorTherapy(_Open):
    drugs: list[str] = []
    line: int | None = Field(default=None, ge=1, le=30)
    outcome: Outcome | None = None
    with_radiotherapy: bool | None = None
    start: str | None = None
    end: str | None = None
    # Extension (optional): the setting it was given in. Adjuvant / neoadjuvant / perioperative /
    # definitive / consolidation treatment does not count as a line for advanced disease.
    setting: str | None = None
    # Extensions (optional): a regimen name instead of (or besides) the drugs ("R-CHOP",
    # "FOLFOX"), the best response, and when the disease progressed or relapsed.
    regimen: str | None = Field(default=None, max_length=120)
    best_response: Response | None = None
    progression_date: str | None = None
    # Extension (optional): why the treatment was stopped, free text ("grade 2 pneumonitis"),
    # read with outcome intolerance against the no-re-challenge rules (fitness-builtin.yaml)
    reason: str | None = Field(default=None, max_length=300)

    @field_validator("best_response", mode="before")
    @classmethod
    def _response(cls, v: Any) -> Any:
        w = _word(v)
        return _RESPONSE_WORDS.get(w, v) if isinstance(w, str) else v

    @field_validator("progression_date", mode="before")
    @classmethod
    def _progression_date(cls, v: Any) -> Any:
        return _date_or_none(v)

    @field_validator("drugs", mode="before")
    @classmethod
    def _drugs(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [p for p in (x.strip() for x in v.replace("+", ",").split(",")) if p]
        return v

    @field_validator("outcome", mode="before")
    @classmethod
    def _outcome(cls, v: Any) -> Any:
        v = _lower_enum(v)
        if isinstance(v, str) and v in _ZH_OUTCOME:
            return _ZH_OUTCOME[v]
        if v in ("progressive disease", "pd", "progressed"):
            return "progression"
        # treatment failure (ELN CML: "failure" of a TKI), resistance: the disease was not
        # controlled on it, read as progression (a failed line; not "refractory" unless stated)
        if v in ("failure", "failed", "treatment failure", "tki failure", "resistance", "resistant"):
            return "progression"
        if v in (
            "stable disease",
            "sd",
            "no_progression",
            "stable",
            "completed",
            "complete",
            "finished",
            "done",
        ):
            return "no progression"  # a course completed as planned: it did not progress on it
        if v in (
            "partial response",
            "complete response",
            "pr",
            "cr",
            "vgpr",
            "scr",  # IMWG stringent complete response
            "stringent complete response",
            "very good partial response",
            "complete remission",
            "partial remission",
            "remission",
            "responded",
        ):
            return "response"
        if v in ("intolerant", "toxicity", "side effects", "adverse events", "stopped for toxicity"):
            return "intolerance"
        if v in ("relapsed", "recurrence", "recurred"):
            return "relapse"
        if v in ("refractory disease", "no response", "primary refractory"):
            return "refractory"
        return v

    @field_validator("line", mode="before")
    @classmethod
    def _line(cls, v: Any) -> Any:
        return _strict_number(v)

    @field_validator("with_radiotherapy", mode="before")
    @classmethod
    def _rt(cls, v: Any) -> Any:
        return _strict_bool(v)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _dates(cls, v: Any) -> Any:
        return _date_text(v)

    @field_validator("setting", mode="before")
    @classmethod
    def _setting(cls, v: Any) -> Any:
        return v.strip().lower().replace(" ", "_").replace("-", "_") if isinstance(v, str) else v


class Preferences(_Open):
    cities: list[str] = []
    budget_usd: float | None = Field(default=None, ge=0)
    insurance: str | None = None
    languages: list[str] = []
    route: RoutePreference | None = None  # extension: oral | infusion | any
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")  # extension: cost display currency

    @field_validator("route", mode="before")
    @classmethod
    def _route(cls, v: Any) -> Any:
        w = _word(v)
        return {"iv": "infusion", "intravenous": "infusion", "tablets": "oral", "pills": "oral"}.get(w, w)

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, v: Any) -> Any:
        return v.strip().upper() if isinstance(v, str) else v

    @field_validator("budget_usd", mode="before")
    @classmethod
    def _budget(cls, v: Any) -> Any:
        return _strict_number(v)

    @field_validator("cities", "languages", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class Profile(_Open):
    version: int | str | None = None  # profile format version (1)
    age: float | None = Field(default=None, ge=0, le=130)
    sex: Sex | None = None
    ecog: int | None = Field(default=None, ge=0, le=4)
    smoking: Smoking | None = None
    # extension (optional): pre / peri / post ("premenopausal", "绝经后" are read)
    menopausal_status: MenopausalStatus | None = None
    child_pugh: ChildPugh | None = None
    operable: bool | None = None
    transplant_eligible: bool | None = None  # extension: the transplant team's judgement
    comorbidities: list[str] = []
    organ_function: OrganFunction = OrganFunction()
    cancer: CancerInfo
    biomarkers: list[BiomarkerEntry] = []
    prior_therapies: list[PriorTherapy] = []
    preferences: Preferences = Preferences()

    @model_validator(mode="before")
    @classmethod
    def _child_pugh_in_organ_function(cls, data: Any) -> Any:
        """Child-Pugh is liver function: accept it under ``organ_function`` too (where people
        put it) unless it is also given at the top level, where the contract has it."""
        if isinstance(data, dict):
            organ = data.get("organ_function")
            if isinstance(organ, dict) and "child_pugh" in organ:
                organ = dict(organ)
                cp = organ.pop("child_pugh")
                data = {**data, "organ_function": organ}
                if data.get("child_pugh") is None:
                    data["child_pugh"] = cp
        return data

    @field_validator("age", "ecog", mode="before")
    @classmethod
    def _num(cls, v: Any) -> Any:
        return _strict_number(v)

    @field_validator("sex", "smoking", mode="before")
    @classmethod
    def _enum(cls, v: Any) -> Any:
        v = _lower_enum(v)
        return _ZH_SEX.get(v, v) if isinstance(v, str) else v

    @field_validator("menopausal_status", mode="before")
    @classmethod
    def _menopause(cls, v: Any) -> Any:
        if isinstance(v, str):
            w = v.strip().lower()
            return _MENOPAUSE_WORDS.get(w, w)
        return v

    @field_validator("child_pugh", mode="before")
    @classmethod
    def _cp(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = v.strip().upper()
            if v.startswith("CHILD-PUGH "):
                v = v.removeprefix("CHILD-PUGH ").strip()
            return v[:1] if v[:1] in ("A", "B", "C") and (len(v) == 1 or v[1:].strip().isdigit()) else v
        return v

    @field_validator("operable", "transplant_eligible", mode="before")
    @classmethod
    def _bool(cls, v: Any) -> Any:
        return _strict_bool(v)

    @field_validator("comorbidities", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @field_validator("organ_function", "preferences", mode="before")
    @classmethod
    def _none_is_empty(cls, v: Any) -> Any:
        return {} if v is None else v

    @field_validator("biomarkers", "prior_therapies", mode="before")
    @classmethod
    def _none_is_empty_list(cls, v: Any) -> Any:
        return [] if v is None else v


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).startswith(
            ("function-", "union[", "float", "str", "int", "bool", "constrained-", "list[", "dict[")
        ):
            continue  # pydantic's union-branch labels are noise for a user
        else:
            out += ("." if out else "") + str(part)
    return out


def parse_profile(data: Any) -> Profile:
    """Validate a profile dict (or pass a Profile through). Raises :class:`ProfileError`."""
    if isinstance(data, Profile):
        return data
    if not isinstance(data, dict):
        raise ProfileError(
            [{"field": "", "message": "the profile must be a mapping (JSON object) of fields"}]
        )
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        errors: list[dict[str, str]] = []
        seen: set[str] = set()
        for err in exc.errors(include_url=False):
            field = _loc(err["loc"])
            msg = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "missing":
                msg = "this field is required"
            elif err["type"] in ("model_type", "dict_type", "model_attributes_type"):
                msg = "must be an object (a mapping of fields)"
            msg = re.sub(r"^Input should be ", "must be ", msg)
            key = f"{field}|{msg}"
            if key in seen or (field in {e["field"] for e in errors} and err["type"].endswith("_type")):
                continue
            seen.add(key)
            errors.append({"field": field, "message": msg})
        raise ProfileError(errors) from None
    except (TypeError, ValueError, RecursionError) as exc:  # pragma: no cover - defensive
        raise ProfileError([{"field": "", "message": f"cannot read the profile: {exc}"}]) from None


def unknown_fields(profile: Profile) -> list[str]:
    """Dotted names of fields that are not part of profile v1 (kept, ignored, warned)."""
    out: list[str] = []

    def walk(model: BaseModel, prefix: str) -> None:
        for key in sorted(model.model_extra or {}):
            out.append(f"{prefix}{key}")
        for name in type(model).model_fields:
            val = getattr(model, name)
            if isinstance(val, BaseModel):
                walk(val, f"{prefix}{name}.")
            elif isinstance(val, list):
                for i, item in enumerate(val):
                    if isinstance(item, BaseModel):
                        walk(item, f"{prefix}{name}[{i}].")

    walk(profile, "")
    return out
