"""The caseload and matching in Chromium: an admin proposes matches for a cohort, changes one
row and publishes; a learner asks for another coach; every caseload and matching page (the
coach's caseload with its "needs you now", the admins' aggregates and matching pages, the
learner's My coach and preferences) has 0 axe-core violations at desktop and phone width."""

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from cohorts.actions import enroll
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from organizations.models import Role
from rapport.testing import make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_learner_journey import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class People:
    cohort: Cohort
    coach: User
    other_coach: User
    learner: User
    admin: User


@pytest.fixture
def people() -> People:
    from growth.actions import record_mood
    from rapport.lib.timezones import local_today

    org = make_org("Browser Caseload")
    cohort = make_cohort(make_program(org, weeks=2, per_week=2))
    coach = make_user(org, "grace@caseload.example", name="Grace Mensah", role=Role.COACH)
    other = make_user(org, "kofi@caseload.example", name="Kofi Mensah", role=Role.COACH)
    admin = make_user(org, "tom@caseload.example", name="Tom Becker", role=Role.ADMIN)
    learner = make_user(org, "amara@caseload.example", name="Amara Okafor")
    for c in (coach, other):
        enroll(c, cohort=cohort, role=EnrollmentRole.COACH)
    enroll(learner, cohort=cohort, coach=coach)
    for i in range(3):
        peer = make_user(org, f"peer{i}@caseload.example", name=f"Peer {i}")
        enroll(peer, cohort=cohort, coach=coach)
    record_mood(
        learner,
        submission=uuid.uuid4(),
        day=local_today(learner.time_zone),
        feeling=2,
        energy=1,
        shared_with_coach=True,
    )
    return People(cohort, coach, other, learner, admin)


def test_an_admin_proposes_edits_and_publishes_and_a_learner_asks_for_a_change(
    live_server: LiveServer, page: Page, people: People, script_errors: list[str]
) -> None:
    sign_in(page, live_server.url, people.admin.email)
    page.get_by_role("link", name="Open coaches and matching").click()
    page.get_by_role("link", name=f"Match coaches · {people.cohort.name}").click()
    page.get_by_role("button", name="Propose matches").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Proposed matches")
    page.get_by_label("Proposed coach of Amara Okafor").select_option(label="Kofi Mensah")
    page.get_by_role("button", name="Change · Amara Okafor").click()
    expect(page.get_by_text("Changed in the proposal")).to_be_visible()
    page.get_by_role("button", name="Publish these matches").click()
    expect(page.get_by_text("Published:")).to_be_visible()
    seat = Enrollment.objects.get(user=people.learner, cohort=people.cohort)
    assert seat.coach == people.other_coach

    page.context.clear_cookies()
    sign_in(page, live_server.url, people.learner.email)
    page.goto(f"{live_server.url}/matching/my-coach/")
    page.get_by_role("button", name=f"Ask for another coach · {people.cohort.name}").click()
    expect(page.get_by_text("Your request went to")).to_be_visible()
    assert script_errors == []


def test_caseload_and_matching_pages_have_no_axe_violations(
    live_server: LiveServer, chromium: Browser, people: People, axe_js: Path
) -> None:
    from coaching import actions

    proposal = actions.propose_matches(people.admin, cohort=people.cohort)
    seat = Enrollment.objects.get(user=people.learner, cohort=people.cohort)
    actions.request_coach_change(people.learner, seat=seat)
    pages = {
        people.coach.email: ["/", "/caseload/", "/caseload/?week=soon"],
        people.admin.email: [
            "/",
            "/matching/",
            f"/matching/cohorts/{people.cohort.public_id}/",
            f"/matching/proposals/{proposal.public_id}/",
            "/matching/requests/",
            f"/matching/coaches/{people.coach.public_id}/",
            "/caseload/overview/",
        ],
        people.learner.email: [
            "/matching/my-coach/",
            "/matching/my-preferences/",
            "/growth/check-in/",
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
        # A refused preference keeps the page accessible too.
        page.goto(f"{live_server.url}/matching/my-preferences/")
        page.get_by_label("Languages").fill("english!")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".field-error").first).to_be_visible()
        for violation in axe_violations(page, axe_js):
            found.extend(describe("preferences with errors", violation))
    finally:
        context.close()
    assert found == [], "\n".join(found)
