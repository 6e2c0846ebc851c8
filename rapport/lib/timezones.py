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


# The IANA areas people look under; names outside them (UTC, legacy aliases) go under "Other".
_REGIONS = (
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
    "Indian", "Pacific",
)  # fmt: skip


def time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every IANA zone, grouped by region for a `<select>` with `<optgroup>`s (Django renders
    grouped choices that way): `[("Europe", [("Europe/London", "London"), …]), …, ("Other", …)]`.
    Within a region the label drops the region ("America/Argentina/Buenos_Aires" reads
    "Argentina / Buenos Aires"); the value is always the full zone name."""
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in (*_REGIONS, "Other")}
    for name in sorted(all_time_zones()):
        region, _, rest = name.partition("/")
        if region in _REGIONS and rest:
            groups[region].append((name, rest.replace("_", " ").replace("/", " / ")))
        else:
            groups["Other"].append((name, name.replace("_", " ")))
    return [(region, zones) for region, zones in groups.items() if zones]
