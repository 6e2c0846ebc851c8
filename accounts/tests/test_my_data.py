"""My data: the export (JSON download and readable page) and the erasure of one's account.

Alice's and Bob's texts come from `personal_data_world`; the tests play Alice and look for
Bob's words (and what Bob did about her) where only Alice's may be.
"""

import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from django.test import TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.erasure import erase_person
from accounts.models import Block, ErasureRecord, User
from accounts.personal_data import (
    ERASED_NAME,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    build_export,
    is_erased,
    sections,
)
from accounts.tests.personal_data_world import (
    ALICE_TEXTS,
    BOB_TEXTS,
    PLAIN,
    World,
    build_world,
)
from circles.models import CircleMember
from cohorts.actions import enroll
from cohorts.models import Enrollment
from discussions.actions import community_thread, create_post, react
from discussions.models import Draft, Post, PostRevision, Reaction, ReadPosition
from events.models import Event
from moderation.models import Report
from notifications.actions import notify
from notifications.models import Notification, NotificationKind
from organizations.models import Membership, Role
from programs.models import ActivityKind
from rapport.lib.crypto import confidential_fields
from rapport.policy import Visibility
from rapport.testing import (
    PASSWORD,
    PersonaTestCase,
    make_cohort,
    make_org,
    make_program,
    make_user,
    raw_database_dump,
)
from reflections.actions import record_view, write_entry
from reflections.models import Entry

BOB_SHARED = "Bob told his circle that the Friday stand-up leaves the quiet ones out"
ALICE_SHARED = "Alice told her coach she is afraid of the conversation with Joao"

# The item keys of each section this change registers: the export's documented shape
# (accounts.personal_data). Changing one is a new EXPORT_VERSION.
ITEM_KEYS: dict[str, dict[str, set[str]]] = {
    "account": {"": {"full_name", "email", "time_zone", "date_joined", "last_login"}},
    "membership": {"": {"organisation", "role", "region", "function", "level"}},
    "cohorts": {
        "": {
            "cohort",
            "programme",
            "role",
            "coach",
            "activities_done",
            "enrolled_at",
            "progress",
        }
    },
    "circles": {"": {"circle", "cohort", "joined_at"}},
    "discussions": {
        "post": {
            "type",
            "id",
            "place",
            "text",
            "pseudonym",
            "created_at",
            "edited_at",
            "deleted_at",
            "hidden_reason",
        },
        "earlier version": {"type", "post", "text", "written_at", "replaced_at"},
        "draft": {"type", "place", "text", "updated_at"},
        "reaction": {"type", "reaction", "post", "place", "created_at"},
        "read position": {"type", "place", "seen_until"},
    },
    "moderation": {
        "report": {
            "type",
            "post",
            "place",
            "reason",
            "details",
            "state",
            "note_to_you",
            "created_at",
        },
        "block": {"type", "name", "created_at"},
    },
    "notifications": {
        "notification": {"type", "kind", "by", "place", "link", "created_at", "read_at"},
        "email preference": {"type", "kind", "email"},
        "quiet hours": {"type", "start", "end"},
    },
    "events": {"": {"timestamp", "verb", "object_type", "object_id", "result"}},
}


class MyDataCase(PersonaTestCase):
    world: World

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        activity = (
            cls.program.weeks.get(number=1).activities.filter(kind=ActivityKind.ARTICLE).first()
        )
        assert activity is not None
        with cls.captureOnCommitCallbacks(execute=True):
            cls.world = build_world(
                alice=cls.alice, bob=cls.bob, cohort=cls.cohort_a, activity=activity
            )
            notify(
                kind=NotificationKind.REPLY,
                recipients=[cls.bob],
                actor=cls.alice,
                actor_label=cls.alice.full_name,
                place="Community space · Cohort A",
                url="/",
            )
            # Bob shares an entry with his circle, which alice is in: she may read it in the
            # app, yet it is his, never in her export. She shares hers with carol, her coach,
            # who opens it: the view is in alice's access log, and not in carol's export.
            write_entry(
                Enrollment.objects.get(user=cls.bob, cohort=cls.cohort_a),
                kind="free",
                body=BOB_SHARED,
                visibility=Visibility.CIRCLE,
            )
            shared, _ = write_entry(
                Enrollment.objects.get(user=cls.alice, cohort=cls.cohort_a),
                kind="free",
                body=ALICE_SHARED,
                visibility=Visibility.COACH,
            )
            record_view(shared, viewer=cls.carol)

    def export_as(self, user: User) -> dict[str, Any]:
        self.client.force_login(user)
        response = self.client.get(reverse("accounts:my_data_export"))
        self.assertEqual(response.status_code, 200)
        return json.loads(response.content)  # type: ignore[no-any-return]


