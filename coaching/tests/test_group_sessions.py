"""Circle sessions: a coach schedules a session with a circle they coach; every member gets an
iTIP invite at a real SMTP server (one event, every member an ATTENDEE, checked by `icalendar`
and Debian's libical); moving and cancelling update everyone; the invite follows the circle
(a leaver gets a CANCEL naming only them, a joiner a REQUEST); nobody has two sessions at
once; outsiders get 404, members 403 on the coach's forms; bad input is a 400 that keeps what
was typed and changes nothing."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.tests.test_emails import parse, parts, smtp_server
from circles.actions import move_person
from circles.models import CircleMember
from circles.roster import load_people
from coaching import actions
from coaching.access import free_slots
from coaching.models import Booking, GroupInvitee, GroupSession
from coaching.personal_data import erase_group_sessions, export_group_sessions
from coaching.tests.base import CoachingTestCase, open_every_day
from coaching.tests.test_invites import calendar_part, event_of, libical
from cohorts.actions import enroll
from events.models import Event, ObjectType, Verb
from organizations.models import Role
from rapport.testing import make_circle, make_cohort, make_user

LONDON = ZoneInfo("Europe/London")


def london(days: int, hour: int, minute: int = 0) -> datetime:
    """`days` from today at a London wall-clock time, as an aware datetime."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


class GroupSessionTestCase(CoachingTestCase):
    """Carol coaches Circle Lisbon (alice, bob) and Circle Nairobi (fay)."""

    def schedule(self, *, days: int = 3, hour: int = 15, minutes: int = 60, circle=None):
        self.client.force_login(self.carol)
        circle = circle or self.circle_a
        return self.client.post(
            reverse("coaching:group_new"),
            {
                "circle": str(circle.public_id),
                "day": (timezone.localdate() + timedelta(days=days)).isoformat(),
                "start_time": f"{hour:02d}:00",
                "minutes": str(minutes),
                "video_url": "https://meet.example.com/lisbon",
            },
        )

    def schedule_now(self, *, days: int = 3, hour: int = 15, minutes: int = 60) -> GroupSession:
        starts_at = london(days, hour)
        return actions.schedule_group_session(
            self.carol,
            circle=self.circle_a,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            video_url="",
            now=timezone.now(),
        ).session


