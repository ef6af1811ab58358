"""Browser tests: Playwright (Python) driving Debian's Chromium at /usr/bin/chromium.

No browser is downloaded. Without Chromium the tests are skipped with a plain message, except in
CI (CI=true), where a missing browser is a failure. Screenshots go to test-artifacts/e2e/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_missing_reason() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        return f"browser tests skipped: Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "browser tests skipped: the playwright package is not installed"
    return None


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    reason = _browser_missing_reason()
    e2e = [i for i in items if "tests/e2e/" in str(i.fspath)]
    for item in e2e:
        item.add_marker(pytest.mark.e2e)
    if reason and e2e:
        if os.environ.get("CI") == "true":
            raise pytest.UsageError(f"CI requires the browser tests: {reason}")
        config.pluginmanager.get_plugin("terminalreporter").write_line(f"NOTE: {reason}", yellow=True)
        for item in e2e:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"), full_page=True)
    context.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# --- accessibility (axe-core 4.14, vendored in tests/e2e/vendor, MPL-2.0) -------------------------

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def a11y_page(browser):  # type: ignore[no-untyped-def]
    """A page that may inject axe-core despite the site's Content-Security-Policy."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def serious_accessibility_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """WCAG 2.2 AA violations of impact serious or critical on the current page (needs a page whose
    context bypasses the CSP, such as ``a11y_page``)."""
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
