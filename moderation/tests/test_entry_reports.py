"""Journal entries shared with a circle or the cohort are reported, queued, hidden and logged
through the same moderation mechanism as posts and expert questions (moderation.targets): only
people who can read the entry can report it (404 otherwise, whatever they know of its id), the
cohort's moderators read its text on the report — never the author nor their line manager —
a hidden entry is gone for its readers and kept, with the reason, for its author, and an entry
made private or deleted after the report leaves the moderators nothing to read or hide.
An entry shared with the author's coach only is a confidence and is not reportable."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.personal_data import build_export
from moderation import actions
from moderation.models import (
    MAX_DETAILS_LENGTH,
    ActionKind,
    ModerationAction,
    Report,
    ReportReason,
    ReportState,
)
from notifications.models import Notification, NotificationKind
from organizations.models import Membership
from rapport.testing import PersonaTestCase
from reflections import actions as reflection_actions
from reflections.models import Entry, EntryView, Visibility
from reflections.tests.helpers import free_entry


def export_for(user: object) -> dict[str, list[dict[str, object]]]:
    """The person's My data export, section key → rows."""
    return {s["key"]: s["items"] for s in build_export(user)["sections"]}  # type: ignore[arg-type]


UNKIND = "Fay froze again in the circle call. Maybe leading is just not for some people."
CIRCLE_TEXT = "Alice cried when we talked about feedback, which says a lot."


class EntryReportTestCase(PersonaTestCase):
    """Bob shares an unkind free entry with cohort A (read by alice, fay, carol), and another
    with his circle Lisbon (alice and him, coached by carol)."""

    entry: Entry
    circle_entry: Entry

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.entry = free_entry(
            cls.bob, cls.cohort_a, body=UNKIND, title="After the call", visibility="cohort"
        )
        cls.circle_entry = free_entry(cls.bob, cls.cohort_a, body=CIRCLE_TEXT, visibility="circle")

    def url(self, entry: Entry | None = None) -> str:
        return reverse("moderation:report_entry", args=[(entry or self.entry).public_id])

    def post_report(self, reporter: object, entry: Entry | None = None, **data: str) -> object:
        self.client.force_login(reporter)  # type: ignore[arg-type]
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url(entry), {"reason": "vulnerability", **data})

    def entry_page(self, person: object, entry: Entry | None = None) -> object:
        self.client.force_login(person)  # type: ignore[arg-type]
        return self.client.get(reverse("reflections:entry", args=[(entry or self.entry).public_id]))


