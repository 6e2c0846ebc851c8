"""What a digest worker does once rather than once per digest: the unsubscribe URL reversed once
per task (`unsubscribe_link_maker`), the headlines' and sections' wordings looked up once per
language. The emails are the same (notifications/tests/test_emails.py reads them whole)."""

from unittest.mock import patch

from django.utils import translation

from notifications import models, tasks
from notifications.tasks import DigestRow, unsubscribe_link, unsubscribe_link_maker
from rapport.testing import PersonaTestCase


class UnsubscribeLinkMakerTests(PersonaTestCase):
    def test_it_writes_what_unsubscribe_link_writes(self) -> None:
        link = unsubscribe_link_maker()
        for person in (self.alice, self.carol):
            for scope in ("weekly", "daily", "reply"):
                self.assertEqual(link(person, scope), unsubscribe_link(person, scope))

    def test_it_reverses_the_url_once_for_many_links(self) -> None:
        with patch.object(tasks, "reverse", wraps=tasks.reverse) as reverse:
            link = unsubscribe_link_maker()
            for person in (self.alice, self.carol, self.alice):
                link(person, "weekly")
        self.assertEqual(reverse.call_count, 1)

    def test_a_token_reverse_would_quote_takes_reverse(self) -> None:
        link = unsubscribe_link_maker()
        with patch.object(tasks, "unsubscribe_token", return_value="a b?c"):
            made, reversed_ = link(self.alice, "weekly"), unsubscribe_link(self.alice, "weekly")
        self.assertEqual(made, reversed_)
        self.assertTrue(made.endswith("/unsubscribe/a%20b%3Fc"), made)


class DigestWordingTests(PersonaTestCase):
    ROWS = [
        DigestRow(1, "reply", "Bob", "Week 1", "/cohorts/1/"),
        DigestRow(1, "reaction", "", "Week 2", "/cohorts/2/"),
        DigestRow(1, "circle", "", "Circle Lisbon", "/circles/1/"),
        DigestRow(1, "reply", "Ana", "Week 3", "/cohorts/3/"),
    ]

    def test_the_sections_are_the_kinds_in_order_with_their_headlines(self) -> None:
        sections = tasks._digest_sections(self.ROWS, language=translation.get_language())
        self.assertEqual(
            [(label, rows) for label, rows in sections],
            [
                (
                    str(models.NotificationKind.REPLY.label),
                    [
                        ("Bob replied to you in Week 1", "/cohorts/1/"),
                        ("Ana replied to you in Week 3", "/cohorts/3/"),
                    ],
                ),
                (
                    str(models.NotificationKind.REACTION.label),
                    [("Someone reacted to your post in Week 2", "/cohorts/2/")],
                ),
                (
                    str(models.NotificationKind.CIRCLE.label),
                    [("News from Circle Lisbon", "/circles/1/")],
                ),
            ],
        )

    def test_a_second_digest_looks_up_no_wording_in_the_catalogues(self) -> None:
        models._headline_wording.cache_clear()
        tasks._kind_label.cache_clear()
        language = translation.get_language()
        with patch.object(translation._trans, "gettext", wraps=translation._trans.gettext) as look:
            tasks._digest_sections(self.ROWS, language=language)
            first = look.call_count
            tasks._digest_sections(self.ROWS, language=language)
        self.assertGreater(first, 0)
        self.assertEqual(look.call_count, first)

    def test_the_headline_is_the_one_a_notification_shows(self) -> None:
        for kind in models.NotificationKind:
            for actor in ("", "Bob"):
                with self.subTest(kind=kind, actor=actor):
                    wording = (
                        models._HEADLINES_WITHOUT_ACTOR[kind]
                        if not actor and kind in models._HEADLINES_WITHOUT_ACTOR
                        else models._HEADLINES[kind]
                    )
                    expected = str(wording) % {"actor": actor or "Someone", "place": "P"}
                    self.assertEqual(models.headline(kind, actor, "P"), expected)
