"""Shared set-up for the coaching tests: the personas (rapport.testing), with carol's weekly
availability added through coaching.actions."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from coaching import actions
from coaching.access import free_slots
from coaching.models import Availability, Booking
from rapport.testing import PersonaTestCase


def open_every_day(coach, *, start: time = time(9), end: time = time(12), minutes: int = 45):
    """A block on every weekday, from yesterday on, so tests always find slots ahead."""
    today = timezone.now().date() - timedelta(days=1)
    return [
        actions.add_availability(
            coach,
            weekday=weekday,
            start_time=start,
            end_time=end,
            slot_minutes=minutes,
            starts_on=today,
            ends_on=None,
            video_url="https://meet.example.com/carol",
        )
        for weekday in range(7)
    ]


class CoachingTestCase(PersonaTestCase):
    """Carol (Europe/London) has 09:00-12:00 every day in 45-minute slots."""

    blocks: list[Availability]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.blocks = open_every_day(cls.carol)

    def book(self, learner, slot_index: int = 0) -> Booking:
        now = timezone.now()
        slots = free_slots(learner, self.carol, now=now)
        return actions.book_session(
            learner, coach=self.carol, starts_at=slots[slot_index].starts_at, slots=slots, now=now
        ).booking


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
