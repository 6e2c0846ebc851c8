"""The design review in real Chromium: a designer writes a judging prompt in the studio, sees
the finding in the activity form's review panel, accepts the rewrite with one click, and the
programme review shows it resolved; the review pages and the studio form with its panel have 0
axe violations at desktop and phone width. The journey runs under the app's real CSP."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from organizations.models import Role
from programs.models import Activity, ActivityKind
from rapport.testing import PASSWORD, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_moderation_accessibility import signed_in, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESIGNER = "dora@northwind.example"
JUDGING = "Why didn't you ask your team for feedback before the change?"


def test_a_designer_accepts_a_rewrite_and_the_programme_shows_it_resolved(
    live_server: LiveServer, page: Page, script_errors: list[str]
) -> None:
    org = make_org()
    program = make_program(org, weeks=1, per_week=5)
    make_user(org, DESIGNER, role=Role.DESIGNER)
    activity = Activity.objects.get(week__program=program, kind=ActivityKind.DISCUSSION)
    base = live_server.url

    page.goto(f"{base}/studio/login/")
    page.fill("input[name=username]", DESIGNER)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url(f"{base}/studio/")

    change = f"{base}/studio/programs/activity/{activity.pk}/change/"
    page.goto(change)
    page.fill("#id_body", JUDGING)
    page.locator("input[name=_continue]").click()
    expect(page).to_have_url(change)

    panel = page.locator("#design-review-panel")
    finding = panel.locator(".review-finding").first
    expect(finding).to_contain_text("Blames")
    expect(finding.locator("mark")).to_have_text("Why didn't you ask")
    expect(finding).to_contain_text("Does it imply any judgement?")
    expect(finding).to_contain_text("What made it hard to ask your team for feedback")
    finding.get_by_role("button", name="Accept rewrite").click()
    expect(page).to_have_url(change)
    expect(page.locator("#id_body")).to_have_value(
        "What made it hard to ask your team for feedback before the change?"
    )
    expect(page.locator("#design-review-panel")).to_contain_text("0 open findings")

    page.goto(base + reverse("design_review:program", args=[program.public_id]))
    expect(page.get_by_test_id("open-count")).to_have_text("0 open findings")
    expect(page.get_by_test_id("resolved-count")).to_have_text("1 resolved")
    expect(page.locator(".review-log")).to_contain_text("Rewrite accepted")
    assert list(dict.fromkeys(script_errors)) == []


def test_the_review_pages_pass_axe_at_desktop_and_phone_width(
    live_server: LiveServer, chromium: Browser, axe_js: Path
) -> None:
    org = make_org()
    program = make_program(org, weeks=1, per_week=5)
    designer = make_user(org, DESIGNER, role=Role.DESIGNER)
    activity = Activity.objects.get(week__program=program, kind=ActivityKind.DISCUSSION)
    Activity.objects.filter(pk=activity.pk).update(
        body="Only you will see this. " + JUDGING + " Hurry, act now!"
    )
    pages = [
        reverse("design_review:program", args=[program.public_id]),
        reverse("design_review:report", args=[program.public_id]),
        reverse("design_review:activity", args=[activity.public_id]),
        f"/studio/programs/activity/{activity.pk}/change/",
    ]
    found: list[str] = []
    for width in (DESKTOP, PHONE):
        context = signed_in(chromium, live_server, designer, width)
        for path in pages[:3]:
            found += violations(context, live_server.url + path, axe_js)
        # The studio form: scanned once its panel has arrived (by script).
        studio = context.new_page()
        studio.goto(live_server.url + pages[3])
        expect(studio.locator("#design-review-panel .review-finding").first).to_be_visible()
        studio.add_script_tag(path=str(axe_js))
        result = studio.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        found += [f"{pages[3]}: {v['id']}: {v['help']}" for v in result["violations"]]
        studio.close()
        context.close()
    assert found == []
