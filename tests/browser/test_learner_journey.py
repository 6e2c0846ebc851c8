"""A learner's week in a real browser: sign in, land on This week, listen to the podcast, resume
where they paused, mark it done, see the week's progress move; and the same pages under axe-core.

The podcast is a real, playable WAV made here, so the test proves the whole media path: the
access-checked file view, Range requests, the player, and the position saved for resuming.
"""

import io
import math
import re
import sys
import wave
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from cohorts.actions import enroll
from cohorts.models import ActivityProgress, Enrollment
from programs.models import Activity, ActivityKind
from rapport.lib.timezones import local_today
from rapport.testing import PASSWORD, make_activity, make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEARNER_ZONE = "Europe/London"
PLAYER = "#media-player"
# axe-core impacts that fail the test; "moderate" and "minor" ones are printed only.
BLOCKING_IMPACTS = {"serious", "critical"}


def tone_wav(seconds: float = 3.0, rate: int = 16_000, hertz: float = 440.0) -> bytes:
    """A 16-bit PCM mono sine: small, valid, and playable by any browser without codecs."""
    step = 2 * math.pi * hertz / rate
    count = int(seconds * rate)
    samples = array("h", (int(0.3 * 32767 * math.sin(step * i)) for i in range(count)))
    if sys.byteorder == "big":  # WAV samples are little-endian
        samples.byteswap()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


@dataclass(frozen=True)
class Journey:
    email: str
    enrollment: Enrollment
    podcast: Activity

    def this_week_path(self) -> str:
        return f"/cohorts/{self.enrollment.cohort.public_id}/"

    def podcast_path(self) -> str:
        return f"{self.this_week_path()}activities/{self.podcast.public_id}/"


@pytest.fixture
def journey(transactional_db: None) -> Journey:
    """A cohort in its second week (in the learner's zone), whose week 2 includes a podcast."""
    org = make_org()
    # 2 weeks x 4 activities: kinds cycle, so week 2 is discussion, mission, live session, video.
    program = make_program(org, weeks=2, per_week=4)
    week_two = program.weeks.get(number=2)
    podcast = make_activity(week_two, kind=ActivityKind.AUDIO, position=4)
    # Swap the placeholder bytes for a real recording, through the field validators an
    # upload in the studio goes through.
    podcast.media.delete(save=False)
    podcast.captions.delete(save=False)
    podcast.media.save("tone.wav", ContentFile(tone_wav()), save=False)
    podcast.captions.save(
        "tone.vtt",
        ContentFile(b"WEBVTT\n\n00:00.000 --> 00:03.000\n[A steady tone]\n"),
        save=False,
    )
    podcast.full_clean()
    podcast.save()

    cohort = make_cohort(program, start=local_today(LEARNER_ZONE) - timedelta(days=8))
    email = "alice@northwind.example"
    learner = make_user(org, email, time_zone=LEARNER_ZONE)
    enrollment, _ = enroll(learner, cohort=cohort)
    return Journey(email=email, enrollment=enrollment, podcast=podcast)


