"""The growth pages in real Chromium: zero axe violations on every page a learner and an admin
open, at desktop and phone width; on a phone, a routine's check-in is one tap (htmx, under the
real CSP) and the gentle count updates in place; the emotion check-in is two taps and a button;
the charter's suggestions go into their section with one tap."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from growth.tests.base import make_items
from organizations.actions import seed_default_framework
from organizations.models import Behaviour, Role
from rapport.testing import make_org, make_user
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_moderation_accessibility import signed_in, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_growth_pages_pass_axe_at_desktop_and_phone_width(
    live_server: LiveServer, chromium: Browser, axe_js: Path
) -> None:
    org = make_org()
    seed_default_framework(org)
    learner = make_user(org, "lena@northwind.example", name="Lena Park")
    admin = make_user(org, "tom@northwind.example", name="Tom Becker", role=Role.ADMIN)
    ids = make_items(learner, Behaviour.objects.filter(organization=org).first())
    learner_pages = [
        reverse("growth:index"),
        reverse("growth:mindset"),
        reverse("growth:check_in"),
        reverse("growth:charters"),
        reverse("growth:conversations"),
        reverse("growth:model"),
        reverse("growth:goal", args=[ids["goal_id"]]),
        reverse("growth:belief", args=[ids["belief_id"]]),
        reverse("growth:charter", args=[ids["charter_id"]]),
        reverse("growth:charter_print", args=[ids["charter_id"]]),
        reverse("growth:conversation", args=[ids["plan_id"]]),
        reverse("growth:debrief", args=[ids["plan_id"]]),
    ]
    admin_pages = [reverse("growth:model"), reverse("growth:trends")]
    found: list[str] = []
    for width in (DESKTOP, PHONE):
        for person, pages in ((learner, learner_pages), (admin, admin_pages)):
            context = signed_in(chromium, live_server, person, width)
            for path in pages:
                found += violations(context, live_server.url + path, axe_js)
            context.close()
    assert found == []


def test_one_tap_check_ins_on_a_phone(
    live_server: LiveServer, chromium: Browser, script_errors: list[str]
) -> None:
    org = make_org()
    seed_default_framework(org)
    learner = make_user(org, "lena@northwind.example", name="Lena Park")
    make_items(learner, None)  # a routine already checked in today, "did it"
    context = chromium.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("pageerror", lambda error: script_errors.append(f"uncaught: {error}"))
    page.on(
        "console",
        lambda m: script_errors.append(m.text) if m.type == "error" else None,
    )
    sign_in(page, live_server.url, learner.email)

    page.goto(live_server.url + reverse("growth:mindset"))
    routine = page.locator(".routine").first
    expect(routine.locator(".streak__summary")).to_contain_text("Done on 1 of the last 7 days")
    routine.get_by_role("button", name="Not today").click()
    expect(page.locator(".routine").first.locator(".streak__summary")).to_have_text(
        "A fresh start: check in whenever you have done it."
    )
    expect(page.locator("#live-status")).to_contain_text("Checked in")
    page.locator(".routine").first.get_by_role("button", name="Did it").click()
    expect(page.locator(".routine").first.locator(".streak__summary")).to_contain_text(
        "Done on 1 of the last 7 days"
    )

    page.goto(live_server.url + reverse("growth:check_in"))
    page.locator(".scale").nth(0).get_by_role("radio", name="4").click()
    page.locator(".scale").nth(1).get_by_role("radio", name="3").click()
    page.get_by_role("button", name="Check in").click()
    expect(page.locator(".notice--success")).to_contain_text("Thank you for checking in")
    expect(page.locator("table")).to_contain_text("3.0")

    page.goto(live_server.url + reverse("growth:charters"))
    page.locator('[data-suggestion^="Notifications off"]').click()
    expect(page.get_by_label("Our attention")).to_have_value(
        "Notifications off and other windows closed while we talk."
    )
    assert script_errors == []
    context.close()
