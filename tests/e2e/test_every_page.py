"""Every page each role can reach, in English and Chinese, at 390 px (a phone) and 1280 px:

* a full-page screenshot of each, saved as a test artifact under var/screenshots/<lang>/<role>/;
* no horizontal scrolling at 390 px;
* on Chinese pages: no raw codes (``first_line``), no reference prefixes (``PMID:``), no evidence
  ids, and no untranslated English (three Latin words in a row that are not on the checked list of
  allowed tokens in ``allowed_latin.py``: INNs, trial names, genes, units...);
* axe-core (WCAG 2.2 AA) with no serious or critical violation.

One browser and one live server for the whole run; one test per role and language.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from onconav.kbdata.policy_loader import STRICT_COMPLETENESS
from tests.e2e.conftest import serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTHS = (390, 1280)
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
PREFIX = re.compile(r"\b(?:PMID|DOI|LABEL|GUIDELINE|NOTICE|URL|BOOK):")
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*(?:[ \t]+[A-Za-z][A-Za-z0-9'’\-]*){2,}")

# Visible text of the page, leaving out what is marked as another language (lang="en"), code,
# form values and the language switch (which names each language in its own language); text from
# the knowledge base or the engine's answer (inside [data-kb]) apart from the site's own words.
VISIBLE_TEXT_JS = """
() => {
  const out = [], kb = [];
  const skip = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const lang = (e.getAttribute && e.getAttribute('lang')) || '';
      if (lang.toLowerCase().startsWith('en')) return true;
      if (['SCRIPT', 'STYLE', 'CODE', 'OPTION', 'TEXTAREA', 'DATALIST'].includes(e.tagName)) return true;
      if (e.classList && e.classList.contains('lang-switch')) return true;
      if (e.hasAttribute && e.hasAttribute('data-user')) return true;  // what a person wrote
      if (e.hidden || (e.getAttribute && e.getAttribute('aria-hidden') === 'true')) return true;
    }
    return false;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode;
    if (!n.textContent.trim() || skip(n.parentElement)) continue;
    (n.parentElement.closest('[data-kb]') ? kb : out).push(n.textContent);
  }
  return {site: out.join('\\n'), kb: kb.join('\\n')};
}
"""
OVERFLOW_JS = """
() => {
  const w = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && getComputedStyle(el).position !== 'fixed' && !el.closest('.table-wrap')) {
      wide.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: w, wide: wide.slice(0, 5)};
}
"""


def chinese_problems(text: str) -> list[str]:
    """Raw codes, reference prefixes and untranslated English in a Chinese page's text."""
    from tests.e2e.allowed_latin import allowed_tokens

    allowed = allowed_tokens()
    problems = [f"raw code {m}" for m in sorted(set(RAW_CODE.findall(text)))]
    problems += [f"reference prefix {m}" for m in sorted(set(PREFIX.findall(text)))]
    for run in LATIN_RUN.findall(text):
        words = [w.lower().strip("'’-") for w in run.split()]
        unknown = [w for w in words if w and w not in allowed and not w.isdigit()]
        if len(unknown) >= 2:
            problems.append(f"English: {run.strip()[:80]}")
    return sorted(set(problems))


