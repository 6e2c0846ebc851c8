"""Shared set-up of the assessment tests: the personas, their organisation's default leadership
model, the cohorts' rounds (scheduled as run_periodic does), two more learners of cohort A
(gina, hugo) so that alice can have enough peers, and helpers that answer through the app's
own actions."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from assessments import actions
from assessments.access import get_task
from assessments.actions import SBI_FIELDS
from assessments.models import AssessmentRound, Response, RoundKind
from assessments.tasks import schedule_rounds
from cohorts.actions import enroll
from cohorts.models import Cohort, Enrollment
from organizations.actions import seed_default_framework
from organizations.models import Behaviour
from rapport.testing import PersonaTestCase, make_user

# What peers wrote about alice: none of it may reach anyone but alice (and its writer).
PEER_WORDS = {
    "bob": "In the standup you waited for Ravi to finish",
    "fay": "A quiet pause before you answered the client",
    "gina": "You named the conflict about the roadmap early",
    "hugo": "I felt heard when you played back my worry",
}


class AssessmentTestCase(PersonaTestCase):
    gina: User
    hugo: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        seed_default_framework(cls.org)
        seed_default_framework(cls.other_org)
        cls.gina = cls.make_learner("gina@northwind.example", "Gina Marsh")
        cls.hugo = cls.make_learner("hugo@northwind.example", "Hugo Brandt")
        schedule_rounds()

    @classmethod
    def make_learner(cls, email: str, name: str) -> User:
        person = make_user(cls.org, email, name=name)
        enroll(person, cohort=cls.cohort_a, coach=cls.carol)
        return person

    # -- helpers --------------------------------------------------------------------------

    def round_of(self, kind: RoundKind, cohort: Cohort | None = None) -> AssessmentRound:
        return AssessmentRound.objects.get(cohort=cohort or self.cohort_a, kind=kind)

    def open_round(self, kind: RoundKind, cohort: Cohort | None = None) -> AssessmentRound:
        """Make the round open today (and every other round of the cohort not open)."""
        today = timezone.localdate()
        AssessmentRound.objects.filter(cohort=cohort or self.cohort_a).exclude(kind=kind).update(
            opens_on=today + timedelta(days=400), closes_on=today + timedelta(days=420)
        )
        round_ = self.round_of(kind, cohort)
        round_.opens_on = today - timedelta(days=3)
        round_.closes_on = today + timedelta(days=10)
        round_.save()
        return round_

    def close_round(self, kind: RoundKind, cohort: Cohort | None = None) -> AssessmentRound:
        """Move the round into the past: it has closed."""
        today = timezone.localdate()
        round_ = self.round_of(kind, cohort)
        round_.opens_on = today - timedelta(days=60 - 20 * list(RoundKind).index(kind))
        round_.closes_on = round_.opens_on + timedelta(days=10)
        round_.save()
        return round_

    def seat(self, user: User, cohort: Cohort | None = None) -> Enrollment:
        return Enrollment.objects.get(user=user, cohort=cohort or self.cohort_a)

    def invite(self, learner: User, *peers: User) -> None:
        seat = self.seat(learner)
        actions.invite_peers(
            learner,
            seat=seat,
            peers=[self.seat(p) for p in peers],
            already=0,
            current_round=None,
        )

    def answer(
        self,
        rater: User,
        about: User,
        kind: RoundKind,
        *,
        score: int | None = 3,
        words: str = "",
    ) -> Response:
        """`rater` answers about `about` in the round `kind` (which must be open): every
        behaviour at `score`, `words` in every comment part."""
        today = timezone.localdate()
        round_ = self.round_of(kind)
        task = get_task(rater, round_.public_id, self.seat(about).public_id, today=today)
        behaviours = list(Behaviour.objects.filter(organization=self.org))
        return actions.submit_response(
            rater,
            task=task,
            scores={b.pk: score for b in behaviours},
            behaviours=behaviours,
            comments=dict.fromkeys(SBI_FIELDS, words),
            today=today,
        )

    def form_data(self, score: Any = "4", **comments: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            f"b-{b.public_id}": score for b in Behaviour.objects.filter(organization=self.org)
        }
        data.update(comments)
        return data
