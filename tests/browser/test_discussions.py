"""Discussions in a real browser: a learner answers a respond-before-reveal prompt and only then
sees her peers' answers; a peer replies; she sees the notification, and her daily digest reaches
a real SMTP server on loopback without a word of the post. The thread page passes axe at
desktop and phone width."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from accounts.tests.test_emails import parse, parts, smtp_server
from cohorts.actions import enroll
from cohorts.models import Cohort, EnrollmentRole
from discussions import actions
from discussions.access import REPLIES_SHOWN
from discussions.models import Thread
from notifications.actions import set_email_preferences
from notifications.models import EmailChoice, Notification
from notifications.tasks import plan_digests
from programs.models import Activity, ActivityKind
from rapport.testing import make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_learner_journey import BLOCKING_IMPACTS, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEER_ANSWER = "I listened to a new starter for ten minutes without fixing anything."
MY_ANSWER = "My sister taught me to ask one more question before answering."
REPLY = "That one more question is a lovely habit. What did it change for you?"


@dataclass(frozen=True)
class Setting:
    cohort: Cohort
    prompt: Activity
    thread: Thread
    learner: User
    peer: User

    def activity_path(self) -> str:
        return f"/cohorts/{self.cohort.public_id}/activities/{self.prompt.public_id}/"


@pytest.fixture
def setting(transactional_db: None) -> Setting:
    org = make_org("Tailspin Care")
    program = make_program(org, weeks=2, per_week=4)
    cohort = make_cohort(program, name="Spring cohort")
    prompt = Activity.objects.get(week__program=program, kind=ActivityKind.DISCUSSION)
    prompt.respond_before_reveal = True
    prompt.save()
    learner = make_user(org, "amara@tailspin.example", name="Amara Okafor")
    peer = make_user(org, "rafael@tailspin.example", name="Rafael Costa")
    coach = make_user(org, "grace@tailspin.example", name="Grace Mensah")
    enroll(coach, cohort=cohort, role=EnrollmentRole.COACH)
    for person in (learner, peer):
        enroll(person, cohort=cohort, coach=coach)
    thread = actions.thread_for_activity(cohort, activity_id=prompt.pk)
    actions.create_post(thread, author=peer, body=PEER_ANSWER)
    set_email_preferences(learner, choices={"reply": EmailChoice.DAILY})
    return Setting(cohort, prompt, thread, learner, peer)


def test_answer_reveal_reply_notification_and_digest(
    live_server: LiveServer, chromium: Browser, setting: Setting, axe_js: Path
) -> None:
    base = live_server.url
    learner = chromium.new_context(viewport=DESKTOP)
    learner.set_default_timeout(10_000)
    page = learner.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        sign_in(page, base, setting.learner.email)
        page.goto(f"{base}{setting.activity_path()}")
        page.get_by_role("link", name="Write your answer").click()
        expect(page.locator("#gate-notice")).to_be_visible()
        expect(page.get_by_text(PEER_ANSWER)).to_have_count(0)
        page.get_by_label("Your post").fill(MY_ANSWER)
        page.get_by_role("button", name="Post", exact=True).click()
        expect(page.get_by_text(MY_ANSWER)).to_be_visible()
        expect(page.get_by_text(PEER_ANSWER)).to_be_visible()  # revealed by her own answer
        # Posts are articles with their author and time, replies in a nested list.
        expect(page.locator("article.post")).to_have_count(2)
        expect(page.locator("article.post time")).to_have_count(2)

        peer = chromium.new_context(viewport=PHONE)
        peer.set_default_timeout(10_000)
        other = peer.new_page()
        sign_in(other, base, setting.peer.email)
        other.goto(f"{base}/discussions/{setting.thread.public_id}/")
        # The page's one reply form moves under the post; focus goes into its box.
        other.get_by_role("link", name="Reply to Amara Okafor").click()
        box = other.get_by_label("Your reply to Amara Okafor")
        expect(box).to_be_focused()
        expect(other.locator("li", has_text=MY_ANSWER).locator("#reply-form")).to_be_visible()
        box.fill(REPLY)
        other.get_by_role("button", name="Post reply").click()
        expect(other.locator(".thread__replies").get_by_text(REPLY)).to_be_visible()
        peer.close()

        page.goto(f"{base}/notifications/")
        expect(page.get_by_text("Rafael Costa replied to you")).to_be_visible()
        page.get_by_text("Rafael Costa replied to you").first.click()
        expect(page.get_by_text(REPLY)).to_be_visible()
        assert not errors, "script errors or CSP refusals:\n" + "\n".join(errors)
    finally:
        learner.close()

    # Her daily digest, planned for 08:00 tomorrow in her zone, arrives over real SMTP and
    # carries who and where, never what was written.
    note = Notification.objects.get(recipient=setting.learner)
    assert note.kind == "reply"
    tomorrow = timezone.localdate() + timedelta(days=1)
    morning = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 8, tzinfo=UTC)
    with smtp_server() as inbox:
        plan_digests(now=morning)
    assert len(inbox.messages) == 1, "one digest for the learner"
    message = parse(inbox.messages[0])
    text, html = parts(message)
    assert "Rafael Costa replied to you" in text
    for body in (text, html):
        assert "one more question" not in body
        assert "lovely habit" not in body


def test_the_thread_page_passes_axe(
    live_server: LiveServer, chromium: Browser, setting: Setting, axe_js: Path
) -> None:
    actions.create_post(setting.thread, author=setting.learner, body=MY_ANSWER)
    first = setting.thread.posts.order_by("created_at").first()
    assert first is not None
    actions.create_post(setting.thread, author=setting.learner, body=REPLY, parent=first)
    actions.react(first, user=setting.learner, kind="thanks")
    # More replies than the thread page shows under a post: its "earlier replies" link, and the
    # post's page of all its replies.
    for n in range(REPLIES_SHOWN + 1):
        actions.create_post(setting.thread, author=setting.peer, body=f"Reply {n}", parent=first)
    context = chromium.new_context(bypass_csp=True, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    blocking: list[str] = []
    advisory: list[str] = []
    try:
        sign_in(page, live_server.url, setting.learner.email)
        for size, label in ((DESKTOP, "thread"), (PHONE, "thread (phone)")):
            page.set_viewport_size(size)
            for path in (
                f"/discussions/{setting.thread.public_id}/",
                f"/discussions/{setting.thread.public_id}/?page=1&reply={first.public_id}",
                f"/discussions/community/{setting.cohort.public_id}/",
                f"/discussions/posts/{first.public_id}/replies/",
                setting.activity_path(),
            ):
                page.goto(f"{live_server.url}{path}")
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                violations: list[dict[str, Any]] = axe_violations(page, axe_js)
                for violation in violations:
                    target = blocking if violation["impact"] in BLOCKING_IMPACTS else advisory
                    target.extend(describe(f"{label} {path}", violation))
        # Keyboard: the skip link between posts takes focus and moves on.
        page.set_viewport_size(DESKTOP)
        page.goto(f"{live_server.url}/discussions/{setting.thread.public_id}/")
        skip = page.locator("a.skip-between").first
        skip.focus()
        expect(skip).to_be_visible()
        # The latest replies are shown; the link leads to all of them, oldest first. Clicked
        # with the mouse right after the skip link above it had the focus: the press takes the
        # focus away, and what was under the pointer stays there until the click is done.
        expect(page.get_by_text("Reply 0", exact=True)).to_have_count(0)
        page.get_by_role("link", name="Show 2 earlier replies to Rafael Costa").click()
        expect(page.get_by_role("heading", name="Replies to Rafael Costa", level=1)).to_be_visible()
        expect(page.get_by_text("Reply 0", exact=True)).to_be_visible()
        expect(page.locator("article.post--reply")).to_have_count(REPLIES_SHOWN + 2)
    finally:
        context.close()
    if advisory:
        print("axe-core, moderate and minor (not failing):\n" + "\n".join(advisory))
    assert not blocking, "axe-core found serious or critical problems:\n" + "\n".join(blocking)


def test_mention_suggestions_by_keyboard_with_a_screen_reader_model(
    live_server: LiveServer, chromium: Browser, setting: Setting, axe_js: Path
) -> None:
    """Typing "@" offers the people who can read the thread as a listbox the box controls
    (aria-autocomplete, aria-controls, aria-activedescendant, a status); arrows and Enter choose
    without leaving the box, Escape closes; the chosen mention notifies the person; 0 serious
    axe violations with the list open, at phone width too."""
    outsider = make_user(setting.cohort.organization, "rosa@tailspin.example", name="Rosa Ruiz")
    assert outsider.pk  # same organisation, no seat in the cohort: never offered
    context = chromium.new_context(bypass_csp=False, viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        sign_in(page, live_server.url, setting.learner.email)
        page.goto(f"{live_server.url}/discussions/{setting.thread.public_id}/")
        box = page.get_by_label("Your post")
        box.click()
        box.press_sequentially("Thank you @R")
        listbox = page.get_by_role("listbox", name="People who can read this discussion")
        expect(listbox).to_be_visible()
        expect(listbox.get_by_role("option")).to_have_text(["Rafael Costa"])
        expect(box).to_have_attribute("aria-autocomplete", "list")
        expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id") or "")
        option = listbox.get_by_role("option", name="Rafael Costa")
        expect(option).to_have_attribute("aria-selected", "true")
        expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id") or "")
        expect(page.get_by_role("status").filter(has_text="1 person found")).to_have_count(1)
        box.press("Escape")
        expect(listbox).to_be_hidden()
        box.press("Backspace")
        box.press_sequentially("G")  # "@G": Grace the coach
        expect(listbox.get_by_role("option")).to_have_text(["Grace Mensah"])
        box.press("Backspace")
        box.press("Backspace")
        box.press_sequentially("@")
        expect(listbox.get_by_role("option")).to_have_text(["Grace Mensah", "Rafael Costa"])
        box.press("ArrowDown")
        expect(listbox.get_by_role("option", name="Rafael Costa")).to_have_attribute(
            "aria-selected", "true"
        )
        box.press("Enter")
        expect(listbox).to_be_hidden()
        expect(box).to_have_value("Thank you @[Rafael Costa] ")
        expect(box).to_be_focused()
        box.press_sequentially("for asking first.")
        page.get_by_role("button", name="Post", exact=True).click()
        expect(page.locator("article.post strong", has_text="@Rafael Costa")).to_be_visible()
        assert not errors, "script errors or CSP refusals:\n" + "\n".join(errors)
    finally:
        context.close()
    assert Notification.objects.filter(recipient=setting.peer, kind="mention").count() == 1

    scan = chromium.new_context(bypass_csp=True, viewport=DESKTOP)
    scan.set_default_timeout(10_000)
    page = scan.new_page()
    try:
        sign_in(page, live_server.url, setting.learner.email)
        page.goto(f"{live_server.url}/discussions/{setting.thread.public_id}/")
        page.get_by_label("Your post").press_sequentially("@")
        expect(page.get_by_role("option")).to_have_count(2)
        violations = axe_violations(page, axe_js)
    finally:
        scan.close()
    blocking = [
        line
        for violation in violations
        if violation["impact"] in BLOCKING_IMPACTS
        for line in describe("thread with suggestions open", violation)
    ]
    assert not blocking, "axe-core found serious or critical problems:\n" + "\n".join(blocking)


def test_the_one_reply_form_moves_keeps_drafts_and_works_without_javascript(
    live_server: LiveServer, chromium: Browser, setting: Setting, axe_js: Path
) -> None:
    """With the script, "Reply to …" moves the page's one reply form under the post, focus in
    its box; the text typed for one post stays that post's when the form moves to another;
    Cancel puts the form away and focus back on the link; 0 serious axe violations with it
    open. Without the script, the link opens the page with the form under the post, and the
    reply posts."""
    second = actions.create_post(setting.thread, author=setting.learner, body=MY_ANSWER)
    context = chromium.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        sign_in(page, live_server.url, setting.peer.email)
        page.goto(f"{live_server.url}/discussions/{setting.thread.public_id}/")
        to_amara = page.get_by_role("link", name="Reply to Amara Okafor")
        expect(page.locator("#reply-form")).to_be_hidden()
        to_amara.click()
        expect(to_amara).to_have_attribute("aria-expanded", "true")
        box = page.get_by_label("Your reply to Amara Okafor")
        expect(box).to_be_focused()
        box.fill("Half a thought for Amara")
        # To the other post: the box is empty there, and Amara's text is kept for her post.
        page.get_by_role("link", name="Reply to Rafael Costa").click()
        box = page.get_by_label("Your reply to Rafael Costa")
        expect(box).to_be_focused()
        expect(box).to_have_value("")
        expect(to_amara).to_have_attribute("aria-expanded", "false")
        to_amara.click()
        expect(page.get_by_label("Your reply to Amara Okafor")).to_have_value(
            "Half a thought for Amara"
        )
        page.get_by_role("link", name="Cancel").click()
        expect(page.locator("#reply-form")).to_be_hidden()
        expect(to_amara).to_be_focused()
        # Escape from the box puts it away too.
        to_amara.click()
        page.get_by_label("Your reply to Amara Okafor").press("Escape")
        expect(page.locator("#reply-form")).to_be_hidden()
        expect(to_amara).to_be_focused()
        assert not errors, "script errors or CSP refusals:\n" + "\n".join(errors)
    finally:
        context.close()

    scan = chromium.new_context(bypass_csp=True, viewport=PHONE)
    scan.set_default_timeout(10_000)
    page = scan.new_page()
    try:
        sign_in(page, live_server.url, setting.peer.email)
        page.goto(f"{live_server.url}/discussions/{setting.thread.public_id}/")
        page.get_by_role("link", name="Reply to Amara Okafor").click()
        expect(page.get_by_label("Your reply to Amara Okafor")).to_be_focused()
        violations = axe_violations(page, axe_js)
    finally:
        scan.close()
    blocking = [
        line
        for violation in violations
        if violation["impact"] in BLOCKING_IMPACTS
        for line in describe("thread with the reply form open", violation)
    ]
    assert not blocking, "axe-core found serious or critical problems:\n" + "\n".join(blocking)

    plain = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    plain.set_default_timeout(10_000)
    page = plain.new_page()
    try:
        sign_in(page, live_server.url, setting.peer.email)
        page.goto(f"{live_server.url}/discussions/{setting.thread.public_id}/")
        page.get_by_role("link", name="Reply to Amara Okafor").click()
        assert f"reply={second.public_id}" in page.url
        page.get_by_label("Your reply").fill(REPLY)
        page.get_by_role("button", name="Post reply").click()
        expect(page.locator(".thread__replies").get_by_text(REPLY)).to_be_visible()
        # A reaction is a button of the post's one form, and works without the script too.
        peer_post = page.locator(f"#reactions-{second.public_id}")
        peer_post.get_by_role("button", name="I relate").click()
        expect(
            page.locator(f"#reactions-{second.public_id}").get_by_role("button", name="I relate 1")
        ).to_have_attribute("aria-pressed", "true")
    finally:
        plain.close()
    reply = second.replies.get()  # type: ignore[attr-defined]
    assert (reply.author, reply.body) == (setting.peer, REPLY)
