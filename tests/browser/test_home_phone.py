"""The staff home at phone width: the cohorts table becomes one card per cohort, so its actions
(Preview journey, Import learners, Form circles) are on screen, not cut off at the right edge
behind a sideways scroll nobody notices (found clicking through the demo at 390 px)."""

import pytest
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from organizations.models import Role
from rapport.testing import make_cohort, make_org, make_program, make_user
from tests.browser.conftest import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_cohort_action_is_on_screen_at_phone_width(
    live_server: LiveServer, chromium: Browser
) -> None:
    org = make_org("Browser Home")
    program = make_program(org, weeks=1, per_week=1)
    for n in range(3):
        make_cohort(program, name=f"Cohort {n + 1} with a fairly long name for a phone")
    admin = make_user(org, "tom@browser.example", name="Tom Becker", role=Role.ADMIN)
    context = chromium.new_context(viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, admin.email)
        page.goto(f"{live_server.url}/")
        actions = page.locator("table a.button")
        assert actions.count() == 9
        width = page.evaluate("document.documentElement.clientWidth")
        for index in range(actions.count()):
            box = actions.nth(index).bounding_box()
            assert box is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (index, box, width)
        wrap = page.locator(".table-wrap")
        assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
    finally:
        context.close()
