"""Confidential messages between a coach and each of their learners: who reads and writes
what, attachments checked by their bytes and kept encrypted, read state, the notification that
never quotes, "Ask my coach", and a fixed number of queries whatever the thread's length."""

import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.erasure import erase_person
from accounts.personal_data import build_export
from coaching.access import unread_counts_for_coach, unread_total
from coaching.models import Attachment, Conversation, Message
from coaching.personal_data import erase_messages
from coaching.tests.base import CoachingTestCase
from coaching.tests.talk_helpers import PDF, PNG, checked, docx_bytes, send, upload
from cohorts.actions import enroll
from cohorts.models import Enrollment
from events.models import Event, ObjectType, Verb
from notifications.models import Notification, NotificationKind
from organizations.models import Role
from rapport.testing import make_user

SECRET = "I am worried about telling my team about the reorganisation"


def thread_url(person) -> str:
    return reverse("talk:thread", args=[person.public_id])


class MessageAccessTests(CoachingTestCase):
    def test_a_learner_and_her_coach_write_to_each_other(self) -> None:
        self.client.force_login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(thread_url(self.carol), {"body": SECRET})
        self.assertRedirects(response, thread_url(self.carol))
        self.client.force_login(self.carol)
        response = self.client.get(thread_url(self.alice))
        self.assertContains(response, SECRET)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(thread_url(self.alice), {"body": "Let us plan it together."})
        self.client.force_login(self.alice)
        response = self.client.get(thread_url(self.carol))
        self.assertContains(response, "Let us plan it together.")
        self.assertContains(response, SECRET)
        self.assertEqual(Conversation.objects.count(), 1)  # one per pair

    def test_nobody_else_reads_or_writes_the_conversation(self) -> None:
        send(self.alice, self.carol, SECRET)
        # bob (carol's other learner), dave (another cohort), dora, adam, oscar: the address of
        # alice's conversation for carol is alice's id, and it is a 404 for all of them.
        for person in (self.bob, self.dave, self.dora, self.adam, self.oscar, self.erin):
            self.client.force_login(person)
            for url in (thread_url(self.alice), reverse("talk:plan", args=[self.alice.public_id])):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404, f"{person.email} {url}")
            response = self.client.post(thread_url(self.alice), {"body": "Hi"})
            self.assertEqual(response.status_code, 404)
            self.assertNotContains(self.client.get(reverse("talk:inbox")), SECRET)
        self.assertEqual(Message.objects.count(), 1)

    def test_a_message_to_someone_elses_learner_or_a_tampered_id_changes_nothing(self) -> None:
        other_coach = make_user(self.org, "gina@northwind.example", role=Role.COACH)
        self.client.force_login(other_coach)
        recorded = Event.objects.count()
        for person_id in (self.alice.public_id, self.carol.public_id, self.oscar.public_id):
            url = reverse("talk:thread", args=[person_id])
            self.assertEqual(self.client.post(url, {"body": "Hello"}).status_code, 404)
        url = reverse("talk:thread", args=["00000000-0000-4000-8000-000000000000"])
        self.assertEqual(self.client.post(url, {"body": "Hello"}).status_code, 404)
        self.assertEqual(self.client.get("/coach/messages/not-a-uuid/").status_code, 404)
        self.assertFalse(Message.objects.exists())
        self.assertFalse(Conversation.objects.exists())
        self.assertEqual(Event.objects.count(), recorded)

    def test_a_new_coach_does_not_see_the_history_and_the_learner_keeps_it(self) -> None:
        send(self.alice, self.carol, SECRET)
        gina = make_user(self.org, "gina@northwind.example", role=Role.COACH)
        Enrollment.objects.filter(user=self.alice).update(coach=gina)
        self.client.force_login(gina)
        response = self.client.get(thread_url(self.alice))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, SECRET)
        self.assertContains(response, "No messages yet.")
        # carol no longer coaches alice: her conversation is gone from her sight.
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(thread_url(self.alice)).status_code, 404)
        self.assertNotContains(self.client.get(reverse("talk:inbox")), "Alice")
        # alice reads her history with carol, and cannot write to her any more.
        self.client.force_login(self.alice)
        response = self.client.get(thread_url(self.carol))
        self.assertContains(response, SECRET)
        self.assertContains(response, "no longer your coach")
        self.assertEqual(self.client.post(thread_url(self.carol), {"body": "Hi"}).status_code, 403)
        self.assertEqual(Message.objects.count(), 1)

    def test_an_empty_message_is_refused_and_nothing_is_saved(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(thread_url(self.carol), {"body": "   "})
        self.assertContains(response, "Write a message or attach a file", status_code=400)
        self.assertFalse(Message.objects.exists())


class NotificationTests(CoachingTestCase):
    def test_the_other_person_is_notified_without_the_text(self) -> None:
        self.client.force_login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(thread_url(self.carol), {"body": SECRET})
        notification = Notification.objects.get(recipient=self.carol)
        self.assertEqual(notification.kind, NotificationKind.COACH_MESSAGE)
        self.assertEqual(notification.url, thread_url(self.alice))
        self.assertNotIn(SECRET, str(notification.__dict__))
        self.assertFalse(Notification.objects.filter(recipient=self.alice).exists())
        # The email (carol wants these immediately, the default) says who, never what.
        self.assertTrue(mail.outbox)
        for email in mail.outbox:
            self.assertNotIn(SECRET, email.body)
            self.assertNotIn("reorganisation", str(email.message()))

    def test_the_event_names_the_conversation_never_the_text(self) -> None:
        message = send(self.alice, self.carol, SECRET)
        event = Event.objects.get(object_type=ObjectType.COACHING_CONVERSATION)
        self.assertEqual(event.verb, Verb.COMMENTED)
        self.assertEqual(event.object_id, message.conversation.public_id)
        self.assertNotIn("reorganisation", str(Event.objects.values().get(pk=event.pk)))


class ReadStateTests(CoachingTestCase):
    def test_unread_counts_and_marking_read_when_opened(self) -> None:
        send(self.alice, self.carol, "One")
        send(self.alice, self.carol, "Two")
        send(self.bob, self.carol, "Three")
        self.assertEqual(unread_counts_for_coach(self.carol), {self.alice.pk: 2, self.bob.pk: 1})
        self.assertEqual(unread_total(self.alice), 0)  # her own messages are not unread
        self.client.force_login(self.carol)
        self.assertContains(self.client.get(reverse("talk:inbox")), "2 unread")
        self.client.get(thread_url(self.alice))
        self.assertEqual(unread_counts_for_coach(self.carol), {self.bob.pk: 1})
        send(self.carol, self.alice, "Reply")
        self.assertEqual(unread_total(self.alice), 1)
        self.assertEqual(unread_counts_for_coach(self.carol), {self.bob.pk: 1})

    def test_a_repeat_view_writes_nothing(self) -> None:
        send(self.alice, self.carol, "One")
        self.client.force_login(self.carol)
        self.client.get(thread_url(self.alice))
        with CaptureQueriesContext(connection) as captured:
            self.client.get(thread_url(self.alice))
        self.assertFalse([q for q in captured.captured_queries if q["sql"].startswith("UPDATE")])

    def test_unread_counts_for_a_coach_is_one_query_whatever_the_caseload(self) -> None:
        for index in range(6):
            learner = make_user(self.org, f"learner{index}@northwind.example")
            from cohorts.actions import enroll

            enroll(learner, cohort=self.cohort_a, coach=self.carol)
            send(learner, self.carol, "Hello")
        with self.assertNumQueries(1):
            counts = unread_counts_for_coach(self.carol)
        self.assertEqual(len(counts), 6)


class AttachmentTests(CoachingTestCase):
    def test_an_attachment_is_stored_encrypted_and_served_to_the_two_only(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            thread_url(self.carol),
            {
                "body": "My plan",
                "attachments": [upload("my plan.pdf", PDF), upload("board.png", PNG)],
            },
        )
        self.assertEqual(response.status_code, 302)
        attachments = list(Attachment.objects.order_by("id"))
        self.assertEqual([a.name for a in attachments], ["my plan.pdf", "board.png"])
        on_disk = Path(settings.MEDIA_ROOT, attachments[0].file.name).read_bytes()
        self.assertNotIn(b"%PDF", on_disk)  # encrypted at rest
        self.assertNotIn("plan", attachments[0].file.name)  # a random name
        url = reverse("talk:attachment", args=[attachments[0].public_id])
        for person in (self.alice, self.carol):
            self.client.force_login(person)
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.content, PDF)
            self.assertEqual(response["Content-Type"], "application/pdf")
            self.assertIn("attachment;", response["Content-Disposition"])
            self.assertEqual(response["X-Content-Type-Options"], "nosniff")
            self.assertIn("no-store", response["Cache-Control"])
        for person in (self.bob, self.dave, self.adam, self.dora, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get(url).status_code, 404, person.email)

    def test_office_documents_and_plain_text_are_accepted(self) -> None:
        self.assertEqual(checked("notes.docx", docx_bytes()).size, len(docx_bytes()))
        self.assertEqual(
            checked("notes.txt", "Notes: café".encode()).content_type[:10], "text/plain"
        )

    def test_a_wrong_type_is_refused_with_the_text_kept_and_nothing_saved(self) -> None:
        self.client.force_login(self.alice)
        for name, data in (
            ("tool.exe", b"MZ\x90\x00"),
            ("fake.pdf", b"MZ\x90\x00 not a pdf"),
            ("photo.png", PDF),
            ("notes.txt", b"\x00\x01binary"),
            ("page.html", b"<script>alert(1)</script>"),
            ("image.svg", b"<svg onload=alert(1)>"),
            ("empty.pdf", b""),
        ):
            response = self.client.post(
                thread_url(self.carol),
                {"body": "Please read this", "attachments": [upload(name, data)]},
            )
            self.assertEqual(response.status_code, 400, name)
            self.assertContains(response, "Please read this", status_code=400)
            if data:  # Django's own words for an empty file: "The submitted file is empty."
                self.assertContains(response, name, status_code=400)
        self.assertFalse(Message.objects.exists())
        self.assertFalse(Attachment.objects.exists())

    @override_settings(RAPPORT_MAX_ATTACHMENT_MB=1)
    def test_a_file_over_the_size_limit_is_refused(self) -> None:
        self.client.force_login(self.alice)
        big = PDF + b"0" * (1024 * 1024)
        response = self.client.post(
            thread_url(self.carol), {"body": "Big one", "attachments": [upload("big.pdf", big)]}
        )
        self.assertContains(response, "larger than 1 MB", status_code=400)
        self.assertContains(response, "Big one", status_code=400)
        self.assertFalse(Message.objects.exists())

    @override_settings(RAPPORT_MAX_ATTACHMENTS=2)
    def test_too_many_files_are_refused(self) -> None:
        self.client.force_login(self.alice)
        files = [upload(f"p{i}.pdf", PDF) for i in range(3)]
        response = self.client.post(thread_url(self.carol), {"body": "x", "attachments": files})
        self.assertContains(response, "at most 2 files", status_code=400)
        self.assertFalse(Message.objects.exists())


