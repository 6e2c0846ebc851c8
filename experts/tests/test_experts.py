"""Experts: office hours and ask-me-anything threads for a cohort. Who may open, see, ask,
upvote and answer; the asker's name shown or hidden by their choice and always known to the
moderators; one vote each, withdrawn at will; answers in writing or live; office hours in My
sessions with an `.ics` invite; sanitised Markdown; bad input a 400 that changes nothing; a
fixed number of queries with 5 and 500 questions."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cohorts.actions import enroll
from cohorts.models import EnrollmentRole
from events.models import Event, Verb
from experts import actions
from experts.models import ExpertThread, Question, ThreadKind, Vote
from experts.personal_data import erase_experts, export_experts
from organizations.models import Role
from rapport.testing import PersonaTestCase, make_user


class ExpertsTestCase(PersonaTestCase):
    """Xena holds an expert's seat in cohort A (alice, bob, fay learn there; carol coaches)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.xena = make_user(cls.org, "xena@northwind.example", role=Role.LEARNER)
        enroll(cls.xena, cohort=cls.cohort_a, role=EnrollmentRole.EXPERT)

    def office_hours(self, **kwargs) -> ExpertThread:
        starts = timezone.now().replace(microsecond=0) + timedelta(days=2)
        return actions.open_thread(
            self.xena,
            cohort=self.cohort_a,
            kind=ThreadKind.OFFICE_HOURS,
            title="Feedback that lands",
            starts_at=starts,
            ends_at=starts + timedelta(minutes=60),
            video_url="https://meet.example.com/xena",
            **kwargs,
        )

    def thread_url(self, thread: ExpertThread) -> str:
        return reverse("experts:thread", args=[thread.public_id])


class OpeningTests(ExpertsTestCase):
    def test_an_expert_opens_office_hours_for_their_cohort(self) -> None:
        self.client.force_login(self.xena)
        day = timezone.localdate() + timedelta(days=3)
        response = self.client.post(
            reverse("experts:new"),
            {
                "cohort": str(self.cohort_a.public_id),
                "kind": "office_hours",
                "title": "Feedback that lands",
                "day": day.isoformat(),
                "start_time": "16:00",
                "minutes": "60",
                "video_url": "https://meet.example.com/xena",
            },
        )
        thread = ExpertThread.objects.get()
        self.assertRedirects(response, self.thread_url(thread))
        self.assertEqual(thread.host, self.xena)
        assert thread.starts_at is not None and thread.ends_at is not None
        self.assertEqual(thread.ends_at - thread.starts_at, timedelta(minutes=60))
        # In My sessions for the cohort's people, with the invite on its page.
        for person in (self.alice, self.carol):
            self.client.force_login(person)
            response = self.client.get(reverse("coaching:sessions"))
            self.assertContains(response, "Feedback that lands")
            self.assertContains(response, self.thread_url(thread))
        for person in (self.dave, self.erin, self.oscar):
            self.client.force_login(person)
            self.assertNotContains(self.client.get(reverse("coaching:sessions")), "Feedback")
        self.client.force_login(self.bob)
        ics = self.client.get(reverse("experts:invite", args=[thread.public_id]))
        event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
        self.assertEqual(str(event["UID"]), thread.ical_uid)
        self.assertEqual(event.decoded("DTSTART"), thread.starts_at)

    def test_only_experts_and_admins_open_and_only_in_their_cohorts(self) -> None:
        for person in (self.alice, self.carol, self.dora):
            self.client.force_login(person)
            self.assertEqual(self.client.get(reverse("experts:new")).status_code, 403)
        self.client.force_login(self.xena)
        data = {"cohort": str(self.cohort_b.public_id), "kind": "ama", "title": "Ask me"}
        response = self.client.post(reverse("experts:new"), data)
        self.assertContains(response, "Select a valid choice", status_code=400)
        self.client.force_login(self.adam)
        response = self.client.post(reverse("experts:new"), data)
        self.assertEqual(response.status_code, 302)  # an admin may, in any cohort of hers
        self.assertEqual(ExpertThread.objects.get().cohort, self.cohort_b)

    def test_bad_input_is_refused_and_kept(self) -> None:
        self.client.force_login(self.xena)
        base = {"cohort": str(self.cohort_a.public_id), "kind": "office_hours", "title": "Hi"}
        cases = [
            ({}, "Office hours need a day"),
            ({"day": "2020-01-01", "start_time": "10:00", "minutes": "60"}, "already passed"),
            ({"title": "Two\u202elines", "kind": "ama"}, "U+202E"),
            ({"kind": "webinar"}, "Select a valid choice"),
        ]
        for change, message in cases:
            response = self.client.post(reverse("experts:new"), {**base, **change})
            self.assertContains(response, message, status_code=400)
        self.assertFalse(ExpertThread.objects.exists())


