"""The design review in real Chromium: a designer types a judging prompt in the studio and
sees the finding appear in the activity form's review panel without saving (announced in a
polite live status, focus left in the text), saves, accepts the rewrite with one click, and
the programme review shows it resolved; the review pages, the settings and the studio form with
its panel (as saved and as typed) have 0 axe violations at desktop and phone width. The
journeys run under the app's real CSP."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from organizations.models import Role
from programs.models import Activity, ActivityKind
from rapport.testing import PASSWORD, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE, sign_in
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


def test_a_designer_sees_the_finding_as_they_type_and_resolves_it(
    live_server: LiveServer, page: Page, script_errors: list[str], artifacts: Path
) -> None:
    org = make_org()
    program = make_program(org, weeks=1, per_week=5)
    make_user(org, DESIGNER, role=Role.DESIGNER)
    activity = Activity.objects.get(week__program=program, kind=ActivityKind.DISCUSSION)
    saved_body = activity.body
    base = live_server.url
    sign_in(page, base, DESIGNER)

    change = f"{base}/studio/programs/activity/{activity.pk}/change/"
    page.goto(change)
    status = page.locator("#design-review-status")
    expect(status).to_have_text("Reviewed as you type: no open findings.")
    expect(status).to_have_attribute("role", "status")
    body = page.locator("#id_body")
    body.fill("")
    body.press_sequentially(JUDGING, delay=5)

    panel = page.locator("#design-review-panel")
    finding = panel.locator(".review-finding").first
    expect(finding.locator("mark")).to_have_text("Why didn't you ask")
    expect(finding).to_contain_text("What made it hard to ask your team for feedback")
    expect(finding).to_contain_text("Not saved yet")
    expect(status).to_have_text("Reviewed as you type: 1 open finding.")
    expect(page.locator(".field-body #design-review-status")).to_be_visible()  # under the body
    expect(body).to_be_focused()  # the update never moved focus
    expect(page).to_have_url(change)  # nothing was saved
    activity.refresh_from_db()
    assert activity.body == saved_body
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(artifacts / "design-review-as-you-type-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(artifacts / "design-review-as-you-type-390.png"), full_page=True)
    page.locator(".field-body").screenshot(path=str(artifacts / "design-review-body-390.png"))
    page.locator(".design-review-studio").screenshot(
        path=str(artifacts / "design-review-panel-390.png")
    )
    page.set_viewport_size(DESKTOP)
    page.locator(".field-body").screenshot(path=str(artifacts / "design-review-body-1280.png"))

    page.locator("input[name=_continue]").click()
    expect(page).to_have_url(change)
    finding = page.locator("#design-review-panel .review-finding").first
    finding.get_by_role("button", name="Accept rewrite").click()
    expect(page).to_have_url(change)
    expect(page.locator("#id_body")).to_have_value(
        "What made it hard to ask your team for feedback before the change?"
    )
    expect(page.locator("#design-review-status")).to_have_text(
        "Reviewed as you type: no open findings."
    )

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
        reverse("design_review:settings"),
        f"/studio/programs/activity/{activity.pk}/change/",
    ]
    found: list[str] = []
    for width in (DESKTOP, PHONE):
        context = signed_in(chromium, live_server, designer, width)
        for path in pages[:4]:
            found += violations(context, live_server.url + path, axe_js)
        # The studio form: scanned once its panel has arrived (by script), then again with
        # the panel of text typed and not saved.
        studio = context.new_page()
        studio.goto(live_server.url + pages[4])
        expect(studio.locator("#design-review-panel .review-finding").first).to_be_visible()
        studio.add_script_tag(path=str(axe_js))
        result = studio.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        found += [f"{pages[4]}: {v['id']}: {v['help']}" for v in result["violations"]]
        studio.locator("#id_body").fill("Everyone knows the best managers never panic. " + JUDGING)
        expect(studio.locator("#design-review-panel")).to_contain_text("Not saved yet")
        result = studio.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        found += [f"{pages[4]} typed: {v['id']}: {v['help']}" for v in result["violations"]]
        studio.close()
        context.close()
    assert found == []


def test_the_programme_review_reads_as_the_rest_of_rapport(
    live_server: LiveServer, chromium: Browser
) -> None:
    """Seen at 1280px and 390px in the demo: the summary's tables centred every heading and row
    name, and each finding's Dismiss button stretched to the width of its reason box (540px
    beside the pill-sized Accept rewrite). Cells now read from the left, and Dismiss is a
    button of its own size under a reason box styled as every other text box."""
    org = make_org()
    program = make_program(org, weeks=1, per_week=5)
    designer = make_user(org, DESIGNER, role=Role.DESIGNER)
    activity = Activity.objects.get(week__program=program, kind=ActivityKind.DISCUSSION)
    activity.body = JUDGING
    activity.save()
    for width in (DESKTOP, PHONE):
        context = signed_in(chromium, live_server, designer, width)
        page = context.new_page()
        page.goto(live_server.url + reverse("design_review:program", args=[program.public_id]))
        cells = page.locator(".review-tables th, .review-tables td")
        assert cells.count() >= 4
        aligns = {cells.nth(i).evaluate("el => getComputedStyle(el).textAlign") for i in range(4)}
        assert aligns <= {"left", "start"}, (width, aligns)
        dismiss = page.locator(".review-finding__dismiss").first
        button = dismiss.get_by_role("button", name="Dismiss").bounding_box()
        reason = dismiss.locator("textarea").bounding_box()
        assert button and reason, (button, reason)
        assert button["width"] < 160 < reason["width"], (width, button, reason)
        assert reason["height"] >= 44, (width, reason)
        context.close()