class ReportingEntriesTests(EntryReportTestCase):
    def test_a_reader_reports_a_shared_entry_and_only_the_cohorts_moderators_have_it(self) -> None:
        page = self.entry_page(self.alice)
        self.assertContains(page, self.url())
        form = self.client.get(self.url())
        self.assertContains(form, "Report this journal entry")
        self.assertContains(form, "What is wrong with this journal entry?")
        self.assertNotContains(form, "this post")
        self.assertContains(form, "Maybe leading is just not for some people.")
        response = self.post_report(self.alice, details="It is about Fay.")
        self.assertRedirects(response, reverse("moderation:mine"))
        report = Report.objects.get()
        self.assertEqual(
            (report.entry, report.post, report.question, report.author, report.cohort),
            (self.entry, None, None, self.bob, self.cohort_a),
        )
        for moderator in (self.carol, self.adam):
            self.client.force_login(moderator)
            queue = self.client.get(reverse("moderation:queue"))
            self.assertContains(queue, "Fay froze again")
            self.assertContains(queue, "Reported by Alice")
            self.assertContains(queue, "The journal shared with Cohort A")
            detail = self.client.get(reverse("moderation:report_detail", args=[report.public_id]))
            self.assertContains(detail, "Fay froze again")
            self.assertContains(detail, "Why the journal entry is hidden (its author reads this)")
            notice = Notification.objects.get(recipient=moderator, kind=NotificationKind.MODERATION)
            self.assertNotIn("Fay froze", f"{notice.place} {notice.url}")  # never quoted
        # The author, peers, a designer and outsiders: no report to open.
        for person in (self.bob, self.fay, self.dave, self.dora, self.erin, self.oscar):
            self.client.force_login(person)
            detail = self.client.get(reverse("moderation:report_detail", args=[report.public_id]))
            self.assertEqual(detail.status_code, 404, person.email)
            self.assertNotContains(self.client.get(reverse("moderation:mine")), "It is about")
        # The moderators' reading is not in the author's access log: it would tell him.
        self.assertFalse(EntryView.objects.filter(viewer__in=[self.carol, self.adam]).exists())
        self.client.force_login(self.alice)
        mine = self.client.get(reverse("moderation:mine"))
        self.assertContains(mine, "The journal shared with Cohort A")
        self.assertContains(mine, "Waiting for a moderator")
        self.assertNotContains(mine, "Fay froze")  # My reports never quotes the text

    def test_a_circle_entry_is_reported_by_its_circle_and_named_by_its_circle(self) -> None:
        self.post_report(self.alice, self.circle_entry)
        report = Report.objects.get()
        self.assertEqual(report.entry, self.circle_entry)
        self.client.force_login(self.adam)  # an admin who never reads the circle's journal
        queue = self.client.get(reverse("moderation:queue"))
        self.assertContains(queue, "The journal shared with Circle Lisbon")
        self.assertContains(queue, "Alice cried when")

    def test_every_page_that_names_where_the_entry_is_begins_it_with_a_capital(self) -> None:
        """The report form's line above its heading read "the journal shared with Circle
        Lisbon" (found clicking through the demo). Wherever a moderation page shows the place
        on its own (that line, the quoted text's line, My reports, the audit log) it begins
        with a capital; only sentences keep the lower case (the notifications)."""
        self.client.force_login(self.alice)
        form = self.client.get(self.url(self.circle_entry))
        self.assertContains(
            form, '<p class="page-header__context">The journal shared with Circle Lisbon</p>'
        )
        self.post_report(self.alice, self.circle_entry)
        report = Report.objects.get()
        self.client.force_login(self.carol)
        pages = {
            "form": form,
            "queue": self.client.get(reverse("moderation:queue")),
            "report": self.client.get(reverse("moderation:report_detail", args=[report.public_id])),
        }
        with self.captureOnCommitCallbacks(execute=True):
            actions.hide_reported_post(report, by=self.carol, reason="Not the circle's to know.")
        self.client.force_login(self.adam)
        pages["audit log"] = self.client.get(reverse("moderation:log"))
        self.client.force_login(self.alice)
        pages["my reports"] = self.client.get(reverse("moderation:mine"))
        for name, page in pages.items():
            with self.subTest(name):
                self.assertContains(page, "The journal shared with Circle Lisbon")
                self.assertNotContains(page, "the journal shared with")
        notice = Notification.objects.filter(recipient=self.alice).latest("pk")
        self.assertEqual(notice.place, "your report in the journal shared with Circle Lisbon")

    def test_no_report_control_on_ones_own_entry_or_one_shared_with_the_coach_only(self) -> None:
        self.assertNotContains(self.entry_page(self.bob), self.url())
        for_coach = free_entry(self.bob, self.cohort_a, body="Just for Carol.", visibility="coach")
        self.assertNotContains(self.entry_page(self.carol, for_coach), self.url(for_coach))
        self.assertEqual(self.client.get(self.url(for_coach)).status_code, 404)
        with self.assertRaisesMessage(actions.ModerationError, "no longer shared with a group"):
            actions.report_entry(for_coach, reporter=self.carol, reason=ReportReason.OTHER)
        self.assertFalse(Report.objects.exists())