class AskMyCoachTests(CoachingTestCase):
    def test_ask_my_coach_links_the_activity_by_reference(self) -> None:
        activity = self.first_activity()
        url = reverse("talk:ask", args=[self.cohort_a.public_id, activity.public_id])
        self.client.force_login(self.alice)
        page = self.client.get(
            reverse("cohorts:activity", args=[self.cohort_a.public_id, activity.public_id])
        )
        self.assertContains(page, url)
        response = self.client.get(url)
        self.assertContains(response, f'value="{activity.public_id}"')
        self.assertContains(response, "Messages with Carol")
        self.client.post(
            thread_url(self.carol),
            {
                "body": "What did you mean?",
                "activity": activity.public_id,
                "cohort": self.cohort_a.public_id,
            },
        )
        message = Message.objects.get()
        self.assertEqual((message.activity_id, message.cohort_id), (activity.pk, self.cohort_a.pk))
        self.assertNotIn(activity.title, message.body)
        self.client.force_login(self.carol)
        self.assertContains(self.client.get(thread_url(self.alice)), activity.title)

    def test_ask_is_for_a_learner_with_a_coach_and_their_own_activity(self) -> None:
        activity = self.first_activity()
        url = reverse("talk:ask", args=[self.cohort_a.public_id, activity.public_id])
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(url).status_code, 403)  # not a learner here
        self.client.force_login(self.dave)  # cohort B: not his cohort
        self.assertEqual(self.client.get(url).status_code, 404)
        own = reverse("talk:ask", args=[self.cohort_b.public_id, activity.public_id])
        self.assertEqual(self.client.get(own).status_code, 404)  # his seat has no coach
        page = self.client.get(
            reverse("cohorts:activity", args=[self.cohort_b.public_id, activity.public_id])
        )
        self.assertNotContains(page, "Ask my coach")
        # A tampered activity in a POST is refused and nothing is sent; the text stays in the
        # box, without the link, to send as it is.
        self.client.force_login(self.alice)
        other = self.second_program.weeks.first().activities.first()
        for cohort, about in (
            (self.cohort_a.public_id, other.public_id),
            (self.cohort_b.public_id, activity.public_id),  # not her cohort
            (uuid.uuid4(), uuid.uuid4()),  # gone, or never was
        ):
            response = self.client.post(
                thread_url(self.carol),
                {
                    "body": "What did you mean by holding the silence?",
                    "activity": about,
                    "cohort": cohort,
                },
            )
            self.assertContains(
                response, "not one of yours with this coach any more", status_code=400
            )
            self.assertContains(
                response, "What did you mean by holding the silence?", status_code=400
            )
            self.assertNotContains(response, f'value="{about}"', status_code=400)
            self.assertFalse(Message.objects.exists())


