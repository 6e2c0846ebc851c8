"""`rapport.testing.without_noise`: the adversary walks check that a name or a word is absent
from a page, and a random token must not fail them by chance (a CSRF token once spelled "Bob")."""

from django.test import SimpleTestCase

from rapport.testing import without_noise


class WithoutNoiseTests(SimpleTestCase):
    def test_tokens_nonces_and_inline_charts_are_taken_out(self) -> None:
        page = (
            '<body data-hx-headers=\'{"X-CSRFToken": "imdJzP3Ntg5BoblcFIuriucDsQ"}\'>'
            '<input type="hidden" name="csrfmiddlewaretoken" value="9G8PVk0OJqRlRzbwLATEaySYnVwp">'
            '<script src="/static/js/rapport.js" nonce="Y-nPW_Bob-WJHDSBe0o"></script>'
            '<img src="data:image/svg+xml;base64,PHN2ZyBvbWJvYgo=" alt="Chart">'
        )
        clean = without_noise(page)
        self.assertNotIn("Bob", clean)
        self.assertNotIn("LATE", clean)
        self.assertIn('alt="Chart"', clean)

    def test_what_a_person_reads_is_kept(self) -> None:
        page = '<p>Bob wrote: running late.</p><input name="q" value="Bob">'
        self.assertEqual(without_noise(page), page)
