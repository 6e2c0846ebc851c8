"""Booking, moving and cancelling through the pages: who may, and what bad input gets (a clear
message, nothing changed, never a 500)."""

import uuid
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from coaching import actions
from coaching.access import free_slots
from coaching.models import Booking, BookingStatus
from coaching.tests.base import CoachingTestCase
from events.models import Event, ObjectType, Verb


class BookingPageTests(CoachingTestCase):
    def test_a_learner_books_a_free_slot_of_her_coach(self) -> None:
        self.client.force_login(self.alice)
        page = self.client.get(reverse("coaching:book"))
        self.assertContains(page, "With Carol")
        slot = free_slots(self.alice, self.carol, now=timezone.now())[0]
        response = self.client.post(
            reverse("coaching:book_slot", args=[self.carol.public_id]),
            {"starts_at": slot.starts_at.isoformat()},
        )
        booking = Booking.objects.get()
        self.assertRedirects(response, reverse("coaching:session", args=[booking.public_id]))
        self.assertEqual((booking.learner, booking.coach), (self.alice, self.carol))
        self.assertEqual(booking.starts_at, slot.starts_at)
        self.assertEqual(booking.video_url, "https://meet.example.com/carol")
        event = Event.objects.get(verb=Verb.SCHEDULED)
        self.assertEqual(
            (event.actor, event.object_type), (self.alice, ObjectType.COACHING_SESSION)
        )
        self.assertEqual(event.object_id, booking.public_id)
        self.assertEqual(event.result, {})

    def test_a_double_click_books_once(self) -> None:
        self.client.force_login(self.alice)
        slot = free_slots(self.alice, self.carol, now=timezone.now())[0]
        url = reverse("coaching:book_slot", args=[self.carol.public_id])
        first = self.client.post(url, {"starts_at": slot.starts_at.isoformat()})
        second = self.client.post(url, {"starts_at": slot.starts_at.isoformat()})
        self.assertEqual(first.status_code, 302)
        self.assertEqual(second["Location"], first["Location"])
        self.assertEqual(Booking.objects.count(), 1)
        self.assertEqual(Event.objects.filter(verb=Verb.SCHEDULED).count(), 1)

    def test_a_taken_slot_is_refused_with_a_message_and_gone_from_the_list(self) -> None:
        taken = self.book(self.bob)
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("coaching:book_slot", args=[self.carol.public_id]),
            {"starts_at": taken.starts_at.isoformat()},
        )
        self.assertContains(response, "no longer free", status_code=400)
        self.assertNotContains(response, f'value="{taken.starts_at.isoformat()}"', status_code=400)
        self.assertEqual(Booking.objects.count(), 1)

    def test_bad_times_are_refused_with_a_message(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("coaching:book_slot", args=[self.carol.public_id])
        now = timezone.now()
        past = (now - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
        not_a_slot = (now + timedelta(days=3)).replace(hour=3, minute=7, second=0, microsecond=0)
        for value, message in (
            ("", "This field is required"),
            ("next tuesday", "not a time from the list"),
            ("2026-13-45T99:00", "not a time from the list"),
            (past.replace(tzinfo=None).isoformat(), "not a time from the list"),  # no zone
            (past.isoformat(), "already passed"),
            (not_a_slot.isoformat(), "no longer free"),
        ):
            response = self.client.post(url, {"starts_at": value})
            self.assertContains(response, message, status_code=400, msg_prefix=value)
        self.assertFalse(Booking.objects.exists())
        self.assertFalse(Event.objects.filter(verb=Verb.SCHEDULED).exists())

    def test_another_coachs_slots_and_tampered_ids_are_404(self) -> None:
        self.client.force_login(self.dave)  # cohort B, no coach
        slot = free_slots(self.alice, self.carol, now=timezone.now())[0]
        for coach_id in (self.carol.public_id, uuid.uuid4(), self.bob.public_id):
            response = self.client.post(
                reverse("coaching:book_slot", args=[coach_id]),
                {"starts_at": slot.starts_at.isoformat()},
            )
            self.assertEqual(response.status_code, 404)
        self.assertFalse(Booking.objects.exists())
        self.assertContains(self.client.get(reverse("coaching:book")), "No coach yet")

    def test_a_learner_never_sees_another_learners_booking(self) -> None:
        booking = self.book(self.bob)
        url = reverse("coaching:session", args=[booking.public_id])
        for person in (self.alice, self.fay, self.dave, self.adam, self.dora, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get(url).status_code, 404, person)
            self.assertEqual(self.client.post(url + "cancel/").status_code, 404, person)
            sessions = self.client.get(reverse("coaching:sessions"))
            self.assertNotContains(sessions, "Coaching session with")
        for person in (self.bob, self.carol):
            self.client.force_login(person)
            self.assertEqual(self.client.get(url).status_code, 200)
            self.assertContains(
                self.client.get(reverse("coaching:sessions")), "Coaching session with"
            )


class MoveAndCancelTests(CoachingTestCase):
    def test_either_side_moves_the_session_and_its_sequence_grows(self) -> None:
        booking = self.book(self.alice)
        for person in (self.alice, self.carol):
            self.client.force_login(person)
            slots = free_slots(person, self.carol, now=timezone.now(), ignore=booking)
            target = next(s for s in slots if s.starts_at != booking.starts_at)
            response = self.client.post(
                reverse("coaching:move", args=[booking.public_id]),
                {"starts_at": target.starts_at.isoformat()},
            )
            self.assertEqual(response.status_code, 302)
            before = booking.sequence
            booking.refresh_from_db()
            self.assertEqual(booking.starts_at, target.starts_at)
            self.assertEqual(booking.sequence, before + 1)
        moves = Event.objects.filter(verb=Verb.RESCHEDULED).order_by("pk")
        self.assertEqual([e.actor for e in moves], [self.alice, self.carol])

    def test_moving_onto_a_taken_slot_changes_nothing(self) -> None:
        mine = self.book(self.alice, 0)
        bobs = self.book(self.bob, 0)
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("coaching:move", args=[mine.public_id]),
            {"starts_at": bobs.starts_at.isoformat()},
        )
        self.assertContains(response, "not free", status_code=400)
        fresh = Booking.objects.get(pk=mine.pk)
        self.assertEqual((fresh.starts_at, fresh.sequence), (mine.starts_at, 0))

    def test_either_side_cancels_once_and_a_cancelled_session_cannot_move(self) -> None:
        booking = self.book(self.alice)
        self.client.force_login(self.carol)
        url = reverse("coaching:cancel", args=[booking.public_id])
        self.assertRedirects(self.client.post(url), reverse("coaching:sessions"))
        self.assertRedirects(self.client.post(url), reverse("coaching:sessions"))
        booking.refresh_from_db()
        self.assertEqual((booking.status, booking.sequence), (BookingStatus.CANCELLED, 1))
        self.assertEqual(booking.cancelled_by, self.carol)
        cancelled = Event.objects.get(verb=Verb.CANCELLED)  # once, though clicked twice
        self.assertEqual(cancelled.actor, self.carol)
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("coaching:move", args=[booking.public_id]),
            {"starts_at": booking.starts_at.isoformat()},
        )
        self.assertEqual(response.status_code, 403)
        # The freed slot can be booked again.
        self.assertEqual(self.book(self.bob, 0).starts_at, booking.starts_at)

    def test_a_session_that_is_over_cannot_be_cancelled(self) -> None:
        booking = self.book(self.alice)
        with self.assertRaises(actions.BookingRefused):
            actions.cancel_session(booking, by=self.alice, now=booking.ends_at + timedelta(1))