@override_settings(RAPPORT_SITE_URL="https://rapport.example.com")
class GroupInviteTests(GroupSessionTestCase):
    def test_every_member_and_the_coach_get_one_event_naming_every_member(self) -> None:
        with smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            response = self.schedule()
        session = GroupSession.objects.get()
        self.assertRedirects(response, reverse("coaching:group_session", args=[session.public_id]))
        self.assertEqual(session.starts_at, london(3, 15))
        recipients = sorted(parse(raw)["To"] for raw in inbox.messages)
        self.assertEqual(
            recipients,
            ["alice@northwind.example", "bob@northwind.example", "carol@northwind.example"],
        )
        for raw in inbox.messages:
            method, ics = calendar_part(raw)
            calendar, event = event_of(ics)
            self.assertEqual((method, str(calendar["METHOD"])), ("REQUEST", "REQUEST"))
            self.assertEqual((str(event["UID"]), int(event["SEQUENCE"])), (session.ical_uid, 0))
            self.assertEqual(str(event["ORGANIZER"]), "mailto:carol@northwind.example")
            attendees = sorted(str(a) for a in event["ATTENDEE"])
            self.assertEqual(
                attendees, ["mailto:alice@northwind.example", "mailto:bob@northwind.example"]
            )
            self.assertEqual(event.decoded("DTSTART"), session.starts_at)
            self.assertIn("Circle Lisbon", str(event["SUMMARY"]))
            verdict = libical(ics)
            self.assertEqual(verdict, {**verdict, "parsed": True, "itip_ok": True, "errors": []})
        # Each reads the time in their own zone: bob in Tokyo.
        bob = next(parse(r) for r in inbox.messages if parse(r)["To"] == "bob@northwind.example")
        tokyo = session.starts_at.astimezone(ZoneInfo("Asia/Tokyo"))
        self.assertIn(f"{tokyo:%H:%M}", parts(bob)[0])
        self.assertIn("Asia/Tokyo", parts(bob)[0])
        # One event, the circle's, with no time and no text.
        event = Event.objects.get(verb=Verb.SCHEDULED, object_id=session.public_id)
        self.assertEqual((event.actor_id, event.object_type), (self.carol.pk, "coaching_session"))
        self.assertEqual(
            (event.grouping_type, event.grouping_id), (ObjectType.CIRCLE, self.circle_a.public_id)
        )
        # A double click schedules one session and sends nothing more.
        with smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            self.schedule()
        self.assertEqual((GroupSession.objects.count(), len(inbox.messages)), (1, 0))

    def test_moving_and_cancelling_update_everyone(self) -> None:
        session = self.schedule_now()
        self.client.force_login(self.carol)
        with smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("coaching:group_change", args=[session.public_id]),
                {
                    "day": (timezone.localdate() + timedelta(days=4)).isoformat(),
                    "start_time": "16:00",
                    "minutes": "45",
                    "video_url": "",
                },
            )
        self.assertEqual(response.status_code, 302)
        session.refresh_from_db()
        self.assertEqual((session.starts_at, session.minutes), (london(4, 16), 45))
        self.assertEqual(len(inbox.messages), 3)
        for raw in inbox.messages:
            _method, ics = calendar_part(raw)
            _calendar, event = event_of(ics)
            self.assertEqual((str(event["UID"]), int(event["SEQUENCE"])), (session.ical_uid, 1))
            self.assertEqual(event.decoded("DTSTART"), london(4, 16))
            self.assertTrue(libical(ics)["itip_ok"])

        with smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("coaching:group_cancel", args=[session.public_id]))
            self.client.post(reverse("coaching:group_cancel", args=[session.public_id]))
        self.assertEqual(len(inbox.messages), 3)  # the second click sends nothing
        for raw in inbox.messages:
            self.assertIn("Cancelled", parse(raw)["Subject"])
            method, ics = calendar_part(raw)
            _calendar, event = event_of(ics)
            self.assertEqual((method, str(event["STATUS"])), ("CANCEL", "CANCELLED"))
            self.assertEqual(int(event["SEQUENCE"]), 2)
            self.assertEqual(len(event["ATTENDEE"]), 2)
            verdict = libical(ics)
            self.assertEqual((verdict["itip_ok"], verdict["method"]), (True, "CANCEL"))
        self.client.force_login(self.alice)
        self.assertNotContains(self.client.get(reverse("coaching:sessions")), "Circle session")

    def test_a_member_who_leaves_gets_a_cancel_and_a_joiner_an_invite(self) -> None:
        session = self.schedule_now()
        people = load_people(self.cohort_a)
        with smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            # bob moves to Circle Nairobi; fay moves to Circle Lisbon.
            move_person(
                self.cohort_a,
                person=people[self.bob.pk],
                to=self.circle_a2,
                by=self.adam,
                people=people,
            )
            move_person(
                self.cohort_a,
                person=people[self.fay.pk],
                to=self.circle_a,
                by=self.adam,
                people=people,
            )
        by_person = {parse(raw)["To"]: raw for raw in inbox.messages}
        self.assertEqual(set(by_person), {"bob@northwind.example", "fay@northwind.example"})
        method, ics = calendar_part(by_person["bob@northwind.example"])
        _calendar, event = event_of(ics)
        self.assertEqual(method, "CANCEL")
        self.assertEqual(str(event["ATTENDEE"]), "mailto:bob@northwind.example")
        self.assertEqual(str(event["UID"]), session.ical_uid)
        self.assertTrue(libical(ics)["itip_ok"])
        self.assertIn(
            "no longer in Circle Lisbon", parts(parse(by_person["bob@northwind.example"]))[0]
        )
        method, ics = calendar_part(by_person["fay@northwind.example"])
        _calendar, event = event_of(ics)
        self.assertEqual(method, "REQUEST")
        attendees = sorted(str(a) for a in event["ATTENDEE"])
        self.assertEqual(
            attendees, ["mailto:alice@northwind.example", "mailto:fay@northwind.example"]
        )
        session.refresh_from_db()
        self.assertEqual(int(event["SEQUENCE"]), session.sequence)
        self.assertGreater(session.sequence, 0)
        # bob no longer sees it; fay does.
        url = reverse("coaching:group_session", args=[session.public_id])
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.fay)
        self.assertContains(self.client.get(url), "Circle Lisbon")
        # Running the reconciliation again tells nobody twice.
        with smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(
                actions.sync_group_sessions_of([self.bob.pk, self.fay.pk], now=timezone.now()), 0
            )
        self.assertEqual(inbox.messages, [])

    def test_a_member_removed_from_the_circle_gets_a_cancel(self) -> None:
        session = self.schedule_now()
        with smtp_server() as inbox, self.captureOnCommitCallbacks(execute=True):
            CircleMember.objects.filter(circle=self.circle_a, user=self.alice).delete()
        self.assertEqual([parse(raw)["To"] for raw in inbox.messages], ["alice@northwind.example"])
        self.assertEqual(calendar_part(inbox.messages[0])[0], "CANCEL")
        invite = GroupInvitee.objects.get(session=session, user=self.alice)
        self.assertIsNotNone(invite.removed_at)


