"""The main navigation (templates/base.html) holds the same global destinations for a role on
every page. A journey's pages add the journey's own items (This week, Journey, Community, My
circle) but never drop the global ones: a newcomer found "Shared with me" only on My journal,
and Community and My circle only on This week."""

import re

from django.test import Client
from django.urls import reverse

from discussions.actions import community_thread
from rapport.testing import PersonaTestCase

NAV = re.compile(r'<nav class="site-nav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r"<a [^>]*>\s*([^<]+?)\s*(?:<span|</a>)", re.S)


def nav_links(html: str) -> list[str]:
    """The names of the main navigation's links, in order."""
    found = NAV.search(html)
    assert found is not None, "no main navigation"
    return LINK.findall(found.group(1))


LEARNER_GLOBAL = [
    "Home",
    "My journal",
    "Shared with me",
    "My growth",
    "Sessions",
    "Messages",
    "Experts",
    "Notifications",
    "Settings",
]
COACH_GLOBAL = [
    "Home",
    "Circles",
    "Shared with me",
    "My growth",
    "Sessions",
    "Messages",
    "Experts",
    "Notifications",
    "Settings",
]


class HeaderNavigationTests(PersonaTestCase):
    def pages(self) -> dict[str, str]:
        cohort = self.cohort_a.public_id
        return {
            "home": reverse("home"),
            "this week": reverse("cohorts:this_week", args=[cohort]),
            "journey": reverse("cohorts:journey", args=[cohort]),
            "journal": reverse("reflections:journal"),
            "shared": reverse("reflections:shared"),
            "circle": reverse("circles:detail", args=[self.circle_a.public_id]),
            "community": reverse(
                "discussions:thread", args=[community_thread(self.cohort_a).public_id]
            ),
            "notifications": reverse("notifications:list"),
            "settings": reverse("accounts:profile"),
        }

    def headers(self, person: object, names: list[str]) -> dict[str, list[str]]:
        client = Client()
        client.force_login(person)  # type: ignore[arg-type]
        out = {}
        for name, path in self.pages().items():
            if name not in names:
                continue
            response = client.get(path, follow=True)
            self.assertEqual(response.status_code, 200, (name, path))
            out[name] = nav_links(response.content.decode())
        return out

    def test_a_learner_has_every_global_destination_on_every_page(self) -> None:
        headers = self.headers(self.alice, list(self.pages()))
        for name, links in headers.items():
            globals_here = [link for link in links if link in LEARNER_GLOBAL]
            self.assertEqual(globals_here, LEARNER_GLOBAL, name)
        # The journey's pages add the journey's own items after Home.
        self.assertEqual(
            headers["this week"][:6],
            ["Home", "This week", "Journey", "Community", "My circle", "My journal"],
        )
        self.assertIn("Community", headers["community"])
        self.assertIn("My circle", headers["circle"])

    def test_a_coach_has_every_global_destination_on_every_page(self) -> None:
        names = ["home", "this week", "journey", "shared", "community", "circle", "settings"]
        for name, links in self.headers(self.carol, names).items():
            globals_here = [link for link in links if link in COACH_GLOBAL]
            self.assertEqual(globals_here, COACH_GLOBAL, name)
            self.assertNotIn("My journal", links, name)

    def test_a_coachs_circles_are_in_her_header_once_and_list_the_circles_she_coaches(
        self,
    ) -> None:
        """README: the coach has "Circles in the header": the peer circles they coach."""
        self.client.force_login(self.carol)
        page = self.client.get(reverse("circles:mine"))
        self.assertEqual(page.status_code, 200)
        links = nav_links(page.content.decode())
        self.assertEqual(links.count("Circles"), 1)
        self.assertContains(page, 'href="/circles/" aria-current="page">Circles</a>', html=False)
        self.assertContains(page, "Circle Lisbon")
        self.assertContains(page, "Circle Nairobi")
        self.assertContains(page, "You coach this circle", count=2)
        for path in (
            reverse("cohorts:this_week", args=[self.cohort_a.public_id]),
            reverse("circles:cohort", args=[self.cohort_a.public_id]),
        ):
            links = nav_links(self.client.get(path, follow=True).content.decode())
            self.assertEqual(links.count("Circles"), 1, path)
        # A learner's header has no "Circles" (hers is "My circle" in the journey's items), and
        # the coach's page is not hers.
        self.client.force_login(self.alice)
        links = nav_links(self.client.get(reverse("reflections:journal")).content.decode())
        self.assertNotIn("Circles", links)
        self.assertEqual(self.client.get(reverse("circles:mine")).status_code, 404)
