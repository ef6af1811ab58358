"""UX review: screenshot every page each demo role can reach, in English and Chinese, at 390 px and
1280 px, against a running development server (``make data`` then ``runserver``), and list the
problems the browser suite checks for (sideways scrolling at 390 px, raw codes and untranslated
English on Chinese pages).

    .venv/bin/python scripts/ux_screenshots.py --base http://127.0.0.1:8107 [--roles patient,admin]

Screenshots go to var/screenshots/review/<lang>/<role>/ (git-ignored); the list of problems to
var/screenshots/review/problems.txt. ``--world`` first gives the demo patient a case far enough
along that every section of the case page has content (stage IV lung adenocarcinoma, KRAS G12C,
EGFR and ALK not entered), in the development database only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onconav.config.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from tests.e2e.test_every_page import OVERFLOW_JS, VISIBLE_TEXT_JS, chinese_problems  # noqa: E402

OUT = ROOT / "var" / "screenshots" / "review"
PASSWORD = "onconav-demo-2026"
DEMO = "{}@demo.onconav.org"
PROFILE = {
    "cancer": {"oncotree_code": "LUAD", "stage": "IV"},
    "ecog": 1,
    "age": 58,
    "sex": "male",
    "biomarkers": [{"gene": "KRAS", "alteration": "G12C"}],
}


@transaction.atomic
def build_world() -> str:
    """The demo patient's case, moved along to "quote sent" (idempotent: reuses a case it made)."""
    from django.utils import timezone

    from onconav.accounts.models import User
    from onconav.cases import services
    from onconav.cases.models import Case, CaseState, Quote, QuoteLine, QuoteStatus, Referral, TravelPlan
    from onconav.intake.consent import consent_text, text_hash
    from onconav.intake.models import Consent, ConsentKind, DraftStatus, IntakeDraft
    from tests.cases.factories import ANSWERS

    patient = User.objects.get(email=DEMO.format("patient"))
    # patient_name is encrypted at rest, so it is compared in Python
    existing = next(
        (c for c in Case.objects.filter(patient=patient) if c.patient_name == "Demo Review Patient"), None
    )
    if existing:
        return str(existing.public_id)
    staff = {r: User.objects.get(email=DEMO.format(r)) for r in ("coordinator", "clinician", "partner")}
    hospital = staff["partner"].partner_hospital_id
    answers = dict(ANSWERS)
    answers["biomarkers"] = dict(ANSWERS["biomarkers"], egfr="", pdl1_tps=None, other_alterations="KRAS G12C")
    draft = IntakeDraft.objects.create(
        owner=patient, status=DraftStatus.SUBMITTED, answers=answers, completed_steps=list(answers)
    )
    case = Case.objects.create(
        patient=patient,
        draft=draft,
        state=CaseState.MDT_OPINION,
        patient_name="Demo Review Patient",
        details=answers,
        profile=PROFILE,
        cancer_code="LUAD",
        preferred_cities=["Shanghai"],
        first_reply_due_at=timezone.now() + dt.timedelta(days=2),
        reviewer=staff["clinician"],  # clinicians see (and give opinions on) assigned cases only
    )
    for kind in (ConsentKind.PROCESSING, ConsentKind.TRANSFER):  # partners need both in force
        version, text = consent_text(kind)
        Consent.objects.create(
            user=patient,
            draft=draft,
            kind=kind,
            version=version,
            language="en",
            text_sha256=text_hash(text),
            scope={"cities": ["Shanghai"]} if kind == ConsentKind.TRANSFER else {},
            given_at=timezone.now(),
        )
    services.message_send(case=case, author=staff["coordinator"], body="We have your records.")
    services.opinion_record(
        case=case,
        author=staff["clinician"],
        summary="Sotorasib after first-line therapy.",
        regimen="sotorasib",
    )
    Referral.objects.create(case=case, hospital_id=hospital)
    services.referral_respond(
        referral=Referral.objects.get(case=case),
        actor=staff["partner"],
        accept=True,
        department="Thoracic oncology",
        contact="+86 21 0000 0000",
        proposed_start=timezone.localdate() + dt.timedelta(days=20),
    )
    services.case_transition(case=case, to_state=CaseState.HOSPITAL_MATCHED, actor=staff["coordinator"])
    quote = Quote.objects.create(
        case=case,
        hospital_id=hospital,
        status=QuoteStatus.SENT,
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )
    QuoteLine.objects.create(quote=quote, description="Consultation", amount_low=1000, amount_high=2000)
    services.case_transition(case=case, to_state=CaseState.QUOTE_SENT, actor=staff["coordinator"])
    TravelPlan.objects.create(case=case, hospital_id=hospital, passport_nationality="Kazakhstan")
    return str(case.public_id)


def sign_in(page: Any, base: str, role: str) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from onconav.accounts.models import User
    from tests.conftest import current_totp

    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", DEMO.format(role))
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    if "/2fa/verify/" in page.url:
        user = User.objects.get(email=DEMO.format(role))
        page.fill("input[name=token]", current_totp(TOTPDevice.objects.filter(user=user).first()))
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state("load")


