"""Product pages are valid HTML by the Nu HTML Checker's measure.

htmx reads its attributes with or without the `data-` prefix; only the prefixed form is valid
HTML, so every page uses `data-hx-*`.
"""

import re

from django.urls import reverse

from rapport.testing import PersonaTestCase

BARE_HTMX_ATTRIBUTE = re.compile(r"<[^>]*\shx-[a-z-]+=", re.IGNORECASE)


class HtmxAttributeTests(PersonaTestCase):
    def test_pages_use_only_data_prefixed_htmx_attributes(self) -> None:
        self.client.force_login(self.alice)
        activity = self.first_activity()
        response = self.client.get(
            reverse("cohorts:activity", args=[self.cohort_a.public_id, activity.public_id])
        )
        html = response.content.decode()
        self.assertIn("data-hx-post=", html)
        self.assertIn("data-hx-headers=", html)
        self.assertIsNone(BARE_HTMX_ATTRIBUTE.search(html), "a bare hx-* attribute is invalid HTML")
