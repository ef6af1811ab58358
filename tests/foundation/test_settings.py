"""Production settings refuse to start without secrets and pass Django's deploy checks."""

import os
import subprocess
import sys

from cryptography.fernet import Fernet

BASE_ENV = {
    k: v
    for k, v in os.environ.items()
    if k
    not in {
        "DATABASE_URL",
        "SECRET_KEY",
        "FIELD_ENCRYPTION_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_ENV",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
}


def _check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", "check", *args, "--settings=onconav.config.settings"],
        env={**BASE_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secrets():
    result = _check({"DJANGO_ENV": "production"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _check(
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": "short",
            "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "ALLOWED_HOSTS": "a.org",
        }
    )
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_deploy_checks_are_clean_with_production_settings():
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "p" * 20 + "-rq8Zk3v9XwT2yLmN0aBcDeFgHiJkLmNoPqRsTuV",
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "onconav.example.org",
    }
    result = _check(env, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
