"""The programme sponsor in real Chromium: her home page shows the programme's headline figures
and takes her into its dashboard; her header holds only what is hers; zero axe violations on
her home, the dashboard and the connections at desktop and phone width."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from analytics import snapshots
from analytics.tests.base import generate
from organizations.models import Role
from rapport.testing import make_org, make_user
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_moderation_accessibility import signed_in, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sponsor_goes_from_her_home_figures_to_the_dashboard(
    live_server: LiveServer, chromium: Browser, axe_js: Path, artifacts: Path
) -> None:
    org = make_org()
    sponsor = make_user(org, "helena@northwind.example", name="Helena Virtanen", role=Role.SPONSOR)
    data = generate(org, cohorts=2, learners=20, seed=5)
    program = data["program"]
    snapshots.rebuild(program)
    context = signed_in(chromium, live_server, sponsor, DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + reverse("home"))
    figures = page.get_by_test_id("headline")
    expect(figures.get_by_text("Enrolled")).to_be_visible()
    expect(figures.locator("dd").first).to_have_text("40")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_text(["Home", "Notifications", "Settings"])
    page.screenshot(path=str(artifacts / "sponsor-home.png"), full_page=True)
    page.get_by_role("link", name=f"Open the dashboard · {program.title}").click()
    expect(page.get_by_role("heading", level=1, name=program.title)).to_be_visible()
    expect(page.get_by_text("40 learners.")).to_be_visible()
    context.close()

    found: list[str] = []
    for width in (DESKTOP, PHONE):
        context = signed_in(chromium, live_server, sponsor, width)
        for path in (
            reverse("home"),
            reverse("analytics:dashboard", args=[program.public_id]),
            reverse("analytics:connections", args=[program.public_id]),
        ):
            found += violations(context, live_server.url + path, axe_js)
        context.close()
    assert found == []
