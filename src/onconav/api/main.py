"""The REST API (Django Ninja) under /api/v1/: OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from onconav import __version__
from onconav.api import errors
from onconav.api.accounts import router as accounts_router
from onconav.api.auth import AUTH
from onconav.api.cases import router as cases_router
from onconav.api.content import router as content_router
from onconav.api.costs import router as costs_router
from onconav.api.health import router as health_router
from onconav.api.hospitals import router as hospitals_router
from onconav.api.kb import router as kb_router
from onconav.api.options import router as options_router
from onconav.api.schemas import ErrorBody, FieldError
from onconav.api.trials import router as trials_router


class OncoNavAPI(NinjaAPI):
    """Every operation documents the shared error responses it can give: 422 for invalid input,
    400 for an unreadable body, 401 where authentication is required."""

    def get_openapi_schema(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            "ErrorBody", ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        components.setdefault("FieldError", FieldError.model_json_schema())
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
        for methods in schema.get("paths", {}).values():
            for op in methods.values():
                responses = op.setdefault("responses", {})
                if op.get("parameters") or op.get("requestBody"):
                    responses.setdefault("422", {"description": "Invalid input", **ref})
                if op.get("requestBody"):
                    responses.setdefault("400", {"description": "Unreadable request body", **ref})
                if op.get("security"):
                    responses.setdefault("401", {"description": "Authentication required", **ref})
                    responses.setdefault("403", {"description": "Forbidden", **ref})
        return schema


api = OncoNavAPI(
    title="OncoNav API",
    version="1",
    description=(
        f"OncoNav {__version__}. Informational only: the options engine supports a discussion with the "
        "patient's own doctors and is not a diagnosis or a prescription. Errors share one body: "
        '{"detail": str, "errors": [{"field": str, "message": str}]}.'
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/", health_router)
api.add_router("/", accounts_router)
api.add_router("/", kb_router)
api.add_router("/", options_router)
api.add_router("/", hospitals_router)
api.add_router("/", costs_router)
api.add_router("/", content_router)
api.add_router("/", cases_router)
api.add_router("/", trials_router)
