"""Every error a person can meet is the product's own page, in its layout, never Django's."""

from unittest import mock

from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path, reverse

from rapport.testing import PersonaTestCase
from rapport.urls import urlpatterns as product_urlpatterns


def _explode(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


# A URL configuration with one broken view, for the 500 page.
urlpatterns = [path("explode/", _explode), *product_urlpatterns]
handler500 = "rapport.views.server_error"


class ErrorPageTests(PersonaTestCase):
    def assert_product_page(self, response: HttpResponse, status: int, title: str) -> None:
        self.assertEqual(response.status_code, status)
        html = response.content.decode()
        self.assertIn(f"Error {status}", html)
        self.assertIn(title, html)
        self.assertIn('class="site-header"', html)
        self.assertNotIn("Using the URLconf", html)  # Django's debug 404
        self.assertNotIn("Traceback", html)

    def test_an_unknown_address_gets_the_products_404_page(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get("/no-such-page/")
        self.assert_product_page(response, 404, "We couldn&#39;t find that page")

    def test_someone_elses_cohort_is_a_404_that_says_nothing_about_it(self) -> None:
        self.client.force_login(self.oscar)
        response = self.client.get(reverse("cohorts:this_week", args=[self.cohort_a.public_id]))
        self.assert_product_page(response, 404, "We couldn&#39;t find that page")
        self.assertNotContains(response, "Cohort A", status_code=404)

    def test_a_page_you_may_not_use_gets_the_products_403_page(self) -> None:
        self.client.force_login(self.carol)  # a coach, not an admin
        response = self.client.get(reverse("cohorts:import", args=[self.cohort_a.public_id]))
        self.assert_product_page(response, 403, "Not available to you")

    def test_the_wrong_method_gets_the_products_405_page_with_an_allow_header(self) -> None:
        self.client.force_login(self.alice)
        activity = self.first_activity()
        url = reverse(
            "cohorts:activity_complete", args=[self.cohort_a.public_id, activity.public_id]
        )
        response = self.client.get(url)
        self.assert_product_page(response, 405, "That page can&#39;t be used this way")
        self.assertEqual(response["Allow"], "POST")

    def test_a_get_only_page_answers_a_post_with_the_405_page(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(reverse("home"))
        self.assert_product_page(response, 405, "That page can&#39;t be used this way")
        self.assertEqual(response["Allow"], "GET")

    @override_settings(ROOT_URLCONF=__name__)
    def test_a_bug_gets_the_products_500_page(self) -> None:
        client = Client(raise_request_exception=False)
        client.force_login(self.alice)
        with self.assertLogs("django.request", "ERROR"):
            response = client.get("/explode/")
        self.assert_product_page(response, 500, "Something went wrong on our side")

    @override_settings(ROOT_URLCONF=__name__)
    def test_when_the_500_page_itself_fails_a_bare_page_is_sent(self) -> None:
        client = Client(raise_request_exception=False)
        with (
            mock.patch("rapport.views.render", side_effect=RuntimeError("database down")),
            self.assertLogs("rapport.views", "ERROR"),
            self.assertLogs("django.request", "ERROR"),
        ):
            response = client.get("/explode/")
        self.assertEqual(response.status_code, 500)
        self.assertContains(response, "Something went wrong on our side", status_code=500)
