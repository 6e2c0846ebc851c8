"""The thread view's per-request work: a plain address (`?page=N` or none) is read without
building a `PageForm`, to the same page `PageForm` gives; anything else goes through it."""

from unittest import mock

from django.http import QueryDict
from django.test import RequestFactory, SimpleTestCase

from discussions import views
from discussions.forms import PageForm
from discussions.tests.test_thread_page import ThreadTestCase

QUERIES = [
    "",
    "page=1",
    "page=2",
    "page=75",
    "page=075",
    "page=100000",
    "page=100001",
    "page=0",
    "page=",
    "page=-1",
    "page=+2",
    "page=%202",
    "page=2.0",
    "page=x",
    "page=%D9%A7",
    "page=1&page=2",
    "reply=x",
    "page=1&reply=3f1e5c1a-0000-4000-8000-000000000000",
    "other=1",
    "page=1&other=1",
    "page=" + "9" * 5000,
]


class PlainPageTests(SimpleTestCase):
    def test_a_plain_page_is_what_page_form_cleans_it_to(self) -> None:
        factory = RequestFactory()
        for query in QUERIES:
            with self.subTest(query=query[:40]):
                page = views._plain_page(factory.get("/?" + query))
                if page is False:
                    continue
                form = PageForm(QueryDict(query))
                self.assertTrue(form.is_valid())
                self.assertEqual(form.cleaned_data, {"page": page, "reply": None})

    def test_only_plain_addresses_skip_the_form(self) -> None:
        factory = RequestFactory()
        plain = {q for q in QUERIES if views._plain_page(factory.get("/?" + q)) is not False}
        self.assertEqual(plain, {"", "page=1", "page=2", "page=75", "page=075", "page=100000"})


class ThreadViewTests(ThreadTestCase):
    def test_a_plain_page_builds_no_page_form(self) -> None:
        self.client.force_login(self.alice)
        url = self.thread_url(self.community)
        with mock.patch.object(views, "PageForm", side_effect=AssertionError("built")):
            for query in ("", "?page=1", "?page=3"):
                self.assertEqual(self.client.get(url + query).status_code, 200)
        for query in ("?page=0", "?page=x", "?page=100001"):
            self.assertEqual(self.client.get(url + query).status_code, 400)
