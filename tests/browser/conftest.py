"""Real-browser fixtures: Debian's Chromium, driven by Playwright's sync API, against live_server.

`playwright install` cannot download browsers on our machines, so the tests launch the Chromium
found on PATH. Without it they skip locally, but fail under CI, where .ci/run installs it: a green
CI must mean the browser tests ran.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

from rapport.testing import PASSWORD

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The test starts the podcast from script, with no click: let it play.
    "--autoplay-policy=no-user-gesture-required",
]
DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=390, height=844)


def running_in_ci() -> bool:
    return bool(os.environ.get("CI"))


def missing_tool(reason: str) -> None:
    """Skip on a developer's machine; under CI a missing tool is a broken pipeline."""
    if running_in_ci():
        pytest.fail(f"CI is set, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        missing_tool("chromium is not on PATH (apt-get install chromium chromium-driver)")
    # Playwright's sync API keeps an asyncio loop on this thread, which makes Django refuse ORM
    # calls from fixtures and tests ("cannot call this from an async context"). Allowed only
    # while Playwright runs, so the rest of the suite keeps Django's guard.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        # Playwright makes a fresh temporary profile (user-data-dir) for each launch.
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context(chromium: Browser) -> Iterator[BrowserContext]:
    # The journey runs under the app's real Content-Security-Policy, so a script the CSP blocks
    # fails the test. Only the accessibility scan (see axe_violations) bypasses it.
    context = chromium.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Iterator[Page]:
    page = browser_context.new_page()
    yield page
    page.close()


@pytest.fixture
def script_errors(page: Page) -> list[str]:
    """What went wrong in the page's scripts, CSP refusals included; tests assert it stays empty."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text} ({message.location['url']})")

    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("console", on_console)
    return errors


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots for people to look at (gitignored; CI can keep them)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def axe_js() -> Path:
    if not AXE_JS.is_file():
        missing_tool(
            f"axe-core is not installed ({AXE_JS.relative_to(REPO_ROOT)}): "
            "run `make setup` with npm available"
        )
    return AXE_JS


def sign_in(page: Page, base: str, email: str) -> None:
    """Sign in on the product's sign-in page with the personas' shared test password and wait
    for the page it leads to (every product page has an h1)."""
    page.goto(f"{base}/accounts/sign-in/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page.locator("h1")).to_be_visible()
