"""What keyboard, screen-reader and phone users meet, in a real browser: focus and announcements
after "Mark as done", a podcast played to the end marks itself done, links that are more than a
colour, and a time-zone picker one can search."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from cohorts.models import ActivityProgress
from tests.browser import test_learner_journey
from tests.browser.test_learner_journey import PLAYER, Journey, eventually, sign_in

journey = test_learner_journey.journey  # the same learner, cohort and podcast fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def is_done(journey: Journey) -> float:
    progress = ActivityProgress.objects.filter(
        enrollment=journey.enrollment, activity=journey.podcast
    ).first()
    return 1.0 if progress and progress.is_completed else 0.0


def test_mark_as_done_by_keyboard_keeps_focus_and_is_announced(
    live_server: LiveServer, page: Page, script_errors: list[str], journey: Journey
) -> None:
    base = live_server.url
    sign_in(page, base, journey)
    page.goto(f"{base}{journey.podcast_path()}")
    page.locator("[data-testid=complete-button]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=completion-state]")).to_contain_text("Done")
    # Focus moved to the control that replaced the button, not to the top of the page.
    expect(page.locator("[data-testid=undo-button]")).to_be_focused()
    expect(page.locator("#live-status")).to_have_text("Marked as done.")
    assert page.locator("#live-status").get_attribute("aria-live") == "polite"

    page.keyboard.press("Enter")  # and back again, still from the keyboard
    expect(page.locator("[data-testid=complete-button]")).to_be_focused()
    expect(page.locator("#live-status")).to_have_text("Marked as not done.")
    assert not script_errors, script_errors


def test_playing_a_podcast_to_the_end_marks_it_done(
    live_server: LiveServer, page: Page, script_errors: list[str], journey: Journey
) -> None:
    base = live_server.url
    sign_in(page, base, journey)
    page.goto(f"{base}{journey.podcast_path()}")
    player = page.locator(PLAYER)
    assert player.get_attribute("preload") in {"none", "metadata"}
    page.wait_for_function(f"() => document.querySelector('{PLAYER}').readyState >= 1")
    # Skip to just before the end of the 3-second recording and let it finish.
    page.evaluate(
        f"() => {{ const p = document.querySelector('{PLAYER}');"
        " p.currentTime = p.duration - 0.4; return p.play(); }"
    )
    page.wait_for_function(f"() => document.querySelector('{PLAYER}').ended")
    assert eventually(page, lambda: is_done(journey)), "the podcast ended but is not done"
    expect(page.locator("[data-testid=completion-state]")).to_contain_text("Done")
    expect(page.locator("#live-status")).to_have_text("Marked as done.")
    assert not script_errors, script_errors


def test_journey_overview_links_are_underlined_not_only_coloured(
    live_server: LiveServer, page: Page, journey: Journey
) -> None:
    base = live_server.url
    sign_in(page, base, journey)
    page.goto(f"{base}/cohorts/{journey.enrollment.cohort.public_id}/journey/")
    links = page.locator(".mini-list a")
    assert links.count() > 0
    for index in range(links.count()):
        line = links.nth(index).evaluate("a => getComputedStyle(a).textDecorationLine")
        assert "underline" in line


def test_the_time_zone_picker_can_be_searched(
    live_server: LiveServer, page: Page, script_errors: list[str], journey: Journey, tmp_path: Path
) -> None:
    base = live_server.url
    sign_in(page, base, journey)
    page.goto(f"{base}/accounts/settings/")
    search = page.get_by_label("Search time zones")
    search.fill("tokyo")
    visible = page.evaluate(
        "() => [...document.querySelectorAll('#id_time_zone option')]"
        ".filter(o => !o.hidden).map(o => o.value)"
    )
    assert visible == ["Asia/Tokyo"]
    groups = page.evaluate(
        "() => [...document.querySelectorAll('#id_time_zone optgroup')]"
        ".filter(g => !g.hidden).map(g => g.label)"
    )
    assert groups == ["Asia"]
    page.select_option("#id_time_zone", "Asia/Tokyo")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".notice")).to_contain_text("saved")
    journey.enrollment.user.refresh_from_db()
    assert journey.enrollment.user.time_zone == "Asia/Tokyo"
    assert not script_errors, script_errors
