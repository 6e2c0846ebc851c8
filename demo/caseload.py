"""The demo's caseload and matching: the demo coach's "needs you now" list (someone drifting,
a session the learner missed, a low-energy check-in a learner chose to share with her), the
matching preferences of the coaches and the demo learner, a change-of-coach request waiting
for the demo admin (from a learner of another coach: the demo coach never sees it), and a
match proposal for the second cohort the admin can open, review and publish.

Rows are written directly or through actions that notify nobody, so seeding emails nobody.
"""

import uuid
from datetime import datetime, timedelta

from accounts.models import User
from coaching.actions import propose_matches, save_match_profile
from coaching.models import Booking, BookingStatus, CoachChangeRequest
from cohorts.models import ActivityProgress, Cohort, Enrollment, EnrollmentRole
from growth.models import MoodCheckIn
from organizations.models import Competency
from rapport.lib.timezones import local_today

# The languages each coach of the demo coaches in, by position among the organisation's coaches
# (the demo coach first), and the competencies they coach best (by position in the model).
COACH_LANGUAGES = ("en, pt", "en, es", "en, fr", "en, de", "en, hi", "en, ja")
VIDEO_ROOM = "https://meet.northwind.example/grace-mensah"


def _seats(cohort: Cohort, coach: User) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(cohort=cohort, role=EnrollmentRole.LEARNER, coach=coach)
        .select_related("user")
        .order_by("pk")
    )


def seed_caseload(
    cohorts: list[Cohort], *, learner: str, coach: str, admin: str, now: datetime
) -> dict[str, int]:
    """What the demo coach's caseload and the demo admin's matching pages show (module
    docstring). `learner`, `coach`, `admin` are the demo people's emails. Returns counts."""
    grace = User.objects.get(email=coach)
    amara = User.objects.get(email=learner)
    tom = User.objects.get(email=admin)
    seats = [s for s in _seats(cohorts[0], grace) if s.user_id != amara.pk]
    counts = {"drifting": 0, "missed": 0, "low_energy": 0, "requests": 0, "proposals": 0}
    if len(seats) < 3:
        return counts
    drifting, missed, tired = seats[0], seats[1], seats[2]

    # Drifting: nothing done for eleven days.
    ActivityProgress.objects.filter(enrollment=drifting).update(updated_at=now - timedelta(days=11))
    counts["drifting"] = 1

    # A session four days ago the learner did not come to.
    starts = (now - timedelta(days=4)).replace(minute=0, second=0, microsecond=0)
    Booking.objects.create(
        coach=grace,
        learner=missed.user,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=45),
        status=BookingStatus.MISSED,
        video_url=VIDEO_ROOM,
        booked_by=missed.user,
    )
    counts["missed"] = 1

    # A low-energy check-in shared with the coach today (the word stays the learner's).
    MoodCheckIn.objects.create(
        organization_id=grace.organization_id,
        owner=tired.user,
        submission=uuid.uuid4(),
        day=local_today(tired.user.time_zone, now),
        feeling=2,
        energy=1,
        word="stretched",
        shared_with_coach=True,
    )
    counts["low_energy"] = 1

    # Matching preferences: the coaches' languages, focus and room; the demo learner's own.
    model = list(
        Competency.objects.filter(organization_id=grace.organization_id).order_by("position")
    )
    coaches = list(
        User.objects.filter(
            organization_id=grace.organization_id, membership__role="coach", is_active=True
        ).order_by("pk")
    )
    for i, person in enumerate(coaches):
        save_match_profile(
            person,
            languages=COACH_LANGUAGES[i % len(COACH_LANGUAGES)],
            competencies=model[i % max(1, len(model)) : i % max(1, len(model)) + 2],
            capacity=40,
        )
    save_match_profile(amara, languages="en, fr", competencies=model[:2])

    # A change of coach asked for by a learner of another coach, waiting for the admin.
    other = (
        Enrollment.objects.filter(cohort__in=cohorts, role=EnrollmentRole.LEARNER)
        .exclude(coach=grace)
        .exclude(coach=None)
        .order_by("pk")
        .first()
    )
    if other is not None:
        CoachChangeRequest.objects.create(
            enrollment=other, learner=other.user, coach_at_request=other.coach
        )
        counts["requests"] = 1

    # A proposal for the second cohort (or the first), for the admin to open.
    target = cohorts[1] if len(cohorts) > 1 else cohorts[0]
    propose_matches(tom, cohort=target)
    counts["proposals"] = 1
    return counts
