"""The studio panel's review of the text as typed (`design_review:preview`): the same checker
and the kind's real visibility on text not yet saved, decisions only on saved text, nothing
stored, every persona answered as the rules say, odd input a clear answer, and a fixed number
of queries whatever the programme's size or the text's length."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from design_review.models import Decision
from design_review.review import digest
from events.models import Event
from programs.models import Activity, ActivityKind, Week
from rapport.testing import PersonaTestCase, make_activity

JUDGING = "Why didn't you ask your team for feedback?"
PROMISE = "Only you will see your answer. What was the hardest moment of your week?"


class PreviewTests(PersonaTestCase):
    def setUp(self) -> None:
        self.activity = self.first_activity(ActivityKind.MISSION)
        Activity.objects.filter(pk=self.activity.pk).update(body="What helped you listen?")
        self.activity.refresh_from_db()
        self.url = reverse("design_review:preview", args=[self.activity.public_id])
        self.studio_url = reverse("admin:programs_activity_change", args=[self.activity.pk])

    def typed(self, **fields: str) -> dict[str, str]:
        data = {
            "title": self.activity.title,
            "summary": self.activity.summary,
            "body": self.activity.body,
            "kind": self.activity.kind,
            "next": self.studio_url,
        }
        data.update(fields)
        return data

    def test_it_reviews_the_text_as_typed_without_saving_anything(self) -> None:
        self.client.force_login(self.dora)
        events = Event.objects.count()
        response = self.client.post(self.url, self.typed(body=JUDGING))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<mark>Why didn&#39;t you ask</mark>", html=False)
        self.assertContains(response, "What made it hard to ask your team for feedback?")
        self.assertContains(response, "1 open finding in the text as typed (not saved yet)")
        self.assertContains(response, 'data-summary="Reviewed as you type: 1 open finding."')
        # The body is not saved: no decision can be made on it yet.
        self.assertContains(response, "Not saved yet")
        self.assertNotContains(
            response, reverse("design_review:accept", args=[self.activity.public_id])
        )
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.body, "What helped you listen?")
        self.assertFalse(Decision.objects.exists())
        self.assertEqual(Event.objects.count(), events)

    def test_a_finding_on_saved_text_keeps_accept_and_dismiss_which_still_work(self) -> None:
        Activity.objects.filter(pk=self.activity.pk).update(body=JUDGING)
        self.activity.refresh_from_db()
        self.client.force_login(self.dora)
        response = self.client.post(self.url, self.typed())
        accept = reverse("design_review:accept", args=[self.activity.public_id])
        self.assertContains(response, f'action="{accept}"')
        self.assertContains(response, f'value="{digest(JUDGING)}"')
        self.assertContains(response, f'name="next" value="{self.studio_url}"')
        self.assertNotContains(response, "Not saved yet")
        start = JUDGING.index("Why")
        decided = self.client.post(
            accept,
            {
                "field": "body",
                "code": "blame",
                "start": start,
                "end": start + len("Why didn't you ask"),
                "digest": digest(JUDGING),
                "next": self.studio_url,
            },
        )
        self.assertRedirects(decided, self.studio_url, fetch_redirect_response=False)
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.body, "What made it hard to ask your team for feedback?")

    def test_text_as_saved_but_with_crlf_line_breaks_counts_as_saved(self) -> None:
        saved = "Take a breath.\n\n" + JUDGING
        Activity.objects.filter(pk=self.activity.pk).update(body=saved)
        self.activity.refresh_from_db()
        self.client.force_login(self.dora)
        response = self.client.post(self.url, self.typed(body=saved.replace("\n", "\r\n")))
        self.assertNotContains(response, "Not saved yet")
        self.assertContains(response, f'value="{digest(saved)}"')
        self.assertContains(response, f'name="start" value="{saved.index("Why")}"')

    def test_it_checks_the_promise_against_the_visibility_of_the_kind_the_form_shows(
        self,
    ) -> None:
        Activity.objects.filter(pk=self.activity.pk).update(body=PROMISE)
        self.client.force_login(self.dora)
        # A mission is answered in the private journal: the promise is true.
        as_mission = self.client.post(self.url, self.typed(body=PROMISE))
        self.assertNotContains(as_mission, "review-finding ")
        # Changed to a discussion prompt (not saved): the cohort reads the answers.
        as_prompt = self.client.post(self.url, self.typed(body=PROMISE, kind="discussion"))
        self.assertContains(as_prompt, "<mark>Only you</mark> will see")
        self.assertContains(as_prompt, "Your cohort will read your answer.")
        self.assertContains(as_prompt, "Not saved yet")  # the kind is not saved either

    def test_the_organisations_reading_level_applies(self) -> None:
        text = (
            "Think about a recent conversation with someone in your team where you listened "
            "carefully and noticed what changed afterwards."
        )  # grade 10.5
        self.client.force_login(self.dora)
        self.assertNotContains(self.client.post(self.url, self.typed(body=text)), "<mark>")
        from design_review.models import ReviewSettings

        ReviewSettings.objects.create(organization=self.org, max_reading_grade=8)
        response = self.client.post(self.url, self.typed(body=text))
        self.assertContains(response, "<mark>Think about")
        self.assertContains(response, "Reading level: grade 8 at most")

    def test_only_designers_and_admins_of_the_organisation_may_preview(self) -> None:
        for person, status in (
            (self.alice, 403),
            (self.carol, 403),
            (self.erin, 404),  # no seat in this programme
            (self.oscar, 404),  # another organisation
        ):
            self.client.force_login(person)
            with self.subTest(person=person.email):
                response = self.client.post(self.url, self.typed(body=JUDGING))
                self.assertEqual(response.status_code, status)
                self.assertNotContains(response, "Why didn", status_code=status)
                self.assertNotContains(response, self.activity.title, status_code=status)
        self.client.logout()
        response = self.client.post(self.url, self.typed(body=JUDGING))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.client.force_login(self.adam)
        self.assertEqual(self.client.post(self.url, self.typed(body=JUDGING)).status_code, 200)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_it_needs_the_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.dora)
        self.assertEqual(client.post(self.url, self.typed(body=JUDGING)).status_code, 403)

    def test_odd_input_gets_a_clear_answer_never_an_error(self) -> None:
        self.client.force_login(self.dora)
        cases = [
            ({"title": "", "summary": "", "body": ""}, 200, "There is no text to review."),
            ({}, 200, "There is no text to review."),  # nothing posted at all
            ({"body": "Listen well. " * 8000}, 200, "Only the first 20,000 characters"),
            ({"body": "abc\x00\x01\x02\x03def\x00\x07"}, 200, "does not look like text"),
            (
                {"body": "Это упражнение поможет вам лучше слушать коллег. Listen well."},
                200,
                "script other than Latin",
            ),
            ({"body": "x" * 200_001}, 400, "too long to review as you type"),
            ({"kind": "sermon"}, 400, "Choose one of the kinds of activity."),
        ]
        for fields, status, says in cases:
            data = self.typed(**fields) if fields else {}
            with self.subTest(says):
                response = self.client.post(self.url, data)
                self.assertEqual(response.status_code, status)
                self.assertContains(response, says, status_code=status)
                self.assertContains(response, 'id="review-panel"', status_code=status)
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.body, "What helped you listen?")

    def test_markdown_and_html_are_reviewed_as_read_and_never_echoed_as_markup(self) -> None:
        self.client.force_login(self.dora)
        body = '<script>alert("x")</script>\n\n**Why didn\'t you ask** your team for feedback?'
        response = self.client.post(self.url, self.typed(body=body))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<mark>Why didn&#39;t you ask</mark>", html=False)
        self.assertNotContains(response, "<script>")

    def test_an_outside_next_address_is_not_used(self) -> None:
        Activity.objects.filter(pk=self.activity.pk).update(body=JUDGING)
        self.activity.refresh_from_db()
        self.client.force_login(self.dora)
        response = self.client.post(self.url, self.typed(next="https://evil.example/"))
        self.assertNotContains(response, "evil.example")
        self.assertContains(response, f'name="next" value="{self.studio_url}"')


class PreviewQueryCountTests(PersonaTestCase):
    def count(self, url: str, body: str) -> int:
        self.client.force_login(self.dora)
        data = {"title": "A title", "summary": "", "body": body, "kind": "mission"}
        self.client.post(url, data)  # warm the session and the model
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.post(url, data).status_code, 200)
        return len(ctx.captured_queries)

    def test_the_preview_makes_the_same_few_queries_at_any_size(self) -> None:
        activity = self.first_activity(ActivityKind.MISSION)
        url = reverse("design_review:preview", args=[activity.public_id])
        small = self.count(url, JUDGING)
        for number in range(3, 9):
            week = Week.objects.create(program=self.program, number=number, title="More")
            for position in range(6):
                a = make_activity(week, kind=list(ActivityKind)[position % 7], position=position)
                Activity.objects.filter(pk=a.pk).update(body=JUDGING)
        large = self.count(url, (JUDGING + " ") * 40)
        self.assertEqual(small, large)
        # The person with their membership (1), the activity with its week, programme,
        # organisation and review settings (1), the programme's decisions (1). The session is
        # cached; nothing is written.
        self.assertEqual(large, 3)