class VideoLinkTests(CoachingTestCase):
    def test_the_coach_changes_the_link_and_the_learner_may_not(self) -> None:
        booking = self.book(self.alice)
        url = reverse("coaching:video_link", args=[booking.public_id])
        new = {"video_url": "https://video.example.org/carol-and-alice"}
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(url, new).status_code, 403)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.post(url, new).status_code, 404)
        self.client.force_login(self.carol)
        self.assertRedirects(
            self.client.post(url, new), reverse("coaching:session", args=[booking.public_id])
        )
        self.client.post(url, new)  # the same link again changes nothing
        booking.refresh_from_db()
        self.assertEqual((booking.video_url, booking.sequence), (new["video_url"], 1))
        self.client.force_login(self.alice)
        page = self.client.get(reverse("coaching:session", args=[booking.public_id]))
        self.assertContains(page, new["video_url"])
        self.assertNotContains(page, "Save the video link")

    def test_a_bad_link_is_refused_and_kept_in_the_field(self) -> None:
        booking = self.book(self.alice)
        self.client.force_login(self.carol)
        for value in ("javascript:alert(1)", "not a link at all", "https://" + "a" * 600):
            response = self.client.post(
                reverse("coaching:video_link", args=[booking.public_id]), {"video_url": value}
            )
            self.assertContains(response, "Enter a valid URL", status_code=400, msg_prefix=value)
        booking.refresh_from_db()
        self.assertEqual(
            (booking.video_url, booking.sequence), ("https://meet.example.com/carol", 0)
        )


