"""The notification pages in Chromium: 0 serious or critical axe-core violations on the list and
the preferences page (desktop and phone), the header badge loaded by htmx, and everything done
by keyboard: open a notification (it is marked read), mark all read, save preferences."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from notifications.actions import notify
from notifications.models import EmailPreference, Notification, NotificationKind
from rapport.testing import make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_learner_journey import BLOCKING_IMPACTS, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def learner() -> str:
    org = make_org("Browser Notifications")
    program = make_program(org, weeks=1, per_week=1)
    make_cohort(program)
    ana = make_user(org, "ana@browser.example", name="Ana Lima")
    ben = make_user(org, "ben@browser.example", name="Ben Okoye")
    for n, kind in enumerate(
        (NotificationKind.REPLY, NotificationKind.MENTION, NotificationKind.REACTION)
    ):
        notify(
            kind=kind,
            recipients=[ana],
            actor=ben,
            actor_label="Ben Okoye",
            place=f"Week 1 · Listening {n}",
            url="/accounts/settings/",
        )
    return ana.email


def test_notification_pages_pass_axe(
    live_server: LiveServer, chromium: Browser, learner: str, axe_js: Path
) -> None:
    context = chromium.new_context(bypass_csp=True, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    blocking: list[str] = []
    try:
        sign_in(page, live_server.url, learner)
        for size, suffix in ((DESKTOP, ""), (PHONE, " (phone)")):
            page.set_viewport_size(size)
            for label, path in (
                ("list", "/notifications/"),
                ("preferences", "/notifications/preferences"),
            ):
                page.goto(f"{live_server.url}{path}")
                expect(page.locator("#notification-badge .badge")).to_have_text("3 unread")
                for violation in axe_violations(page, axe_js):
                    if violation["impact"] in BLOCKING_IMPACTS:
                        blocking.extend(describe(f"{label}{suffix}", violation))
    finally:
        context.close()
    assert not blocking, "axe-core found serious or critical problems:\n" + "\n".join(blocking)


def test_everything_works_by_keyboard(
    live_server: LiveServer, chromium: Browser, learner: str
) -> None:
    context = chromium.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    base = live_server.url
    try:
        sign_in(page, base, learner)
        page.goto(f"{base}/notifications/")
        # The newest notification's button: reachable by Tab, opened by Enter.
        newest = page.locator(".notification__open").first
        for _ in range(30):
            page.keyboard.press("Tab")
            if newest.evaluate("el => el === document.activeElement"):
                break
        else:
            pytest.fail("the first notification is not reachable by Tab")
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{base}/accounts/settings/")
        assert Notification.objects.filter(read_at__isnull=False).count() == 1

        page.goto(f"{base}/notifications/")
        page.get_by_role("button", name="Mark all as read").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("All your notifications are marked read.")).to_be_visible()
        assert not Notification.objects.filter(read_at__isnull=True).exists()

        page.goto(f"{base}/notifications/preferences")
        radio = page.locator("input[name=email_reaction][value=never]")
        radio.focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Save preferences").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Your notification preferences are saved.")).to_be_visible()
        assert EmailPreference.objects.get(kind="reaction").email == "never"
    finally:
        context.close()


def test_the_new_badge_is_its_own_size(
    live_server: LiveServer, chromium: Browser, learner: str
) -> None:
    """An unread notification's "New" badge is a small pill at the start of its line; in the
    button's grid it stretched across the whole notification (seen at 390px in the demo)."""
    context = chromium.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, learner)
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}/notifications/")
            badges = page.locator(".notification__open .badge--new")
            expect(badges).to_have_count(3)
            for index in range(3):
                badge = badges.nth(index).bounding_box()
                headline = page.locator(".notification__headline").nth(index).bounding_box()
                assert badge and headline, (badge, headline)
                assert badge["width"] < 80, (size, badge)
                assert badge["x"] <= headline["x"] + 1, (size, badge, headline)
    finally:
        context.close()


def test_the_quiet_hours_help_stands_apart_from_the_fields_under_it(
    live_server: LiveServer, chromium: Browser, learner: str
) -> None:
    """At 390 px the quiet hours' help sentence touched the "Quiet hours start" label under it
    (and that field the "Quiet hours end" label): a gap now separates each."""
    context = chromium.new_context(viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, learner)
        page.goto(f"{live_server.url}/notifications/preferences")
        help_box = page.get_by_text("No email reaches you between these times").bounding_box()
        start = page.locator("label[for=id_quiet_start]").bounding_box()
        start_input = page.locator("#id_quiet_start").bounding_box()
        end = page.locator("label[for=id_quiet_end]").bounding_box()
        assert help_box and start and start_input and end
        assert start["y"] - (help_box["y"] + help_box["height"]) >= 12, (help_box, start)
        assert end["y"] - (start_input["y"] + start_input["height"]) >= 12, (start_input, end)
    finally:
        context.close()
