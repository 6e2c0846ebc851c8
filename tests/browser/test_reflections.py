"""The journal in real Chromium: a learner reflects on a mission (the draft survives a reload),
shares it with her coach while the "who can see this" label follows her choice, the coach
reads it, the learner's access log shows the view, she makes it private again and the coach
gets a 404. Then every page of the journal under axe-core, desktop and phone, as the person
who opens it: zero violations."""

from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from cohorts.actions import enroll
from cohorts.models import Cohort, EnrollmentRole
from organizations.models import Role
from programs.models import Activity, ActivityKind
from rapport.testing import make_circle, make_cohort, make_org, make_program, make_user
from reflections.tests.helpers import free_entry, mission_reflection
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_moderation_accessibility import signed_in, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHAT_HAPPENED = "We talked for twenty minutes and I only asked questions."


def people() -> tuple[Cohort, User, User, User]:
    org = make_org()
    cohort = make_cohort(make_program(org, weeks=1, per_week=7))
    coach = make_user(org, "greta@northwind.example", name="Greta Lind", role=Role.COACH)
    learner = make_user(org, "lena@northwind.example", name="Lena Park")
    peer = make_user(org, "sam@northwind.example", name="Sam Ortiz")
    enroll(coach, cohort=cohort, role=EnrollmentRole.COACH)
    enroll(learner, cohort=cohort, coach=coach)
    enroll(peer, cohort=cohort, coach=coach)
    make_circle(cohort, [learner, peer], name="Circle Lisbon", coach=coach)
    return cohort, learner, peer, coach


def mission_of(cohort: Cohort) -> Activity:
    return Activity.objects.get(week__program=cohort.program, kind=ActivityKind.MISSION)


def test_a_learner_shares_a_mission_reflection_with_her_coach_and_takes_it_back(
    live_server: LiveServer, page: Page, chromium: Browser, script_errors: list[str]
) -> None:
    cohort, learner, _peer, coach = people()
    base = live_server.url
    mission_url = f"{base}/cohorts/{cohort.public_id}/activities/{mission_of(cohort).public_id}/"
    sign_in(page, base, learner.email)
    page.goto(mission_url)
    expect(page.locator("#mission-title")).to_have_text("Plan, do, reflect")

    page.get_by_text("Reflect on it").click()
    box = page.get_by_label("What happened")
    box.fill(WHAT_HAPPENED)
    expect(page.locator("[data-draft-status]").last).to_have_text(
        "Draft saved. Only you can see it."
    )
    page.reload()  # a closed tab loses nothing
    page.get_by_text("Reflect on it").click()
    expect(page.get_by_label("What happened")).to_have_value(WHAT_HAPPENED)

    summary = page.locator("[data-audience-summary]")
    expect(summary).to_contain_text("Only you can see this.")
    page.get_by_label("Me and my coach").check()
    expect(summary).to_contain_text("You and your coach, Greta Lind.")
    page.get_by_role("button", name="Save my reflection").click()
    expect(page.locator("#who-can-see")).to_contain_text("You and your coach, Greta Lind.")
    entry_url = page.url

    coach_context = chromium.new_context(viewport=DESKTOP)
    coach_page = coach_context.new_page()
    sign_in(coach_page, base, coach.email)
    coach_page.goto(f"{base}/reflections/shared/")
    coach_page.get_by_role("link", name=mission_of(cohort).title).click()
    expect(coach_page.locator("article")).to_contain_text(WHAT_HAPPENED)

    page.goto(f"{base}/reflections/")
    page.get_by_role("link", name="Who viewed what you shared").click()
    expect(page.locator("table")).to_contain_text("Greta Lind")

    page.goto(entry_url)
    page.get_by_label("Only me").check()
    expect(page.locator("[data-audience-summary]").first).to_contain_text("Only you can see this.")
    page.get_by_role("button", name="Save who can see this").click()
    expect(page.locator("#who-can-see")).to_contain_text("Only you can see this.")

    response = coach_page.goto(entry_url)
    assert response is not None and response.status == 404
    expect(coach_page.locator("body")).not_to_contain_text(WHAT_HAPPENED)
    coach_context.close()
    assert script_errors == []


def test_the_journal_pages_pass_axe_on_desktop_and_phone(
    live_server: LiveServer, chromium: Browser, axe_js: Path
) -> None:
    cohort, learner, peer, coach = people()
    mission = mission_of(cohort)
    video = Activity.objects.get(week__program=cohort.program, kind=ActivityKind.VIDEO)
    shared = mission_reflection(
        learner, cohort, mission, happened=WHAT_HAPPENED, visibility="coach"
    )
    free_entry(peer, cohort, body="A small win today.", visibility="circle")
    client = Client()
    client.force_login(coach)
    client.get(f"/reflections/{shared.public_id}/")  # a view for the access log
    base = live_server.url
    c, m, v = cohort.public_id, mission.public_id, video.public_id
    pages = {
        learner: [
            "/reflections/",
            "/reflections/new/",
            f"/reflections/{shared.public_id}/",
            f"/reflections/{shared.public_id}/edit/",
            "/reflections/shared/",
            "/reflections/access-log/",
            f"/reflections/missions/{c}/{m}/",
            f"/reflections/experience/{c}/{v}/",
            f"/cohorts/{c}/activities/{m}/",
            f"/cohorts/{c}/activities/{v}/",
        ],
        coach: ["/reflections/shared/", f"/reflections/{shared.public_id}/", "/"],
    }
    found: list[str] = []
    for width in (DESKTOP, PHONE):
        for person, urls in pages.items():
            context = signed_in(chromium, live_server, person, width)
            for url in urls:
                found += violations(context, base + url, axe_js)
            context.close()
    assert found == []
