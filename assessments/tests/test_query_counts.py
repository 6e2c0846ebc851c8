"""Every assessment page makes the same number of queries with a little data and with a lot:
more peers, more answers, more rounds answered, more activity."""

from django.urls import reverse

from assessments.models import Response, RoundKind
from assessments.tests.base import AssessmentTestCase
from cohorts.actions import enroll
from rapport.testing import make_user


class QueryCountTests(AssessmentTestCase):
    def grow(self, extra_peers: int) -> None:
        """Alice asks bob, fay, gina, hugo and `extra_peers` more; all answer in the baseline
        (closed) and the end round (open); carol answers both."""
        extra = []
        for n in range(extra_peers):
            person = make_user(self.org, f"peer{n}@northwind.example", name=f"Peer {n}")
            enroll(person, cohort=self.cohort_a, coach=self.carol)
            extra.append(person)
        peers = [self.bob, self.fay, self.gina, self.hugo, *extra]
        self.invite(self.alice, *peers)
        for kind in (RoundKind.BASELINE, RoundKind.END):
            self.open_round(kind)
            if kind == RoundKind.END:
                self.close_round(RoundKind.BASELINE)
            for rater in (self.alice, self.carol, *peers):
                if not Response.objects.filter(rater=rater, round__kind=kind).exists():
                    self.answer(rater, self.alice, kind, score=4, words="Words")

    def count(self, person, name, *args) -> int:  # type: ignore[no-untyped-def]
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.force_login(person)
        url = reverse(name, args=args)
        self.client.get(url)  # warm: sessions, caches
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def pages(self) -> dict[str, int]:
        round_id = self.round_of(RoundKind.END).public_id
        seat_id = self.seat(self.alice).public_id
        return {
            "index (alice)": self.count(self.alice, "assessments:index"),
            "index (carol)": self.count(self.carol, "assessments:index"),
            "index (bob)": self.count(self.bob, "assessments:index"),
            "growth": self.count(self.alice, "assessments:growth"),
            "peers": self.count(self.alice, "assessments:peers", seat_id),
            "rate (self)": self.count(self.alice, "assessments:rate", round_id, seat_id),
            "rate (coach)": self.count(self.carol, "assessments:rate", round_id, seat_id),
        }

    def test_the_counts_do_not_grow_with_the_data(self) -> None:
        self.grow(0)
        small = self.pages()
        self.grow(8)
        large = self.pages()
        self.assertEqual(small, large)

    def test_the_growth_page_makes_its_documented_queries(self) -> None:
        self.grow(0)
        self.client.force_login(self.alice)
        self.client.get(reverse("assessments:growth"))
        # 1 the person with their membership; then assessments.report.growth_report:
        # 2 seats, 3 rounds, 4 behaviours, 5 own and coach responses, 6 their ratings,
        # 7 peer answers per round, 8 peer averages, 9 peer comments, 10 activity done.
        with self.assertNumQueries(10):
            self.client.get(reverse("assessments:growth"))


class FeedbackQueryCountTests(AssessmentTestCase):
    """The feedback pages make the same number of queries with one request and with many."""

    def grow(self, requests: int) -> None:
        from django.utils import timezone

        from assessments import actions
        from assessments.actions import SBI_FIELDS
        from assessments.models import FeedbackAnswer, FeedbackRequest

        for n in range(requests):
            FeedbackRequest.objects.filter(seat__user=self.alice).update(closed_at=timezone.now())
            made = actions.request_feedback(
                self.alice,
                seat=self.seat(self.alice),
                focus=f"Moment {n}",
                behaviour=None,
                peers=[self.seat(p) for p in (self.bob, self.fay, self.gina)],
                ask_coach=True,
                due_on=None,
                today=timezone.localdate(),
            )
            actions.share_feedback_with_coach(self.alice, request=made, shared=True)
            for writer in (self.bob, self.carol):
                answer = FeedbackAnswer.objects.select_related("request__seat__cohort").get(
                    request=made, writer=writer
                )
                actions.give_feedback(
                    writer, answer=answer, comments=dict.fromkeys(SBI_FIELDS, "Words")
                )

    def counts(self) -> dict[str, int]:
        from assessments.models import FeedbackAnswer, FeedbackRequest

        latest = FeedbackRequest.objects.filter(seat__user=self.alice).first()
        assert latest is not None
        part = FeedbackAnswer.objects.get(request=latest, writer=self.fay)
        seat_id = self.seat(self.alice).public_id
        q = QueryCountTests.count
        return {
            "hub (alice)": q(self, self.alice, "assessments:feedback"),  # type: ignore[arg-type]
            "hub (bob)": q(self, self.bob, "assessments:feedback"),  # type: ignore[arg-type]
            "hub (carol)": q(self, self.carol, "assessments:feedback"),  # type: ignore[arg-type]
            "request (alice)": q(
                self, self.alice, "assessments:feedback_request", latest.public_id
            ),  # type: ignore[arg-type]
            "request (carol)": q(
                self, self.carol, "assessments:feedback_request", latest.public_id
            ),  # type: ignore[arg-type]
            "answer (fay)": q(self, self.fay, "assessments:feedback_answer", part.public_id),  # type: ignore[arg-type]
            "ask (alice)": q(self, self.alice, "assessments:feedback_ask", seat_id),  # type: ignore[arg-type]
        }

    def test_the_counts_do_not_grow_with_the_data(self) -> None:
        self.grow(1)
        small = self.counts()
        self.grow(6)
        self.assertEqual(small, self.counts())

    def test_the_hub_makes_its_documented_queries(self) -> None:
        self.grow(2)
        self.client.force_login(self.alice)
        url = reverse("assessments:feedback")
        self.client.get(url)
        # 1 the person with their membership; 2 their learner seats; 3 their requests,
        # 4 the parts of them (with writers); 5 what was asked of them; 6 requests shared with
        # them as a coach (none for her: so no 7th query for the parts of those).
        with self.assertNumQueries(6):
            self.client.get(url)
