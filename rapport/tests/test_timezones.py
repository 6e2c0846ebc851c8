"""rapport.lib.timezones: every date a learner sees is the date where they are."""

from datetime import UTC, date, datetime
from unittest import mock

from django.test import SimpleTestCase

from rapport.lib import timezones
from rapport.lib.timezones import get_zone, is_valid_time_zone, local_today, time_zone_choices

# 20:00 in London on 2 March is already 3 March in Tokyo; 03:00 UTC is still 1 March in Lima.
EVENING_UTC = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
NIGHT_UTC = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


class LocalTodayTests(SimpleTestCase):
    def test_it_is_the_date_in_the_given_zone_not_in_utc(self) -> None:
        self.assertEqual(local_today("Asia/Tokyo", EVENING_UTC), date(2026, 3, 3))
        self.assertEqual(local_today("Europe/London", EVENING_UTC), date(2026, 3, 2))
        self.assertEqual(local_today("America/Lima", NIGHT_UTC), date(2026, 3, 1))
        self.assertEqual(local_today("UTC", NIGHT_UTC), date(2026, 3, 2))

    def test_without_an_instant_it_uses_the_current_time(self) -> None:
        with mock.patch.object(timezones.timezone, "now", return_value=EVENING_UTC):
            self.assertEqual(local_today("Asia/Tokyo"), date(2026, 3, 3))
            self.assertEqual(local_today("America/Lima"), date(2026, 3, 2))

    def test_an_unknown_or_malformed_zone_counts_as_utc(self) -> None:
        self.assertEqual(local_today("Mars/Olympus", EVENING_UTC), date(2026, 3, 2))
        self.assertEqual(str(get_zone("Mars/Olympus")), "UTC")
        self.assertEqual(str(get_zone("../etc/passwd")), "UTC")
        self.assertEqual(str(get_zone("Asia/Tokyo")), "Asia/Tokyo")


class ZoneNameTests(SimpleTestCase):
    def test_only_iana_names_are_valid(self) -> None:
        self.assertTrue(is_valid_time_zone("Europe/Paris"))
        self.assertTrue(is_valid_time_zone("UTC"))
        self.assertFalse(is_valid_time_zone("Mars/Olympus"))
        self.assertFalse(is_valid_time_zone("europe/paris"))
        self.assertFalse(is_valid_time_zone(""))

    def test_choices_group_every_zone_once_by_region(self) -> None:
        groups = dict(time_zone_choices())
        names = [name for zones in groups.values() for name, _ in zones]
        self.assertEqual(sorted(names), sorted(timezones.all_time_zones()))
        self.assertEqual(len(names), len(set(names)))
        self.assertIn(("America/Sao_Paulo", "Sao Paulo"), groups["America"])
        self.assertIn(
            ("America/Argentina/Buenos_Aires", "Argentina / Buenos Aires"), groups["America"]
        )
        self.assertIn(("UTC", "UTC"), groups["Other"])
        self.assertEqual(list(groups)[-1], "Other")
