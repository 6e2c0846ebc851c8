"""A person's export gives back what they wrote as a rater and what they received as the page
shows it; the erasure deletes their answers, the answers about them and their invitations."""

from accounts.personal_data import sections
from assessments.models import PeerInvitation, Rating, Response, RoundKind
from assessments.tests.base import PEER_WORDS, AssessmentTestCase


class PersonalDataTests(AssessmentTestCase):
    def section(self):  # type: ignore[no-untyped-def]
        return next(s for s in sections() if s.key == "assessments")

    def setUp(self) -> None:
        self.invite(self.alice, self.bob, self.fay, self.gina)
        self.invite(self.bob, self.alice)
        self.open_round(RoundKind.BASELINE)
        self.answer(self.alice, self.alice, RoundKind.BASELINE, score=2)
        for name in ("bob", "fay", "gina"):
            self.answer(getattr(self, name), self.alice, RoundKind.BASELINE, words=PEER_WORDS[name])
        self.answer(self.alice, self.bob, RoundKind.BASELINE, score=5, words="Alice about Bob")
        self.close_round(RoundKind.BASELINE)

    def test_the_export_holds_her_answers_her_peers_and_what_she_received(self) -> None:
        items = self.section().export(self.alice)
        kinds = [i["kind"] for i in items]
        self.assertEqual(kinds.count("answer_given"), 1 + 0 + 0 + 1)  # herself, and bob
        self.assertEqual(kinds.count("peer_asked"), 3)
        given = [i for i in items if i["kind"] == "answer_given"]
        self.assertEqual({i["about"] for i in given}, {None, "Bob"})
        self.assertIn("Alice about Bob", str(given))
        received = [i for i in items if i["kind"] == "received"]
        baseline = next(i for i in received if i["round"] == "Baseline")
        self.assertEqual(baseline["peers_answered"], 3)
        self.assertEqual({b["self"] for b in baseline["behaviours"]}, {2})
        self.assertEqual({b["peers_average"] for b in baseline["behaviours"]}, {3.0})

    def test_erasure_deletes_her_answers_those_about_her_and_her_invitations(self) -> None:
        erased = self.section().erase(self.alice)
        self.assertGreater(erased, 0)
        self.assertFalse(Response.objects.filter(rater=self.alice).exists())
        self.assertFalse(Response.objects.filter(subject__user=self.alice).exists())
        self.assertFalse(PeerInvitation.objects.filter(subject__user=self.alice).exists())
        self.assertFalse(Rating.objects.filter(response__rater=self.alice).exists())
        self.assertEqual(self.section().erase(self.alice), 0)
        self.assertEqual(
            [i for i in self.section().export(self.alice) if i["kind"] != "received"], []
        )
        # bob's own self-assessment was never hers: nothing of it is touched (he has none).
        self.assertFalse(Response.objects.filter(subject__user=self.bob).exists())
