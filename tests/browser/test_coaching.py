"""Coaching sessions in Chromium: a learner books a session and both invites reach a real SMTP
server on loopback; the coach writes a private note the learner cannot see (page or HTML);
a message with a file goes to the coach and an answer comes back; the readiness check runs
with Chromium's fake camera and microphone (and says so clearly without them); every coaching
page, messages and action plans included, has 0 axe-core violations at desktop and phone
width; all under the app's real Content-Security-Policy."""

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from accounts.tests.test_emails import parse, smtp_server
from coaching.models import Booking
from coaching.tests.base import open_every_day
from cohorts.actions import enroll
from cohorts.models import EnrollmentRole
from organizations.models import Role
from rapport.testing import make_cohort, make_org, make_program, make_user
from tests.browser.conftest import CHROMIUM_ARGS, DESKTOP, PHONE, sign_in
from tests.browser.test_learner_journey import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@dataclass
class People:
    coach: User
    learner: User


@pytest.fixture
def people() -> People:
    org = make_org("Browser Coaching")
    cohort = make_cohort(make_program(org, weeks=1, per_week=1))
    coach = make_user(
        org, "grace@coaching.example", name="Grace Mensah", role=Role.COACH,
        time_zone="Europe/Berlin",
    )  # fmt: skip
    learner = make_user(
        org, "amara@coaching.example", name="Amara Okafor", time_zone="America/New_York"
    )
    enroll(coach, cohort=cohort, role=EnrollmentRole.COACH)
    enroll(learner, cohort=cohort, coach=coach)
    open_every_day(coach)
    return People(coach=coach, learner=learner)


def test_a_learner_books_a_session_and_both_invites_arrive(
    live_server: LiveServer, page: Page, people: People, script_errors: list[str]
) -> None:
    with smtp_server() as inbox:
        sign_in(page, live_server.url, people.learner.email)
        # One journey: home leads to This week, whose coach card offers the booking.
        page.get_by_role("link", name="Book a session with your coach").first.click()
        expect(page.locator("h1")).to_have_text("Book a session with your coach")
        first = page.locator("input[name=starts_at]").first
        first.focus()
        page.keyboard.press("Space")
        expect(first).to_be_checked()
        page.get_by_role("button", name="Book this time").click()
        expect(page.locator("h1")).to_have_text("Coaching session with Grace Mensah")
        expect(page.locator(".notice--success")).to_contain_text("calendar invite")
        expect(page.locator(".lead")).to_contain_text("America/New_York")
        expect(page.locator(".lead")).to_contain_text("Europe/Berlin")
        booking = Booking.objects.get()
        assert booking.learner_id == people.learner.pk

        received = {parse(raw)["To"]: parse(raw) for raw in inbox.messages}
        assert sorted(received) == [people.learner.email, people.coach.email]
        for message in received.values():
            calendars = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
            assert len(calendars) == 1
            assert calendars[0].get_param("method") == "REQUEST"
            assert booking.ical_uid in calendars[0].get_content()

        page.get_by_role("link", name="My sessions").first.click()
        expect(page.locator("[data-testid=session-coaching]")).to_contain_text("Grace Mensah")
    assert script_errors == []


@pytest.fixture
def media_browser(chromium: Browser) -> Iterator[Browser]:
    """Chromium with a fake camera (a moving test pattern) and microphone (a beep), allowed
    without a prompt."""
    executable = shutil.which("chromium")
    assert executable is not None
    browser = chromium.browser_type.launch(
        executable_path=executable, headless=True, args=[*CHROMIUM_ARGS, *FAKE_MEDIA]
    )
    yield browser
    browser.close()


