"""My data in Chromium: 0 serious or critical axe-core violations on My data, the readable copy,
the erasure page (with its form errors) and the confirmation, at desktop and phone width; and
the erasure done from the keyboard, which signs the person out."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from accounts.personal_data import is_erased
from cohorts.actions import enroll
from discussions.actions import community_thread, create_post
from rapport.testing import PASSWORD, make_cohort, make_org, make_program, make_user
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_learner_journey import BLOCKING_IMPACTS, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POST = "On Tuesday I let the silence sit, and Marta finished her thought."


@pytest.fixture
def learner() -> str:
    org = make_org("Browser My Data")
    cohort = make_cohort(make_program(org, weeks=1, per_week=1))
    lena = make_user(org, "lena@browser.example", name="Lena Berg")
    enroll(lena, cohort=cohort)
    create_post(community_thread(cohort), author=lena, body=POST)
    return lena.email


def scan(page: Page, label: str, axe_js: Path, blocking: list[str]) -> None:
    for violation in axe_violations(page, axe_js):
        if violation["impact"] in BLOCKING_IMPACTS:
            blocking.extend(describe(label, violation))


def test_my_data_pages_pass_axe_and_erasure_works_by_keyboard(
    live_server: LiveServer, chromium: Browser, learner: str, axe_js: Path
) -> None:
    context = chromium.new_context(bypass_csp=True, viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    base = live_server.url
    blocking: list[str] = []
    try:
        sign_in(page, base, learner)
        page.goto(f"{base}/accounts/settings/")
        page.get_by_role("link", name="My data", exact=True).click()
        expect(page.locator("h1")).to_have_text("My data")
        for size, suffix in ((DESKTOP, ""), (PHONE, " (phone)")):
            page.set_viewport_size(size)
            for label, path in (
                ("my data", "/accounts/settings/my-data/"),
                ("readable copy", "/accounts/settings/my-data/export/"),
                ("erase", "/accounts/settings/my-data/erase/"),
            ):
                page.goto(f"{base}{path}")
                scan(page, label + suffix, axe_js, blocking)
        expect(page.get_by_text(POST)).to_have_count(0)  # the erase page quotes nothing
        page.goto(f"{base}/accounts/settings/my-data/export/")
        expect(page.get_by_text(POST)).to_be_visible()

        # A wrong password: the form says so, keeps the typed phrase, erases nothing.
        page.set_viewport_size(DESKTOP)
        page.goto(f"{base}/accounts/settings/my-data/erase/")
        page.get_by_label("Your password").fill("not the password")
        page.get_by_label("Type “erase my account” to confirm").fill("erase my account")
        page.keyboard.press("Enter")
        expect(page.get_by_text("That is not your password.")).to_be_visible()
        expect(page.get_by_label("Type “erase my account” to confirm")).to_have_value(
            "erase my account"
        )
        scan(page, "erase with errors", axe_js, blocking)
        assert not is_erased(User.objects.get(email=learner))

        page.get_by_label("Your password").fill(PASSWORD)
        page.get_by_label("Your password").press("Enter")
        expect(page.locator("h1")).to_have_text("Your account is erased")
        scan(page, "erased", axe_js, blocking)
        page.goto(f"{base}/accounts/settings/my-data/")
        expect(page).to_have_url(f"{base}/accounts/sign-in/?next=/accounts/settings/my-data/")
    finally:
        context.close()
    assert is_erased(User.objects.get(full_name="Erased account"))
    assert not blocking, "axe-core found serious or critical problems:\n" + "\n".join(blocking)