class ExportTests(MyDataCase):
    def test_the_download_is_a_versioned_json_attachment_in_section_order(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("accounts:my_data_export"))
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertTrue(response["Content-Disposition"].startswith("attachment; filename="))
        self.assertIn("no-store", response["Cache-Control"])
        data = json.loads(response.content)
        self.assertEqual(set(data), {"format", "version", "exported_at", "person", "sections"})
        self.assertEqual((data["format"], data["version"]), (EXPORT_FORMAT, EXPORT_VERSION))
        self.assertEqual(data["person"]["email"], "alice@northwind.example")
        self.assertEqual([s["key"] for s in data["sections"]], [s.key for s in sections()])

    def test_every_item_has_its_documented_keys(self) -> None:
        data = self.export_as(self.alice)
        seen: set[tuple[str, str]] = set()
        for section in data["sections"]:
            self.assertEqual(set(section), {"key", "title", "items"})
            expected = ITEM_KEYS.get(section["key"])
            for item in section["items"]:
                self.assertIsInstance(item, dict)
                if expected is None:
                    continue  # a section of a later app: its own tests pin its keys
                row_type = item.get("type", "")
                key = "post" if row_type == "reply" else row_type
                self.assertEqual(set(item), expected[key], f"{section['key']} {row_type}")
                seen.add((section["key"], key))
        # The world fills every kind of row but email preferences and quiet hours.
        for section_key, kinds in ITEM_KEYS.items():
            for kind in kinds:
                if kind not in {"email preference", "quiet hours"}:
                    self.assertIn((section_key, kind), seen)

    def test_it_holds_my_words_and_none_of_anyone_elses(self) -> None:
        text = json.dumps(self.export_as(self.alice), ensure_ascii=False)
        for sentence in ALICE_TEXTS.values():
            self.assertIn(sentence, text)
        for sentence in BOB_TEXTS.values():
            self.assertNotIn(sentence, text)
        self.assertNotIn("bob@northwind.example", text)
        self.assertIn(ALICE_SHARED, text)
        self.assertNotIn(BOB_SHARED, text)  # shared with her circle, yet his

    def test_my_coach_export_holds_no_entry_shared_with_her(self) -> None:
        text = json.dumps(self.export_as(self.carol), ensure_ascii=False)
        for sentence in (ALICE_SHARED, BOB_SHARED, *ALICE_TEXTS.values(), *BOB_TEXTS.values()):
            self.assertNotIn(sentence, text)

    def test_it_never_says_who_reported_or_blocked_me(self) -> None:
        data = self.export_as(self.alice)
        moderation = next(s for s in data["sections"] if s["key"] == "moderation")
        reports = [item for item in moderation["items"] if item["type"] == "report"]
        blocks = [item for item in moderation["items"] if item["type"] == "block"]
        self.assertEqual([r["post"] for r in reports], [str(self.world.bob_post.public_id)])
        self.assertEqual([b["name"] for b in blocks], [self.bob.full_name])

    def test_bobs_export_holds_his_words_and_not_alices(self) -> None:
        text = json.dumps(self.export_as(self.bob), ensure_ascii=False)
        for sentence in BOB_TEXTS.values():
            self.assertIn(sentence, text)
        for sentence in ALICE_TEXTS.values():
            self.assertNotIn(sentence, text)

    def test_the_readable_page_shows_my_words_only(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("accounts:my_data_readable"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        page = response.content.decode()
        for sentence in ALICE_TEXTS.values():
            self.assertIn(sentence.replace("'", "&#39;"), page)
        for sentence in BOB_TEXTS.values():
            self.assertNotIn(sentence.replace("'", "&#39;"), page)
        for section in sections():
            self.assertIn(f'id="section-{section.key}"', page)

    def test_the_readable_page_shows_times_in_my_own_zone(self) -> None:
        self.client.force_login(self.bob)  # Asia/Tokyo
        response = self.client.get(reverse("accounts:my_data_readable"))
        self.assertContains(response, "times below are in Asia/Tokyo")
        created = self.world.bob_post.created_at.astimezone(ZoneInfo("Asia/Tokyo"))
        self.assertContains(response, created.strftime("%-d %b %Y, %H:%M"))

    def test_my_data_links_the_copies_and_the_erasure(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get(reverse("accounts:profile")).content.decode()
        self.assertIn(reverse("accounts:my_data"), page)
        page = self.client.get(reverse("accounts:my_data")).content.decode()
        for name in (
            "accounts:my_data_export",
            "accounts:my_data_readable",
            "accounts:erase",
            "reflections:access_log",
        ):
            self.assertIn(reverse(name), page)
        self.assertNotIn("erased their account", page)  # the count is for admins

    def test_the_export_makes_the_same_queries_whatever_the_amount_of_data(self) -> None:
        def queries() -> int:
            user = User.objects.get(pk=self.alice.pk)
            with CaptureQueriesContext(connection) as captured:
                build_export(user)
            return len(captured)

        before = queries()
        thread = community_thread(self.cohort_a)
        for n in range(5):
            post = create_post(thread, author=self.alice, body=f"More from Alice, number {n}")
            react(post, user=self.bob, kind="think")
            reply = create_post(thread, author=self.bob, body=f"Bob again {n}", parent=post)
            react(reply, user=self.alice, kind="helped")
            notify(
                kind=NotificationKind.REPLY,
                recipients=[self.alice],
                actor=self.bob,
                actor_label="Bob",
                place="Community space · Cohort A",
                url="/",
            )
        enroll(self.alice, cohort=self.cohort_b)
        self.assertEqual(queries(), before)


class ErasureTests(MyDataCase):
    def erase(self, **data: str) -> Any:
        self.client.force_login(self.alice)
        return self.client.post(reverse("accounts:erase"), data)

    def assert_nothing_erased(self) -> None:
        alice = User.objects.get(pk=self.alice.pk)
        self.assertTrue(alice.is_active)
        self.assertEqual(alice.email, "alice@northwind.example")
        self.assertEqual(Post.objects.get(pk=self.world.alice_post.pk).body, ALICE_TEXTS["post"])
        self.assertTrue(Draft.objects.filter(user=self.alice).exists())
        self.assertFalse(ErasureRecord.objects.exists())

    def test_the_page_explains_what_happens_and_asks_for_proof(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("accounts:erase"))
        self.assertContains(response, "What is deleted")
        self.assertContains(response, "What is kept, without your name")
        self.assertContains(response, 'type="password"')
        for section in sections():
            self.assertContains(response, str(section.title))

    def test_a_wrong_password_is_a_form_error_and_changes_nothing(self) -> None:
        response = self.erase(password="not my password", confirmation="erase my account")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "That is not your password.", status_code=400)
        self.assertContains(response, 'value="erase my account"', status_code=400)
        self.assert_nothing_erased()

    def test_a_wrong_confirmation_is_a_form_error_and_changes_nothing(self) -> None:
        response = self.erase(password=PASSWORD, confirmation="erase my acount")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "exactly", status_code=400)
        self.assert_nothing_erased()
        response = self.erase()
        self.assertEqual(response.status_code, 400)
        self.assert_nothing_erased()

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_wrong_passwords_count_towards_the_sign_in_lock(self) -> None:
        # Signed in once (signing in again would clear the count, as a real sign-in does).
        self.client.force_login(self.alice)
        url = reverse("accounts:erase")
        for _ in range(3):
            self.client.post(url, {"password": "a guess", "confirmation": "erase my account"})
        response = self.client.post(url, {"password": PASSWORD, "confirmation": "erase my account"})
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many attempts", status_code=429)
        self.assert_nothing_erased()

    def test_failed_sign_ins_under_my_address_are_erased_too(self) -> None:
        self.client.post(
            reverse("accounts:login"),
            {"username": "alice@northwind.example", "password": "a wrong guess"},
        )
        self.assertTrue(AccessAttempt.objects.filter(username="alice@northwind.example").exists())
        erase_person(self.alice)
        self.assertFalse(AccessAttempt.objects.filter(username="alice@northwind.example").exists())

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
    def test_emails_waiting_for_my_address_are_erased_too(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            for email in ("alice@northwind.example", "bob@northwind.example"):
                self.client.post(reverse("accounts:password_reset"), {"email": email})
        with_address = DBTaskResult.objects.annotate(
            arguments=Cast("args_kwargs", TextField())
        ).filter(arguments__contains="@northwind.example")
        self.assertEqual(with_address.count(), 2)
        erase_person(self.alice)
        self.assertEqual(with_address.count(), 1)  # bob's stays
        self.assertFalse(with_address.filter(arguments__contains="alice@").exists())

    def test_erasing_signs_me_out_and_confirms_with_numbers(self) -> None:
        response = self.erase(password=PASSWORD, confirmation="  Erase my ACCOUNT ")
        self.assertRedirects(response, reverse("accounts:erased"))
        self.assertNotIn(SESSION_KEY, self.client.session)
        page = self.client.get(reverse("accounts:erased"))
        self.assertContains(page, "Your account is erased")
        self.assertContains(page, "Your posts, drafts and reactions: ")
        # Signed out for good: the account cannot come back.
        self.assertFalse(self.client.login(username="alice@northwind.example", password=PASSWORD))
        self.assertRedirects(
            self.client.get(reverse("accounts:my_data")),
            reverse("accounts:login") + "?next=" + reverse("accounts:my_data"),
        )

    def test_the_account_is_anonymised_and_the_membership_closed(self) -> None:
        old_public_id = self.alice.public_id
        erase_person(self.alice)
        alice = User.objects.get(pk=self.alice.pk)
        self.assertTrue(is_erased(alice))
        self.assertTrue(alice.email.endswith("@erased.invalid"))
        self.assertEqual(alice.full_name, ERASED_NAME)
        self.assertFalse(alice.has_usable_password())
        self.assertFalse(alice.is_active)
        self.assertNotEqual(alice.public_id, old_public_id)
        membership = Membership.objects.get(user=alice)
        self.assertEqual((membership.region, membership.function, membership.level), ("", "", ""))

    def test_what_i_wrote_is_gone_and_others_replies_keep_their_place(self) -> None:
        erase_person(self.alice)
        for post in (self.world.alice_post, self.world.alice_reply):
            post.refresh_from_db()
            self.assertEqual((post.body, post.pseudonym), ("", ""))
            self.assertTrue(post.is_deleted)
        bob_reply = Post.objects.get(pk=self.world.bob_reply.pk)
        self.assertEqual(bob_reply.body, BOB_TEXTS["reply"])
        self.assertEqual(bob_reply.parent_id, self.world.alice_post.pk)
        self.assertFalse(PostRevision.objects.filter(post__author=self.alice).exists())
        self.assertFalse(Draft.objects.filter(user=self.alice).exists())
        self.assertTrue(Draft.objects.filter(user=self.bob).exists())
        self.assertFalse(Reaction.objects.filter(user=self.alice).exists())
        self.assertFalse(Reaction.objects.filter(post__author=self.alice).exists())
        self.assertFalse(ReadPosition.objects.filter(user=self.alice).exists())
        self.assertEqual(Report.objects.get(reporter=self.alice).details, "")
        self.assertEqual(Report.objects.get(reporter=self.bob).details, BOB_TEXTS["report"])
        self.assertFalse(Block.objects.filter(blocker=self.alice).exists())
        self.assertFalse(Block.objects.filter(blocked=self.alice).exists())
        self.assertFalse(Notification.objects.filter(recipient=self.alice).exists())
        self.assertEqual(
            set(Notification.objects.filter(recipient=self.bob).values_list("actor_label")),
            {(ERASED_NAME,)},
        )
        self.assertFalse(CircleMember.objects.filter(user=self.alice).exists())
        self.assertFalse(Entry.objects.filter(author=self.alice).exists())
        self.assertEqual(Entry.objects.filter(author=self.bob).count(), 2)

    def test_no_section_has_anything_of_mine_left_to_export(self) -> None:
        erase_person(self.alice)
        alice = User.objects.get(pk=self.alice.pk)
        text = json.dumps(build_export(alice), ensure_ascii=False)
        for sentence in ALICE_TEXTS.values():
            self.assertNotIn(sentence, text)
        self.assertNotIn("alice@northwind.example", text)

    def test_no_confidential_text_of_mine_remains_in_any_model(self) -> None:
        """Every model with confidential fields (reflections, growth, …): no row that points to
        the erased person keeps text in them."""
        self.assertTrue(Entry.objects.filter(author=self.alice).exists())  # can fail
        erase_person(self.alice)
        for model, names in confidential_fields():
            # Whose text it is: a person, or a person's seat (a request for feedback is made
            # from the learner's seat in a cohort).
            links = [
                field.name
                for field in model._meta.concrete_fields
                if field.is_relation and field.related_model is User
            ] + [
                f"{field.name}__user"
                for field in model._meta.concrete_fields
                if field.is_relation and field.related_model is Enrollment
            ]
            self.assertTrue(links, f"{model.__name__}: whose text is it?")
            for link in links:
                for row in model._default_manager.filter(**{link: self.alice}):
                    for name in names:
                        self.assertFalse(getattr(row, name), f"{model.__name__}.{name}")

    def test_aggregates_still_count_me(self) -> None:
        events_before = Event.objects.filter(actor=self.alice).count()
        self.assertGreater(events_before, 0)
        done_before = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a).completed_count
        record = erase_person(self.alice)
        assert record is not None
        self.assertEqual(Event.objects.filter(actor=self.alice).count(), events_before)
        self.assertEqual(record.counts["events"], events_before)
        seat = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        self.assertEqual(seat.completed_count, done_before)
        self.assertEqual(Post.objects.filter(thread__cohort=self.cohort_a).count(), 4)

    def test_the_record_holds_numbers_only(self) -> None:
        record = erase_person(self.alice)
        assert record is not None
        self.assertEqual(record.organization_id, self.org.pk)
        self.assertEqual(list(record.counts), [s.key for s in sections()])
        self.assertTrue(all(isinstance(n, int) for n in record.counts.values()))
        self.assertGreater(record.counts["discussions"], 0)
        stored = json.dumps(
            {f.attname: str(getattr(record, f.attname)) for f in record._meta.concrete_fields}
            | {"counts": record.counts}
        )
        for clue in (*ALICE_TEXTS.values(), "alice", "Alice", str(self.alice.public_id)):
            self.assertNotIn(clue, stored)

    def test_a_second_erasure_changes_nothing(self) -> None:
        first = erase_person(self.alice)
        self.assertIsNotNone(first)
        alice = User.objects.get(pk=self.alice.pk)
        email = alice.email
        self.assertIsNone(erase_person(alice))
        self.assertEqual(ErasureRecord.objects.count(), 1)
        self.assertEqual(User.objects.get(pk=self.alice.pk).email, email)

    def test_admins_see_how_many_accounts_were_erased(self) -> None:
        erase_person(self.alice)
        self.client.force_login(self.adam)
        response = self.client.get(reverse("accounts:my_data"))
        self.assertContains(response, "1 person has erased their account.")
        self.client.force_login(self.oscar)  # another organisation: its own count only
        self.assertNotContains(self.client.get(reverse("accounts:my_data")), "erased their")
        self.assertFalse(ErasureRecord.objects.visible_to(self.bob).exists())
        self.assertFalse(ErasureRecord.objects.visible_to(self.carol).exists())
        self.assertEqual(ErasureRecord.objects.visible_to(self.adam).count(), 1)

    def test_the_confirmation_page_is_only_for_the_session_that_erased(self) -> None:
        self.assertRedirects(
            self.client.get(reverse("accounts:erased")),
            reverse("accounts:login"),
            fetch_redirect_response=False,
        )
        self.client.force_login(self.bob)
        self.assertRedirects(
            self.client.get(reverse("accounts:erased")), reverse("accounts:my_data")
        )


@pytest.mark.django_db(transaction=True)
class RawDumpAfterErasureTests(TransactionTestCase):
    """What someone holding a copy of the database file would read after an erasure."""

    def test_a_raw_dump_holds_none_of_the_erased_persons_words(self) -> None:
        org = make_org("Fabrikam Care", slug="fabrikam-care")
        program = make_program(org, weeks=1, per_week=7)
        cohort = make_cohort(program, name="Fabrikam cohort")
        alice = make_user(org, "ingrid.solvang@fabrikam.example", name="Ingrid Solvang")
        bob = make_user(org, "tomas.brandt@fabrikam.example", name="Tomas Brandt")
        # Someone to look at Alice's report: a report nobody could handle is refused.
        make_user(org, "aino.admin@fabrikam.example", name="Aino Virta", role=Role.ADMIN)
        for person in (alice, bob):
            enroll(person, cohort=cohort)
        activity = program.weeks.get().activities.filter(kind=ActivityKind.ARTICLE).first()
        assert activity is not None
        build_world(alice=alice, bob=bob, cohort=cohort, activity=activity)
        before = raw_database_dump()
        plain = [ALICE_TEXTS[key] for key in PLAIN]
        for sentence in (*plain, "ingrid.solvang@fabrikam.example"):
            self.assertTrue(sentence.encode() in before, sentence)  # the test can fail

        self.client.force_login(alice)
        response = self.client.post(
            reverse("accounts:erase"), {"password": PASSWORD, "confirmation": "erase my account"}
        )
        self.assertEqual(response.status_code, 302)

        dump = raw_database_dump()
        for sentence in (*ALICE_TEXTS.values(), "ingrid.solvang@fabrikam.example"):
            # assertFalse, not assertNotIn: the message must not print megabytes of dump.
            self.assertFalse(sentence.encode() in dump, sentence)
        self.assertTrue(BOB_TEXTS["post"].encode() in dump)  # others' words stay
