"""Cost estimates (public: no patient data)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from onconav.api.schemas import ErrorBody
from onconav.costs.services import cost_estimate, currencies
from onconav.options.services import engine_get

router = Router(tags=["costs"])


class EstimateQuery(Schema):
    regimen: str | None = None
    city: str = "Shanghai"
    hospital_type: str = "public_tertiary"
    currency: str = "USD"
    stay_nights: int = 14


@router.get(
    "/costs/estimate",
    response={200: dict[str, Any], 422: ErrorBody},
    auth=None,
    summary="Cost estimate for a treatment",
)
def estimate(request: HttpRequest, q: Query[EstimateQuery]):  # type: ignore[no-untyped-def]
    errors = []
    if q.currency not in currencies():
        errors.append(
            {"field": "query.currency", "message": f"unknown currency; one of {', '.join(currencies())}"}
        )
    if q.regimen and q.regimen not in engine_get().kb.regimen_by_id:
        errors.append({"field": "query.regimen", "message": "unknown regimen id"})
    if q.hospital_type not in ("public_tertiary", "private", "international"):
        errors.append(
            {"field": "query.hospital_type", "message": "one of public_tertiary, private, international"}
        )
    if not 0 <= q.stay_nights <= 365:
        errors.append({"field": "query.stay_nights", "message": "between 0 and 365"})
    if errors:
        return Status(422, {"detail": "The request has invalid fields.", "errors": errors})
    est = cost_estimate(
        regimen=q.regimen,
        city=q.city,
        hospital_type=q.hospital_type,
        currency=q.currency,
        stay_nights=q.stay_nights,
    )
    return Status(200, est.as_dict())


@router.get("/costs/items", auth=None, summary="The cost model: every price range with its source and date")
def items(request: HttpRequest) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json") for c in engine_get().kb.costs]


@router.get("/costs/rates", auth=None, summary="Dated exchange rates used for conversion")
def rates(request: HttpRequest) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in engine_get().kb.exchange_rates]