class AdversarialEntryReportTests(EntryReportTestCase):
    def test_someone_who_cannot_read_the_entry_gets_404_whatever_they_send(self) -> None:
        # Another cohort, another programme, another organisation, a designer, an admin (who
        # never reads journals), and a peer outside the circle for the circle's entry.
        attempts = [(p, self.entry) for p in (self.dave, self.erin, self.oscar, self.dora)]
        attempts += [(self.adam, self.entry), (self.fay, self.circle_entry)]
        attempts += [(self.dave, self.circle_entry)]
        for person, entry in attempts:
            self.client.force_login(person)
            self.assertEqual(self.client.get(self.url(entry)).status_code, 404, person.email)
            response = self.post_report(person, entry, details="Let me read it")
            self.assertEqual(response.status_code, 404, person.email)  # type: ignore[attr-defined]
            self.assertNotContains(response, "Fay froze", status_code=404)
            self.assertNotContains(response, "Alice cried", status_code=404)
        self.assertFalse(Report.objects.exists())
        self.assertFalse(Notification.objects.filter(kind=NotificationKind.MODERATION).exists())

    def test_a_private_entry_is_404_even_for_its_former_readers(self) -> None:
        private = free_entry(self.bob, self.cohort_a, body="Mine alone.")
        for person in (self.alice, self.carol, self.adam):
            self.client.force_login(person)
            self.assertEqual(self.client.get(self.url(private)).status_code, 404)

    def test_the_author_cannot_report_their_own_entry(self) -> None:
        response = self.post_report(self.bob)
        self.assertContains(response, "You cannot report your own journal entry", status_code=400)
        self.assertFalse(Report.objects.exists())

    def test_reporting_twice_says_so_and_keeps_the_first(self) -> None:
        self.post_report(self.alice, details="First.")
        response = self.post_report(self.alice, details="Second.", reason="spam")
        self.assertContains(response, "already reported this journal entry", status_code=400)
        report = Report.objects.get()
        self.assertEqual((report.details, report.reason), ("First.", "vulnerability"))

    def test_bad_reasons_and_overlong_details_are_clear_errors(self) -> None:
        response = self.post_report(self.alice, reason="made-up")
        self.assertContains(response, "not one of the reasons", status_code=400)
        response = self.post_report(self.alice, reason="")
        self.assertContains(response, "Choose the reason that fits best", status_code=400)
        response = self.post_report(self.alice, details="x" * (MAX_DETAILS_LENGTH + 1))
        self.assertEqual(response.status_code, 400)  # type: ignore[attr-defined]
        self.assertContains(response, "at most", status_code=400)
        self.assertFalse(Report.objects.exists())

    def test_an_entry_unshared_before_the_report_is_sent_is_a_404(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url()).status_code, 200)  # the form is open
        reflection_actions.set_visibility(self.entry, by=self.bob, visibility="private")
        response = self.post_report(self.alice)
        self.assertEqual(response.status_code, 404)  # type: ignore[attr-defined]
        self.assertNotContains(response, "Fay froze", status_code=404)
        reflection_actions.delete_entry(self.circle_entry, by=self.bob)
        self.assertEqual(self.post_report(self.alice, self.circle_entry).status_code, 404)  # type: ignore[attr-defined]
        self.assertFalse(Report.objects.exists())

    def test_a_line_manager_never_moderates_their_reports_entry(self) -> None:
        Membership.objects.filter(user=self.bob).update(line_manager=self.carol)
        self.post_report(self.alice)
        report = Report.objects.get()
        self.assertEqual(actions.moderator_ids_for(actions.target_of(report)), {self.adam.pk})
        self.client.force_login(self.carol)
        detail = self.client.get(reverse("moderation:report_detail", args=[report.public_id]))
        self.assertEqual(detail.status_code, 404)
        self.assertNotContains(self.client.get(reverse("moderation:queue")), "Fay froze")


