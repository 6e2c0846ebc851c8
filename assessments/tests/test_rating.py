"""Rating in a round, through the pages: a self-assessment, peers asked by the learner, the
coach; and every bad input refused with a clear message, nothing written, no 500."""

from django.urls import reverse

from assessments.models import PeerInvitation, Rating, Relation, Response, RoundKind
from assessments.tests.base import AssessmentTestCase
from events.models import Event, Verb
from notifications.models import Notification, NotificationKind


class RatingPagesTests(AssessmentTestCase):
    def rate_url(self, kind: RoundKind, about) -> str:  # type: ignore[no-untyped-def]
        return reverse(
            "assessments:rate", args=[self.round_of(kind).public_id, self.seat(about).public_id]
        )

    def test_a_learner_rates_herself_and_the_form_says_who_sees_it(self) -> None:
        self.open_round(RoundKind.BASELINE)
        self.client.force_login(self.alice)
        index = self.client.get(reverse("assessments:index"))
        self.assertContains(index, "Rate yourself")
        url = self.rate_url(RoundKind.BASELINE, self.alice)
        page = self.client.get(url)
        self.assertContains(page, "Only you see your own ratings")
        self.assertNotContains(page, "One growth edge")  # no comments about oneself
        response = self.client.post(url, self.form_data("4"))
        self.assertRedirects(response, reverse("assessments:index"))
        answer = Response.objects.get(rater=self.alice)
        self.assertEqual(answer.relation, Relation.SELF)
        self.assertEqual(
            set(Rating.objects.filter(response=answer).values_list("score", flat=True)), {4}
        )
        event = Event.objects.get(actor=self.alice, verb=Verb.RESPONDED)
        self.assertEqual(event.object_id, self.round_of(RoundKind.BASELINE).public_id)
        self.assertEqual(event.result, {})

    def test_a_learner_asks_peers_of_her_cohort_and_they_are_told(self) -> None:
        self.open_round(RoundKind.BASELINE)
        self.client.force_login(self.alice)
        url = reverse("assessments:peers", args=[self.seat(self.alice).public_id])
        page = self.client.get(url)
        self.assertContains(page, "Bob")
        self.assertNotContains(page, "Dave")  # another cohort
        response = self.client.post(
            url, {"peers": [str(self.seat(self.bob).public_id), str(self.seat(self.fay).public_id)]}
        )
        self.assertRedirects(response, url)
        self.assertEqual(
            set(PeerInvitation.objects.values_list("rater__email", flat=True)),
            {"bob@northwind.example", "fay@northwind.example"},
        )
        told = Notification.objects.filter(kind=NotificationKind.ASSESSMENT, actor=self.alice)
        self.assertEqual({n.recipient_id for n in told}, {self.bob.pk, self.fay.pk})
        event = Event.objects.get(actor=self.alice, verb=Verb.ASKED)
        self.assertEqual(event.object_id, self.cohort_a.public_id)
        # Bob now has alice to rate, with the promise on the form.
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(reverse("assessments:index")), "Rate Alice")
        form = self.client.get(self.rate_url(RoundKind.BASELINE, self.alice))
        self.assertContains(form, "will not know which answers are yours")
        sent = self.client.post(
            self.rate_url(RoundKind.BASELINE, self.alice),
            self.form_data("5", strength_behaviour="You waited for Ravi to finish"),
        )
        self.assertEqual(sent.status_code, 302)
        answer = Response.objects.get(rater=self.bob)
        self.assertEqual(answer.relation, Relation.PEER)
        self.assertEqual(answer.strength_behaviour, "You waited for Ravi to finish")

    def test_the_coach_rates_her_learner_and_is_told_she_is_named(self) -> None:
        self.open_round(RoundKind.BASELINE)
        self.client.force_login(self.carol)
        self.assertContains(self.client.get(reverse("assessments:index")), "as their coach")
        url = self.rate_url(RoundKind.BASELINE, self.alice)
        self.assertContains(self.client.get(url), "with your name, as their coach")
        self.assertEqual(self.client.post(url, self.form_data("3")).status_code, 302)
        self.assertEqual(Response.objects.get(rater=self.carol).relation, Relation.COACH)

    def test_a_peer_who_was_not_asked_and_outsiders_get_404(self) -> None:
        self.open_round(RoundKind.BASELINE)
        url = self.rate_url(RoundKind.BASELINE, self.alice)
        for person in (self.bob, self.dave, self.erin, self.dora, self.adam, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get(url).status_code, 404, person)
            self.assertEqual(self.client.post(url, self.form_data()).status_code, 404, person)
        self.assertFalse(Response.objects.exists())

    def test_tampered_ids_are_404(self) -> None:
        import uuid

        self.open_round(RoundKind.BASELINE)
        self.client.force_login(self.alice)
        round_id = self.round_of(RoundKind.BASELINE).public_id
        for args in (
            [uuid.uuid4(), self.seat(self.alice).public_id],
            [round_id, uuid.uuid4()],
            [round_id, self.seat(self.dave, self.cohort_b).public_id],  # another cohort's seat
            [
                self.round_of(RoundKind.BASELINE, self.other_cohort).public_id,
                self.seat(self.alice).public_id,
            ],
        ):
            self.assertEqual(
                self.client.get(reverse("assessments:rate", args=args)).status_code, 404
            )
        self.assertEqual(
            self.client.get(
                reverse("assessments:peers", args=[self.seat(self.bob).public_id])
            ).status_code,
            404,
        )

    def test_a_rating_off_the_scale_is_refused_and_what_was_typed_is_kept(self) -> None:
        self.open_round(RoundKind.BASELINE)
        self.invite(self.alice, self.bob)
        self.client.force_login(self.bob)
        url = self.rate_url(RoundKind.BASELINE, self.alice)
        for bad in ("6", "0", "-1", "3.5", "x", ""):
            response = self.client.post(url, self.form_data(bad, strength_impact="Kept words"))
            self.assertEqual(response.status_code, 400, bad)
            self.assertContains(response, "Kept words", status_code=400)
        missing = self.form_data("3")
        missing.pop(next(iter(missing)))
        self.assertContains(
            self.client.post(url, missing), "Choose a point of the scale", status_code=400
        )
        too_long = self.client.post(url, self.form_data("3", edge_impact="x" * 601))
        self.assertContains(too_long, "Keep it to 600 characters", status_code=400)
        self.assertFalse(Response.objects.exists())

    def test_submitting_twice_is_refused_and_changes_nothing(self) -> None:
        self.open_round(RoundKind.BASELINE)
        self.client.force_login(self.alice)
        url = self.rate_url(RoundKind.BASELINE, self.alice)
        self.client.post(url, self.form_data("2"))
        again = self.client.post(url, self.form_data("5"))
        self.assertContains(again, "already sent your answers", status_code=400)
        self.assertEqual(Response.objects.count(), 1)
        self.assertEqual(set(Rating.objects.values_list("score", flat=True)), {2})
        self.assertEqual(Event.objects.filter(verb=Verb.RESPONDED).count(), 1)

    def test_a_closed_or_unopened_round_takes_no_answers(self) -> None:
        self.close_round(RoundKind.BASELINE)
        self.client.force_login(self.alice)
        url = self.rate_url(RoundKind.BASELINE, self.alice)
        self.assertContains(self.client.get(url), "This round has closed")
        self.assertContains(
            self.client.post(url, self.form_data("3")), "has closed", status_code=400
        )
        end_url = self.rate_url(RoundKind.YEAR_LATER, self.alice)
        self.assertContains(
            self.client.post(end_url, self.form_data("3")), "not open yet", status_code=400
        )
        self.assertFalse(Response.objects.exists())

    def test_asking_someone_outside_the_cohort_is_a_clear_error(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("assessments:peers", args=[self.seat(self.alice).public_id])
        for outsider in (
            self.seat(self.dave, self.cohort_b).public_id,
            self.seat(self.oscar, self.other_cohort).public_id,
            self.seat(self.alice).public_id,  # herself
            self.seat(self.carol).public_id,  # the coach's seat
            "not-a-uuid",
        ):
            response = self.client.post(url, {"peers": [str(outsider)]})
            self.assertEqual(response.status_code, 400, outsider)
            self.assertContains(
                response, "learners of your own cohort", status_code=400
            ) if outsider != "not-a-uuid" else None
        self.assertContains(self.client.post(url, {}), "Choose at least one peer", status_code=400)
        self.assertFalse(PeerInvitation.objects.exists())

    def test_asking_the_same_peer_twice_asks_once(self) -> None:
        self.invite(self.alice, self.bob)
        self.client.force_login(self.alice)
        url = reverse("assessments:peers", args=[self.seat(self.alice).public_id])
        response = self.client.post(url, {"peers": [str(self.seat(self.bob).public_id)]})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(PeerInvitation.objects.count(), 1)
