"""Slots are generated in the coach's zone: daylight saving keeps the coach's wall-clock time
and moves it for a learner in a zone that changes on another date (Europe 25 October 2026,
the United States 1 November 2026)."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from coaching.models import Availability
from coaching.slots import find_slot, slots_of
from coaching.tests.base import utc

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def block(**overrides) -> Availability:
    fields = {
        "weekday": 1,  # Tuesday
        "start_time": time(9),
        "end_time": time(12),
        "time_zone": "Europe/Berlin",
        "slot_minutes": 45,
        "starts_on": date(2026, 10, 1),
        "ends_on": None,
        "video_url": "",
    }
    return Availability(**(fields | overrides))


class SlotTests(SimpleTestCase):
    def test_tuesday_mornings_in_berlin_are_cut_into_45_minute_slots(self) -> None:
        slots = slots_of([block()], [], now=utc(2026, 10, 19), horizon_days=2)
        shorter = slots_of(
            [block(end_time=time(11, 59))], [], now=utc(2026, 10, 19), horizon_days=2
        )
        self.assertEqual(len(shorter), 3)  # 11:15 would end after 11:59
        self.assertEqual(
            [s.starts_at.astimezone(BERLIN).strftime("%a %H:%M") for s in slots],
            ["Tue 09:00", "Tue 09:45", "Tue 10:30", "Tue 11:15"],  # the last ends at 12:00
        )
        self.assertEqual(slots[0].ends_at - slots[0].starts_at, timedelta(minutes=45))

    def test_the_coach_keeps_nine_oclock_across_the_european_change(self) -> None:
        slots = slots_of([block(slot_minutes=60, end_time=time(10))], [], now=utc(2026, 10, 19))
        self.assertEqual(
            [s.starts_at for s in slots[:3]],
            [utc(2026, 10, 20, 7), utc(2026, 10, 27, 8), utc(2026, 11, 3, 8)],
        )
        for slot in slots:
            self.assertEqual(slot.starts_at.astimezone(BERLIN).time(), time(9))

    def test_a_learner_in_new_york_sees_the_slot_move_twice(self) -> None:
        # Berlin changes on 25 October, New York on 1 November: for three weeks the learner
        # sees 03:00, then 04:00 (only Berlin changed), then 03:00 again.
        slots = slots_of([block(slot_minutes=60, end_time=time(10))], [], now=utc(2026, 10, 19))
        self.assertEqual(
            [s.starts_at.astimezone(NEW_YORK).strftime("%d %H:%M %Z") for s in slots[:3]],
            ["20 03:00 EDT", "27 04:00 EDT", "03 03:00 EST"],
        )

    def test_a_block_across_the_spring_gap_skips_the_hour_that_does_not_exist(self) -> None:
        # Sunday 29 March 2026 in Berlin: 02:00 jumps to 03:00.
        night = block(
            weekday=6,
            start_time=time(1),
            end_time=time(4),
            slot_minutes=60,
            starts_on=date(2026, 3, 1),
        )
        slots = slots_of([night], [], now=utc(2026, 3, 28), horizon_days=2)
        self.assertEqual([s.starts_at for s in slots], [utc(2026, 3, 29, 0), utc(2026, 3, 29, 1)])
        self.assertEqual(
            [s.starts_at.astimezone(BERLIN).strftime("%H:%M %Z") for s in slots],
            ["01:00 CET", "03:00 CEST"],
        )
        # The first slot crosses the change: 01:00 CET to 03:00 CEST is one hour.
        self.assertEqual(slots[0].ends_at.astimezone(BERLIN).strftime("%H:%M %Z"), "03:00 CEST")

    def test_days_off_dates_and_taken_times_are_left_out(self) -> None:
        now = utc(2026, 10, 19)
        limited = block(ends_on=date(2026, 10, 27))
        slots = slots_of([limited], [date(2026, 10, 20)], now=now)
        self.assertEqual({s.starts_at.date() for s in slots}, {date(2026, 10, 27)})
        taken = [(utc(2026, 10, 27, 8), utc(2026, 10, 27, 8, 45))]
        slots = slots_of([limited], [date(2026, 10, 20)], now=now, taken=taken)
        self.assertEqual(len(slots), 3)
        self.assertIsNone(find_slot(slots, utc(2026, 10, 27, 8)))

    def test_nothing_in_the_past_or_within_the_notice_or_beyond_the_horizon(self) -> None:
        now = utc(2026, 10, 20, 7, 30)  # 09:30 in Berlin on the Tuesday
        slots = slots_of([block()], [], now=now, horizon_days=7)
        self.assertEqual(slots[0].starts_at, utc(2026, 10, 20, 8, 30))  # 10:30, an hour on
        self.assertTrue(all(s.starts_at <= now + timedelta(days=7) for s in slots))
