"""Profile building blocks: :class:`ProfileError`, the strict value coercions, the enums and the
words each enum accepts (English and Chinese)."""

from __future__ import annotations

import datetime as dt
import math
import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class ProfileError(ValueError):
    """An invalid profile. ``errors`` is a list of ``{"field": ..., "message": ...}``."""

    def __init__(self, errors: list[dict[str, str]], message: str | None = None):
        self.errors = errors
        if message is None:
            parts = [f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors[:3]]
            more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
            message = "invalid profile: " + "; ".join(parts) + more
        self.message = " ".join(message.split())  # always one line
        super().__init__(self.message)


class _Open(BaseModel):
    """Keeps unknown fields (reported as warnings), rejects wrong types."""

    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)


def _lower_enum(v: Any) -> Any:
    return v.strip().lower().replace("_", " ") if isinstance(v, str) else v


def _no_nan(v: Any) -> Any:
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        raise ValueError("must be a finite number")
    return v


def _strict_number(v: Any) -> Any:
    """Numbers, or strings that are numbers; booleans are not numbers."""
    if isinstance(v, bool):
        raise ValueError("must be a number, not true/false")
    return _no_nan(v)


def _strict_bool(v: Any) -> Any:
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, str) and v.strip().lower() in ("true", "yes", "false", "no"):
        return v.strip().lower() in ("true", "yes")
    raise ValueError("must be true or false")


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class MenopausalStatus(StrEnum):
    PRE = "pre"
    PERI = "peri"
    POST = "post"


# how records write it (English and Chinese) -> MenopausalStatus value
_MENOPAUSE_WORDS = {
    "premenopausal": "pre",
    "pre-menopausal": "pre",
    "before menopause": "pre",
    "perimenopausal": "peri",
    "peri-menopausal": "peri",
    "postmenopausal": "post",
    "post-menopausal": "post",
    "after menopause": "post",
    "绝经前": "pre",
    "未绝经": "pre",
    "围绝经期": "peri",
    "绝经后": "post",
    "已绝经": "post",
}


class Smoking(StrEnum):
    NEVER = "never"
    FORMER = "former"
    CURRENT = "current"


class ChildPugh(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class Outcome(StrEnum):
    RESPONSE = "response"
    NO_PROGRESSION = "no progression"
    PROGRESSION = "progression"
    RELAPSE = "relapse"
    REFRACTORY = "refractory"
    INTOLERANCE = "intolerance"


FAILED_OUTCOMES = frozenset({Outcome.PROGRESSION, Outcome.RELAPSE, Outcome.REFRACTORY})


class Response(StrEnum):
    """Best response to a line (RECIST / Lugano / IMWG, simplified)."""

    CR = "CR"  # complete response (also sCR, VGPR-or-better are read as their own words)
    PR = "PR"
    SD = "SD"
    PD = "PD"


_RESPONSE_WORDS = {
    "cr": "CR",
    "complete response": "CR",
    "complete remission": "CR",
    "scr": "CR",
    "stringent complete response": "CR",
    "pr": "PR",
    "partial response": "PR",
    "vgpr": "PR",
    "very good partial response": "PR",
    "sd": "SD",
    "stable disease": "SD",
    "stable": "SD",
    "pd": "PD",
    "progressive disease": "PD",
    "progression": "PD",
}


class Origin(StrEnum):
    GERMLINE = "germline"
    SOMATIC = "somatic"


_ORIGIN_WORDS = {
    "germline": "germline",
    "hereditary": "germline",
    "inherited": "germline",
    "constitutional": "germline",
    "somatic": "somatic",
    "tumour": "somatic",
    "tumor": "somatic",
    "tumour only": "somatic",
    "tumor only": "somatic",
    "acquired": "somatic",
}


class CastrationStatus(StrEnum):
    SENSITIVE = "sensitive"
    RESISTANT = "resistant"


_CASTRATION_WORDS = {
    "sensitive": "sensitive",
    "castration sensitive": "sensitive",
    "hormone sensitive": "sensitive",
    "hspc": "sensitive",
    "mhspc": "sensitive",
    "cspc": "sensitive",
    "mcspc": "sensitive",
    "resistant": "resistant",
    "castration resistant": "resistant",
    "crpc": "resistant",
    "mcrpc": "resistant",
    "nmcrpc": "resistant",
}


class PlatinumSensitivity(StrEnum):
    SENSITIVE = "sensitive"
    RESISTANT = "resistant"
    REFRACTORY = "refractory"


class RoutePreference(StrEnum):
    ORAL = "oral"
    INFUSION = "infusion"
    ANY = "any"


def _word(v: Any) -> Any:
    return re.sub(r"[\s_\-]+", " ", v.strip().lower()) if isinstance(v, str) else v


def _date_text(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    return v


def _date_or_none(v: Any) -> Any:
    v = _date_text(v)
    if v is None or v == "":
        return None
    if not isinstance(v, str) or not re.fullmatch(r"\d{4}(-\d{1,2}(-\d{1,2})?)?", v.strip()):
        raise ValueError("must be a date: YYYY, YYYY-MM or YYYY-MM-DD")
    return v.strip()