def record_kb_gaps(where: str, gaps: list[str]) -> None:
    """Chinese-language gaps in knowledge-base or engine text, for the KB work (kb-check's
    completeness report): written to var/screenshots/zh-kb-gaps.txt; they fail the test once
    STRICT_COMPLETENESS is switched on."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with (SCREENSHOTS / "zh-kb-gaps.txt").open("a", encoding="utf-8") as fh:
        for g in gaps:
            fh.write(f"{where}\t{g}\n")


def check_page(
    page: Any, live_server: Any, url: str, lang: str, role: str, problems: dict[str, list[str]]
) -> None:
    """Visit ``url`` (or, for a callable, let it navigate) at each width and record every problem."""
    name = url if isinstance(url, str) else url.__name__
    name = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "id", name)  # stable names
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "home"
    found: list[str] = []
    kb_gaps: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if isinstance(url, str):
            resp = page.goto(live_server.url + url)
            if resp is not None and resp.status >= 400:
                found.append(f"HTTP {resp.status}")
        else:
            url(page, live_server)
        page.wait_for_load_state("load")
        folder = SCREENSHOTS / lang / role
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{slug}-{width}.png"), full_page=True)
        if width == 390:
            ov = page.evaluate(OVERFLOW_JS)
            if ov["scroll"] > ov["width"] + 1:
                found.append(f"scrolls sideways at 390 px ({ov['scroll']} > {ov['width']}): {ov['wide']}")
            found += [f"axe: {v}" for v in serious_accessibility_violations(page)]
        if lang == "zh-hans" and width == 1280:
            texts = page.evaluate(VISIBLE_TEXT_JS)
            kb_page = "/kb/" in page.url
            found += chinese_problems(texts["kb"] if kb_page else texts["site"])
            kb_found = chinese_problems(texts["site"] + "\n" + texts["kb"] if kb_page else texts["kb"])
            if kb_found:
                (kb_gaps if not STRICT_COMPLETENESS else found).extend(kb_found)
                record_kb_gaps(f"{role} {slug}", kb_found)
    if found:
        problems[f"{role} {slug}"] = found


# --- the world: one case far enough along that every section of the case page has content ----


def _world() -> dict[str, Any]:
    from onconav.accounts.models import Role
    from onconav.cases import services
    from onconav.cases.models import CaseState, Referral, TravelPlan
    from tests.cases.factories import HOSPITAL, CaseFactory, ConsentFactory, QuoteFactory, ReferralFactory
    from tests.factories import TOTPDeviceFactory, UserFactory

    case = CaseFactory(state=CaseState.MDT_OPINION)
    ConsentFactory(draft=case.draft)
    staff = {}
    for role, extra in (
        (Role.COORDINATOR, {}),
        (Role.CLINICIAN, {}),
        (Role.PARTNER, {"partner_hospital_id": HOSPITAL}),
    ):
        staff[str(role)] = UserFactory(role=role, full_name=f"Test {role}", **extra)
        TOTPDeviceFactory(user=staff[str(role)])
    services.message_send(case=case, author=staff["coordinator"], body="We have your records.")
    case.reviewer = staff["clinician"]  # only the assigned clinician reviewer may see the case
    case.save(update_fields=["reviewer"])
    services.opinion_record(
        case=case, author=staff["clinician"], summary="Osimertinib first line.", regimen="osimertinib"
    )
    ReferralFactory(case=case, hospital_id=HOSPITAL)
    services.referral_respond(
        referral=Referral.objects.get(case=case),
        actor=staff["partner"],
        accept=True,
        department="Thoracic oncology",
        contact="+86 10 0000 0000",
        proposed_start=timezone.localdate() + dt.timedelta(days=20),
    )
    services.case_transition(case=case, to_state=CaseState.HOSPITAL_MATCHED, actor=staff["coordinator"])
    quote = QuoteFactory(case=case, hospital_id=HOSPITAL)
    services.case_transition(case=case, to_state=CaseState.QUOTE_SENT, actor=staff["coordinator"])
    TravelPlan.objects.create(case=case, hospital_id=HOSPITAL, passport_nationality="Kazakhstan")
    return {"case": case, "quote": quote, "staff": staff, "patient": case.patient}


def _sign_in(page: Any, live_server: Any, user: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import current_totp
    from tests.factories import PASSWORD

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    if "/2fa/verify/" in page.url:
        page.fill("input[name=token]", current_totp(TOTPDevice.objects.get(user=user)))
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state("load")


def options_results(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/options/")
    page.select_option("#id_oncotree_code", "LUAD")
    page.fill("#id_stage", "IV")
    page.select_option("#id_egfr", "L858R")
    page.locator("#id_cities_1").check()
    page.locator("form.options-form button[type=submit]").first.click()
    page.wait_for_selector(".option-card")


def _public_pages() -> list[Any]:
    from onconav.content.selectors import articles

    slug = articles("en")[0].slug
    return [
        "/",
        "/options/",
        options_results,
        "/hospitals/",
        "/hospitals/?page=2&scope=all",
        "/hospitals/map/",
        "/hospitals/match/?modalities=radiotherapy&cities=Shanghai",
        "/hospitals/fudan-cancer-center/",
        "/costs/estimate/",
        "/costs/estimate/?hospital=fudan-cancer-center&currency=EUR",
        "/guide/",
        f"/guide/{slug}/",
        "/guide/faq/",
        "/guide/search/?q=visa",
        "/kb/",
        "/kb/drugs/osimertinib/",
        "/kb/cancers/LUAD/",
        "/trials/",
        "/trials/?kind=car_t&phase=PHASE2&status=RECRUITING",
        "/trials/NCT99900001/",
        "/about/",
        "/privacy/",
        "/terms/",
        "/start/",
        "/accounts/login/",
        "/accounts/password-reset/",
    ]


def _pages_for(role: str, w: dict[str, Any]) -> list[Any]:
    c = f"/cases/{w['case'].public_id}"
    trials = ["/trials/for-my-case/", f"/trials/for-case/{w['case'].public_id}/"]
    if role == "patient":
        return [
            "/cases/mine/",
            f"{c}/",
            f"{c}/quotes/{w['quote'].public_id}/accept/",
            "/accounts/",
            *trials,
            "/my-data/",
            "/my-data/withdraw/processing/",
            "/my-data/withdraw/transfer/",
            "/my-data/erase/",
        ]
    if role == "coordinator":
        return [
            "/cases/queue/",
            f"{c}/",
            f"{c}/quotes/new/",
            f"{c}/travel/",
            "/hospitals/changes/review/",
            "/accounts/",
            *trials,
        ]
    if role == "clinician":
        return ["/cases/queue/", f"{c}/", *trials]
    return ["/cases/queue/", f"{c}/"]


def _intake_pages(page: Any, live_server: Any) -> list[Any]:
    page.goto(live_server.url + "/start/")
    page.locator("form[action='/start/'] button[type=submit]").click()
    page.wait_for_url("**/start/tasks/")
    return [
        "/start/tasks/",
        "/start/step/who/",
        "/start/step/patient/",
        "/start/step/diagnosis/",
        "/start/step/biomarkers/",
        "/start/step/ecog/",
        "/start/step/cities/",
        "/start/step/budget/",
        "/start/records/",
        "/start/check/",
    ]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("role", ["anonymous", "patient", "coordinator", "clinician", "partner"])
def test_every_page_fits_a_phone_is_accessible_and_is_wholly_in_its_language(
    live_server, a11y_page, kb_loaded, role, lang
):
    page = a11y_page
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    problems: dict[str, list[str]] = {}
    call_command("trials_load_demo", verbosity=0)  # the 15 demo trial records the trial pages show
    if role == "anonymous":
        urls = _public_pages() + _intake_pages(page, live_server)
    else:
        w = _world()
        user = w["patient"] if role == "patient" else w["staff"][role]
        _sign_in(page, live_server, user)
        urls = _pages_for(role, w)
    for url in urls:
        check_page(page, live_server, url, lang, role, problems)
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