class ThreadQueryCountTests(CoachingTestCase):
    def fill(self, count: int) -> None:
        conversation = send(self.alice, self.carol, "first", files=(checked(),)).conversation
        start = timezone.now() - timedelta(days=1)
        Message.objects.bulk_create(
            Message(
                conversation=conversation,
                organization=self.org,
                author=self.alice if i % 2 else self.carol,
                body=f"Message {i}",
                created_at=start + timedelta(seconds=i),
            )
            for i in range(count - 1)
        )

    def count(self, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(captured)

    def test_a_thread_of_5_and_of_500_messages_makes_the_same_queries(self) -> None:
        self.client.force_login(self.carol)
        url = thread_url(self.alice)
        self.fill(5)
        self.client.get(url)  # marks read once
        few = self.count(url)
        self.fill(495)
        self.client.get(url)
        many = self.count(url)
        self.assertEqual(few, many)
        # 1 the user with her membership; 2 her own coaches (none); 3 the learner's seat naming
        # her as coach; 4 the conversation; 5 the page's count; 6 the page of messages with
        # authors and activities; 7 their attachments; 8 the pair's sessions.
        with self.assertNumQueries(8):
            response = self.client.get(url + "?page=2")
        self.assertContains(response, "Earlier messages")
        self.assertContains(response, "Later messages")

    def test_a_coach_finds_each_learner_under_their_cohort(self) -> None:
        """Found in the demo: two learners called Jack Wilson, in two cohorts, were two identical
        "Write to Jack Wilson" links in one flat list of every learner."""
        namesake = make_user(self.org, "alice.two@northwind.example", name=self.alice.full_name)
        enroll(namesake, cohort=self.cohort_b, coach=self.carol)
        self.client.force_login(self.carol)
        html = self.client.get(reverse("talk:inbox")).content.decode()
        # Each "Write to" link stands in the section under its own cohort's heading.
        sections = {
            part.split("</h3>", 1)[0]: part for part in html.split("<h3>")[1:] if "</h3>" in part
        }
        self.assertIn(thread_url(self.alice), sections[self.cohort_a.name])
        self.assertNotIn(thread_url(namesake), sections[self.cohort_a.name])
        self.assertIn(thread_url(namesake), sections[self.cohort_b.name])
        self.assertNotIn(thread_url(self.alice), sections[self.cohort_b.name])

    def test_the_inbox_makes_the_same_queries_whatever_the_conversations(self) -> None:
        self.client.force_login(self.carol)
        send(self.alice, self.carol)
        few = self.count(reverse("talk:inbox"))
        send(self.bob, self.carol)
        send(self.fay, self.carol)
        self.assertEqual(self.count(reverse("talk:inbox")), few)


class PersonalDataTests(CoachingTestCase):
    def section(self, user, key: str) -> list[dict]:
        export = build_export(user)
        return next(s["items"] for s in export["sections"] if s["key"] == key)

    def test_messages_are_in_the_learners_export_only(self) -> None:
        send(self.alice, self.carol, SECRET, files=(checked("my plan.pdf"),))
        send(self.carol, self.alice, "Thank you for telling me")
        items = self.section(self.alice, "coaching_messages")
        self.assertEqual([i["text"] for i in items], [SECRET, "Thank you for telling me"])
        self.assertEqual(items[0]["files"], [{"name": "my plan.pdf", "bytes": len(PDF)}])
        self.assertEqual(items[1]["from"], "Carol")
        self.assertEqual(self.section(self.carol, "coaching_messages"), [])
        self.assertNotIn(SECRET, str(build_export(self.carol)))
        self.assertEqual(self.section(self.bob, "coaching_messages"), [])

    def test_erasure_deletes_the_conversation_and_its_files(self) -> None:
        message = send(self.alice, self.carol, SECRET, files=(checked(),))
        path = Path(settings.MEDIA_ROOT, message.attachments.get().file.name)
        send(self.bob, self.carol, "Bob's")
        self.assertTrue(path.exists())
        erase_person(self.alice)
        self.assertEqual(list(Message.objects.values_list("body", flat=True)), ["Bob's"])
        self.assertFalse(Attachment.objects.exists())
        erase_person(self.carol)
        self.assertFalse(Conversation.objects.exists())

    def test_the_files_leave_the_disk_once_the_erasure_commits(self) -> None:
        message = send(self.alice, self.carol, SECRET, files=(checked(),))
        path = Path(settings.MEDIA_ROOT, message.attachments.get().file.name)
        with self.captureOnCommitCallbacks(execute=True):
            erase_messages(self.alice)
        self.assertFalse(path.exists())
