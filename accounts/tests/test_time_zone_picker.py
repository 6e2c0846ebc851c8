"""The time-zone picker in Settings: grouped by region, searchable with JavaScript, usable
without."""

import re

from django.urls import reverse

from rapport.lib.timezones import all_time_zones, time_zone_choices
from rapport.testing import PersonaTestCase


def test_every_zone_is_offered_once_under_its_region() -> None:
    groups = dict(time_zone_choices())
    offered = [value for zones in groups.values() for value, _ in zones]
    assert sorted(offered) == sorted(all_time_zones())
    assert ("Europe/London", "London") in groups["Europe"]
    assert ("America/Argentina/Buenos_Aires", "Argentina / Buenos Aires") in groups["America"]
    assert ("UTC", "UTC") in groups["Other"]
    assert list(groups)[-1] == "Other"


class TimeZonePickerTests(PersonaTestCase):
    def test_the_settings_page_groups_the_zones_with_optgroups(self) -> None:
        self.client.force_login(self.alice)
        html = self.client.get(reverse("accounts:profile")).content.decode()
        select = re.search(r"<select[^>]*name=\"time_zone\".*?</select>", html, re.DOTALL)
        assert select is not None
        self.assertIn('data-filter="Search time zones"', select.group())
        labels = re.findall(r'<optgroup label="([^"]+)"', select.group())
        self.assertEqual(labels[:3], ["Africa", "America", "Antarctica"])
        self.assertIn("Europe", labels)
        self.assertRegex(select.group(), r'<option value="Europe/London" selected>London</option>')
