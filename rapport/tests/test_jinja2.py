from django.test import SimpleTestCase, override_settings
from django.utils import translation

from rapport.jinja2 import url


@override_settings(
    ROOT_URLCONF="rapport.tests.i18n_urls",
    LANGUAGES=[("en", "English"), ("fr", "French")],
)
class MemoisedReverseTests(SimpleTestCase):
    def test_the_memoised_url_follows_the_active_language(self) -> None:
        with translation.override("en"):
            self.assertEqual(url("page", 3), "/en/page/3/")
        with translation.override("fr"):
            self.assertEqual(url("page", 3), "/fr/page/3/")
        with translation.override("en"):
            self.assertEqual(url("page", 3), "/en/page/3/")
