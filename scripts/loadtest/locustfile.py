"""Locust users for `make loadtest` (scripts/loadtest/run.py starts the production shape).

Anonymous browsing, options requests, intake submissions with an upload, the coordinator queue.
Each simulated client comes from its own address (X-Forwarded-For through the trusted local
proxy), as real visitors do, so the per-client rate limits apply per visitor.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import sys
import uuid
from pathlib import Path

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from prodshape.client import PDF, STEPS, IntakeError, signup_link  # noqa: E402
from prodshape.users import COORDINATORS, PASSWORD, coordinator_email, totp_now  # noqa: E402

PROFILES = [
    {
        "age": 67,
        "ecog": 1,
        "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
        "biomarkers": [{"gene": "EGFR", "alteration": "L858R"}],
    },
    {
        "age": 48,
        "ecog": 0,
        "cancer": {"oncotree_code": "BRCA", "stage": "IV"},
        "biomarkers": [{"gene": "ERBB2", "alteration": "amplification"}],
    },
    {"age": 59, "ecog": 1, "child_pugh": "A", "cancer": {"oncotree_code": "HCC", "stage": "BCLC C"}},
]
_coordinator_index = itertools.count()
SEARCHES = ["osimertinib", "EGFR", "奥希替尼", "lung", "CAR-T", "肺癌"]


class Visitor(HttpUser):
    abstract = True

    def on_start(self) -> None:
        ip = f"198.18.{random.randint(0, 255)}.{random.randint(1, 254)}"
        base = self.host.replace("http://", "https://")
        self.client.headers.update(
            {"X-Forwarded-For": ip, "X-Forwarded-Proto": "https", "Origin": base, "Referer": base + "/"}
        )

    def post(self, url: str, name: str | None = None, **kw):  # type: ignore[no-untyped-def]
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Cookie": cookie}
        return self.client.post(url, headers=headers, allow_redirects=False, name=name or url, **kw)

    def get(self, url: str, name: str | None = None):  # type: ignore[no-untyped-def]
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)
        return self.client.get(url, headers={"Cookie": cookie} if cookie else {}, name=name or url)


class Browser(Visitor):
    weight = 6
    wait_time = between(0.5, 2)

    @task(3)
    def pages(self) -> None:
        for url in ("/", "/kb/", "/hospitals/", "/guide/"):
            self.get(url)

    @task(3)
    def search(self) -> None:
        self.get(f"/kb/search/?q={random.choice(SEARCHES)}", name="/kb/search/?q=…")
        self.get(
            f"/hospitals/?city={random.choice(['Beijing', 'Shanghai', 'Guangzhou'])}",
            name="/hospitals/?city=…",
        )

    @task(2)
    def drug(self) -> None:
        self.get("/kb/drugs/osimertinib/")


class OptionsClient(Visitor):
    weight = 3
    wait_time = between(0.5, 2)

    @task
    def options(self) -> None:
        self.client.post(
            "/api/v1/options",
            data=json.dumps(random.choice(PROFILES)),
            headers={"Content-Type": "application/json"},
            name="POST /api/v1/options",
        )


class Patient(Visitor):
    weight = 2
    wait_time = between(1, 3)

    @task
    def intake(self) -> None:
        self.client.cookies.clear()
        self.get("/start/")
        self.post("/start/")
        for slug, data in STEPS.items():
            self.post(f"/start/step/{slug}/", data=data, name="/start/step/…")
        body = PDF + uuid.uuid4().hex.encode() * 100
        self.post(
            "/start/records/", files={"file": ("r.pdf", body, "application/pdf")}, data={"kind": "pathology"}
        )
        email = f"lt-{uuid.uuid4().hex[:12]}@example.org"
        self.post("/start/account/", data={"email": email, "password": PASSWORD})
        try:  # the account is made when the mailed link is confirmed (docs/security.md)
            link = signup_link(email, wait=10)
        except IntakeError:
            return
        self.get(link, name="/start/account/confirm/…")
        self.post(link, name="POST /start/account/confirm/…")
        page = self.get("/start/send/").text
        m = re.search(r'name="idempotency_key"[^>]*value="([0-9a-f-]{36})"', page)
        if m:
            self.post(
                "/start/send/",
                data={"idempotency_key": m.group(1), "consent_processing": "on", "consent_transfer": "on"},
                name="POST /start/send/",
            )


class Coordinator(Visitor):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        super().on_start()
        self.get("/accounts/login/")
        email = coordinator_email(next(_coordinator_index) % COORDINATORS)
        self.post("/accounts/login/", data={"username": email, "password": PASSWORD})
        self.post("/accounts/2fa/verify/", data={"token": totp_now()}, name="/accounts/2fa/verify/")

    @task
    def queue(self) -> None:
        self.get("/cases/queue/")