class ModeratingEntriesTests(EntryReportTestCase):
    def hide(self, report: Report, by: object, **data: str) -> object:
        self.client.force_login(by)  # type: ignore[arg-type]
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("moderation:hide", args=[report.public_id]), data)

    def test_hiding_an_entry_hides_it_from_its_readers_and_tells_its_author_why(self) -> None:
        self.post_report(self.alice)
        self.post_report(self.fay)
        report = Report.objects.filter(reporter=self.alice).get()
        response = self.hide(report, self.carol, reason="It singles out a peer.", note="Thanks.")
        self.assertRedirects(response, reverse("moderation:queue"))
        self.assertEqual(
            set(Report.objects.values_list("state", flat=True)), {ReportState.ACTIONED}
        )
        self.entry.refresh_from_db()
        self.assertIsNotNone(self.entry.hidden_at)
        for reader in (self.alice, self.fay, self.carol):
            self.assertEqual(self.entry_page(reader).status_code, 404, reader.email)  # type: ignore[attr-defined]
            self.client.force_login(reader)
            shared = self.client.get(reverse("reflections:shared"))
            self.assertNotContains(shared, "After the call")
        page = self.entry_page(self.bob)
        self.assertContains(page, "Fay froze again")
        self.assertContains(page, "It singles out a peer.")
        # Sharing it again does not show it again: only a moderator does.
        reflection_actions.set_visibility(self.entry, by=self.bob, visibility="circle")
        self.assertEqual(self.entry_page(self.alice).status_code, 404)  # type: ignore[attr-defined]
        for person in (self.bob, self.alice, self.fay):
            self.assertTrue(
                Notification.objects.filter(
                    recipient=person, kind=NotificationKind.MODERATION
                ).exists(),
                person.email,
            )
        author_notice = Notification.objects.get(recipient=self.bob)
        self.assertEqual(
            author_notice.url, reverse("reflections:entry", args=[self.entry.public_id])
        )
        logged = ModerationAction.objects.get()
        self.assertEqual(
            (logged.action, logged.entry, logged.actor), (ActionKind.HIDE, self.entry, self.carol)
        )
        self.client.force_login(self.adam)
        log = self.client.get(reverse("moderation:log"))
        self.assertContains(log, "Hid reported text")
        self.assertContains(log, "The journal shared with Circle Lisbon")  # where it is now
        self.assertNotContains(log, "Fay froze")
        # Shown again (a mistake): back for its circle, and logged.
        response = self.client.post(
            reverse("moderation:unhide", args=[report.public_id]), {"reason": "Misread."}
        )
        self.assertRedirects(response, reverse("moderation:report_detail", args=[report.public_id]))
        self.assertContains(self.entry_page(self.alice), "Fay froze again")
        self.assertEqual(ModerationAction.objects.count(), 2)

    def test_the_moderators_read_the_entry_as_inert_text(self) -> None:
        planted = free_entry(
            self.bob,
            self.cohort_a,
            body='<script>alert("x")</script> **not bold** <img src=x onerror=alert(1)>',
            visibility="cohort",
        )
        actions.report_entry(planted, reporter=self.alice, reason=ReportReason.OTHER)
        self.client.force_login(self.carol)
        queue = self.client.get(reverse("moderation:queue")).content.decode()
        self.assertNotIn('<script>alert("x")', queue)
        self.assertNotIn("<img src=x", queue)
        self.assertNotIn("<strong>not bold</strong>", queue)  # never Markdown, as readers see it
        self.assertIn("&lt;script&gt;", queue)

    def test_an_empty_or_overlong_hide_reason_is_refused_and_changes_nothing(self) -> None:
        self.post_report(self.alice)
        report = Report.objects.get()
        response = self.hide(report, self.carol, reason="   ")
        self.assertContains(
            response,
            "Say why the journal entry is hidden: its author will read it.",
            status_code=400,
        )
        response = self.hide(report, self.carol, reason="x" * 501)
        self.assertEqual(response.status_code, 400)  # type: ignore[attr-defined]
        self.entry.refresh_from_db()
        self.assertIsNone(self.entry.hidden_at)
        report.refresh_from_db()
        self.assertEqual(report.state, ReportState.OPEN)
        self.assertFalse(ModerationAction.objects.exists())

    def test_an_entry_made_private_after_the_report_is_no_longer_the_moderators_to_read(
        self,
    ) -> None:
        self.post_report(self.alice)
        report = Report.objects.get()
        reflection_actions.set_visibility(self.entry, by=self.bob, visibility="coach")
        self.client.force_login(self.adam)
        for url in (
            reverse("moderation:queue"),
            reverse("moderation:report_detail", args=[report.public_id]),
        ):
            page = self.client.get(url)
            self.assertNotContains(page, "Fay froze")
            self.assertContains(page, "no longer shares this entry with a group")
        detail = self.client.get(reverse("moderation:report_detail", args=[report.public_id]))
        self.assertNotContains(detail, reverse("moderation:hide", args=[report.public_id]))
        response = self.hide(report, self.adam, reason="Too late?")
        self.assertContains(response, "no longer shares this entry", status_code=400)
        self.entry.refresh_from_db()
        self.assertIsNone(self.entry.hidden_at)
        self.assertEqual(Report.objects.get().state, ReportState.OPEN)
        response = self.client.post(
            reverse("moderation:dismiss", args=[report.public_id]), {"note": "It is private now."}
        )
        self.assertRedirects(response, reverse("moderation:queue"))
        self.assertEqual(Report.objects.get().state, ReportState.DISMISSED)

    def test_an_entry_deleted_after_the_report_leaves_a_report_to_dismiss(self) -> None:
        self.post_report(self.alice)
        report = Report.objects.get()
        reflection_actions.delete_entry(self.entry, by=self.bob)
        report.refresh_from_db()
        self.assertIsNone(report.entry)
        self.client.force_login(self.carol)
        detail = self.client.get(reverse("moderation:report_detail", args=[report.public_id]))
        self.assertContains(detail, "Its author has deleted this entry")
        response = self.hide(report, self.carol, reason="Gone anyway.")
        self.assertContains(response, "Its author has deleted this entry", status_code=400)
        response = self.client.post(reverse("moderation:dismiss", args=[report.public_id]), {})
        self.assertRedirects(response, reverse("moderation:queue"))
        self.assertEqual(ModerationAction.objects.get().action, ActionKind.DISMISS)
        self.client.force_login(self.alice)
        mine = self.client.get(reverse("moderation:mine"))
        self.assertContains(mine, "A journal entry its author has since deleted")
        self.assertNotContains(mine, "a journal entry its author has since deleted")
        self.assertContains(mine, "No action taken")

    def test_the_exports_hold_the_report_and_the_hide_for_their_own_people_only(self) -> None:
        self.post_report(self.alice, details="It is about Fay.")
        actions.hide_reported_post(Report.objects.get(), by=self.carol, reason="Unkind.")
        reporters = [r for r in export_for(self.alice)["moderation"] if r["type"] == "report"]
        self.assertEqual(reporters[0]["entry"], str(self.entry.public_id))
        self.assertEqual(reporters[0]["place"], "the journal shared with Cohort A")
        self.assertNotIn("Fay froze", str(export_for(self.alice)))
        authors = [r for r in export_for(self.bob)["reflections"] if r.get("id")]
        hidden = next(r for r in authors if r["id"] == str(self.entry.public_id))
        self.assertEqual(hidden["why it was hidden"], "Unkind.")
        self.assertNotIn("It is about Fay", str(export_for(self.bob)))  # never who reported


