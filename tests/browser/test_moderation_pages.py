"""How the moderation pages read, in real Chromium with the product's CSS: found clicking through
the demo. The report form's headings were out of order in size (its "Who will see this" h3 as
large as, and bolder than, the card's h2) and its question read as plain text under a column
of bold answers."""

from collections.abc import Iterator
from itertools import pairwise

import pytest
from playwright.sync_api import Browser, BrowserContext
from pytest_django.live_server_helper import LiveServer

from cohorts.actions import enroll
from cohorts.models import EnrollmentRole
from discussions.actions import community_thread, create_post
from discussions.models import Post
from moderation import actions
from moderation.models import Report, ReportReason
from organizations.models import Role
from rapport.testing import make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The page's headings in document order (inside main): level and rendered size in px.
HEADINGS = """() => [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5')]
  .map(h => ({level: Number(h.tagName[1]), size: parseFloat(getComputedStyle(h).fontSize),
              text: h.innerText.trim()}))"""


@pytest.fixture
def reported(live_server: LiveServer) -> tuple[Post, Report]:
    org = make_org("Browser Moderation Pages")
    cohort = make_cohort(make_program(org, weeks=1, per_week=1))
    learner = make_user(org, "lena@pages.example", name="Lena Park")
    peer = make_user(org, "sam@pages.example", name="Sam Ortiz")
    coach = make_user(org, "greta@pages.example", name="Greta Lind", role=Role.COACH)
    enroll(coach, cohort=cohort, role=EnrollmentRole.COACH)
    enroll(learner, cohort=cohort, coach=coach)
    enroll(peer, cohort=cohort, coach=coach)
    post = create_post(community_thread(cohort), author=peer, body="You never listen.")
    report = actions.report_post(
        post, reporter=learner, reason=ReportReason.HARASSMENT, details="Third time this week."
    )
    return post, report


@pytest.fixture
def context(chromium: Browser) -> Iterator[BrowserContext]:
    context = chromium.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    yield context
    context.close()


def test_the_report_forms_headings_go_down_in_level_and_size(
    live_server: LiveServer, context: BrowserContext, reported: tuple[Post, Report]
) -> None:
    post, _report = reported
    page = context.new_page()
    sign_in(page, live_server.url, "lena@pages.example")
    page.goto(f"{live_server.url}/moderation/posts/{post.public_id}/report/")
    headings = page.evaluate(HEADINGS)
    assert [h["level"] for h in headings] == [1, 2, 3], headings
    for above, below in pairwise(headings):
        if below["level"] > above["level"]:
            assert below["size"] < above["size"], (above, below)
    # The question is the field's label, as bold as the form's other labels; its answers are
    # plain text.
    legend = page.locator("fieldset legend").evaluate("el => getComputedStyle(el).fontWeight")
    details = page.locator("label[for=id_details]").evaluate(
        "el => getComputedStyle(el).fontWeight"
    )
    answer = page.locator("label[for=id_reason_0]").evaluate(
        "el => getComputedStyle(el).fontWeight"
    )
    assert (legend, details, answer) == ("600", "600", "400")


def test_a_reports_facts_are_labels_in_bold_and_values_in_regular_text(
    live_server: LiveServer, context: BrowserContext, reported: tuple[Post, Report]
) -> None:
    """The report page set every fact in bold, labels muted and small beside them: the values
    shouted and the labels whispered. A definition list like the product's others: dt bold,
    dd regular."""
    _post, report = reported
    page = context.new_page()
    sign_in(page, live_server.url, "greta@pages.example")
    page.goto(f"{live_server.url}/moderation/reports/{report.public_id}/")
    facts = page.locator("dl.facts")
    weights = facts.evaluate(
        """dl => [...dl.children].map(el => [el.tagName, getComputedStyle(el).fontWeight,
                                             el.innerText.trim().slice(0, 20)])"""
    )
    assert [tag for tag, _weight, _text in weights][:2] == ["DT", "DD"]
    labels = {text: weight for tag, weight, text in weights if tag == "DT"}
    values = {text: weight for tag, weight, text in weights if tag == "DD"}
    assert set(labels) >= {"Reported by", "When", "Status", "Details"}
    assert set(labels.values()) == {"600"}, labels
    assert set(values.values()) == {"400"}, values


# Each radio button's vertical middle and the middle of its label's first line, in px.
RADIO_MIDDLES = """() => [...document.querySelectorAll('.choice-list .choice')].map(choice => {
  const box = choice.querySelector('input').getBoundingClientRect();
  const label = choice.querySelector('label');
  const line = parseFloat(getComputedStyle(label).lineHeight);
  const top = label.getBoundingClientRect().top;
  return {radio: box.top + box.height / 2, line: top + line / 2, text: label.innerText};
})"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_report_forms_radio_buttons_sit_beside_their_labels_first_line(
    live_server: LiveServer, context: BrowserContext, reported: tuple[Post, Report], width: int
) -> None:
    """They sat above the text (aligned on the baseline, a radio's bottom edge), and a wrapped
    label's button drifted to its middle: within a pixel of its first line's middle now."""
    post, _report = reported
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, "lena@pages.example")
    page.goto(f"{live_server.url}/moderation/posts/{post.public_id}/report/")
    middles = page.evaluate(RADIO_MIDDLES)
    assert len(middles) == len(ReportReason.choices)
    for choice in middles:
        assert abs(choice["radio"] - choice["line"]) <= 1, choice
