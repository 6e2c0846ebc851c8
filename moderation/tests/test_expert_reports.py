"""Expert questions and written answers are reported, queued, hidden and logged through the
same moderation mechanism as discussion posts (moderation.targets): the cohort's moderators
have the report with the reporter's name, the author and their line manager never do, the
hidden text is gone for the cohort and kept with the reason for its author, and the audit log
and "My reports" name where it was. Also: a report nobody could moderate is refused honestly."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cohorts.actions import enroll
from cohorts.models import Enrollment, EnrollmentRole
from experts import actions as expert_actions
from experts.models import Question, ThreadKind
from moderation import actions
from moderation.models import ModerationAction, Report, ReportReason, ReportState
from notifications.models import Notification, NotificationKind
from organizations.models import Membership, Role
from rapport.testing import PersonaTestCase, make_user, without_noise

QUESTION = "Why does **Fay** always cry in our circle? Asking for everyone."
ANSWER = "Some people are just too fragile for leadership."


class ExpertReportTestCase(PersonaTestCase):
    """Xena, an expert of cohort A, hosts office hours; bob asked (name hidden) and xena
    answered in writing."""

    question: Question

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.xena = make_user(cls.org, "xena@northwind.example", role=Role.EXPERT)
        enroll(cls.xena, cohort=cls.cohort_a, role=EnrollmentRole.EXPERT)
        starts = timezone.now().replace(microsecond=0) + timedelta(days=2)
        cls.thread = expert_actions.open_thread(
            cls.xena,
            cohort=cls.cohort_a,
            kind=ThreadKind.OFFICE_HOURS,
            title="Feedback that lands",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )
        cls.question = expert_actions.ask_question(
            cls.bob, thread=cls.thread, body=QUESTION, show_name=False
        )
        expert_actions.answer_question(cls.question, by=cls.xena, answer=ANSWER, live=False)

    def thread_page(self, person: object) -> str:
        self.client.force_login(person)  # type: ignore[arg-type]
        response = self.client.get(reverse("experts:thread", args=[self.thread.public_id]))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def report_question(self, reporter: object, **data: str) -> object:
        self.client.force_login(reporter)  # type: ignore[arg-type]
        url = reverse("moderation:report_question", args=[self.question.public_id])
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, {"reason": "vulnerability", **data})


class ReportingQuestionsTests(ExpertReportTestCase):
    def test_a_question_is_reported_and_only_the_cohorts_moderators_have_it(self) -> None:
        page = self.thread_page(self.alice)
        report_url = reverse("moderation:report_question", args=[self.question.public_id])
        self.assertIn(report_url, page)
        form = self.client.get(report_url)
        self.assertContains(form, "Report this question")
        self.assertContains(form, "Uses someone&#39;s vulnerability against them")
        self.assertContains(form, "Asking for everyone")
        # He hid his name: the reporter never learns it (tokens taken out: they can spell it).
        self.assertNotIn("Bob", without_noise(form.content.decode()))
        response = self.report_question(self.alice, details="It singles Fay out.")
        self.assertRedirects(response, reverse("moderation:mine"))
        report = Report.objects.get()
        self.assertEqual(
            (report.question, report.on_answer, report.author, report.cohort),
            (self.question, False, self.bob, self.cohort_a),
        )
        for moderator in (self.carol, self.adam):
            self.client.force_login(moderator)
            queue = self.client.get(reverse("moderation:queue"))
            self.assertContains(queue, "Asking for everyone")
            self.assertContains(queue, "Reported by Alice")
            self.assertContains(queue, "Feedback that lands")
            detail = self.client.get(reverse("moderation:report_detail", args=[report.public_id]))
            self.assertContains(detail, "Bob")  # moderators always know who asked
            self.assertTrue(
                Notification.objects.filter(
                    recipient=moderator, kind=NotificationKind.MODERATION
                ).exists()
            )
        # The author, the expert (not a moderator of the cohort), peers and outsiders: 404.
        for person in (self.bob, self.xena, self.fay, self.dave, self.oscar):
            self.client.force_login(person)
            detail = self.client.get(reverse("moderation:report_detail", args=[report.public_id]))
            self.assertEqual(detail.status_code, 404, person.email)
            self.assertNotContains(self.client.get(reverse("moderation:mine")), "It singles")
        self.client.force_login(self.alice)
        mine = self.client.get(reverse("moderation:mine"))
        self.assertContains(mine, "Feedback that lands")
        self.assertContains(mine, "Waiting for a moderator")

    def test_hiding_a_question_hides_it_from_the_cohort_and_tells_its_author(self) -> None:
        self.report_question(self.alice)
        report = Report.objects.get()
        self.client.force_login(self.carol)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("moderation:hide", args=[report.public_id]),
                {"reason": "It singles out a peer.", "note": "Thank you for telling us."},
            )
        self.assertRedirects(response, reverse("moderation:queue"))
        report.refresh_from_db()
        self.assertEqual(report.state, ReportState.ACTIONED)
        for reader in (self.alice, self.fay, self.xena, self.adam):
            page = self.thread_page(reader)
            self.assertNotIn("Asking for everyone", page, reader.email)
            self.assertIn("This question was hidden by the moderators.", page)
        page = self.thread_page(self.bob)
        self.assertIn("Asking for everyone", page)
        self.assertIn("It singles out a peer.", page)
        for person in (self.bob, self.alice):
            self.assertTrue(
                Notification.objects.filter(
                    recipient=person, kind=NotificationKind.MODERATION
                ).exists()
            )
        entry = ModerationAction.objects.get()
        self.assertEqual((entry.question, entry.actor), (self.question, self.carol))
        self.client.force_login(self.adam)
        log = self.client.get(reverse("moderation:log"))
        self.assertContains(log, "Hid reported text")
        self.assertContains(log, "Feedback that lands")
        # Shown again (a mistake): back for everyone, and logged.
        response = self.client.post(
            reverse("moderation:unhide", args=[report.public_id]), {"reason": "Misread."}
        )
        self.assertRedirects(response, reverse("moderation:report_detail", args=[report.public_id]))
        self.assertIn("Asking for everyone", self.thread_page(self.fay))
        self.assertEqual(ModerationAction.objects.count(), 2)

    def test_an_experts_answer_is_reported_and_hidden_the_same_way(self) -> None:
        self.assertNotIn(
            reverse("moderation:report_answer", args=[self.question.public_id]),
            self.thread_page(self.xena),  # one does not report one's own answer
        )
        self.client.force_login(self.alice)
        url = reverse("moderation:report_answer", args=[self.question.public_id])
        self.assertContains(self.client.get(url), "Report this answer")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {"reason": "harassment"})
        report = Report.objects.get()
        self.assertEqual((report.on_answer, report.author), (True, self.xena))
        with self.assertRaisesMessage(actions.ModerationError, "your own answer"):
            actions.report_question(
                self.question, reporter=self.xena, reason=ReportReason.SPAM, answer=True
            )
        actions.hide_reported_post(report, by=self.adam, reason="Demeaning.")
        for reader in (self.alice, self.bob, self.fay):
            page = self.thread_page(reader)
            self.assertNotIn("too fragile", page)
            self.assertIn("This answer was hidden by the moderators.", page)
            self.assertIn("Asking for everyone", page)  # the question itself stays
        page = self.thread_page(self.xena)
        self.assertIn("too fragile", page)
        self.assertIn("Demeaning.", page)

    def test_bad_reports_are_refused_and_change_nothing(self) -> None:
        with self.assertRaisesMessage(actions.ModerationError, "your own question"):
            actions.report_question(self.question, reporter=self.bob, reason=ReportReason.SPAM)
        self.report_question(self.alice)
        response = self.report_question(self.alice)
        self.assertContains(response, "already reported this question", status_code=400)
        response = self.report_question(self.fay, reason="made-up")
        self.assertContains(response, "not one of the reasons", status_code=400)
        # Someone who cannot see the thread cannot report in it; no written answer, no report.
        self.client.force_login(self.dave)
        url = reverse("moderation:report_question", args=[self.question.public_id])
        self.assertEqual(self.client.get(url).status_code, 404)
        unanswered = expert_actions.ask_question(
            self.fay, thread=self.thread, body="How?", show_name=True
        )
        self.client.force_login(self.alice)
        answer_url = reverse("moderation:report_answer", args=[unanswered.public_id])
        self.assertEqual(self.client.get(answer_url).status_code, 404)
        self.assertEqual(Report.objects.count(), 1)

    def test_a_line_manager_never_moderates_their_reports_question(self) -> None:
        Membership.objects.filter(user=self.bob).update(line_manager=self.carol)
        self.report_question(self.alice)
        report = Report.objects.get()
        self.assertEqual(actions.moderator_ids_for(actions.target_of(report)), {self.adam.pk})
        self.client.force_login(self.carol)
        detail = self.client.get(reverse("moderation:report_detail", args=[report.public_id]))
        self.assertEqual(detail.status_code, 404)

    def test_a_report_nobody_could_moderate_is_refused_honestly(self) -> None:
        # bob's line manager is the only admin, and the cohort's coach seat is gone: nobody
        # may handle a report on bob's question, so alice is told instead of it being queued.
        Membership.objects.filter(user=self.bob).update(line_manager=self.adam)
        Enrollment.objects.filter(cohort=self.cohort_a, role=EnrollmentRole.COACH).delete()
        response = self.report_question(self.alice)
        self.assertContains(response, "Nobody could look at this report", status_code=400)
        self.assertFalse(Report.objects.exists())