def options_kras(page: Any, base: str) -> None:
    """The options page with a real profile: stage IV lung adenocarcinoma, KRAS G12C."""
    page.goto(base + "/options/")
    page.select_option("#id_oncotree_code", "LUAD")
    page.fill("#id_stage", "IV")
    page.fill("#id_other_alterations", "KRAS G12C")
    page.locator("#id_cities_1").check()
    page.locator("form.options-form button[type=submit]").first.click()
    page.wait_for_selector(".option-card")


def public_pages() -> list[Any]:
    from onconav.content.selectors import articles

    slug = articles("en")[0].slug
    return [
        "/",
        "/options/",
        options_kras,
        "/hospitals/",
        "/hospitals/map/",
        "/hospitals/match/?modalities=radiotherapy&cities=Shanghai",
        "/hospitals/fudan-cancer-center/",
        "/costs/estimate/",
        "/costs/estimate/?treatment=sotorasib&currency=EUR",
        "/guide/",
        f"/guide/{slug}/",
        "/guide/faq/",
        "/guide/search/?q=visa",
        "/kb/",
        "/kb/drugs/sotorasib/",
        "/kb/cancers/LUAD/",
        "/trials/",
        "/trials/?condition=lung&phase=PHASE3",
        "/trials/NCT99900001/",
        "/about/",
        "/privacy/",
        "/terms/",
        "/start/",
        "/accounts/login/",
        "/accounts/password-reset/",
    ]


def role_pages(role: str, case_id: str) -> list[str]:
    from onconav.cases.models import Quote

    c = f"/cases/{case_id}"
    quote = Quote.objects.filter(case__public_id=case_id).first()
    common = ["/accounts/", "/trials/for-my-case/", f"/trials/for-case/{case_id}/"]
    if role == "patient":
        my_data = [
            "/my-data/",
            "/my-data/withdraw/processing/",
            "/my-data/withdraw/transfer/",
            "/my-data/erase/",
        ]
        return ["/cases/mine/", f"{c}/", f"{c}/quotes/{quote.public_id}/accept/", *common, *my_data]
    if role == "coordinator":
        return [
            "/cases/queue/",
            f"{c}/",
            f"{c}/quotes/new/",
            f"{c}/travel/",
            "/hospitals/changes/review/",
            *common,
        ]
    if role == "admin":
        return ["/cases/queue/", "/staff/audit/", "/hospitals/changes/review/", "/accounts/"]
    if role == "partner":  # a partner hospital sees its referrals, not the case's options or trials
        return ["/cases/queue/", f"{c}/", "/accounts/"]
    return ["/cases/queue/", f"{c}/", *common]


def shoot(page: Any, base: str, target: Any, lang: str, role: str, problems: list[str]) -> None:
    name = target if isinstance(target, str) else target.__name__
    name = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "id", name)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "home"
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        if isinstance(target, str):
            resp = page.goto(base + target)
            if resp is not None and resp.status >= 400:
                problems.append(f"{lang} {role} {slug}: HTTP {resp.status}")
        else:
            target(page, base)
        page.wait_for_load_state("load")
        folder = OUT / lang / role
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{slug}-{width}.png"), full_page=True)
        if width == 390:
            ov = page.evaluate(OVERFLOW_JS)
            if ov["scroll"] > ov["width"] + 1:
                problems.append(f"{lang} {role} {slug}: sideways {ov['scroll']}>{ov['width']} {ov['wide']}")
        if lang == "zh-hans" and width == 1280:
            texts = page.evaluate(VISIBLE_TEXT_JS)
            for p in chinese_problems(texts["site"]):
                problems.append(f"{lang} {role} {slug}: site {p}")
            for p in chinese_problems(texts["kb"]):
                problems.append(f"{lang} {role} {slug}: kb {p}")


def main() -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8107")
    ap.add_argument("--roles", default="anonymous,patient,coordinator,clinician,partner,admin")
    ap.add_argument("--langs", default="en,zh-hans")
    ap.add_argument("--world", action="store_true")
    args = ap.parse_args()
    case_id = build_world() if args.world else ""
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for lang in args.langs.split(","):
            for role in args.roles.split(","):
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                ctx.add_cookies([{"name": "django_language", "value": lang, "url": args.base}])
                page = ctx.new_page()
                page.set_default_timeout(30000)
                if role != "anonymous":
                    sign_in(page, args.base, role)
                targets = public_pages() if role == "anonymous" else role_pages(role, case_id)
                for t in targets:
                    try:
                        shoot(page, args.base, t, lang, role, problems)
                    except Exception as exc:  # keep going: one broken page must not hide the rest
                        problems.append(f"{lang} {role} {t}: ERROR {str(exc).splitlines()[0][:160]}")
                ctx.close()
                print(lang, role, "done", flush=True)
        browser.close()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "problems.txt").write_text("\n".join(problems) + "\n", encoding="utf-8")
    print("\n".join(problems))


if __name__ == "__main__":
    main()
