"""A small world of things two people wrote and did, for the export and erasure tests.

Alice and Bob share a cohort's community space: each posts, edits, replies, reacts, reports
and blocks the other, writes a journal entry (reflections) and sets a goal (growth). Every
sentence is unique, so a test can look for it in an export, a page, a database row or a raw
dump of the database file (the journal and the goal are encrypted at rest: never in a dump).
"""

from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from cohorts.actions import set_completed
from cohorts.models import Cohort, Enrollment
from discussions.actions import (
    community_thread,
    create_post,
    edit_post,
    mark_read,
    react,
    save_draft,
)
from discussions.models import Post
from growth.actions import create_goal
from moderation.actions import block_author, report_post
from moderation.models import ReportReason
from programs.models import Activity
from reflections.actions import write_entry

ALICE_TEXTS = {
    "first": "Alice first tried to describe the quiet walk along the canal",
    "post": "Alice wrote about the Tuesday walk with Priya and the silence that helped",
    "reply": "Alice answered that the lighthouse keeper story moved her",
    "draft": "Alice never sent this draft about her brother's new job",
    "report": "Alice reported it because the harbour remark felt mocking",
    "journal": "Alice noticed she interrupts when she is tired, and wrote it down",
    "goal": "Alice wants to let her team finish their sentences before she answers",
}
BOB_TEXTS = {
    "post": "Bob shared the lighthouse keeper story from Hokkaido",
    "reply": "Bob replied that a Tuesday walk sounded like real listening",
    "draft": "Bob kept a draft about the ferry crossing in winter",
    "report": "Bob reported Alice over the tram comment he disliked",
    "journal": "Bob admitted to himself that he rushes the quiet ones in meetings",
    "goal": "Bob plans to ask one open question in every one-to-one",
}


# Stored as plain text until erased (posts, drafts, reports); the rest is encrypted at rest.
PLAIN = ("first", "post", "reply", "draft", "report")


@dataclass
class World:
    alice_post: Post
    alice_reply: Post
    bob_post: Post
    bob_reply: Post


def build_world(*, alice: User, bob: User, cohort: Cohort, activity: Activity) -> World:
    """Alice and Bob (both with a learner seat in `cohort`) write and do everything the
    personal-data sections cover, through the apps' own actions."""
    thread = community_thread(cohort)
    alice_post = create_post(thread, author=alice, body=ALICE_TEXTS["first"])
    edit_post(alice_post, by=alice, body=ALICE_TEXTS["post"])
    bob_post = create_post(thread, author=bob, body=BOB_TEXTS["post"])
    bob_reply = create_post(thread, author=bob, body=BOB_TEXTS["reply"], parent=alice_post)
    alice_reply = create_post(thread, author=alice, body=ALICE_TEXTS["reply"], parent=bob_post)
    react(bob_post, user=alice, kind="thanks")
    react(alice_post, user=bob, kind="relate")
    save_draft(thread, user=alice, key="", body=ALICE_TEXTS["draft"])
    save_draft(thread, user=bob, key="", body=BOB_TEXTS["draft"])
    mark_read(thread, user=alice, until=timezone.now())
    report_post(
        bob_post, reporter=alice, reason=ReportReason.HARASSMENT, details=ALICE_TEXTS["report"]
    )
    report_post(alice_post, reporter=bob, reason=ReportReason.OTHER, details=BOB_TEXTS["report"])
    block_author(bob_post, blocker=alice)
    block_author(alice_post, blocker=bob)
    set_completed(Enrollment.objects.get(user=alice, cohort=cohort), activity=activity)
    for person, texts in ((alice, ALICE_TEXTS), (bob, BOB_TEXTS)):
        write_entry(
            Enrollment.objects.get(user=person, cohort=cohort),
            kind="free",
            title="This week",
            body=texts["journal"],
        )
        create_goal(person, submission=None, title=texts["goal"])
    for post in (alice_post, alice_reply, bob_post, bob_reply):
        post.refresh_from_db()
    return World(
        alice_post=alice_post, alice_reply=alice_reply, bob_post=bob_post, bob_reply=bob_reply
    )
