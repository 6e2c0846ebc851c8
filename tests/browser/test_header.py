"""The site header at desktop and phone width. Clicking through the demo at 1280 px found a
learner's header three rows tall: the brand on one, and her fourteen destinations on a journey
page (Home, This week, Journey, Community, My circle, My journal, Shared with me, My growth,
Sessions, Messages, Experts, Notifications with its count, Settings, Sign out) wrapped onto two
more. At 1280 px they share one row with the brand; at 390 px they fold behind "Menu", and so they
do at 1024 px, where they no longer fit beside the brand (they wrapped into three rows there);
the page never scrolls sideways."""

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from cohorts.actions import enroll
from notifications.actions import notify
from notifications.models import NotificationKind
from rapport.testing import make_circle, make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each item of the main navigation whose box does not cross the brand's middle line: an item
# on another row than the brand.
OFF_THE_BRAND_ROW = """() => {
  const brand = document.querySelector('.site-header .brand').getBoundingClientRect();
  const middle = brand.top + brand.height / 2;
  return [...document.querySelectorAll('#site-nav-list > li')]
    .filter(li => {
      const r = li.getBoundingClientRect();
      return r.top > middle || r.bottom < middle;
    })
    .map(li => `${li.innerText.trim()} at y=${li.getBoundingClientRect().top}`);
}"""


def sideways_scroll(page: Page) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))


def test_a_learners_header_is_one_row_at_desktop_width_and_folds_on_a_phone(
    live_server: LiveServer, chromium: Browser
) -> None:
    org = make_org("Browser Header")
    cohort = make_cohort(make_program(org, weeks=1, per_week=1))
    learner = make_user(org, "amara@header.example", name="Amara Okafor")
    peer = make_user(org, "rafael@header.example", name="Rafael Costa")
    enroll(learner, cohort=cohort)
    enroll(peer, cohort=cohort)
    make_circle(cohort, [learner, peer], name="Circle Lisbon")
    # A two-digit unread count, the widest the badge usually gets.
    for n in range(12):
        notify(
            kind=NotificationKind.CIRCLE,
            recipients=[learner],
            actor=peer,
            actor_label=peer.full_name,
            place=f"Circle Lisbon {n}",
            url="/",
        )
    this_week = f"{live_server.url}/cohorts/{cohort.public_id}/"

    context = chromium.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, learner.email)
        page.goto(this_week)
        items = page.locator("#site-nav-list > li")
        expect(items).to_have_count(14)
        expect(page.locator("#notification-badge")).to_have_text("12 unread")
        # The bell stands for the word, which stays the link's accessible name.
        notifications = page.get_by_role("link", name="Notifications 12 unread")
        expect(notifications).to_be_visible()
        assert page.evaluate(OFF_THE_BRAND_ROW) == []
        assert sideways_scroll(page) == 0

        # A small laptop: the list does not fit beside the brand, so it folds as on a phone, the
        # word Notifications back in place of the bell once the menu is open.
        page.set_viewport_size({"width": 1024, "height": 768})
        menu = page.get_by_role("button", name="Menu")
        expect(menu).to_be_visible()
        expect(page.locator("#site-nav-list")).to_be_hidden()
        assert sideways_scroll(page) == 0
        menu.click()
        expect(notifications).to_be_visible()
        expect(notifications).not_to_have_css("font-size", "0px")
        page.keyboard.press("Escape")
        expect(page.locator("#site-nav-list")).to_be_hidden()
        # Back at 1280 px the whole list is on the brand's row again.
        page.set_viewport_size(DESKTOP)
        expect(menu).to_be_hidden()
        assert page.evaluate(OFF_THE_BRAND_ROW) == []

        page.set_viewport_size(PHONE)
        expect(menu).to_be_visible()
        assert sideways_scroll(page) == 0
        menu.click()
        # Unfolded, the menu says the word rather than showing the bell.
        expect(notifications).to_be_visible()
        expect(notifications).to_have_css("font-size", "14px")
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        assert sideways_scroll(page) == 0
    finally:
        context.close()
