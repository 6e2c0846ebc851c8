"""The page frame (templates/base.html) masks one CSRF token per page and uses it for htmx and
for the sign-out form alike; the token works."""

import re

from django.test import Client
from django.urls import reverse

from rapport.testing import PersonaTestCase


class PageCsrfTokenTests(PersonaTestCase):
    def test_one_token_serves_htmx_and_the_sign_out_form(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        page = client.get(reverse("cohorts:this_week", args=[self.cohort_a.public_id]))
        html = page.content.decode()
        header = re.search(r'"X-CSRFToken": "([^"]+)"', html)
        field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert header is not None and field is not None
        self.assertEqual(header.group(1), field.group(1))
        self.assertEqual(len(field.group(1)), 64)  # a masked token, not the bare secret
        refused = Client(enforce_csrf_checks=True)
        refused.force_login(self.bob)
        self.assertEqual(refused.post(reverse("accounts:logout")).status_code, 403)
        response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": field.group(1)})
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("_auth_user_id", client.session)
