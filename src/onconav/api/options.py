"""POST /api/v1/options: a patient profile in, ranked evidence-graded options out (contracts 1-2)."""

from __future__ import annotations

from typing import Any

import pydantic_core
from django.http import HttpRequest, HttpResponse
from ninja import Body, Router
from ninja.responses import Status
from pydantic import BaseModel

from onconav.api.schemas import ErrorBody
from onconav.engine.answer import Answer, Option
from onconav.foundation.ratelimit import client_ip, hit
from onconav.options import services
from onconav.options.services import ProfileError

router = Router(tags=["options"])


class OptionHospital(BaseModel):
    """A hospital known to deliver an option, in the patient's preferred cities when given."""

    id: str
    name: str
    name_zh: str | None = None
    city: str
    url: str  # the hospital's page on this site
    in_preferred_city: bool = False


class OptionWithHospitals(Option):
    hospitals: list[OptionHospital] = []  # additive: top few hospitals that deliver the option


class AnswerWithHospitals(Answer):
    options: list[OptionWithHospitals]  # type: ignore[assignment]


EXAMPLE = {
    "age": 67,
    "ecog": 1,
    "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
    "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}, {"name": "PD-L1 TPS", "value": 30, "unit": "%"}],
}


@router.post(
    "/options",
    response={200: AnswerWithHospitals, 422: ErrorBody, 429: ErrorBody},
    auth=None,
    summary="Treatment options for a patient profile",
    description=(
        "Body: a patient profile (version 1; only cancer.oncotree_code is required). Response: ranked options "
        "with evidence levels, outcomes and references, tests recommended, warnings, the disclaimer and the "
        "knowledge-base version; each option lists the hospitals known to deliver it (`hospitals`, in "
        "`preferences.cities` when given). `?lang=zh-hans` answers in Simplified Chinese. Nothing is stored. "
        "Informational only: not a diagnosis or a prescription."
    ),
)
def options(
    request: HttpRequest,
    profile: dict[str, Any] = Body(..., openapi_examples={"egfr": {"value": EXAMPLE}}),
    lang: str = "en",
):  # type: ignore[no-untyped-def]
    from django.conf import settings

    if not hit(
        f"api-options:{client_ip(request)}", limit=settings.API_RATE_LIMIT_PER_MINUTE, window_seconds=60
    ):
        return Status(429, {"detail": "Too many requests.", "errors": []})
    if lang not in ("en", "zh-hans"):
        return Status(
            422,
            {
                "detail": "The request has invalid fields.",
                "errors": [{"field": "query.lang", "message": "must be en or zh-hans"}],
            },
        )
    try:
        answer = services.options_for_profile(profile=profile, lang=lang)
        hospitals = services.option_hospitals(answer, profile)
    except ProfileError as exc:
        errors = [
            {"field": f"body.{e['field']}" if e.get("field") else "body", "message": e["message"]}
            for e in exc.errors
        ]
        return Status(422, {"detail": "The profile is not valid.", "errors": errors})
    return HttpResponse(answer_json(answer, hospitals), content_type="application/json")


def answer_json(answer: Answer, hospitals: dict[int, list[dict[str, Any]]]) -> bytes:
    """The answer with each option's hospitals, written as ``AnswerWithHospitals`` in one pass of
    pydantic's JSON serialiser. The engine's answer is already validated (its models are built by
    validation), so it is neither turned into a dict nor validated again: each option's fields
    (its nested models as they are) with its hospitals, each hospital validated as
    ``OptionHospital``. The same JSON as validating against the model and dumping it (tested)."""
    options = [
        {**o.__dict__, "hospitals": [OptionHospital(**h) for h in hospitals.get(o.rank, [])]}
        for o in answer.options
    ]
    return pydantic_core.to_json({**answer.__dict__, "options": options})
