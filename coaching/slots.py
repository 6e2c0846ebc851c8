"""Free slots of a coach, generated from their weekly availability in their own time zone.

A block "Tuesdays 09:00-12:00 Europe/Berlin, 45 minutes" gives slots at 09:00, 09:45, 10:30
and 11:15 Berlin wall-clock time on every Tuesday it runs, whatever the season: each slot's
UTC instant is computed from the local date and time on that day (so a daylight-saving change
keeps the coach's 09:00 and moves it for a learner in another zone). A wall-clock time that
does not exist on a spring-forward night is skipped; one that exists twice on a fall-back night
is taken the first time (fold=0).

Pure functions over rows the caller loaded: no queries here.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from coaching.models import Availability, DayOff
from rapport.lib.timezones import get_zone

# How far ahead learners may book, in days.
BOOKING_HORIZON_DAYS = 28
# How soon a slot may still be booked: not in the next hour, so the coach can prepare.
MIN_NOTICE = timedelta(hours=1)


@dataclass(frozen=True)
class Slot:
    """One bookable session time: aware UTC instants and the block it comes from."""

    starts_at: datetime
    ends_at: datetime
    availability: Availability

    @property
    def video_url(self) -> str:
        return self.availability.video_url


def _local_instant(day: date, minutes: int, zone_name: str) -> datetime | None:
    """`day` at `minutes` past local midnight in the zone, as UTC; None if that wall time does
    not exist (a spring-forward gap)."""
    zone = get_zone(zone_name)
    naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minutes)
    aware = naive.replace(tzinfo=zone)
    instant = aware.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return instant


def slots_of(
    blocks: Iterable[Availability],
    days_off: Iterable[DayOff | date],
    *,
    now: datetime,
    taken: Iterable[tuple[datetime, datetime]] = (),
    horizon_days: int = BOOKING_HORIZON_DAYS,
    notice: timedelta = MIN_NOTICE,
) -> list[Slot]:
    """The free slots of one coach from `now + notice` to `horizon_days` ahead, in time order.

    - `blocks`: the coach's Availability rows; `days_off`: their DayOff rows (or dates), each a
      day in the block's own zone.
    - `taken`: (starts_at, ends_at) of the coach's active bookings: slots overlapping one are
      left out.
    """
    off = {d.day if isinstance(d, DayOff) else d for d in days_off}
    busy = sorted(taken)
    earliest = now + notice
    latest = now + timedelta(days=horizon_days)
    found: dict[datetime, Slot] = {}
    for block in blocks:
        zone = get_zone(block.time_zone)
        first = max(block.starts_on, now.astimezone(zone).date())
        last = latest.astimezone(zone).date()
        if block.ends_on is not None:
            last = min(last, block.ends_on)
        start = block.start_time.hour * 60 + block.start_time.minute
        end = block.end_time.hour * 60 + block.end_time.minute
        day = first + timedelta(days=(block.weekday - first.weekday()) % 7)
        while day <= last:
            if day not in off:
                minute = start
                while minute + block.slot_minutes <= end:
                    begins = _local_instant(day, minute, block.time_zone)
                    minute += block.slot_minutes
                    if begins is None or not earliest <= begins <= latest:
                        continue
                    ends = begins + timedelta(minutes=block.slot_minutes)
                    if any(b_start < ends and begins < b_end for b_start, b_end in busy):
                        continue
                    found.setdefault(begins, Slot(begins, ends, block))
            day += timedelta(days=7)
    return [found[key] for key in sorted(found)]


def find_slot(slots: Iterable[Slot], starts_at: datetime) -> Slot | None:
    """The slot that starts at exactly `starts_at`, or None."""
    return next((slot for slot in slots if slot.starts_at == starts_at), None)
