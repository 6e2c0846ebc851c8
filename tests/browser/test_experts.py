"""Experts in Chromium: a learner reaches office hours from the header, upvotes a peer's
question with the keyboard alone (and withdraws the vote the same way); the experts pages have
0 axe-core violations at desktop and phone width, a refused form included; all under the app's
real Content-Security-Policy (the axe scan alone bypasses it)."""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from cohorts.actions import enroll
from cohorts.models import EnrollmentRole
from experts import actions
from experts.models import ExpertThread, Question
from rapport.testing import make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_learner_journey import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class OfficeHours:
    expert: User
    learner: User
    thread: ExpertThread
    question: Question


@pytest.fixture
def office_hours() -> OfficeHours:
    org = make_org("Browser Experts")
    cohort = make_cohort(make_program(org, weeks=1, per_week=1))
    expert = make_user(org, "ines@experts.example", name="Inès Duarte")
    learner = make_user(org, "amara@experts.example", name="Amara Okafor")
    peer = make_user(org, "kenji@experts.example", name="Kenji Sato", time_zone="Asia/Tokyo")
    enroll(expert, cohort=cohort, role=EnrollmentRole.EXPERT)
    for person in (learner, peer):
        enroll(person, cohort=cohort)
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    thread = actions.open_thread(
        expert,
        cohort=cohort,
        kind="office_hours",
        title="Feedback to someone senior",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        video_url="https://meet.example.com/ines",
    )
    question = actions.ask_question(
        peer, thread=thread, body="How do I ask my director for *feedback*?", show_name=True
    )
    actions.ask_question(learner, thread=thread, body="And to my peers?", show_name=False)
    return OfficeHours(expert=expert, learner=learner, thread=thread, question=question)


def test_a_learner_upvotes_a_question_with_the_keyboard(
    live_server: LiveServer, page: Page, office_hours: OfficeHours, script_errors: list[str]
) -> None:
    sign_in(page, live_server.url, office_hours.learner.email)
    page.get_by_role("link", name="Experts").first.click()
    page.get_by_role("link", name="Feedback to someone senior").click()
    expect(page.locator("h1")).to_have_text("Feedback to someone senior")
    first = page.locator("[data-testid=question]").first
    expect(first).to_contain_text("How do I ask my director")
    expect(first).to_contain_text("Asked by Kenji Sato")
    # Her own question offers no upvote; the peer's does.
    mine = page.locator("[data-testid=question]").nth(1)
    expect(mine).to_contain_text("your question")
    expect(mine.get_by_role("button", name="Upvote")).to_have_count(0)

    button = first.get_by_role("button", name="Upvote")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.focus()
    page.keyboard.press("Enter")
    first = page.locator("[data-testid=question]").first
    expect(first.get_by_test_id("vote-count")).to_have_text("1 vote")
    expect(first.get_by_role("button", name="Upvote")).to_have_attribute("aria-pressed", "true")
    office_hours.question.refresh_from_db()
    assert office_hours.question.vote_count == 1

    first.get_by_role("button", name="Upvote").focus()
    page.keyboard.press("Space")
    first = page.locator("[data-testid=question]").first
    expect(first.get_by_test_id("vote-count")).to_have_text("0 votes")
    office_hours.question.refresh_from_db()
    assert office_hours.question.vote_count == 0
    assert script_errors == []


def test_experts_pages_have_no_axe_violations(
    live_server: LiveServer, chromium: Browser, office_hours: OfficeHours, axe_js: Path
) -> None:
    context = chromium.new_context(bypass_csp=True, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    found: list[str] = []
    detail = f"/experts/{office_hours.thread.public_id}/"
    pages = {
        office_hours.learner.email: ["/experts/", detail, "/sessions/"],
        office_hours.expert.email: ["/experts/", "/experts/new/", detail],
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
        # The host's answer form open, and a refused thread form.
        page.goto(f"{live_server.url}{detail}")
        page.locator("summary").first.click()
        for violation in axe_violations(page, axe_js):
            found.extend(describe("answer form open", violation))
        page.goto(f"{live_server.url}/experts/new/")
        page.get_by_role("button", name="Open it").click()
        expect(page.locator(".field-error").first).to_be_visible()
        for violation in axe_violations(page, axe_js):
            found.extend(describe("thread form with errors", violation))
    finally:
        context.close()
    assert found == [], "\n".join(found)
