"""Coaching in a person's export and erasure (accounts.personal_data): their own sessions and
availability, the other person's name and nothing of anyone else's; gone after erasure."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.erasure import erase_person
from accounts.models import User
from accounts.personal_data import build_export
from coaching.models import Availability, Booking
from coaching.tests.base import CoachingTestCase

SESSION_KEYS = {
    "role", "with", "starts_at", "ends_at", "status", "video_link", "booked_at", "cancelled_at"
}  # fmt: skip
AVAILABILITY_KEYS = {
    "kind", "weekday", "from", "until", "time_zone", "session_minutes", "first_day",
    "last_day", "video_link",
}  # fmt: skip


def section(export: dict, key: str) -> list[dict]:
    return next(s["items"] for s in export["sections"] if s["key"] == key)


class CoachingPersonalDataTests(CoachingTestCase):
    def test_the_export_holds_my_sessions_and_no_one_elses(self) -> None:
        mine = self.book(self.alice, 0)
        self.book(self.bob, 0)
        items = section(build_export(self.alice), "coaching_sessions")
        self.assertEqual(len(items), 1)
        self.assertEqual(set(items[0]), SESSION_KEYS)
        self.assertEqual((items[0]["role"], items[0]["with"]), ("learner", "Carol"))
        self.assertEqual(items[0]["starts_at"], mine.starts_at.isoformat())
        self.assertNotIn("Bob", str(items))
        coach_items = section(build_export(self.carol), "coaching_sessions")
        self.assertEqual([i["role"] for i in coach_items], ["coach", "coach"])
        blocks = section(build_export(self.carol), "coaching_availability")
        self.assertEqual(len(blocks), 7)
        self.assertTrue(all(set(item) == AVAILABILITY_KEYS for item in blocks))
        self.assertEqual(section(build_export(self.alice), "coaching_availability"), [])

    def test_the_export_makes_the_same_queries_whatever_the_number_of_sessions(self) -> None:
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                build_export(User.objects.get(pk=self.carol.pk))
            return len(captured)

        before = queries()
        for index in range(4):
            self.book(self.alice if index % 2 else self.bob, index)
        self.assertEqual(queries(), before)

    def test_erasure_removes_a_learners_sessions_and_a_coachs_availability(self) -> None:
        self.book(self.alice, 0)
        bobs = self.book(self.bob, 0)
        erase_person(self.alice)
        self.assertEqual(list(Booking.objects.all()), [bobs])
        erase_person(self.carol)
        self.assertFalse(Booking.objects.exists())
        self.assertFalse(Availability.objects.exists())


class ErasureCancelsSessionsTests(CoachingTestCase):
    def erase_and_send(self, person: User) -> list[bytes]:
        """Erase `person`, then run the emails queued for after the commit (only those: the
        erasure's WAL checkpoint cannot run inside a test's transaction). Nothing is sent
        before the erasure commits."""
        from functools import partial

        from django.core import mail

        mail.outbox.clear()
        with self.captureOnCommitCallbacks() as callbacks:
            erase_person(User.objects.get(pk=person.pk))
        self.assertEqual(mail.outbox, [])
        for callback in callbacks:
            if isinstance(callback, partial):
                callback()
        return [m.message().as_bytes() for m in mail.outbox]

    def test_the_other_person_gets_a_cancellation_for_each_session_still_ahead(self) -> None:
        from coaching.models import BookingStatus
        from coaching.tests.test_invites import calendar_part, event_of, libical

        ahead = self.book(self.alice, 0)
        cancelled = self.book(self.alice, 1)
        cancelled.status = BookingStatus.CANCELLED
        cancelled.save()
        sent = self.erase_and_send(self.alice)
        self.assertEqual(len(sent), 1)
        self.assertIn(b"carol@northwind.example", sent[0].split(b"\n\n")[0])
        method, ics = calendar_part(sent[0])
        calendar, event = event_of(ics)
        self.assertEqual((method, str(calendar["METHOD"])), ("CANCEL", "CANCEL"))
        self.assertEqual((str(event["UID"]), int(event["SEQUENCE"])), (ahead.ical_uid, 1))
        self.assertEqual(str(event["STATUS"]), "CANCELLED")
        self.assertTrue(libical(ics)["itip_ok"])
        self.assertFalse(Booking.objects.filter(learner=self.alice).exists())
        from django_tasks_db.models import DBTaskResult

        self.assertFalse(DBTaskResult.objects.filter(args_kwargs__icontains="alice@").exists())

    def test_a_coachs_erasure_cancels_each_learners_session_ahead(self) -> None:
        from coaching.tests.test_invites import calendar_part

        self.book(self.alice, 0)
        self.book(self.bob, 1)
        sent = self.erase_and_send(self.carol)
        recipients = sorted(
            b"alice" if b"To: alice@" in raw else b"bob" if b"To: bob@" in raw else b"?"
            for raw in sent
        )
        self.assertEqual(recipients, [b"alice", b"bob"])
        self.assertTrue(all(calendar_part(raw)[0] == "CANCEL" for raw in sent))
