"""The assessment journey in real Chromium (issue 10): a learner completes her baseline
self-assessment and asks two peers; the peers rate her (a third, asked earlier, too); after the
end-of-programme round she sees her growth chart, with its table, from This week. Every page on
the way has 0 axe violations at desktop and phone width.

`assessments.tests.fixtures.make_rated_cohort` is the reusable fixture (the analytics dashboards'
browser test can start from it)."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from assessments.models import Response, RoundKind
from assessments.tests.fixtures import make_rated_cohort
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_moderation_accessibility import signed_in, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def rate_every_behaviour(page: Page, point: str) -> None:
    """Choose `point` ("3 · Often") in every behaviour's group, by its label, as a person
    would, then send."""
    groups = page.locator("fieldset.rating")
    for n in range(groups.count()):
        groups.nth(n).get_by_role("radio", name=point, exact=True).check()


def test_a_learner_is_rated_and_sees_her_growth(
    live_server: LiveServer, chromium: Browser, axe_js: Path, artifacts: Path
) -> None:
    team = make_rated_cohort()
    lena, sam, maya, tariq = team.learners[:4]
    team.open_only(RoundKind.BASELINE)
    # Tariq was asked earlier, by the app's action (the same path the page takes).
    from assessments.actions import invite_peers

    invite_peers(
        lena, seat=team.seat(lena), peers=[team.seat(tariq)], already=0, current_round=None
    )

    context = chromium.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server.url, lena.email)
    # This week -> Assessments -> Rate yourself.
    page.get_by_role("link", name="Assessments").first.click()
    page.get_by_role("link", name="Rate yourself").click()
    expect(page.get_by_test_id("who-sees")).to_contain_text("Only you see your own ratings")
    rate_every_behaviour(page, "2 · Sometimes")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".notice--success")).to_contain_text("your answers are saved")
    # Ask two peers.
    page.get_by_role("link", name="Ask peers for their view").first.click()
    page.get_by_label("Sam Ortiz").check()
    page.get_by_label("Maya Chen").check()
    page.get_by_role("button", name="Ask them").click()
    expect(page.locator(".name-list")).to_contain_text("Maya Chen")
    context.close()

    # The two peers rate her, each told what she will and will not know.
    for peer, point, words in (
        (sam, "3 · Often", "You waited for me to finish in the standup."),
        (maya, "3 · Often", "Your message about the launch change was clear."),
    ):
        context = chromium.new_context(viewport=PHONE, locale="en-GB")
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page, live_server.url, peer.email)
        page.goto(live_server.url + reverse("assessments:index"))
        page.get_by_role("link", name="Rate Lena Park, who asked for your view").click()
        expect(page.get_by_test_id("who-sees")).to_contain_text(
            "will not know which answers are yours"
        )
        rate_every_behaviour(page, point)
        page.get_by_label("Behaviour").first.fill(words)
        page.get_by_role("button", name="Send my answers").click()
        expect(page.locator(".notice--success")).to_be_visible()
        context.close()
    team.answer(tariq, lena, RoundKind.BASELINE, 3, "Named the conflict early in the review.")
    team.answer(team.coach, lena, RoundKind.BASELINE, 2, "Candid about what is hard.")
    assert Response.objects.filter(round__kind=RoundKind.BASELINE).count() == 5

    # The end of the programme: everyone answers again; the round closes.
    team.open_only(RoundKind.END)
    for rater, score in ((lena, 4), (sam, 4), (maya, 5), (tariq, 4), (team.coach, 4)):
        team.answer(rater, lena, RoundKind.END, score, "Plays back what she hears.")
    team.close(RoundKind.END)

    context = chromium.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server.url, lena.email)
    page.get_by_role("link", name="My growth over time").first.click()
    expect(page.locator("h1")).to_have_text("My growth over time")
    charts = page.get_by_test_id("growth-chart")
    expect(charts).to_have_count(5)
    expect(charts.first).to_have_attribute(
        "alt",
        "Listen fully, average of its behaviours on the 1 to 5 scale. "
        "me: Baseline 2.0, End of programme 4.0; "
        "my peers: Baseline 3.0, End of programme 4.3; "
        "my coach: Baseline 2.0, End of programme 4.0.",
    )
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 200  # the SVG image is drawn
    expect(page.locator("table.growth-table").first).to_contain_text("4.3")
    expect(page.get_by_text("Named the conflict early in the review.").first).to_be_visible()
    page.screenshot(path=str(artifacts / "assessments-growth.png"), full_page=True)
    context.close()

    # Every page of the journey: 0 axe violations, desktop and phone.
    found: list[str] = []
    end = team.round(RoundKind.END).public_id
    for width in (DESKTOP, PHONE):
        for person, paths in (
            (
                lena,
                [
                    reverse("assessments:index"),
                    reverse("assessments:growth"),
                    reverse("assessments:peers", args=[team.seat(lena).public_id]),
                    reverse("assessments:rate", args=[end, team.seat(lena).public_id]),
                ],
            ),
            (team.coach, [reverse("assessments:index")]),
        ):
            signed = signed_in(chromium, live_server, person, width)
            for path in paths:
                found += violations(signed, live_server.url + path, axe_js)
            signed.close()
    assert found == []