class AvailabilityPageTests(CoachingTestCase):
    def test_only_coaches_open_it(self) -> None:
        url = reverse("coaching:availability")
        for person, status in ((self.carol, 200), (self.alice, 403), (self.adam, 403)):
            self.client.force_login(person)
            self.assertEqual(self.client.get(url).status_code, status, person)

    def test_an_overlapping_block_is_refused_and_the_typed_values_stay(self) -> None:
        self.client.force_login(self.carol)
        count = self.carol.availability.count()
        response = self.client.post(
            reverse("coaching:availability"),
            {
                "weekday": "1",
                "start_time": "11:30",
                "end_time": "13:00",
                "slot_minutes": "30",
                "starts_on": timezone.now().date().isoformat(),
                "video_url": "https://video.example.org/room-7",
            },
        )
        self.assertContains(response, "This overlaps your availability on Tuesday", status_code=400)
        self.assertContains(response, "https://video.example.org/room-7", status_code=400)
        self.assertEqual(self.carol.availability.count(), count)

    def test_bad_blocks_get_a_message_each(self) -> None:
        self.client.force_login(self.carol)
        today = timezone.now().date()
        base = {"weekday": "1", "slot_minutes": "60", "starts_on": today.isoformat()}
        cases = [
            ({"start_time": "14:00", "end_time": "13:00"}, "must end after it starts"),
            ({"start_time": "14:00", "end_time": "14:30"}, "shorter than one session"),
            (
                {"start_time": "14:00", "end_time": "16:00", "ends_on": "2000-01-01"},
                "cannot be before the first day",
            ),
            ({"start_time": "25:00", "end_time": "16:00"}, "Enter a valid time"),
            ({"start_time": "14:00", "end_time": "16:00", "weekday": "9"}, "Select a valid"),
        ]
        for extra, message in cases:
            response = self.client.post(reverse("coaching:availability"), base | extra)
            self.assertContains(response, message, status_code=400, msg_prefix=str(extra))
        self.assertEqual(self.carol.availability.count(), 7)

    def test_a_block_on_another_day_is_added_in_the_coachs_zone(self) -> None:
        self.carol.availability.filter(weekday=2).delete()
        self.client.force_login(self.carol)
        response = self.client.post(
            reverse("coaching:availability"),
            {
                "weekday": "2",
                "start_time": "14:00",
                "end_time": "16:00",
                "slot_minutes": "60",
                "starts_on": timezone.now().date().isoformat(),
            },
        )
        self.assertRedirects(response, reverse("coaching:availability"))
        block = self.carol.availability.get(weekday=2)
        self.assertEqual(block.time_zone, "Europe/London")

    def test_a_day_off_removes_that_days_slots_and_can_be_removed(self) -> None:
        self.client.force_login(self.carol)
        day = timezone.now().date() + timedelta(days=3)
        self.client.post(reverse("coaching:add_day_off"), {"day": day.isoformat()})
        self.client.post(reverse("coaching:add_day_off"), {"day": day.isoformat()})  # twice
        self.assertEqual(self.carol.days_off.count(), 1)
        slots = free_slots(self.alice, self.carol, now=timezone.now())
        self.assertNotIn(day, {s.starts_at.date() for s in slots})
        past = self.client.post(
            reverse("coaching:add_day_off"), {"day": (day - timedelta(days=30)).isoformat()}
        )
        self.assertContains(past, "That day has passed", status_code=400)
        day_off = self.carol.days_off.get()
        self.client.force_login(self.alice)  # sees it (her coach's), may not remove it
        url = reverse("coaching:remove_day_off", args=[day_off.public_id])
        self.assertEqual(self.client.post(url).status_code, 403)
        self.client.force_login(self.dave)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.carol)
        self.assertRedirects(self.client.post(url), reverse("coaching:availability"))
        self.assertFalse(self.carol.days_off.exists())

    def test_removing_a_block_is_the_coachs_alone(self) -> None:
        block = self.blocks[0]
        url = reverse("coaching:remove_availability", args=[block.public_id])
        for person, status in ((self.alice, 403), (self.dave, 404), (self.oscar, 404)):
            self.client.force_login(person)
            self.assertEqual(self.client.post(url).status_code, status)
        self.client.force_login(self.carol)
        self.client.post(url)
        self.assertEqual(self.carol.availability.count(), 6)
