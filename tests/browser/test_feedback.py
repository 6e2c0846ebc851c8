"""Feedback between rounds in real Chromium: a learner asks for feedback from Assessments,
finding a peer of her cohort by name and ticking him; the peer hears of it, sees who will read
his answer, leaves a part empty (refused, his words kept), then sends a strength and a growth
edge; she reads it with his name and shares it with her coach. Every page on the way has 0 axe
violations at desktop and phone width."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from assessments.models import FeedbackAnswer, FeedbackRequest
from assessments.tests.fixtures import make_rated_cohort
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_moderation_accessibility import signed_in, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# With a pasted address: one long word that must wrap on a phone, not widen the page.
FOCUS = (
    "My first planning call as the new lead: did I leave room for the team? Notes at "
    "intranet.northwind.example/teams/planning/2026-11-monday-call-notes-final-v2"
)
STRENGTH = (
    "Our Monday planning call.",
    "You read back what each of us had said before you proposed anything.",
    "Nobody repeated themselves, and we finished ten minutes early.",
)
EDGE = (
    "When the budget question came up.",
    "You answered for the team before asking us.",
    "Two of us had a different number and kept it to ourselves.",
)


def test_a_learner_asks_a_peer_who_answers_by_name(
    live_server: LiveServer, chromium: Browser, axe_js: Path, artifacts: Path
) -> None:
    team = make_rated_cohort()
    lena, sam = team.learners[:2]
    context = chromium.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server.url, lena.email)
    page.goto(live_server.url + reverse("assessments:index"))
    page.get_by_role("link", name="Feedback between rounds").click()
    page.get_by_role("link", name="Ask for feedback").click()
    expect(page.get_by_test_id("who-sees")).to_contain_text("only if you choose to share it")
    page.get_by_label("What would you like feedback on?").fill(FOCUS)
    page.get_by_label("Find a peer by name").fill("Sam")
    page.get_by_role("button", name="Find").click()
    page.get_by_label("Sam Ortiz").check()
    expect(page.get_by_label("What would you like feedback on?")).to_have_value(FOCUS)
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator("h1")).to_have_text("Your request for feedback")
    expect(page.get_by_test_id("answer-waiting")).to_contain_text("Sam Ortiz")
    page.screenshot(path=str(artifacts / "feedback-request.png"), full_page=True)
    context.close()

    context = chromium.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server.url, sam.email)
    page.goto(live_server.url + reverse("notifications:list"))
    page.get_by_text("Lena Park asked for your feedback").first.click()
    expect(page.get_by_test_id("who-sees")).to_contain_text("reads it with your name")
    fields = page.locator("fieldset.sbi textarea")
    for n, text in enumerate(STRENGTH + EDGE[:2]):
        fields.nth(n).fill(text)
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.locator(".field-error")).to_contain_text("Say what happened as a result")
    expect(fields.nth(1)).to_have_value(STRENGTH[1])
    fields.nth(5).fill(EDGE[2])
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.locator(".notice--success")).to_contain_text("can read your feedback now")
    page.screenshot(path=str(artifacts / "feedback-answered-phone.png"), full_page=True)
    context.close()
    assert FeedbackAnswer.objects.get().edge_impact == EDGE[2]

    context = chromium.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    sign_in(page, live_server.url, lena.email)
    request = FeedbackRequest.objects.get()
    page.goto(live_server.url + reverse("assessments:feedback_request", args=[request.public_id]))
    expect(page.get_by_test_id("answer-answered")).to_contain_text(STRENGTH[1])
    page.get_by_role("button", name="Share with Greta").click()
    expect(page.locator(".notice--success")).to_contain_text("Shared with your coach")
    context.close()

    found: list[str] = []
    answer = FeedbackAnswer.objects.get()
    for width in (DESKTOP, PHONE):
        for person, paths in (
            (
                lena,
                [
                    reverse("assessments:feedback"),
                    reverse("assessments:feedback_ask", args=[team.seat(lena).public_id]),
                    reverse("assessments:feedback_request", args=[request.public_id]),
                ],
            ),
            (
                sam,
                [
                    reverse("assessments:feedback"),
                    reverse("assessments:feedback_answer", args=[answer.public_id]),
                ],
            ),
            (team.coach, [reverse("assessments:feedback_request", args=[request.public_id])]),
        ):
            signed = signed_in(chromium, live_server, person, width)
            for path in paths:
                found += violations(signed, live_server.url + path, axe_js)
            signed.close()
    assert found == []
