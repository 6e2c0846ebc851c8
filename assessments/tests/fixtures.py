"""A reusable, realistic assessed cohort for tests of any app above assessments (the browser
journey here; the analytics helper's dashboards): an organisation with the default leadership
model, a programme and a cohort whose rounds are scheduled, a coach, and learners. Everything is
made through the apps' own actions; `answer_round` fills a round as real people would."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from assessments import actions
from assessments.access import get_task
from assessments.actions import SBI_FIELDS
from assessments.models import AssessmentRound, RoundKind
from assessments.tasks import schedule_rounds
from cohorts.actions import enroll
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from organizations.actions import seed_default_framework
from organizations.models import Behaviour, Organization, Role
from rapport.testing import make_cohort, make_org, make_program, make_user


@dataclass
class RatedCohort:
    """The people and rows of `make_rated_cohort`: `learners[0]` is the one whose growth the
    journey follows; `coach` coaches every learner; `admin` runs the organisation."""

    org: Organization
    cohort: Cohort
    coach: User
    admin: User
    learners: list[User] = field(default_factory=list)

    def seat(self, user: User) -> Enrollment:
        return Enrollment.objects.get(cohort=self.cohort, user=user)

    def round(self, kind: RoundKind) -> AssessmentRound:
        return AssessmentRound.objects.get(cohort=self.cohort, kind=kind)

    def open_only(self, kind: RoundKind) -> AssessmentRound:
        """Open `kind` today; the rounds before it closed in the past, the ones after later."""
        today = timezone.localdate()
        order = list(RoundKind)
        for other in order:
            n = order.index(other) - order.index(kind)
            if n < 0:
                opens = today - timedelta(days=40 * -n + 10)
                closes = opens + timedelta(days=10)
            elif n == 0:
                opens, closes = today - timedelta(days=2), today + timedelta(days=10)
            else:
                opens = today + timedelta(days=300 * n)
                closes = opens + timedelta(days=10)
            AssessmentRound.objects.filter(cohort=self.cohort, kind=other).update(
                opens_on=opens, closes_on=closes
            )
        return self.round(kind)

    def close(self, kind: RoundKind) -> None:
        """Close `kind` yesterday (it had opened ten days before)."""
        today = timezone.localdate()
        AssessmentRound.objects.filter(cohort=self.cohort, kind=kind).update(
            opens_on=today - timedelta(days=11), closes_on=today - timedelta(days=1)
        )

    def answer(
        self, rater: User, about: User, kind: RoundKind, score: int, words: str = ""
    ) -> None:
        """`rater` answers about `about` in the open round `kind` through the app's action."""
        today: date = timezone.localdate()
        task = get_task(rater, self.round(kind).public_id, self.seat(about).public_id, today=today)
        behaviours = list(Behaviour.objects.filter(organization=self.org))
        actions.submit_response(
            rater,
            task=task,
            scores={b.pk: score for b in behaviours},
            behaviours=behaviours,
            comments=dict.fromkeys(SBI_FIELDS, words),
            today=today,
        )


LEARNER_NAMES = ("Lena Park", "Sam Ortiz", "Maya Chen", "Tariq Aziz", "Ines Duarte", "Kofi Mensah")


def make_rated_cohort(*, learners: int = 6) -> RatedCohort:
    """An organisation and a cohort of `learners` learners (at most six, named) coached by
    Greta Lind, with the three rounds scheduled; nothing answered yet."""
    org = make_org()
    seed_default_framework(org)
    cohort = make_cohort(make_program(org, weeks=2, per_week=2))
    coach = make_user(org, "greta@northwind.example", name="Greta Lind", role=Role.COACH)
    admin = make_user(org, "ahmed@northwind.example", name="Ahmed Nasser", role=Role.ADMIN)
    enroll(coach, cohort=cohort, role=EnrollmentRole.COACH)
    people = []
    for name in LEARNER_NAMES[:learners]:
        person = make_user(org, name.split()[0].lower() + "@northwind.example", name=name)
        enroll(person, cohort=cohort, coach=coach)
        people.append(person)
    schedule_rounds()
    return RatedCohort(org, cohort, coach, admin, people)
