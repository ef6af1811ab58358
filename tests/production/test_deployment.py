"""The production shape's files and endpoints: compose services and health checks, the
knowledge base loaded at start, readiness, and the S3 storage settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def test_compose_starts_every_part_of_the_production_shape_with_health_checks():
    # given compose.yaml; then it parses and has the services of the production shape
    doc = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = doc["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "minio", "migrate"} <= set(services)
    assert "gunicorn" in services["web"]["command"]
    assert "/api/v1/ready" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "onconav.config", "worker"]
    assert "beat" in services["beat"]["command"]
    for name in ("postgres", "redis", "minio"):
        assert services[name]["healthcheck"]["test"], name
    # and the app is configured only from the environment: no secret literal in the file
    env = services["web"]["environment"]
    assert env["CELERY_EAGER"] == "false" and "${POSTGRES_PASSWORD:?" in env["DATABASE_URL"]


def test_the_image_runs_as_a_non_root_user_under_gunicorn():
    text = (ROOT / "Dockerfile").read_text()
    assert text.startswith("#") and "FROM python:3.11-slim" in text
    assert "\nUSER onconav\n" in text and "HEALTHCHECK" in text
    assert 'CMD ["gunicorn", "-c", "python:onconav.config.gunicorn", "onconav.config.wsgi"]' in text


@pytest.mark.django_db
def test_readiness_reports_each_dependency(client, kb_loaded):
    from onconav.options.services import engine_get

    # given the engine built (at process start in a server); when the probe asks
    engine_get()
    resp = client.get("/api/v1/ready")
    # then it is ready, with the checks named
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == "ok" and body["checks"]["knowledge_base"] == "ok"


@pytest.mark.django_db
def test_readiness_fails_before_the_knowledge_base_is_loaded(client, kb_loaded, monkeypatch):
    from onconav.options import services

    monkeypatch.setattr(services, "_engine", None)
    resp = client.get("/api/v1/ready")
    assert resp.status_code == 503 and resp.json()["checks"]["knowledge_base"] == "not loaded"


def test_the_wsgi_module_builds_the_engine_at_import_not_on_a_request():
    # given a fresh process; when the WSGI module is imported (what gunicorn --preload does)
    code = (
        "import onconav.config.wsgi, onconav.options.services as s, sys;"
        "sys.exit(0 if s._engine is not None else 1)"
    )
    env = {k: v for k, v in os.environ.items() if k != "WARM_UP"}
    env["DJANGO_ENV"] = "development"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    # then the engine exists before any request
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_documents_go_to_s3_when_a_bucket_is_configured():
    # given a bucket in the environment; then the default storage is S3, without signed URLs
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "o=s.STORAGES['default'];assert o['BACKEND']=='storages.backends.s3.S3Storage',o;"
        "assert o['OPTIONS']['querystring_auth'] is False and o['OPTIONS']['default_acl'] is None;"
        "assert o['OPTIONS']['bucket_name']=='docs';print('ok')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "onconav.config.settings",
        "DJANGO_ENV": "development",
        "AWS_STORAGE_BUCKET_NAME": "docs",
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    }
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "ok" in proc.stdout, proc.stderr[-2000:]