class QuestionTests(ExpertsTestCase):
    def test_a_hidden_name_is_hidden_from_the_cohort_and_known_to_moderators(self) -> None:
        thread = self.office_hours()
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("experts:ask", args=[thread.public_id]),
            {"body": "How do I give **feedback** upwards?"},  # show_name unticked
        )
        question = Question.objects.get()
        self.assertRedirects(response, self.thread_url(thread) + f"#q-{question.public_id}")
        self.assertFalse(question.show_name)
        for person in (self.bob, self.carol):
            self.client.force_login(person)
            page = self.client.get(self.thread_url(thread))
            self.assertContains(page, "<strong>feedback</strong>")
            self.assertContains(page, "Asked by a learner")
            self.assertNotContains(page, "Alice")
        for person in (self.xena, self.adam):
            self.client.force_login(person)
            page = self.client.get(self.thread_url(thread))
            self.assertContains(page, "Asked by Alice")
            self.assertContains(page, "name hidden from the cohort")
        # The event names the question by id: no text.
        event = Event.objects.get(verb=Verb.ASKED)
        self.assertEqual(event.object_id, question.public_id)
        self.assertNotIn("feedback", str(event.result))

    def test_one_vote_each_withdrawn_at_will(self) -> None:
        thread = self.office_hours()
        question = actions.ask_question(self.alice, thread=thread, body="Q", show_name=True)
        url = reverse("experts:vote", args=[question.public_id])
        self.client.force_login(self.bob)
        self.client.post(url, {"up": "1"})
        self.client.post(url, {"up": "1"})  # a double click counts once
        question.refresh_from_db()
        self.assertEqual(question.vote_count, 1)
        self.assertContains(self.client.get(self.thread_url(thread)), 'aria-pressed="true"')
        self.client.force_login(self.fay)
        self.client.post(url, {"up": "1"})
        question.refresh_from_db()
        self.assertEqual(question.vote_count, 2)
        self.client.post(url, {"up": "0"})
        self.client.post(url, {"up": "0"})
        question.refresh_from_db()
        self.assertEqual((question.vote_count, Vote.objects.count()), (1, 1))
        self.assertEqual(Event.objects.filter(verb=Verb.UPVOTED).count(), 2)
        # Refused: nonsense (400), one's own question, a coach, another cohort (404).
        self.assertEqual(self.client.post(url, {"up": "yes"}).status_code, 400)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(url, {"up": "1"}).status_code, 403)
        self.client.force_login(self.carol)
        self.assertEqual(self.client.post(url, {"up": "1"}).status_code, 403)
        for person in (self.dave, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.post(url, {"up": "1"}).status_code, 404)
        question.refresh_from_db()
        self.assertEqual(question.vote_count, 1)

    def test_the_expert_answers_in_writing_or_live(self) -> None:
        thread = self.office_hours()
        question = actions.ask_question(self.alice, thread=thread, body="Q", show_name=True)
        url = reverse("experts:answer", args=[question.public_id])
        self.client.force_login(self.bob)
        self.assertEqual(self.client.post(url, {"answer": "Mine"}).status_code, 403)
        self.client.force_login(self.xena)
        self.client.post(url, {"answer": "Ask *first*.", "live": "on"})
        question.refresh_from_db()
        self.assertTrue(question.answered_live)
        self.client.force_login(self.alice)
        page = self.client.get(self.thread_url(thread))
        self.assertContains(page, "<em>first</em>")
        self.assertContains(page, "Answered live")
        self.assertEqual(Event.objects.filter(verb=Verb.ANSWERED).count(), 1)
        self.client.force_login(self.xena)
        response = self.client.post(url, {"answer": "x" * 10001})
        self.assertContains(response, "at most 10000 characters", status_code=400)
        question.refresh_from_db()
        self.assertEqual(question.answer, "Ask *first*.")

    def test_markdown_is_sanitised(self) -> None:
        thread = self.office_hours()
        actions.ask_question(
            self.alice,
            thread=thread,
            body='<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="a()">',
            show_name=True,
        )
        self.client.force_login(self.bob)
        page = self.client.get(self.thread_url(thread)).content.decode()
        self.assertNotIn("<script>alert", page)
        self.assertNotIn('href="javascript', page)
        self.assertNotIn("<img", page)
        self.assertIn("&lt;script&gt;alert(1)", page)  # shown as the text it is

    def test_an_empty_question_is_refused_and_a_closed_thread_takes_none(self) -> None:
        thread = self.office_hours()
        self.client.force_login(self.alice)
        url = reverse("experts:ask", args=[thread.public_id])
        self.assertContains(self.client.post(url, {"body": "   "}), "required", status_code=400)
        long = "y" * 2001
        self.assertContains(self.client.post(url, {"body": long}), long, status_code=400)
        actions.close_thread(thread)
        self.assertEqual(self.client.post(url, {"body": "Late"}).status_code, 403)
        self.assertFalse(Question.objects.exists())

    def test_outsiders_get_404(self) -> None:
        thread = self.office_hours()
        for person in (self.dave, self.erin, self.dora, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get(self.thread_url(thread)).status_code, 404)
            self.assertNotContains(self.client.get(reverse("experts:threads")), "Feedback")
        self.client.force_login(self.alice)
        tampered = reverse("experts:thread", args=[self.cohort_a.public_id])
        self.assertEqual(self.client.get(tampered).status_code, 404)

    def test_the_thread_page_makes_a_fixed_number_of_queries(self) -> None:
        thread = self.office_hours()
        learners = [self.alice, self.fay]

        def add(count: int) -> None:
            Question.objects.bulk_create(
                Question(
                    organization_id=thread.organization_id,
                    thread=thread,
                    author=learners[i % 2],
                    body=f"Question {i}",
                    show_name=bool(i % 3),
                    vote_count=i % 7,
                )
                for i in range(count)
            )

        add(5)
        self.client.force_login(self.bob)
        url = self.thread_url(thread)
        self.client.get(url)
        # 1 the user with her membership; 2 the thread with cohort and host; 3 the questions
        # with their authors; 4 her votes; 5 whether she may ask (a learner's seat).
        with self.assertNumQueries(5):
            self.client.get(url)
        add(495)
        with self.assertNumQueries(5):
            response = self.client.get(url)
        self.assertContains(response, 'data-testid="question"', count=500)

    def test_my_sessions_stays_at_a_fixed_number_of_queries_with_office_hours(self) -> None:
        self.office_hours()
        self.client.force_login(self.alice)
        url = reverse("coaching:sessions")
        self.client.get(url)
        with self.assertNumQueries(10):  # coaching/tests/test_pages.py names them
            self.client.get(url)
        for _ in range(5):
            self.office_hours()
        with self.assertNumQueries(10):
            response = self.client.get(url)
        self.assertContains(response, "Feedback that lands", count=6)

    def test_export_and_erasure(self) -> None:
        thread = self.office_hours()
        question = actions.ask_question(self.alice, thread=thread, body="Mine", show_name=False)
        other = actions.ask_question(self.fay, thread=thread, body="Fay's", show_name=True)
        actions.set_vote(self.alice, question=other, up=True)
        rows = export_experts(self.alice)
        self.assertEqual({r["kind"] for r in rows}, {"question", "upvote"})
        self.assertNotIn("Fay's", str(rows))
        erase_experts(self.alice)
        other.refresh_from_db()
        self.assertEqual(other.vote_count, 0)
        self.assertFalse(Question.objects.filter(pk=question.pk).exists())
