"""The design review's pages and writes, persona by persona: designers and admins of the
organisation review; learners and coaches are refused; other organisations and tampered ids get
404. Decisions are made on the text seen (a changed text is refused), a dismissal needs a reason,
signing off with open findings needs one too, and every page makes a fixed number of queries."""

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from design_review.models import Decision, DecisionKind, SignOff
from design_review.review import digest
from events.models import Event, Verb
from programs.models import Activity, ActivityKind, Week
from rapport.testing import PersonaTestCase, make_activity

JUDGING = "Why didn't you ask your team for feedback?"


class DesignReviewPageTests(PersonaTestCase):
    def setUp(self) -> None:
        self.activity = self.first_activity(ActivityKind.DISCUSSION)
        Activity.objects.filter(pk=self.activity.pk).update(body=JUDGING)
        self.activity.refresh_from_db()
        self.program_url = reverse("design_review:program", args=[self.program.public_id])
        self.activity_url = reverse("design_review:activity", args=[self.activity.public_id])

    def finding_post(self, **overrides: object) -> dict[str, object]:
        text = self.activity.body
        start = text.index("Why")
        data = {
            "field": "body",
            "code": "blame",
            "start": start,
            "end": start + len("Why didn't you ask"),
            "digest": digest(text),
        }
        data.update(overrides)
        return data

    def test_designers_and_admins_see_the_programme_review(self) -> None:
        for person in (self.dora, self.adam):
            self.client.force_login(person)
            response = self.client.get(self.program_url)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "1 open finding")
            self.assertContains(response, "<mark>Why didn&#39;t you ask</mark>", html=False)

    def test_learners_and_coaches_are_refused_and_outsiders_learn_nothing(self) -> None:
        for person, status in (
            (self.alice, 403),
            (self.carol, 403),
            (self.erin, 404),  # same organisation, no seat in this programme
            (self.oscar, 404),  # another organisation
        ):
            self.client.force_login(person)
            for url in (
                self.program_url,
                self.activity_url,
                reverse("design_review:report", args=[self.program.public_id]),
            ):
                with self.subTest(person=person.email, url=url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, status)
                    self.assertNotContains(response, JUDGING, status_code=status)
            accept = reverse("design_review:accept", args=[self.activity.public_id])
            self.assertEqual(self.client.post(accept, self.finding_post()).status_code, status)
        self.assertFalse(Decision.objects.exists())

    def test_a_tampered_id_is_404(self) -> None:
        self.client.force_login(self.dora)
        for name in ("design_review:program", "design_review:activity"):
            response = self.client.get(reverse(name, args=[uuid.uuid4()]))
            self.assertEqual(response.status_code, 404)

    def test_accepting_a_rewrite_saves_it_and_the_programme_shows_it_resolved(self) -> None:
        self.client.force_login(self.dora)
        response = self.client.get(self.activity_url)
        self.assertContains(response, "What made it hard to ask your team for feedback?")
        accept = reverse("design_review:accept", args=[self.activity.public_id])
        response = self.client.post(accept, self.finding_post())
        self.assertRedirects(response, self.activity_url)
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.body, "What made it hard to ask your team for feedback?")
        decision = Decision.objects.get()
        self.assertEqual(
            (decision.kind, decision.code, decision.decided_by), ("accepted", "blame", self.dora)
        )
        self.assertTrue(Event.objects.filter(verb=Verb.REVISED, actor=self.dora).exists())
        page = self.client.get(self.program_url)
        self.assertContains(page, "0 open findings")
        self.assertContains(page, "1 resolved")

    def test_a_decision_on_a_text_that_changed_is_refused_and_changes_nothing(self) -> None:
        self.client.force_login(self.dora)
        seen = self.finding_post()
        Activity.objects.filter(pk=self.activity.pk).update(body=JUDGING + " Take your time.")
        accept = reverse("design_review:accept", args=[self.activity.public_id])
        response = self.client.post(accept, seen)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "The text changed since this review", status_code=409)
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.body, JUDGING + " Take your time.")
        self.assertFalse(Decision.objects.exists())

    def test_bad_input_is_a_400_and_changes_nothing(self) -> None:
        self.client.force_login(self.dora)
        accept = reverse("design_review:accept", args=[self.activity.public_id])
        for bad in (
            {"start": "abc"},
            {"code": "no-such-code"},
            {"field": "media"},
            {"digest": "x"},
        ):
            with self.subTest(bad):
                self.assertEqual(
                    self.client.post(accept, self.finding_post(**bad)).status_code, 400
                )
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.body, JUDGING)

    def test_a_dismissal_needs_a_reason_and_is_kept_in_the_audit_log(self) -> None:
        self.client.force_login(self.dora)
        dismiss = reverse("design_review:dismiss", args=[self.activity.public_id])
        self.assertEqual(self.client.post(dismiss, self.finding_post(reason="  ")).status_code, 400)
        self.assertFalse(Decision.objects.exists())
        response = self.client.post(
            dismiss, self.finding_post(reason="A quoted example of what not to say.")
        )
        self.assertEqual(response.status_code, 302)
        decision = Decision.objects.get()
        self.assertEqual(decision.kind, DecisionKind.DISMISSED)
        page = self.client.get(self.program_url)
        self.assertContains(page, "0 open findings")
        self.assertContains(page, "A quoted example of what not to say.")
        self.assertTrue(Event.objects.filter(verb=Verb.DISMISSED).exists())

    def test_signing_off_with_open_findings_needs_a_reason(self) -> None:
        self.client.force_login(self.dora)
        response = self.client.post(self.program_url, {"reason": ""})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "findings are still open", status_code=400)
        self.assertFalse(SignOff.objects.exists())
        self.client.post(self.program_url, {"reason": "Pilot cohort; the coach reads it aloud."})
        signed = SignOff.objects.get()
        self.assertEqual((signed.open_findings, signed.signed_by), (1, self.dora))
        self.assertTrue(Event.objects.filter(verb=Verb.APPROVED).exists())

    def test_the_report_prints_every_finding(self) -> None:
        self.client.force_login(self.adam)
        response = self.client.get(reverse("design_review:report", args=[self.program.public_id]))
        self.assertContains(response, "Why didn&#39;t you ask")
        self.assertContains(response, "Design review report")

    def test_the_studio_activity_form_links_to_its_review(self) -> None:
        self.client.force_login(self.dora)
        response = self.client.get(
            reverse("admin:programs_activity_change", args=[self.activity.pk])
        )
        self.assertContains(response, self.activity_url)
        response = self.client.get(reverse("admin:programs_program_change", args=[self.program.pk]))
        self.assertContains(response, self.program_url)

    def test_the_reviews_lead_back_to_the_programme_in_the_studio(self) -> None:
        """The programme review, opened from the programme's studio page, had no way back but
        the browser's (found clicking through the demo as the designer): a breadcrumb, as on
        the product's other pages, leads to the studio and the programme's studio page, and an
        activity's review also to its programme's review."""
        studio = reverse("admin:index")
        program_studio = reverse("admin:programs_program_change", args=[self.program.pk])
        crumbs = (
            f'<nav class="breadcrumbs" aria-label="Breadcrumb"><ol>'
            f'<li><a href="{studio}">Studio</a></li>'
            f'<li><a href="{program_studio}">{self.program.title}</a></li>'
        )
        self.client.force_login(self.dora)
        program_page = self.client.get(self.program_url)
        self.assertContains(
            program_page,
            crumbs + '<li aria-current="page">Design review</li></ol></nav>',
            html=True,
        )
        activity_page = self.client.get(self.activity_url)
        self.assertContains(
            activity_page,
            crumbs + f'<li><a href="{self.program_url}">Design review</a></li>'
            f'<li aria-current="page">{self.activity.title}</li></ol></nav>',
            html=True,
        )
        self.assertEqual(self.client.get(program_studio).status_code, 200)


class QueryCountTests(PersonaTestCase):
    def count(self, url: str) -> int:
        self.client.force_login(self.dora)
        self.client.get(url)  # warm the session and the model
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)

    def test_the_pages_make_the_same_number_of_queries_at_any_size(self) -> None:
        program_url = reverse("design_review:program", args=[self.program.public_id])
        activity = self.first_activity(ActivityKind.MISSION)
        activity_url = reverse("design_review:activity", args=[activity.public_id])
        report_url = reverse("design_review:report", args=[self.program.public_id])
        small = [self.count(u) for u in (program_url, activity_url, report_url)]
        for number in range(3, 9):
            week = Week.objects.create(program=self.program, number=number, title="More")
            for position in range(6):
                a = make_activity(week, kind=list(ActivityKind)[position % 7], position=position)
                Activity.objects.filter(pk=a.pk).update(body=JUDGING)
        large = [self.count(u) for u in (program_url, activity_url, report_url)]
        self.assertEqual(small, large)
        # The person with their membership (1), the programme or the activity with its week
        # and programme (1), the programme's activities (1, programme pages only), its
        # decisions (1) and sign-offs (1, programme pages only). The session is cached.
        self.assertEqual(large, [5, 3, 5])
