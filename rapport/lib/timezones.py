"""Time-zone helpers. Learners see every date and time in their own IANA time zone."""

import zoneinfo
from datetime import date, datetime, tzinfo
from functools import cache

from django.utils import timezone


@cache
def all_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_valid_time_zone(name: str) -> bool:
    return name in all_time_zones()


@cache
def get_zone(name: str) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_today(zone_name: str, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(get_zone(zone_name)).date()


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(all_time_zones())]
