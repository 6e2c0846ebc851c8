"""The staff home at phone width: the cohorts table becomes one card per cohort, so its actions
(Preview journey, Import learners, Form circles) are on screen, not cut off at the right edge
behind a sideways scroll nobody notices (found clicking through the demo at 390 px)."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from cohorts.actions import enroll
from organizations.models import Role
from rapport.testing import make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_learner_journey import axe_violations, describe

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


def test_the_main_navigation_folds_behind_a_menu_button_on_a_phone(
    live_server: LiveServer, chromium: Browser, axe_js: Path
) -> None:
    """Twelve destinations and counting took four lines of a phone's first screen (seen at 390 px
    in the demo). On a phone they fold behind one "Menu" button (the WAI-ARIA disclosure pattern:
    aria-expanded, Escape closes and gives focus back); on a desktop the list stays in view."""
    org = make_org("Browser Menu")
    cohort = make_cohort(make_program(org, weeks=1, per_week=1))
    learner = make_user(org, "amara@menu.example", name="Amara Okafor")
    enroll(learner, cohort=cohort)
    context = chromium.new_context(viewport=PHONE, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, learner.email)
        menu = page.get_by_role("button", name="Menu")
        expect(menu).to_have_attribute("aria-expanded", "false")
        journey = page.get_by_role("link", name="Journey", exact=True)
        expect(journey).to_be_hidden()
        menu.focus()
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(journey).to_be_visible()
        violations = axe_violations(page, axe_js)
        assert not violations, "\n".join(
            line for v in violations for line in describe("open menu (phone)", v)
        )
        page.keyboard.press("Tab")
        page.keyboard.press("Escape")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(menu).to_be_focused()
        expect(journey).to_be_hidden()
        # Wider than a phone, the whole list shows and the button goes.
        page.set_viewport_size(DESKTOP)
        expect(menu).to_be_hidden()
        expect(journey).to_be_visible()
    finally:
        context.close()
