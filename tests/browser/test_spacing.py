"""Boxes that follow each other keep a gap, at desktop and phone width. Clicking through the demo
found them touching edge to edge: Settings' three cards, a report's "Hide" and "Dismiss" cards,
a mission's card and the notice under it (the notice's own `margin: 0` beat the stack's spacing),
the preview notice above a coach's week, and each journey's "Circles" button glued under its card
on Home."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from cohorts.actions import enroll
from cohorts.models import EnrollmentRole
from discussions.actions import community_thread, create_post
from moderation import actions
from moderation.models import ReportReason
from organizations.models import Role
from programs.models import Activity, ActivityKind
from rapport.testing import make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every pair of boxes one above the other (sharing some of their width, neither inside the
# other) whose gap is under 4px: "touching" in the report.
TOUCHING = """(selector) => {
  const boxes = [...document.querySelectorAll(selector)].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && !el.closest('details:not([open])');
  });
  const found = [];
  for (const a of boxes) for (const b of boxes) {
    if (a === b || a.contains(b) || b.contains(a)) continue;
    const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
    const gap = rb.top - ra.bottom;
    const shared = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
    if (gap > -1 && gap < 4 && shared > 20) {
      found.push(`${a.className} "${a.innerText.trim().slice(0, 30)}" touches ` +
                 `${b.className} "${b.innerText.trim().slice(0, 30)}" (${gap.toFixed(1)}px)`);
    }
  }
  return found;
}"""
BOXES = "main .card, main .notice, main .activity-card, main .activity-list, main .button"


def touching(page: Page, url: str) -> list[str]:
    page.goto(url)
    found: list[str] = page.evaluate(TOUCHING, BOXES)
    return [f"{url} at {page.viewport_size}: {line}" for line in found]


@pytest.fixture
def pages(chromium: Browser) -> Iterator[list[Page]]:
    opened: list[Page] = []
    yield opened
    for page in opened:
        page.context.close()


def test_cards_notices_and_buttons_never_touch(
    live_server: LiveServer, chromium: Browser, pages: list[Page]
) -> None:
    org = make_org("Browser Spacing")
    program = make_program(org, weeks=1, per_week=1)
    mission = Activity.objects.filter(week__program=program).get()
    mission.kind = ActivityKind.MISSION
    mission.save()
    cohort = make_cohort(program)
    learner = make_user(org, "lena@spacing.example", name="Lena Park")
    peer = make_user(org, "sam@spacing.example", name="Sam Ortiz")
    coach = make_user(org, "greta@spacing.example", name="Greta Lind", role=Role.COACH)
    enroll(coach, cohort=cohort, role=EnrollmentRole.COACH)
    enroll(learner, cohort=cohort, coach=coach)
    enroll(peer, cohort=cohort, coach=coach)
    post = create_post(community_thread(cohort), author=peer, body="You never listen.")
    report = actions.report_post(post, reporter=learner, reason=ReportReason.HARASSMENT)
    actions.block_author(post, blocker=learner)
    base = live_server.url

    problems: list[str] = []
    for width in (DESKTOP, PHONE):
        for person, paths in (
            (
                learner,
                [
                    "/accounts/settings/",
                    f"/cohorts/{cohort.public_id}/activities/{mission.public_id}/",
                ],
            ),
            (
                coach,
                [
                    "/",
                    f"/cohorts/{cohort.public_id}/",
                    f"/moderation/reports/{report.public_id}/",
                ],
            ),
        ):
            context = chromium.new_context(viewport=width)
            context.set_default_timeout(10_000)
            page = context.new_page()
            pages.append(page)
            sign_in(page, base, person.email)
            for path in paths:
                problems += touching(page, base + path)
    assert problems == [], "\n".join(problems)