def test_the_readiness_check_sees_the_fake_camera_and_microphone(
    live_server: LiveServer, media_browser: Browser, people: People
) -> None:
    context = media_browser.new_context(viewport=PHONE, permissions=["camera", "microphone"])
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        sign_in(page, live_server.url, people.learner.email)
        page.goto(f"{live_server.url}/sessions/readiness/")
        page.get_by_role("button", name="Test camera and microphone").click()
        expect(page.get_by_test_id("camera-result")).to_contain_text("Camera: working")
        expect(page.get_by_test_id("microphone-result")).to_contain_text(
            "Microphone: working", timeout=15_000
        )
        playing = page.evaluate(
            "() => { const v = document.getElementById('readiness-video');"
            " return v.videoWidth > 0 && !v.paused; }"
        )
        assert playing
        assert page.evaluate("() => document.getElementById('readiness-level').value") >= 0
        page.get_by_role("button", name="Test my connection").click()
        expect(page.get_by_test_id("connection-result")).to_contain_text(
            "ms to answer", timeout=15_000
        )
        assert errors == []
    finally:
        context.close()


def test_without_a_camera_the_readiness_check_says_so(
    live_server: LiveServer, page: Page, people: People, script_errors: list[str]
) -> None:
    # The suite's Chromium has no media devices and no fake ones.
    sign_in(page, live_server.url, people.learner.email)
    page.goto(f"{live_server.url}/sessions/readiness/")
    page.get_by_role("button", name="Test camera and microphone").click()
    result = page.get_by_test_id("camera-result")
    expect(result).to_contain_text("Camera: ")
    expect(result).not_to_contain_text("working")
    expect(result).to_have_attribute("data-state", "error")
    assert script_errors == []