class EntryQueueQueryCountTests(EntryReportTestCase):
    def queries_for(self, name: str, person: object) -> int:
        self.client.force_login(person)  # type: ignore[arg-type]
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(reverse(name)).status_code, 200)
        return len(queries)

    def test_the_queue_my_reports_and_the_log_cost_the_same_with_entries_in_them(self) -> None:
        first = actions.report_entry(self.entry, reporter=self.alice, reason=ReportReason.SPAM)
        actions.dismiss_report(first, by=self.adam)
        actions.report_entry(self.circle_entry, reporter=self.alice, reason=ReportReason.OTHER)
        before = [
            self.queries_for("moderation:queue", self.adam),
            self.queries_for("moderation:mine", self.alice),
            self.queries_for("moderation:log", self.adam),
        ]
        for n in range(5):
            entry = free_entry(self.fay, self.cohort_a, body=f"Entry {n}", visibility="cohort")
            report = actions.report_entry(entry, reporter=self.alice, reason=ReportReason.OTHER)
            actions.report_entry(entry, reporter=self.bob, reason=ReportReason.SPAM)
            if n % 2:
                actions.hide_reported_post(report, by=self.carol, reason="Off topic.")
        after = [
            self.queries_for("moderation:queue", self.adam),
            self.queries_for("moderation:mine", self.alice),
            self.queries_for("moderation:log", self.adam),
        ]
        self.assertEqual(before, after)


class EntryVisibilityRuleTests(EntryReportTestCase):
    def test_a_hidden_entry_is_its_authors_alone_in_the_visible_to_rule(self) -> None:
        reflection_actions.hide_entry(self.entry, reason="Unkind.")
        coach_entry = free_entry(self.bob, self.cohort_a, body="For Carol", visibility="coach")
        reflection_actions.hide_entry(coach_entry, reason="Unkind.")
        for reader in (self.alice, self.fay, self.carol):
            visible = Entry.objects.visible_to(reader)
            self.assertFalse(visible.filter(pk__in=[self.entry.pk, coach_entry.pk]).exists())
        self.assertEqual(
            Entry.objects.visible_to(self.bob).filter(hidden_at__isnull=False).count(), 2
        )
        self.assertTrue(
            Entry.objects.visible_to(self.alice).filter(pk=self.circle_entry.pk).exists()
        )
        self.assertEqual(self.entry.visibility, Visibility.COHORT)


class HomeCardTests(EntryReportTestCase):
    def test_the_moderators_home_card_names_every_kind_of_report(self) -> None:
        """The coach's Home said "Posts people in your cohorts reported" while the queue it opens
        also holds expert questions and answers and shared journal entries (the demo's second
        report is a journal entry)."""
        self.client.force_login(self.carol)
        home = self.client.get(reverse("home"))
        self.assertContains(home, reverse("moderation:queue"))
        self.assertContains(home, "shared journal entries that people in your cohorts reported")
        self.assertNotContains(home, "Posts people in your cohorts reported")
