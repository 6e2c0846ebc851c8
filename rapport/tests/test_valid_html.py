"""Product pages are valid HTML by the Nu HTML Checker's measure (the W3C validator, npm `vnu-jar`):
no error and no warning (an article or section without a heading is a warning, for instance).

Every product page is rendered as each persona (learner, coach, designer, admin, and signed out),
written to a folder, and checked by one run of the validator. It runs in `make test`: skipped on a
machine without Java or node_modules, required under CI (.ci/run installs both).

htmx reads its attributes with or without the `data-` prefix; only the prefixed form is valid
HTML, so every page uses `data-hx-*`.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from programs.models import Activity
from rapport.testing import PersonaTestCase

REPO = Path(__file__).resolve().parents[2]
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BARE_HTMX_ATTRIBUTE = re.compile(r"<[^>]*\shx-[a-z-]+=", re.IGNORECASE)


def validator_command() -> list[str]:
    java = shutil.which("java")
    missing = (
        "java is not installed (apt-get install default-jre-headless)"
        if java is None
        else f"{VNU_JAR.relative_to(REPO)} is missing: run `make setup` with npm available"
        if not VNU_JAR.is_file()
        else ""
    )
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, but {missing}", pytrace=False)
        pytest.skip(missing)
    assert java is not None
    return [java, "-Xss2m", "-jar", str(VNU_JAR), "--format", "json"]


class HtmxAttributeTests(PersonaTestCase):
    def test_pages_use_only_data_prefixed_htmx_attributes(self) -> None:
        self.client.force_login(self.alice)
        activity = self.first_activity()
        response = self.client.get(
            reverse("cohorts:activity", args=[self.cohort_a.public_id, activity.public_id])
        )
        html = response.content.decode()
        self.assertIn("data-hx-post=", html)
        self.assertIn("data-hx-headers=", html)
        self.assertIsNone(BARE_HTMX_ATTRIBUTE.search(html), "a bare hx-* attribute is invalid HTML")


@pytest.mark.html_validator
class ValidHtmlTests(PersonaTestCase):
    def journey_urls(self) -> list[str]:
        cohort = self.cohort_a.public_id
        urls = [
            reverse("home"),
            reverse("accounts:profile"),
            reverse("cohorts:this_week", args=[cohort]),
            reverse("cohorts:journey", args=[cohort]),
        ]
        for week in self.program.weeks.all():
            urls.append(reverse("cohorts:week", args=[cohort, week.number]))
        for activity in Activity.objects.filter(week__program=self.program):
            urls.append(reverse("cohorts:activity", args=[cohort, activity.public_id]))
        return urls

    def pages(self) -> dict[str, str]:
        """{file name: HTML} for every page each persona can open, error pages included."""
        pages: dict[str, str] = {}

        def keep(
            label: str,
            url: str,
            expected: int = 200,
            method: str = "get",
            data: dict[str, str] | None = None,
        ) -> None:
            response = getattr(self.client, method)(url, data or {})
            self.assertEqual(response.status_code, expected, f"{label} {url}")
            self.assertTrue(response["Content-Type"].startswith("text/html"), url)
            name = re.sub(r"[^a-z0-9]+", "-", f"{label} {url}".lower()).strip("-")
            pages[f"{name}.html"] = response.content.decode()

        for url in (
            reverse("accounts:login"),
            reverse("accounts:password_reset"),
            reverse("accounts:password_reset_done"),
            reverse("accounts:password_reset_complete"),
        ):
            keep("anonymous", url)
        token = default_token_generator.make_token(self.bob)
        uid = urlsafe_base64_encode(force_bytes(self.bob.pk))
        link = reverse("accounts:password_reset_confirm", args=[uid, token])
        choose = self.client.get(link)  # redirects to the form's own URL, token in the session
        keep("anonymous", choose["Location"])
        keep("anonymous", reverse("accounts:password_reset_confirm", args=[uid, "bad-token"]))

        for person in (self.alice, self.carol, self.dora, self.adam):
            self.client.force_login(person)
            label = person.email.split("@")[0]
            for url in self.journey_urls():
                response = self.client.get(url)
                if response.status_code == 302:
                    continue  # home sends a one-cohort learner to This week, walked anyway
                keep(label, url)
            keep(label, "/no-such-page/", expected=404)
            keep(label, reverse("home"), expected=405, method="post")
        self.client.force_login(self.adam)
        keep("adam", reverse("cohorts:import", args=[self.cohort_a.public_id]))
        self.client.force_login(self.carol)
        keep("carol", reverse("cohorts:import", args=[self.cohort_a.public_id]), expected=403)
        self.discussion_pages(keep)
        self.coaching_pages(keep)
        self.caseload_pages(keep)
        self.experts_pages(keep)
        self.moderation_pages(keep)
        self.reflection_pages(keep)
        self.my_data_pages(keep)
        self.design_review_pages(keep)
        return pages

    def design_review_pages(self, keep: Any) -> None:
        """The programme review (also with a refused sign-off), its printable report and one
        activity's review, each with a planted finding; the review settings as a designer
        reads them and as an admin changes them (also refused)."""
        from programs.models import ActivityKind

        activity = self.first_activity(ActivityKind.DISCUSSION)
        Activity.objects.filter(pk=activity.pk).update(
            body="Why didn't you ask? Only you will see this: what hurt you most?"
        )
        self.client.force_login(self.dora)
        program = self.program.public_id
        keep("dora", reverse("design_review:program", args=[program]))
        keep("dora", reverse("design_review:program", args=[program]), 400, "post")
        keep("dora", reverse("design_review:report", args=[program]))
        keep("dora", reverse("design_review:activity", args=[activity.public_id]))
        keep("dora", reverse("design_review:accept", args=[activity.public_id]), 400, "post")
        keep("dora", reverse("design_review:settings"))
        self.client.force_login(self.adam)
        keep("adam", reverse("design_review:settings"))
        keep("adam-refused", reverse("design_review:settings"), 400, "post")

    def my_data_pages(self, keep: Any) -> None:
        """My data, the readable copy (after the discussions and moderation pages above have
        given alice posts, reports and blocks), the erasure page and its refusal, an admin's
        My data with the count, and the confirmation after fay erases her account."""
        from rapport.testing import PASSWORD

        self.client.force_login(self.alice)
        keep("alice", reverse("accounts:my_data"))
        keep("alice", reverse("accounts:my_data_readable"))
        keep("alice", reverse("accounts:erase"))
        keep("alice", reverse("accounts:erase"), 400, "post")
        self.client.force_login(self.fay)
        erased = self.client.post(
            reverse("accounts:erase"), {"password": PASSWORD, "confirmation": "erase my account"}
        )
        self.assertEqual(erased.status_code, 302)
        keep("fay", reverse("accounts:erased"))
        self.client.force_login(self.adam)
        keep("adam", reverse("accounts:my_data"))

    def reflection_pages(self, keep: Any) -> None:
        """The journal, a new entry (and a refused one), an entry as its author and as the
        coach it was shared with, its edit page, a mission's page and a refused plan, "connect
        it to your own experience", Shared with me and the access log."""
        from programs.models import ActivityKind
        from reflections.tests.helpers import free_entry

        entry = free_entry(self.alice, self.cohort_a, body="A first thought.", visibility="coach")
        cohort = self.cohort_a.public_id
        mission = self.first_activity(ActivityKind.MISSION).public_id
        video = self.first_activity(ActivityKind.VIDEO).public_id
        self.client.force_login(self.alice)
        for url in (
            reverse("reflections:journal"),
            reverse("reflections:new"),
            reverse("reflections:entry", args=[entry.public_id]),
            reverse("reflections:edit", args=[entry.public_id]),
            reverse("reflections:mission", args=[cohort, mission]),
            reverse("reflections:experience", args=[cohort, video]),
        ):
            keep("alice", url)
        keep("alice", reverse("reflections:new"), 400, "post")
        keep("alice", reverse("reflections:plan", args=[cohort, mission]), 400, "post")
        self.client.force_login(self.carol)
        keep("carol", reverse("reflections:shared"))
        keep("carol", reverse("reflections:entry", args=[entry.public_id]))
        self.client.force_login(self.alice)
        keep("alice", reverse("reflections:access_log"))

    def moderation_pages(self, keep: Any) -> None:
        """Reporting, blocking, the queue, a report, My reports, Settings with a block and the
        audit log, each as the person who opens it; a refused report form too; a shared journal
        entry with its Report control, its report form, and hidden."""
        from discussions import actions as talk
        from moderation import actions as moderation

        community = talk.community_thread(self.cohort_a)
        post = talk.create_post(community, author=self.bob, body="You *always* overshare.")
        other = talk.create_post(community, author=self.fay, body="Another one.")
        self.client.force_login(self.alice)
        keep("alice", reverse("moderation:report", args=[post.public_id]))
        keep("alice", reverse("moderation:block", args=[post.public_id]))
        keep("alice", reverse("moderation:report", args=[post.public_id]), 400, "post")
        report = moderation.report_post(post, reporter=self.alice, reason="vulnerability")
        handled = moderation.report_post(other, reporter=self.alice, reason="spam")
        moderation.hide_reported_post(handled, by=self.carol, reason="Off topic.", note="Thanks.")
        moderation.block_author(post, blocker=self.alice)
        keep("alice", reverse("moderation:mine"))
        keep("alice", reverse("accounts:profile") + "?blocked")
        self.client.force_login(self.carol)
        keep("carol", reverse("moderation:queue"))
        keep("carol", reverse("moderation:report_detail", args=[report.public_id]))
        keep("carol", reverse("moderation:report_detail", args=[handled.public_id]))
        keep("carol", reverse("moderation:hide", args=[report.public_id]), 400, "post")
        # A journal entry shared with the cohort: its page with Report, the report form, the
        # hidden entry's report for the moderator and the entry with the reason for its author.
        from reflections.tests.helpers import free_entry

        entry = free_entry(
            self.bob, self.cohort_a, body="Some people overshare.", visibility="cohort"
        )
        self.client.force_login(self.alice)
        keep("alice", reverse("reflections:entry", args=[entry.public_id]))
        keep("alice", reverse("moderation:report_entry", args=[entry.public_id]))
        on_entry = moderation.report_entry(entry, reporter=self.alice, reason="vulnerability")
        moderation.hide_reported_post(on_entry, by=self.carol, reason="Unkind to peers.")
        self.client.force_login(self.carol)
        keep("carol", reverse("moderation:report_detail", args=[on_entry.public_id]))
        self.client.force_login(self.bob)
        keep("bob", reverse("reflections:entry", args=[entry.public_id]))
        self.client.force_login(self.adam)
        keep("adam", reverse("moderation:log"))

    def discussion_pages(self, keep: Any) -> None:
        """A thread with a post, a reply, an edit and a reaction, as its readers see it."""
        from discussions import actions as talk

        community = talk.community_thread(self.cohort_a)
        first = talk.create_post(community, author=self.bob, body="Hello **all**")
        talk.create_post(community, author=self.alice, body="Hi @[Bob]", parent=first)
        talk.edit_post(first, by=self.bob, body="Hello **everyone**")
        talk.react(first, user=self.carol, kind="thanks")
        for person in (self.alice, self.carol, self.bob):
            self.client.force_login(person)
            keep(
                person.email.split("@")[0],
                reverse("discussions:thread", args=[community.public_id]),
            )
        keep("bob", reverse("discussions:edit", args=[first.public_id]))
        keep("bob", reverse("discussions:history", args=[first.public_id]))

    def coaching_pages(self, keep: Any) -> None:
        """My sessions, booking, one session, the availability page (also with a refused
        block), a circle session (for a member and its coach; the coach's scheduling and change
        forms, also refused) and the readiness check."""
        from coaching import actions as coaching
        from coaching.access import free_slots
        from coaching.tests.base import open_every_day

        open_every_day(self.carol)
        now = timezone.now()
        slots = free_slots(self.alice, self.carol, now=now)
        booking = coaching.book_session(
            self.alice, coach=self.carol, starts_at=slots[0].starts_at, slots=slots, now=now
        ).booking
        start = timezone.now().replace(microsecond=0) + timedelta(days=3, hours=5)
        group = coaching.schedule_group_session(
            self.carol,
            circle=self.circle_a,
            starts_at=start,
            ends_at=start + timedelta(minutes=60),
            video_url="https://meet.example.com/lisbon",
            now=now,
        ).session
        for person in (self.alice, self.carol):
            self.client.force_login(person)
            label = person.email.split("@")[0]
            keep(label, reverse("coaching:sessions"))
            keep(label, reverse("coaching:session", args=[booking.public_id]))
            keep(label, reverse("coaching:group_session", args=[group.public_id]))
            keep(label, reverse("coaching:readiness"))
        self.client.force_login(self.alice)
        keep("alice", reverse("coaching:book"))
        keep("alice", reverse("coaching:book_slot", args=[self.carol.public_id]), 400, "post")
        self.client.force_login(self.carol)
        keep("carol", reverse("coaching:availability"))
        keep("carol", reverse("coaching:availability"), 400, "post")
        keep("carol", reverse("coaching:group_new"))
        keep("carol", reverse("coaching:group_new"), 400, "post")
        keep("carol", reverse("coaching:group_change", args=[group.public_id]), 400, "post")
        from coaching.nudges import Audience, audience_of
        from coaching.tasks import send_due_nudges

        nudge = coaching.schedule_nudge(
            self.carol,
            body="Hi {first_name}: how is {week_title}?",
            seats=audience_of(self.carol, Audience(), now=now),
            send_at=now,
        )
        send_due_nudges(now=now + timedelta(seconds=1))
        keep("carol", reverse("coaching:nudges"))
        keep("carol", reverse("coaching:nudges"), 400, "post")
        self.client.post(
            reverse("coaching:nudges"), {"body": "Hi {first_name}", "action": "preview"}
        )
        keep("carol", reverse("coaching:nudge", args=[nudge.public_id]))
        self.client.force_login(self.alice)
        keep("alice", reverse("coaching:nudge", args=[nudge.public_id]))
        self.talk_pages(keep, booking)

    def talk_pages(self, keep: Any, booking: Any) -> None:
        """Messages (inbox, a thread with a file and an activity link, a refused message),
        the action plan (also with a refused item), "Ask my coach" and a follow-up draft."""
        from coaching.tests.talk_helpers import add_item, checked, send

        send(self.alice, self.carol, "Can we talk about feedback?", files=(checked(),))
        add_item(self.carol, self.alice, "Ask for feedback once a week")
        activity = self.first_activity()
        for person, other in ((self.alice, self.carol), (self.carol, self.alice)):
            self.client.force_login(person)
            label = person.email.split("@")[0]
            keep(label, reverse("talk:inbox"))
            keep(label, reverse("talk:thread", args=[other.public_id]))
            keep(label, reverse("talk:thread", args=[other.public_id]), 400, "post")
            keep(label, reverse("talk:plan", args=[other.public_id]))
            keep(label, reverse("talk:plan", args=[other.public_id]), 400, "post")
        self.client.force_login(self.alice)
        keep("alice", reverse("talk:ask", args=[self.cohort_a.public_id, activity.public_id]))
        self.client.force_login(self.carol)
        from coaching.models import Booking

        Booking.objects.filter(pk=booking.pk).update(
            starts_at=booking.starts_at - timedelta(days=30),
            ends_at=booking.ends_at - timedelta(days=30),
        )
        keep("carol", reverse("talk:follow_up", args=[booking.public_id]))

    def caseload_pages(self, keep: Any) -> None:
        """The coach's caseload (with a shared low-energy check-in, a refused filter), the
        admins' aggregates and matching pages (a proposal, a refused edit, the requests), and
        a learner's My coach and preferences (also refused)."""
        import uuid as uuid_module

        from coaching import actions as coaching
        from cohorts.models import Enrollment
        from growth.actions import record_mood

        record_mood(
            self.alice,
            submission=uuid_module.uuid4(),
            day=timezone.localdate(),
            feeling=2,
            energy=1,
            shared_with_coach=True,
        )
        seat = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        self.client.force_login(self.alice)
        keep("alice", reverse("matching:my_coach"))
        keep("alice", reverse("matching:my_preferences"))
        keep("alice", reverse("matching:my_preferences"), 400, "post", {"languages": "??"})
        keep("alice", reverse("growth:check_in"))
        coaching.request_coach_change(self.alice, seat=seat)
        keep("alice-asked", reverse("matching:my_coach"))
        self.client.force_login(self.carol)
        keep("carol", reverse("caseload:index"))
        keep("carol", reverse("caseload:index") + "?week=nonsense", 400)
        self.client.force_login(self.adam)
        proposal = coaching.propose_matches(self.adam, cohort=self.cohort_a)
        keep("adam", reverse("caseload:overview"))
        keep("adam", reverse("matching:index"))
        keep("adam", reverse("matching:cohort", args=[self.cohort_a.public_id]))
        keep("adam", reverse("matching:assign", args=[seat.public_id]), 400, "post", {"coach": "x"})
        keep("adam", reverse("matching:proposal", args=[proposal.public_id]))
        keep(
            "adam",
            reverse("matching:proposal_row", args=[proposal.public_id, seat.public_id]),
            400,
            "post",
            {"coach": "x"},
        )
        keep("adam", reverse("matching:requests"))
        keep("adam", reverse("matching:coach_profile", args=[self.carol.public_id]))

    def experts_pages(self, keep: Any) -> None:
        """The experts list, opening a thread (also refused), and an office hour's page with an
        answered question for a learner and for its host."""
        from experts import actions as experts

        start = timezone.now().replace(microsecond=0) + timedelta(days=4)
        thread = experts.open_thread(
            self.adam,
            cohort=self.cohort_a,
            kind="office_hours",
            title="Office hours",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            video_url="https://meet.example.com/office",
        )
        question = experts.ask_question(
            self.alice, thread=thread, body="How do I *start*?", show_name=False
        )
        experts.answer_question(question, by=self.adam, answer="With a **question**.", live=True)
        experts.ask_question(self.bob, thread=thread, body="And then?", show_name=True)
        for person in (self.alice, self.adam):
            self.client.force_login(person)
            label = person.email.split("@")[0]
            keep(label, reverse("experts:threads"))
            keep(label, reverse("experts:thread", args=[thread.public_id]))
        keep("adam", reverse("experts:new"))
        keep("adam", reverse("experts:new"), 400, "post")
        self.client.force_login(self.alice)
        keep("alice", reverse("experts:ask", args=[thread.public_id]), 400, "post")

    def test_every_product_page_has_no_validator_errors_or_warnings(self) -> None:
        command = validator_command()
        pages = self.pages()
        self.assertGreater(len(pages), 40)
        with tempfile.TemporaryDirectory(prefix="rapport-html-") as folder:
            for name, html in pages.items():
                Path(folder, name).write_text(html, encoding="utf-8")
            result = subprocess.run(
                [*command, *sorted(str(path) for path in Path(folder).iterdir())],
                capture_output=True,
                text=True,
                timeout=600,
            )
        # vnu prints its JSON report on stderr, and exits 1 when it found errors.
        report = json.loads(result.stderr or '{"messages": []}')
        errors = [
            m
            for m in report["messages"]
            if m.get("type") in {"error", "non-document-error"}
            or (m.get("type") == "info" and m.get("subType") == "warning")
        ]
        described = [
            f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
            f"  «{(m.get('extract') or '').strip()[:120]}»"
            for m in errors
        ]
        found = "\n".join(described)
        self.assertEqual(described, [], f"the Nu HTML Checker found errors or warnings:\n{found}")
