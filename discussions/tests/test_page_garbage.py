"""A thread page and a replies page leave nothing of the page for the cyclic garbage collector.

Two reference cycles held every page's rows, reactions, post views and template context until
the collector ran: `post_views_maker`'s two closures, which call each other, and the post form's
macro imported `with context` (the macro closes over a context that holds the macro). About 830
objects a thread page, so the young generation was collected after nearly every page and the
older ones every few dozen (docs/performance.md, "Garbage a page leaves"). What remains is
Django's own request, which refers to itself (its lazy user, its message storages)."""

from discussions import actions
from discussions.models import ReactionKind
from discussions.tests.test_replies_page import RepliesTestCase, add_replies
from rapport.testing import cyclic_garbage

# Types that belong to one page: none of them may wait for the cyclic collector.
PAGE_TYPES = (
    "discussions.threads.PostRow",
    "discussions.threads.PostView",
    "discussions.threads.PostLinks",
    "discussions.threads.ReactionView",
    "discussions.threads.ThreadPage",
    "discussions.threads.ReplyPage",
    "jinja2.runtime.Context",
    "jinja2.runtime.Macro",
    "markupsafe.Markup",
)


class PageGarbageTests(RepliesTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        actions.create_post(cls.community, author=cls.alice, body="Alice's own *thought*")
        actions.react(cls.post, user=cls.alice, kind=ReactionKind.values[0])
        add_replies(cls.post, cls.carol, 14)

    def assert_no_page_left(self, url: str) -> None:
        self.client.force_login(self.alice)
        self.client.get(url)  # templates compiled, statements kept, shapes printed

        def read() -> None:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertGreater(response.content.count(b"<article"), 2)

        left = cyclic_garbage(read)
        self.assertEqual({name: left[name] for name in PAGE_TYPES if left[name]}, {})
        # Django's request and what hangs off it, not the page's posts.
        self.assertLess(sum(left.values()), 150, left.most_common(12))

    def test_a_thread_page_leaves_no_cycle(self) -> None:
        self.assert_no_page_left(self.thread_url())

    def test_a_replies_page_leaves_no_cycle(self) -> None:
        self.assert_no_page_left(self.replies_url())
