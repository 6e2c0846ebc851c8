"""Circle sessions in Chromium: a coach schedules a session with her circle from My sessions
and the invite reaches every member (and her) at a real SMTP server on loopback, one event
with one UID; a member then finds it in My sessions. The circle-session and nudge pages (a
small group's preview with its warning included) have 0 axe-core
violations at desktop and phone width, a refused form included; all under the app's real
Content-Security-Policy (the axe scan alone bypasses it)."""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from accounts.tests.test_emails import parse, smtp_server
from circles.models import Circle
from coaching.models import GroupSession
from cohorts.actions import enroll
from cohorts.models import EnrollmentRole
from organizations.models import Role
from rapport.testing import make_circle, make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_learner_journey import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class Circle3:
    coach: User
    members: list[User]
    circle: Circle


@pytest.fixture
def circle3() -> Circle3:
    org = make_org("Browser Circles")
    cohort = make_cohort(make_program(org, weeks=1, per_week=1))
    coach = make_user(
        org, "grace@circles.example", name="Grace Mensah", role=Role.COACH,
        time_zone="Europe/Berlin",
    )  # fmt: skip
    enroll(coach, cohort=cohort, role=EnrollmentRole.COACH)
    members = [
        make_user(org, f"{name.lower()}@circles.example", name=f"{name} Demo", time_zone=zone)
        for name, zone in (
            ("Amara", "Europe/London"),
            ("Kenji", "Asia/Tokyo"),
            ("Lucia", "America/Lima"),
        )
    ]
    for member in members:
        enroll(member, cohort=cohort, coach=coach)
    circle = make_circle(cohort, members, name="Circle Accra", coach=coach)
    return Circle3(coach=coach, members=members, circle=circle)


def test_a_coach_schedules_a_circle_session_and_every_member_gets_the_invite(
    live_server: LiveServer, page: Page, circle3: Circle3, script_errors: list[str]
) -> None:
    day = timezone.localdate() + timedelta(days=3)
    with smtp_server() as inbox:
        sign_in(page, live_server.url, circle3.coach.email)
        page.goto(f"{live_server.url}/sessions/")
        page.get_by_role("link", name="Schedule a circle session").click()
        expect(page.locator("h1")).to_have_text("Schedule a circle session")
        page.get_by_label("Circle").select_option(label="Circle Accra · Cohort")
        page.get_by_label("Day").fill(day.isoformat())
        page.get_by_label("Starts at").fill("15:00")
        page.get_by_label("Length").select_option("60")
        page.get_by_label("Video link").fill("https://meet.example.com/accra")
        page.get_by_role("button", name="Schedule and invite the circle").click()
        expect(page.locator("h1")).to_have_text("Circle session · Circle Accra")
        expect(page.locator(".notice--success")).to_contain_text("calendar invite")
        expect(page.locator(".lead")).to_contain_text("Europe/Berlin")
        session = GroupSession.objects.get()

        received = {parse(raw)["To"]: parse(raw) for raw in inbox.messages}
        expected = sorted([circle3.coach.email, *(m.email for m in circle3.members)])
        assert sorted(received) == expected
        for message in received.values():
            calendars = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
            assert len(calendars) == 1
            assert calendars[0].get_param("method") == "REQUEST"
            content = calendars[0].get_content()
            assert session.ical_uid in content
            assert content.count("ATTENDEE") == 3

    page.context.clear_cookies()
    sign_in(page, live_server.url, circle3.members[1].email)
    page.goto(f"{live_server.url}/sessions/")
    entry = page.locator("[data-testid=session-group]")
    expect(entry).to_contain_text("Circle Accra")
    expect(entry).to_contain_text("Grace Mensah")
    entry.get_by_role("link", name="Circle session · Circle Accra").click()
    expect(page.locator(".lead")).to_contain_text("Asia/Tokyo")
    expect(page.get_by_role("button", name="Cancel this circle session")).to_have_count(0)
    assert script_errors == []


def test_circle_session_pages_have_no_axe_violations(
    live_server: LiveServer, chromium: Browser, circle3: Circle3, axe_js: Path
) -> None:
    from coaching import actions

    start = timezone.now().replace(microsecond=0) + timedelta(days=2, hours=3)
    session = actions.schedule_group_session(
        circle3.coach,
        circle=circle3.circle,
        starts_at=start,
        ends_at=start + timedelta(minutes=60),
        video_url="https://meet.example.com/accra",
        now=timezone.now(),
    ).session
    from coaching.nudges import Audience, audience_of
    from coaching.tasks import send_due_nudges

    nudge = actions.schedule_nudge(
        circle3.coach,
        body="Hi {first_name}, how is {week_title} going?",
        seats=audience_of(circle3.coach, Audience(), now=timezone.now()),
        send_at=timezone.now(),
    )
    send_due_nudges(now=timezone.now() + timedelta(seconds=1))
    context = chromium.new_context(bypass_csp=True, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    found: list[str] = []
    detail = f"/sessions/groups/{session.public_id}/"
    nudged = f"/sessions/nudges/{nudge.public_id}/"
    pages = {
        circle3.members[0].email: ["/sessions/", detail, nudged],
        circle3.coach.email: [
            "/sessions/",
            "/sessions/groups/new/",
            detail,
            "/sessions/nudges/",
            nudged,
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
        # A refused form (no day, no time) keeps the page accessible too.
        page.goto(f"{live_server.url}/sessions/groups/new/")
        page.get_by_label("Day").fill("")
        page.get_by_role("button", name="Schedule and invite the circle").click()
        expect(page.locator(".field-error").first).to_be_visible()
        for violation in axe_violations(page, axe_js):
            found.extend(describe("circle session form with errors", violation))
        # A nudge's preview to a small group, with its warning and confirmation.
        page.goto(f"{live_server.url}/sessions/nudges/")
        page.get_by_label("Message").fill("Hi {first_name}")
        page.get_by_role("button", name="Preview").click()
        expect(page.get_by_test_id("nudge-preview")).to_contain_text("singled out")
        for violation in axe_violations(page, axe_js):
            found.extend(describe("nudge preview", violation))
    finally:
        context.close()
    assert found == [], "\n".join(found)