class OverlapTests(GroupSessionTestCase):
    """Nobody has two sessions at once: a 1:1 beside a circle session, 1:1s with two coaches,
    a circle session over a member's 1:1."""

    def setUp(self) -> None:
        super().setUp()
        # Alice has a second coach, Gina, free at the same London hours as carol.
        self.gina = make_user(self.org, "gina@northwind.example", role=Role.COACH)
        cohort = make_cohort(self.program, name="Cohort G")
        enroll(self.gina, cohort=cohort, role="coach")
        enroll(self.alice, cohort=cohort, coach=self.gina)
        open_every_day(self.gina)

    def slot_at(self, learner, coach, starts_at: datetime):
        slots = free_slots(learner, coach, now=timezone.now())
        return slots, next(s for s in slots if s.starts_at == starts_at)

    def test_a_learner_cannot_book_two_coaches_at_once(self) -> None:
        slots, slot = self.slot_at(self.alice, self.carol, london(2, 9))
        actions.book_session(
            self.alice, coach=self.carol, starts_at=slot.starts_at, slots=slots, now=timezone.now()
        )
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("coaching:book_slot", args=[self.gina.public_id]),
            {"starts_at": london(2, 9, 30).isoformat()},
        )
        # 09:30 is not on gina's 45-minute grid; 09:00 is, and overlaps carol's 09:00-09:45.
        self.assertEqual(response.status_code, 400)
        response = self.client.post(
            reverse("coaching:book_slot", args=[self.gina.public_id]),
            {"starts_at": london(2, 9).isoformat()},
        )
        self.assertContains(response, "You already have a session then", status_code=400)
        self.assertContains(response, "09:00\u201309:45 (Europe/London)", status_code=400)
        self.assertFalse(Booking.objects.filter(coach=self.gina).exists())
        # The next slot, 09:45, touches but does not overlap: booked.
        slots, slot = self.slot_at(self.alice, self.gina, london(2, 9, 45))
        actions.book_session(
            self.alice, coach=self.gina, starts_at=slot.starts_at, slots=slots, now=timezone.now()
        )

    def test_a_learner_cannot_book_a_1to1_over_their_circle_session(self) -> None:
        self.schedule_now(days=2, hour=9, minutes=60)  # carol with Circle Lisbon, 09:00-10:00
        # Carol's own 09:00 and 09:45 slots are gone (she is busy), for every learner.
        times = [s.starts_at for s in free_slots(self.fay, self.carol, now=timezone.now())]
        self.assertNotIn(london(2, 9), times)
        self.assertNotIn(london(2, 9, 45), times)
        self.assertIn(london(2, 10, 30), times)
        # Gina is free at 09:45, but alice is in the circle session until 10:00.
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("coaching:book_slot", args=[self.gina.public_id]),
            {"starts_at": london(2, 9, 45).isoformat()},
        )
        self.assertContains(response, "You already have a session then", status_code=400)
        self.assertFalse(Booking.objects.exists())
        # Bob is not in gina's cohort, and fay is in another circle: fay may book carol at 10:30.
        slots, slot = self.slot_at(self.fay, self.carol, london(2, 10, 30))
        actions.book_session(
            self.fay, coach=self.carol, starts_at=slot.starts_at, slots=slots, now=timezone.now()
        )

    def test_a_circle_session_over_a_members_1to1_is_refused(self) -> None:
        slots, slot = self.slot_at(self.alice, self.gina, london(2, 9))
        actions.book_session(
            self.alice, coach=self.gina, starts_at=slot.starts_at, slots=slots, now=timezone.now()
        )
        with self.captureOnCommitCallbacks(execute=True):
            response = self.schedule(days=2, hour=9)
        self.assertContains(
            response, "Someone in this circle already has a session at that time", status_code=400
        )
        self.assertNotContains(response, "Alice", status_code=400)  # never who
        self.assertContains(response, 'value="09:00"', status_code=400)  # what was typed stays
        self.assertFalse(GroupSession.objects.exists())
        # The coach's own 1:1 at that time: refused, naming the time.
        slots, slot = self.slot_at(self.fay, self.carol, london(2, 11, 15))
        actions.book_session(
            self.fay, coach=self.carol, starts_at=slot.starts_at, slots=slots, now=timezone.now()
        )
        response = self.schedule(days=2, hour=11)
        self.assertContains(response, "You already have a session then", status_code=400)
        self.assertFalse(GroupSession.objects.exists())