def test_coaching_pages_have_no_axe_violations(
    live_server: LiveServer, chromium: Browser, people: People, axe_js: Path
) -> None:
    from django.utils import timezone

    from coaching import actions
    from coaching.access import free_slots

    now = timezone.now()
    slots = free_slots(people.learner, people.coach, now=now)
    booking = actions.book_session(
        people.learner, coach=people.coach, starts_at=slots[0].starts_at, slots=slots, now=now
    ).booking
    context = chromium.new_context(bypass_csp=True, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    found: list[str] = []
    pages = {
        people.learner.email: ["/sessions/", "/sessions/book/", f"/sessions/{booking.public_id}/"],
        people.coach.email: [
            "/sessions/",
            "/sessions/availability/",
            f"/sessions/{booking.public_id}/",
            "/sessions/readiness/",
        ],
    }
    try:
        for email, paths in pages.items():
            page.context.clear_cookies()
            sign_in(page, live_server.url, email)
            for size, suffix in ((DESKTOP, ""), (PHONE, " (phone)")):
                page.set_viewport_size(size)
                for path in paths:
                    page.goto(f"{live_server.url}{path}")
                    for violation in axe_violations(page, axe_js):
                        found.extend(describe(f"{email} {path}{suffix}", violation))
        # A refused block keeps the page accessible too.
        page.goto(f"{live_server.url}/sessions/availability/")
        page.get_by_role("button", name="Add these times").click()
        expect(page.locator(".field-error").first).to_be_visible()
        for violation in axe_violations(page, axe_js):
            found.extend(describe("availability with errors", violation))
    finally:
        context.close()
    assert found == [], "\n".join(found)


# -- Messages, private notes, action plans (coach-talk) -------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NOTE = "Amara wants to rehearse the feedback to Ines first"


def test_the_note_stays_the_coachs_and_a_message_with_a_file_goes_both_ways(
    live_server: LiveServer, page: Page, people: People, script_errors: list[str], tmp_path: Path
) -> None:
    with smtp_server() as inbox:
        # The learner books a session; both invites reach the SMTP server on loopback.
        sign_in(page, live_server.url, people.learner.email)
        page.goto(f"{live_server.url}/sessions/book/")
        page.locator("input[name=starts_at]").first.check()
        page.get_by_role("button", name="Book this time").click()
        expect(page.locator("h1")).to_have_text("Coaching session with Grace Mensah")
        session_url = page.url
        received = sorted(parse(raw)["To"] for raw in inbox.messages)
        assert received == [people.learner.email, people.coach.email]

        # The coach writes a private note on it.
        page.context.clear_cookies()
        sign_in(page, live_server.url, people.coach.email)
        page.goto(session_url)
        expect(page.get_by_text("Learner cannot see this", exact=True)).to_be_visible()
        page.get_by_label("Your private note").fill(NOTE)
        page.get_by_role("button", name="Save the note").click()
        expect(page.locator(".notice--success")).to_contain_text("Only you can see it")
        expect(page.get_by_label("Your private note")).to_have_value(NOTE)

        # The learner's page of the same session shows none of it, not even in its HTML.
        page.context.clear_cookies()
        sign_in(page, live_server.url, people.learner.email)
        page.goto(session_url)
        expect(page.locator("h1")).to_have_text("Coaching session with Grace Mensah")
        assert "rehearse the feedback" not in page.content()
        assert "Private note" not in page.content()

        # She writes to her coach with a file attached.
        page.get_by_role("link", name="Messages with Grace").click()
        page.get_by_label("Your message").fill("Here is my plan for Thursday.")
        plan_file = tmp_path / "my plan.pdf"
        plan_file.write_bytes(PDF)
        page.get_by_label("Attach files (optional)").set_input_files(str(plan_file))
        page.get_by_role("button", name="Send").click()
        expect(page.locator(".notice--success")).to_contain_text("Sent")
        expect(page.locator(".message").last).to_contain_text("Here is my plan for Thursday.")

        # The coach sees it waiting, opens it, downloads the file and answers.
        page.context.clear_cookies()
        sign_in(page, live_server.url, people.coach.email)
        page.get_by_role("link", name="Messages", exact=True).click()
        expect(page.locator(".conversation-item")).to_contain_text("1 unread")
        page.get_by_role("link", name="With Amara Okafor").click()
        expect(page.locator(".message").last).to_contain_text("Here is my plan for Thursday.")
        with page.expect_download() as download:
            page.get_by_role("link", name="my plan.pdf").click()
        assert Path(download.value.path()).read_bytes() == PDF
        page.get_by_label("Your message").fill("Thank you, this looks good. See you Thursday.")
        page.get_by_role("button", name="Send").click()
        expect(page.locator(".message").last).to_contain_text("See you Thursday.")

        page.context.clear_cookies()
        sign_in(page, live_server.url, people.learner.email)
        page.goto(f"{live_server.url}/coach/messages/")
        expect(page.locator(".conversation-item")).to_contain_text("1 unread")
        page.get_by_role("link", name="With Grace Mensah").click()
        expect(page.locator(".message").last).to_contain_text("See you Thursday.")
    assert script_errors == []


def test_message_and_plan_pages_have_no_axe_violations(
    live_server: LiveServer, chromium: Browser, people: People, axe_js: Path
) -> None:
    from coaching.tests.talk_helpers import add_item, checked, send

    send(people.learner, people.coach, "Can we talk about feedback?", files=(checked(),))
    send(people.coach, people.learner, "Of course. Bring one example.")
    add_item(people.coach, people.learner, "Ask one open question in each 1:1")
    learner_id, coach_id = people.learner.public_id, people.coach.public_id
    pages = {
        people.learner.email: [
            "/coach/messages/",
            f"/coach/messages/{coach_id}/",
            f"/coach/messages/{coach_id}/plan/",
        ],
        people.coach.email: [
            "/coach/messages/",
            f"/coach/messages/{learner_id}/",
            f"/coach/messages/{learner_id}/plan/",
        ],
    }
    context = chromium.new_context(bypass_csp=True, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    found: list[str] = []
    try:
        for email, paths in pages.items():
            page.context.clear_cookies()
            sign_in(page, live_server.url, email)
            for size, suffix in ((DESKTOP, ""), (PHONE, " (phone)")):
                page.set_viewport_size(size)
                for path in paths:
                    page.goto(f"{live_server.url}{path}")
                    for violation in axe_violations(page, axe_js):
                        found.extend(describe(f"{email} {path}{suffix}", violation))
        # A refused message (nothing typed) keeps the page accessible too.
        page.goto(f"{live_server.url}/coach/messages/{learner_id}/")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("#message-errors")).to_be_visible()
        for violation in axe_violations(page, axe_js):
            found.extend(describe("message with errors", violation))
    finally:
        context.close()
    assert found == [], "\n".join(found)
