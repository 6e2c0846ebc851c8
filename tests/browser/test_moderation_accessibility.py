"""The moderation pages under axe-core in real Chromium, as the person who opens each: the
report form (with its errors), the block page, My reports and Settings with a block (a learner),
the queue and a report (the coach), the audit log (the admin). Zero violations of any impact,
and every form reachable by keyboard."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from cohorts.actions import enroll
from cohorts.models import EnrollmentRole
from discussions.actions import community_thread, create_post
from moderation import actions
from moderation.models import Report, ReportReason
from organizations.models import Role
from rapport.testing import make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(
    chromium: Browser, live_server: LiveServer, person: User, width: Any
) -> BrowserContext:
    """A browser context carrying `person`'s session (made by Django's test client), with the
    CSP bypassed so that axe can be injected."""
    client = Client()
    client.force_login(person)
    context = chromium.new_context(bypass_csp=True, viewport=width)
    context.set_default_timeout(10_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def violations(context: BrowserContext, url: str, axe_js: Path) -> list[str]:
    page = context.new_page()
    page.goto(url)
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = [
        f"{url}: [{v['impact']}] {v['id']}: {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"])
        for v in result["violations"]
    ]
    # A page that scrolls sideways at its width (a long word someone typed, a hidden label
    # escaping a scroll box) is a layout fault of the same weight as an axe finding.
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        width = page.viewport_size["width"] if page.viewport_size else "?"
        found.append(f"{url}: [layout] the page scrolls sideways by {overflow}px at {width}px wide")
    page.close()
    return found


def test_moderation_pages_pass_axe_and_work_by_keyboard(
    live_server: LiveServer, chromium: Browser, axe_js: Path
) -> None:
    org = make_org()
    cohort = make_cohort(make_program(org, weeks=1, per_week=2))
    # A long work address, as real ones are: the report page shows it beside the name.
    learner = make_user(org, "lena.parkwhitmore.12@northwindbiopharma.example", name="Lena Park")
    peer = make_user(org, "sam@northwind.example", name="Sam Ortiz")
    coach = make_user(org, "greta@northwind.example", name="Greta Lind", role=Role.COACH)
    admin = make_user(org, "ahmed@northwind.example", name="Ahmed Nasser", role=Role.ADMIN)
    enroll(coach, cohort=cohort, role=EnrollmentRole.COACH)
    enroll(learner, cohort=cohort, coach=coach)
    enroll(peer, cohort=cohort, coach=coach)
    space = community_thread(cohort)
    post = create_post(space, author=peer, body="You *always* make this about yourself.")
    other = create_post(space, author=peer, body="Selling a bike, message me.")
    handled = actions.report_post(other, reporter=learner, reason=ReportReason.SPAM)
    actions.hide_reported_post(handled, by=coach, reason="Off topic here.", note="Thank you.")
    actions.block_author(other, blocker=learner)
    base = live_server.url

    problems: list[str] = []
    for width in (DESKTOP, PHONE):
        context = signed_in(chromium, live_server, learner, width)
        for path in (
            f"/moderation/posts/{post.public_id}/report/",
            f"/moderation/posts/{post.public_id}/block/",
            "/moderation/mine/",
            "/accounts/settings/",
        ):
            problems += violations(context, base + path, axe_js)
        context.close()

    # The learner reports by keyboard alone; a refused form first (no reason chosen).
    context = signed_in(chromium, live_server, learner, DESKTOP)
    page = context.new_page()
    page.goto(f"{base}/moderation/posts/{post.public_id}/report/")
    page.focus("#id_details")
    page.keyboard.type("It singles someone out.")
    page.keyboard.press("Tab")  # the anonymity box
    page.keyboard.press("Tab")  # the button
    page.keyboard.press("Enter")
    expect(page.locator(".field-error")).to_contain_text("Choose the reason")
    # Each reason is a radio button of its own size with its label beside it, on one line.
    for choice in page.locator("fieldset .choice").all():
        radio = choice.locator("input[type=radio]").bounding_box()
        label = choice.locator("label").bounding_box()
        assert radio and label and radio["width"] <= 32 and radio["height"] <= 32, radio
        assert label["x"] > radio["x"] + radio["width"] and label["x"] - radio["x"] < 48, label
    box = page.locator("#id_anonymous_to_peers").bounding_box()
    assert box and box["width"] <= 32, box
    # ...and the anonymity checkbox's long label wraps beside it, not on the line under it, at
    # desktop and phone width alike.
    for width in (DESKTOP, PHONE):
        page.set_viewport_size(width)
        box = page.locator("#id_anonymous_to_peers").bounding_box()
        label = page.locator("label[for=id_anonymous_to_peers]").bounding_box()
        assert box and label, (box, label)
        assert label["x"] >= box["x"] + box["width"], (width, box, label)
        assert label["y"] < box["y"] + box["height"], (width, box, label)
    page.set_viewport_size(DESKTOP)
    page.add_script_tag(path=str(axe_js))
    refused = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    problems += [f"refused form: {v['id']}" for v in refused["violations"]]
    page.focus("#id_reason_1")
    page.keyboard.press("Space")
    page.focus("button[type=submit].button--primary >> nth=-1")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/moderation/mine/")
    context.close()
    report = Report.objects.get(post=post)

    for person, paths in (
        (coach, ["/moderation/", f"/moderation/reports/{report.public_id}/"]),
        (admin, ["/moderation/", "/moderation/log/", f"/moderation/reports/{handled.public_id}/"]),
    ):
        for width in (DESKTOP, PHONE):
            context = signed_in(chromium, live_server, person, width)
            for path in paths:
                problems += violations(context, base + path, axe_js)
            context.close()
    assert problems == [], "\n".join(problems)
