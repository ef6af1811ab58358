import pytest

from onconav.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_health_checks_the_database(client):
    resp = client.get("/api/v1/health")
    assert resp.status_code == 200
    body = resp.json()
    assert body["status"] == "ok" and body["database"] == "ok"


def test_openapi_schema_is_served_and_names_the_api(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    schema = resp.json()
    assert schema["info"]["title"] == "OncoNav API"
    assert "/api/v1/health" in schema["paths"]


def test_interactive_docs_work_offline(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger" in html.lower()
    assert "cdn.jsdelivr" not in html


def test_unknown_endpoint_gets_the_error_body(client):
    resp = client.get("/api/v1/nope")
    assert resp.status_code == 404


def test_bearer_token_authenticates_api_requests(client, patient):
    _, raw = ApiToken.issue(user=patient, name="t")
    resp = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert resp.status_code == 200
    assert resp.json()["email"] == patient.email


def test_missing_credentials_get_401_with_the_error_body(client):
    resp = client.get("/api/v1/me")
    assert resp.status_code == 401
    assert resp.json() == {"detail": "Authentication required.", "errors": []}
