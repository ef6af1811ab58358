"""The REST API (Django Ninja) under /api/v1/: OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from onconav import __version__
from onconav.api import errors
from onconav.api.accounts import router as accounts_router
from onconav.api.auth import AUTH
from onconav.api.health import router as health_router

api = NinjaAPI(
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
