"""Every studio page a programme designer or an organisation admin can open passes axe-core.

The pages are found the way a person finds them: by following the studio's own links from its
index (each changelist, add form, one change form per model with its inlines, its history and
delete pages, the password change), so a page added later is scanned without editing this file.
Each is scanned at desktop and phone width, for every rule tagged WCAG 2.0, 2.1 and 2.2 A and AA,
at every impact: a violation of any kind fails the test.

The admin can open every page the designer can (and the people pages besides), so the designer's
crawl skips the pages whose content does not depend on the role (history, delete confirmations,
password change), which the admin's crawl scans: a scan costs a second or more of CPU.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from cohorts.actions import enroll, ensure_sessions
from cohorts.models import EnrollmentRole
from organizations.models import Role
from rapport.testing import PASSWORD, make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_learner_journey import describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DESIGNER = "dora@northwind.example"
ADMIN = "adam@northwind.example"
# Links that are not pages to scan: signing out, the JavaScript catalogue, JSON for the
# autocomplete, and "view on site" redirects.
NOT_PAGES = re.compile(r"^/studio/(logout|jsi18n|autocomplete|r)/")
SAME_FOR_EVERY_ROLE = re.compile(r"/(history|delete|password_change)/$")


@pytest.fixture
def studio(transactional_db: None) -> None:
    """One organisation with a programme of every activity kind, a cohort with a learner and a
    coach, a designer and an admin; and another organisation whose pages must never appear."""
    org = make_org()
    program = make_program(org, weeks=2, per_week=7)
    cohort = make_cohort(program, name="Spring cohort", start=timezone.localdate())
    make_user(org, DESIGNER, role=Role.DESIGNER)
    make_user(org, ADMIN, role=Role.ADMIN)
    coach = make_user(org, "carol@northwind.example", role=Role.COACH)
    learner = make_user(org, "alice@northwind.example", region="Europe")
    enroll(coach, cohort=cohort, role=EnrollmentRole.COACH)
    enroll(learner, cohort=cohort, coach=coach)
    ensure_sessions(cohort)  # its live sessions are an inline on the cohort's page


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/studio/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url(f"{base}/studio/")


def page_key(path: str) -> str:
    """Pages that differ only by which row they show count as one: a row's id becomes <id>."""
    return re.sub(r"/\d+/", "/<id>/", path)


def studio_links(page: Page, here: str, skip: re.Pattern[str] | None) -> Iterator[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "a[href]", "links => links.map(link => link.getAttribute('href'))"
    )
    for href in hrefs:
        path = urlsplit(urljoin(here, href)).path
        if not path.startswith("/studio/") or NOT_PAGES.match(path):
            continue
        if skip is None or not skip.search(path):
            yield path


def axe_scan(page: Page) -> list[dict[str, Any]]:
    """What axe-core (injected into every page of the context) finds against WCAG 2.2 AA."""
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_AA,
    )
    return list(result["violations"])


def scan_the_studio(
    page: Page, base: str, who: str, skip: re.Pattern[str] | None = None
) -> tuple[list[str], list[str]]:
    """Follow the studio's links from its index, scanning each page once at both widths.
    Returns the pages scanned (paths) and what axe-core found, described."""
    found: list[str] = []
    scanned: list[str] = []
    queue = ["/studio/"]
    seen = {page_key("/studio/")}
    while queue:
        path = queue.pop(0)
        response = page.goto(f"{base}{path}")
        assert response is not None and response.ok, f"{who} could not open {path}"
        scanned.append(path)
        for link in studio_links(page, path, skip):
            if page_key(link) not in seen:
                seen.add(page_key(link))
                queue.append(link)
        for size, width in ((DESKTOP, "desktop"), (PHONE, "phone")):
            page.set_viewport_size(size)
            for violation in axe_scan(page):
                found.extend(describe(f"{who} {path} ({width})", violation))
        page.set_viewport_size(DESKTOP)
    return scanned, found


@pytest.mark.parametrize("email", [DESIGNER, ADMIN], ids=["designer", "admin"])
def test_every_studio_page_passes_axe_at_desktop_and_phone_width(
    live_server: LiveServer, chromium: Browser, studio: None, axe_js: Path, email: str
) -> None:
    base = live_server.url
    # The app's CSP only admits its own scripts; bypass it to inject axe.
    context = chromium.new_context(
        bypass_csp=True, viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(10_000)
    context.add_init_script(path=axe_js)
    page = context.new_page()
    try:
        page.goto(f"{base}/studio/login/")
        login_problems = [
            line for violation in axe_scan(page) for line in describe("sign-in", violation)
        ]
        sign_in(page, base, email)
        skip = SAME_FOR_EVERY_ROLE if email == DESIGNER else None
        scanned, problems = scan_the_studio(page, base, email.split("@")[0], skip)
    finally:
        context.close()

    keys = {page_key(path) for path in scanned}
    expected = {
        "/studio/programs/activity/",
        "/studio/programs/activity/add/",
        "/studio/programs/activity/<id>/change/",
        "/studio/programs/program/<id>/change/",
        "/studio/programs/week/<id>/change/",
        "/studio/cohorts/cohort/<id>/change/",
        "/studio/organizations/competency/<id>/change/",
    }
    if email == ADMIN:
        expected |= {
            "/studio/password_change/",
            "/studio/programs/activity/<id>/history/",
            "/studio/programs/activity/<id>/delete/",
            "/studio/accounts/user/<id>/change/",
            "/studio/accounts/user/add/",
            "/studio/cohorts/enrollment/<id>/change/",
        }
    assert expected <= keys, f"the crawl missed {sorted(expected - keys)}"
    problems = login_problems + problems
    assert not problems, f"axe-core found {len(problems)} problem lines:\n" + "\n".join(problems)
