"""Late joiners: when learners are enrolled (cohorts.actions.enroll_many sends `seats_added`
once the seats are committed) into a cohort whose circles are published, each is placed into a
circle with room by circles.actions.place_late_joiner. A signal, because cohorts sits below
circles and may not call it; after the commit, so a failed enrolment places nobody."""

from typing import Any

from django.dispatch import receiver

from circles.actions import place_late_joiners
from cohorts.actions import seats_added
from cohorts.models import Cohort, Enrollment


@receiver(seats_added)
def _place_late_joiners(
    sender: Any, cohort: Cohort, enrollments: list[Enrollment], **kwargs: Any
) -> None:
    place_late_joiners(cohort, enrollments)
