"""Schemathesis: generated requests against every operation of the OpenAPI schema. No server errors,
and every response matches the schema the API publishes."""

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from onconav.config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.mark.django_db
@schema.parametrize()
@hsettings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case, kb_loaded, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 100000
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance, status_code_conformance])
