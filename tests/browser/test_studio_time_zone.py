"""A designer types a cohort's live-session time in the studio (the cohort page's inline), in a
browser whose clock is in another zone than the one in their Settings (case studio-time-zone.md).
The form names the designer's zone, states the offset for the date being typed as it is typed,
and Django's own warning ("You are 5 hours behind", computed for today) never appears; the page
runs under the app's real Content-Security-Policy."""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from cohorts.actions import ensure_sessions
from cohorts.models import CohortSession
from organizations.models import Role
from rapport.testing import PASSWORD, make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESIGNER = "dora@northwind.example"


@pytest.fixture
def live_session(transactional_db: None) -> CohortSession:
    """The one live session of a cohort whose first week runs Monday 29 March to Sunday
    4 April 2027, just after London's clocks go forward."""
    org = make_org()
    program = make_program(org, weeks=1, per_week=7)
    make_user(org, DESIGNER, role=Role.DESIGNER, time_zone="Europe/London")
    cohort = make_cohort(program, name="Spring cohort", start=date(2027, 3, 29))
    ensure_sessions(cohort)
    return CohortSession.objects.get(cohort=cohort)


@pytest.fixture
def browser_context(chromium: Browser) -> Iterator[BrowserContext]:
    """conftest's context (so its `page` and `script_errors`), in a browser whose clock is in
    New York rather than London."""
    context = chromium.new_context(viewport=DESKTOP, locale="en-US", timezone_id="America/New_York")
    context.set_default_timeout(10_000)
    yield context
    context.close()


def test_a_designer_sees_her_own_zone_and_the_offset_of_the_date_she_types(
    live_server: LiveServer, page: Page, script_errors: list[str], live_session: CohortSession
) -> None:
    base = live_server.url
    page.goto(f"{base}/studio/login/")
    page.fill("input[name=username]", DESIGNER)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url(f"{base}/studio/")

    page.goto(f"{base}/studio/cohorts/cohort/{live_session.cohort_id}/change/")
    note = page.locator("#id_sessions-0-starts_at_timezone_warning_helptext")
    offset = note.locator(".studio-zone-offset")
    expect(note).to_contain_text("Times are in your own time zone, Europe/London:")
    # One note per date-time field, ours: Django's browser-today warning was never added.
    expect(page.locator(".timezonewarning")).to_have_count(1)
    expect(page.get_by_text("hours behind")).to_have_count(0)
    expect(page.get_by_text("Enter times in the")).to_have_count(0)

    page.fill("#id_sessions-0-starts_at_0", "2027-04-01")
    page.fill("#id_sessions-0-starts_at_1", "10:00")
    expect(offset).to_have_text("UTC+01:00 on 1 April 2027")
    page.fill("#id_sessions-0-starts_at_0", "2027-01-10")
    expect(offset).to_have_text("UTC+00:00 on 10 January 2027")
    page.fill("#id_sessions-0-starts_at_0", "")
    expect(offset).to_have_text(note.get_attribute("data-undated") or "")

    page.fill("#id_sessions-0-starts_at_0", "2027-04-01")
    page.locator("input[name=_save]").click()
    expect(page).to_have_url(f"{base}/studio/cohorts/cohort/")
    live_session.refresh_from_db()
    assert live_session.starts_at == datetime(2027, 4, 1, 9, 0, tzinfo=UTC)

    errors = list(dict.fromkeys(script_errors))
    assert not errors, "the studio logged script errors or CSP refusals:\n" + "\n".join(errors)