def sign_in(page: Page, base_url: str, journey: Journey) -> None:
    page.goto(f"{base_url}/accounts/sign-in/")
    page.fill("input[name=username]", journey.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    # One cohort, so home sends the learner straight to This week.
    expect(page).to_have_url(f"{base_url}{journey.this_week_path()}")


def done_this_week(page: Page) -> int:
    text = page.locator("[data-testid=week-progress]").inner_text()
    found = re.search(r"\d+", text)
    assert found, f"week progress shows no number: {text!r}"
    return int(found.group())


def resume_position(page: Page) -> float:
    return float(page.locator(PLAYER).get_attribute("data-resume-position") or 0)


def saved_position(journey: Journey) -> float:
    progress = ActivityProgress.objects.filter(
        enrollment=journey.enrollment, activity=journey.podcast
    ).first()
    return progress.position_seconds if progress else 0.0


def eventually(page: Page, check: Callable[[], float], seconds: float = 10) -> float:
    """Poll `check` until truthy; the page's script saves the position in the background."""
    value = check()
    for _ in range(int(seconds * 10)):
        if value:
            break
        page.wait_for_timeout(100)  # keeps Playwright's event loop turning, unlike time.sleep
        value = check()
    return value


def assert_fits_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone: {width}px wide"


def screenshot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def test_learner_listens_resumes_and_completes_a_podcast(
    live_server: LiveServer,
    page: Page,
    script_errors: list[str],
    journey: Journey,
    artifacts: Path,
) -> None:
    base = live_server.url
    sign_in(page, base, journey)

    expect(page.locator("h1")).to_contain_text("Week 2")
    done_before = done_this_week(page)
    screenshot(page, artifacts, "this-week")

    page.locator("a[data-activity-kind=audio]").first.click()
    expect(page).to_have_url(f"{base}{journey.podcast_path()}")
    player = page.locator(f"audio{PLAYER}")
    expect(player).to_have_count(1)
    assert resume_position(page) == 0

    page.evaluate(f"document.querySelector('{PLAYER}').play()")
    page.wait_for_function(f"() => document.querySelector('{PLAYER}').currentTime > 0.5")
    page.evaluate(f"document.querySelector('{PLAYER}').pause()")
    played = page.evaluate(f"document.querySelector('{PLAYER}').currentTime")

    position = eventually(page, lambda: saved_position(journey))
    assert position > 0, "pausing the podcast did not save the learner's position"
    assert position <= played + 0.5
    page.reload()
    assert resume_position(page) == pytest.approx(position, abs=0.01)
    screenshot(page, artifacts, "activity")

    page.locator("[data-testid=complete-button]").click()
    expect(page.locator("[data-testid=completion-state]")).to_contain_text("Done")

    page.goto(f"{base}{journey.this_week_path()}")
    assert done_this_week(page) == done_before + 1

    page.set_viewport_size(PHONE)
    assert_fits_phone(page)
    screenshot(page, artifacts, "this-week-phone")
    page.goto(f"{base}{journey.podcast_path()}")
    assert_fits_phone(page)
    screenshot(page, artifacts, "activity-phone")

    errors = list(dict.fromkeys(script_errors))  # the same refusal repeats on every page
    assert not errors, "the pages logged script errors or CSP refusals:\n" + "\n".join(errors)


def axe_violations(page: Page, axe_js: Path) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def describe(label: str, violation: dict[str, Any]) -> list[str]:
    """The rule, how to fix it, and every element that breaks it: enough to act on from a CI log."""
    lines = [
        f"{label}: [{violation['impact']}] {violation['id']}: {violation['help']}"
        f" ({violation['helpUrl']})"
    ]
    for node in violation["nodes"]:
        lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
    return lines


def test_journey_pages_pass_axe(
    live_server: LiveServer, chromium: Browser, journey: Journey, axe_js: Path
) -> None:
    base = live_server.url
    # The app's CSP only admits scripts carrying its nonce; bypass it to inject axe.
    context = chromium.new_context(bypass_csp=True, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    blocking: list[str] = []
    advisory: list[str] = []

    def scan(label: str) -> None:
        for violation in axe_violations(page, axe_js):
            target = blocking if violation["impact"] in BLOCKING_IMPACTS else advisory
            target.extend(describe(label, violation))

    # Every page a learner can open: This week, the journey, each week, each activity (every
    # kind), Settings.
    cohort = journey.enrollment.cohort
    learner_pages = [
        ("this week", journey.this_week_path()),
        ("journey", f"{journey.this_week_path()}journey/"),
        ("settings", "/accounts/settings/"),
    ]
    for week in cohort.program.weeks.order_by("number"):
        learner_pages.append(
            (f"week {week.number}", f"{journey.this_week_path()}weeks/{week.number}/")
        )
        for activity in week.activities.order_by("position"):
            learner_pages.append(
                (
                    f"{activity.kind} {activity.title}",
                    f"{journey.this_week_path()}activities/{activity.public_id}/",
                )
            )
    try:
        page.goto(f"{base}/accounts/sign-in/")
        scan("sign-in")
        sign_in(page, base, journey)
        for size, suffix in ((DESKTOP, ""), (PHONE, " (phone)")):
            page.set_viewport_size(size)
            for label, path in learner_pages:
                page.goto(f"{base}{path}")
                scan(f"{label}{suffix}")
    finally:
        context.close()

    if advisory:
        print("axe-core, moderate and minor (not failing):\n" + "\n".join(advisory))
    assert not blocking, "axe-core found serious or critical problems:\n" + "\n".join(blocking)