class GroupPageTests(GroupSessionTestCase):
    def test_members_and_the_coach_see_it_and_nobody_else(self) -> None:
        session = self.schedule_now()
        url = reverse("coaching:group_session", args=[session.public_id])
        for person in (self.alice, self.bob, self.carol):
            self.client.force_login(person)
            self.assertContains(self.client.get(url), "Circle session · Circle Lisbon")
            self.assertContains(self.client.get(reverse("coaching:sessions")), url)
        for person in (self.fay, self.dave, self.erin, self.adam, self.dora, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get(url).status_code, 404, person)
            self.assertNotContains(self.client.get(reverse("coaching:sessions")), url)
        tampered = reverse("coaching:group_session", args=[self.circle_a.public_id])
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(tampered).status_code, 404)

    def test_members_cannot_change_or_cancel_it(self) -> None:
        session = self.schedule_now()
        self.client.force_login(self.alice)
        change = reverse("coaching:group_change", args=[session.public_id])
        cancel = reverse("coaching:group_cancel", args=[session.public_id])
        self.assertEqual(self.client.post(change, {}).status_code, 403)
        self.assertEqual(self.client.post(cancel).status_code, 403)
        self.client.force_login(self.dave)
        self.assertEqual(self.client.post(cancel).status_code, 404)
        session.refresh_from_db()
        self.assertTrue(session.is_active)

    def test_only_coaches_schedule_and_only_with_their_own_circles(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("coaching:group_new")).status_code, 403)
        other_coach = make_user(self.org, "hal@northwind.example", role=Role.COACH)
        other_circle = make_circle(self.cohort_b, [], name="Circle Quito", coach=other_coach)
        response = self.schedule(circle=other_circle)
        self.assertContains(response, "Select a valid choice", status_code=400)
        self.assertFalse(GroupSession.objects.exists())

    def test_bad_times_are_refused_with_the_form_kept(self) -> None:
        self.client.force_login(self.carol)
        cases = [
            ({"day": "2020-01-01", "start_time": "10:00"}, "already passed"),
            ({"day": "not a day", "start_time": "10:00"}, "Enter a valid date"),
            ({"start_time": "25:00"}, "Enter a valid time"),
            ({"minutes": "7"}, "Select a valid choice"),
            ({"video_url": "javascript:alert(1)"}, "Enter a valid URL"),
        ]
        for change, message in cases:
            data = {
                "circle": str(self.circle_a.public_id),
                "day": (timezone.localdate() + timedelta(days=3)).isoformat(),
                "start_time": "15:00",
                "minutes": "60",
                "video_url": "",
                **change,
            }
            response = self.client.post(reverse("coaching:group_new"), data)
            self.assertContains(response, message, status_code=400)
        self.assertFalse(GroupSession.objects.exists())

    def test_a_wall_clock_time_the_clocks_skip_is_refused(self) -> None:
        # Carol is in Europe/London: 01:30 on the last Sunday of March does not exist.
        year = timezone.localdate().year + 1
        last_sunday = max(
            datetime(year, 3, day).date()
            for day in range(25, 32)
            if datetime(year, 3, day).weekday() == 6
        )
        self.client.force_login(self.carol)
        response = self.client.post(
            reverse("coaching:group_new"),
            {
                "circle": str(self.circle_a.public_id),
                "day": last_sunday.isoformat(),
                "start_time": "01:30",
                "minutes": "60",
            },
        )
        self.assertContains(response, "does not exist on that day", status_code=400)

    def test_the_page_makes_a_fixed_number_of_queries(self) -> None:
        session = self.schedule_now()
        url = reverse("coaching:group_session", args=[session.public_id])
        self.client.force_login(self.carol)
        self.client.get(url)
        # 1 the user with her membership; 2 the session with circle, cohort and coach; 3 the
        # circle's members with their accounts.
        with self.assertNumQueries(3):
            self.client.get(url)
        for index in range(30):
            person = make_user(self.org, f"member{index}@northwind.example")
            enroll(person, cohort=self.cohort_a, coach=self.carol)
            CircleMember.objects.create(
                circle=self.circle_a, user=person, enrollment=person.enrollments.get()
            )
        with self.assertNumQueries(3):
            response = self.client.get(url)
        self.assertContains(response, "Member29")

    def test_my_sessions_stays_at_a_fixed_number_of_queries_with_circle_sessions(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("coaching:sessions")
        self.schedule_now(days=2)
        # test_pages.MySessionsTests names the 10 queries.
        with self.assertNumQueries(10):
            self.client.get(url)
        for days in range(3, 9):
            self.schedule_now(days=days)
        with self.assertNumQueries(10):
            response = self.client.get(url)
        self.assertContains(response, 'data-testid="session-group"', count=7)


class GroupPersonalDataTests(GroupSessionTestCase):
    def test_export_and_erasure(self) -> None:
        session = self.schedule_now()
        [row] = export_group_sessions(self.alice)
        self.assertEqual((row["role"], row["circle"]), ("member", "Circle Lisbon"))
        [row] = export_group_sessions(self.carol)
        self.assertEqual(row["role"], "coach")
        self.assertEqual(export_group_sessions(self.fay), [])
        self.assertEqual(erase_group_sessions(self.alice), 1)
        self.assertTrue(GroupSession.objects.filter(pk=session.pk).exists())
        self.assertGreaterEqual(erase_group_sessions(self.carol), 1)
        self.assertFalse(GroupSession.objects.exists())
