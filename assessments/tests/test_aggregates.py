"""Capability scores for the programme dashboards: one row per seat, round and rater group;
the peers' only from three peers up; never a rater's id or a word."""

from assessments.aggregates import seat_scores
from assessments.models import RoundKind
from assessments.tests.base import AssessmentTestCase


class SeatScoreTests(AssessmentTestCase):
    def test_rows_per_seat_round_and_group_with_peers_from_three(self) -> None:
        self.invite(self.alice, self.bob, self.fay, self.gina)
        self.invite(self.bob, self.alice, self.fay)
        self.open_round(RoundKind.BASELINE)
        self.answer(self.alice, self.alice, RoundKind.BASELINE, score=2)
        self.answer(self.carol, self.alice, RoundKind.BASELINE, score=3)
        for peer, score in ((self.bob, 4), (self.fay, 5), (self.gina, 3)):
            self.answer(peer, self.alice, RoundKind.BASELINE, score=score)
        self.answer(self.alice, self.bob, RoundKind.BASELINE, score=5)
        self.answer(self.fay, self.bob, RoundKind.BASELINE, score=5)
        with self.assertNumQueries(1):
            rows = seat_scores([self.cohort_a.pk])
        alice = {r.group: r for r in rows if r.enrollment_id == self.seat(self.alice).pk}
        self.assertEqual(set(alice), {"self", "coach", "peers"})
        self.assertEqual((alice["self"].mean, alice["coach"].mean), (2.0, 3.0))
        self.assertEqual((alice["peers"].mean, alice["peers"].raters), (4.0, 3))
        self.assertEqual(alice["peers"].round_kind, "baseline")
        # Bob has two peers: their scores never leave the module.
        self.assertFalse([r for r in rows if r.enrollment_id == self.seat(self.bob).pk])
        self.assertEqual(seat_scores([self.cohort_b.pk]), [])
