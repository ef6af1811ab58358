"""A browser-like HTTP client for the production shape: cookies (also the Secure ones, since TLS
ends at the load balancer that the client pretends to be), CSRF header, the whole intake."""

from __future__ import annotations

import email as email_lib
import os
import random
import re
import time
import uuid
from pathlib import Path

import requests

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

STEPS = {
    "who": {"relationship": "family", "helper_name": "Daniyar", "helper_relationship": "son"},
    "patient": {
        "full_name": "Load Test",
        "sex": "female",
        "date_of_birth": "1961-03-27",
        "nationality": "Kazakhstan",
    },
    "contact": {"email": "x@example.org", "phone": "+7 700", "languages": ["ru"]},
    "diagnosis": {"cancer_type": "LUAD", "stage": "IV", "diagnosis_date": "2025-06-01"},
    "goals": {"goals": ["treatment_china"], "questions": "Which options?"},
    "cities": {"cities": ["Beijing", "Shanghai"]},
    "budget": {"budget_usd": "50000", "insurance": "none"},
}


class _BehindTLS(requests.Session):
    """Sends every cookie, the Secure ones too: the client stands where the TLS-terminating load
    balancer would be (and says so with X-Forwarded-Proto)."""

    def request(self, method, url, **kw):  # type: ignore[no-untyped-def, override]
        headers = dict(kw.pop("headers", None) or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        return super().request(method, url, headers=headers, **kw)


def session(base: str) -> requests.Session:
    """A visitor; with its own address in X-Forwarded-For (believed only when the stack trusts
    the local proxy, TRUSTED_PROXY_COUNT=1), so per-visitor rate limits apply per visitor."""
    s = _BehindTLS()
    s.headers["X-Forwarded-For"] = f"198.18.{random.randint(0, 255)}.{random.randint(1, 254)}"
    s.headers.update({"X-Forwarded-Proto": "https", "Origin": base.replace("http://", "https://")})
    s.headers["Referer"] = s.headers["Origin"] + "/"
    return s


def _csrf(s: requests.Session) -> dict[str, str]:
    return {"X-CSRFToken": s.cookies.get("csrftoken", "")}


def post(s: requests.Session, url: str, **kw) -> requests.Response:  # type: ignore[no-untyped-def]
    return s.post(url, headers=_csrf(s), allow_redirects=False, timeout=kw.pop("timeout", 30), **kw)


class IntakeError(Exception):
    pass


def _ok(resp: requests.Response, what: str) -> requests.Response:
    if resp.status_code not in (200, 302):
        raise IntakeError(f"{what}: HTTP {resp.status_code}")
    return resp


def intake_until_send(
    base: str, *, files: int = 1, email: str | None = None
) -> tuple[requests.Session, str, list[bytes]]:
    """Fill every step, upload ``files`` PDFs and create the account; return (session, draft id,
    the uploaded bytes). The submission itself is left to the caller (retries, faults)."""
    s = session(base)
    _ok(s.get(f"{base}/start/", timeout=30), "start page")
    _ok(post(s, f"{base}/start/"), "start")
    for slug, data in STEPS.items():
        r = post(s, f"{base}/start/step/{slug}/", data=data)
        if r.status_code != 302:
            raise IntakeError(f"step {slug}: HTTP {r.status_code}")
    uploaded = []
    for i in range(files):
        body = PDF + f"upload {uuid.uuid4().hex} {i}\n".encode() * 40
        r = post(
            s,
            f"{base}/start/records/",
            data={"kind": "pathology"},
            files={"file": (f"r{i}.pdf", body, "application/pdf")},
        )
        if r.status_code != 302:
            raise IntakeError(f"upload {i}: HTTP {r.status_code}")
        uploaded.append(body)
    email = email or f"load-{uuid.uuid4().hex[:12]}@example.org"
    r = post(s, f"{base}/start/account/", data={"email": email, "password": "a-long-passphrase-42"})
    if r.status_code != 302:
        raise IntakeError(f"account: HTTP {r.status_code}")
    confirm_signup(s, base, email)
    page = s.get(f"{base}/start/send/", timeout=30).text
    m = re.search(r'name="idempotency_key"[^>]*value="([0-9a-f-]{36})"', page) or re.search(
        r'value="([0-9a-f-]{36})"[^>]*name="idempotency_key"', page
    )
    if not m:
        raise IntakeError("no idempotency key on the send page")
    return s, m.group(1), uploaded


def submit(s: requests.Session, base: str, draft_id: str, timeout: float = 30) -> str:
    """Send the request; return the case id from the redirect."""
    r = post(
        s,
        f"{base}/start/send/",
        data={"idempotency_key": draft_id, "consent_processing": "on", "consent_transfer": "on"},
        timeout=timeout,
    )
    m = re.search(r"/cases/([0-9a-f-]{36})/", r.headers.get("Location", ""))
    if r.status_code != 302 or not m:
        raise IntakeError(f"submit: HTTP {r.status_code}")
    return m.group(1)


_CONFIRM = re.compile(r"(/start/account/confirm/[^/\s]+/)")


def signup_link(email: str, *, wait: float = 30.0) -> str:
    """The sign-up link mailed to ``email`` (the stack's file-based mail, one file per message
    batch; messages parsed so that encoded bodies are read right)."""
    folder = Path(os.environ.get("ONCONAV_PRODSHAPE_MAIL_DIR", ""))
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.log")) if folder.is_dir() else []:
            for raw in path.read_text(errors="replace").split("-" * 79):
                if email not in raw:
                    continue
                msg = email_lib.message_from_string(raw.strip())
                parts = msg.walk() if msg.is_multipart() else [msg]
                for part in parts:
                    body = part.get_payload(decode=True)
                    m = _CONFIRM.search(body.decode(errors="replace") if body else "")
                    if m:
                        return m.group(1)
        time.sleep(0.2)
    raise IntakeError(f"no sign-up email for {email} in {folder}")


def confirm_signup(s: requests.Session, base: str, email: str) -> None:
    """Open the mailed link in the same browser and press the confirm button (the account is made
    then, with the password chosen at sign-up)."""
    path = signup_link(email)
    _ok(s.get(f"{base}{path}", timeout=30), "sign-up link")
    r = post(s, f"{base}{path}")
    if r.status_code != 302:
        raise IntakeError(f"confirm sign-up: HTTP {r.status_code}")
