"""The programme dashboard in real Chromium: an admin opens it from the home page, chooses a
cohort with the filters and sees suppressed cells marked as such, with the charts drawn, and the
capability change card with its chart and tables; zero axe violations at desktop and phone
width; a bad date range is refused with its message."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from analytics.tests.base import generate, rate
from organizations.models import Role
from rapport.testing import make_org, make_user
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_moderation_accessibility import signed_in, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_sees_the_cohort_dashboard_with_suppressed_cells_marked(
    live_server: LiveServer, chromium: Browser, axe_js: Path, artifacts: Path
) -> None:
    org = make_org()
    admin = make_user(org, "tom@northwind.example", name="Tom Becker", role=Role.ADMIN)
    data = generate(org, cohorts=2, learners=20, seed=5)
    rate(org, data["cohorts"], seed=5, year_later=1)
    cohort = data["cohorts"][0]
    context = signed_in(chromium, live_server, admin, DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + reverse("home"))
    page.get_by_role("link", name="Open the programme dashboards").click()
    page.get_by_role("link", name=data["program"].title).click()
    page.get_by_label("Cohort", exact=True).select_option(
        label=f"{cohort.name} ({cohort.start_date.isoformat()})"
    )
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=2, name=cohort.name)).to_be_visible()
    expect(page.locator(".suppressed").first).to_have_text("suppressed")
    expect(page.locator("img.chart").first).to_be_visible()
    # The chart image decodes (a broken data URI would have no natural width).
    assert page.locator("img.chart").first.evaluate("img => img.naturalWidth") > 0
    card = page.locator("section", has=page.get_by_role("heading", name="Capability change"))
    expect(card.get_by_test_id("capability-table")).to_contain_text("Baseline → end of programme")
    expect(card.get_by_test_id("capability-years")).to_contain_text(cohort.name)
    assert card.locator("img.chart").evaluate("img => img.naturalWidth") > 0
    page.screenshot(path=str(artifacts / "analytics-cohort-dashboard.png"), full_page=True)
    page.get_by_label("From", exact=True).fill("2026-10-10")
    page.get_by_label("To", exact=True).fill("2026-10-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("The end date is before the start date.")).to_be_visible()
    context.close()

    url = live_server.url + reverse("analytics:dashboard", args=[data["program"].public_id])
    found: list[str] = []
    for width in (DESKTOP, PHONE):
        context = signed_in(chromium, live_server, admin, width)
        for path in (
            live_server.url + reverse("analytics:index"),
            url,
            f"{url}?cohort={cohort.public_id}",
            f"{url}?cohort={cohort.public_id}&group=region:Africa",
            live_server.url
            + reverse("analytics:connections", args=[data["program"].public_id])
            + f"?cohort={cohort.public_id}",
        ):
            found += violations(context, path, axe_js)
        context.close()
    assert found == []
