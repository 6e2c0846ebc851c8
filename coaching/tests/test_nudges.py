"""Nudges: a coach's templated message to one learner or a filtered group of their own
learners, previewed, confirmed when the group is small enough to single people out, delivered
through notifications by the periodic job exactly once; each learner reads it with their own
first name and week; nobody else reads it; events and notifications carry no text."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from coaching.models import Nudge, NudgeRecipient, NudgeStatus
from coaching.nudges import render_nudge, stray_braces, unknown_placeholders
from coaching.personal_data import erase_nudges, export_nudges
from coaching.tasks import send_due_nudges
from cohorts.actions import enroll
from events.models import Event, Verb
from notifications.models import Notification, NotificationKind
from rapport.testing import PersonaTestCase, make_user

BODY = "Hi {first_name}, how is {week_title} going? {coach_name}"


class NudgeTestCase(PersonaTestCase):
    """Carol coaches alice, bob and fay in cohort A (week 2)."""

    def post(self, **data):
        self.client.force_login(self.carol)
        return self.client.post(reverse("coaching:nudges"), {"body": BODY, **data})


class NudgeTests(NudgeTestCase):
    def test_placeholders_are_replaced_as_plain_text_and_unknown_ones_refused(self) -> None:
        self.assertEqual(
            render_nudge("{first_name} {x}", {"first_name": "<b>Al</b>"}), "<b>Al</b> {x}"
        )
        self.assertEqual(
            unknown_placeholders("{first_name.__class__} {a} {a}"), ["first_name.__class__", "a"]
        )
        response = self.post(body="Hi {first_name.__class__}", action="preview")
        self.assertContains(response, "is not a placeholder", status_code=400)
        self.assertContains(response, "Hi {first_name.__class__}", status_code=400)  # kept

    def test_a_brace_left_open_or_stray_is_refused_and_the_text_kept(self) -> None:
        self.assertTrue(stray_braces("Hi {first_name"))
        self.assertTrue(stray_braces("Hi first_name}"))
        self.assertTrue(stray_braces("Hi {{first_name}}"))
        self.assertFalse(stray_braces(BODY))
        for body in ("Hi {first_name", "See you } soon"):
            response = self.post(body=body, action="preview")
            self.assertContains(response, "A placeholder is not closed", status_code=400)
            self.assertContains(response, body, status_code=400)  # kept
        self.assertFalse(Nudge.objects.exists())

    def test_learners_of_the_same_name_can_be_told_apart(self) -> None:
        from accounts.models import User
        from coaching.forms import distinct_labels

        namesake = make_user(self.org, "alice2@northwind.example", name=self.alice.full_name)
        enroll(namesake, cohort=self.cohort_a, coach=self.carol)
        self.client.force_login(self.carol)
        page = self.client.get(reverse("coaching:nudges")).content.decode()
        # Same name, same cohort: the email tells them apart.
        self.assertIn(f">{self.alice.full_name} · alice2@northwind.example<", page)
        self.assertIn(f">{self.alice.full_name} · {self.alice.email}<", page)
        self.assertIn(f">{self.bob.full_name}<", page)  # a name nobody shares stays plain
        one, two = User(full_name="Jack Wilson"), User(full_name="Jack Wilson")
        one.coached_in, two.coached_in = ["Cohort 1"], ["Cohort 2"]  # type: ignore[attr-defined]
        self.assertEqual(
            [label for _p, label in distinct_labels([one, two])],
            ["Jack Wilson · Cohort 1", "Jack Wilson · Cohort 2"],
        )

    def test_a_preview_shows_each_learners_text_and_writes_nothing(self) -> None:
        response = self.post(action="preview")
        self.assertContains(response, "Preview: 3 learners")
        self.assertContains(response, "Hi Alice, how is Week 2")
        self.assertContains(response, "Carol")
        self.assertFalse(Nudge.objects.exists())

    def test_a_small_group_needs_the_coachs_confirmation(self) -> None:
        response = self.post(action="send")  # three learners, under the threshold of five
        self.assertContains(response, "may feel singled out", status_code=400)
        self.assertFalse(Nudge.objects.exists())
        response = self.post(action="send", confirm_small="on")
        self.assertRedirects(response, reverse("coaching:nudges"))
        self.assertEqual(NudgeRecipient.objects.count(), 3)
        # One learner chosen by name is not a group: no confirmation asked.
        self.post(action="send", learner=str(self.bob.public_id))
        self.assertEqual(Nudge.objects.count(), 2)

    def test_filters_choose_among_the_coachs_own_learners_only(self) -> None:
        alices = self.alice.enrollments.get()
        alices.completed_count = 5
        alices.save()
        response = self.post(action="preview", completed_at_most="0")
        self.assertContains(response, "Preview: 2 learners")
        self.assertContains(response, "<p>Bob, Fay</p>")
        # Someone else's learner: not a choice (400), nothing written.
        response = self.post(action="send", learner=str(self.dave.public_id))
        self.assertContains(response, "Select a valid choice", status_code=400)
        # No activity for 3 days: everyone here (the set-up records their seats only).
        Event.objects.filter(actor=self.alice).update(timestamp=timezone.now())
        Event.objects.filter(actor__in=[self.bob, self.fay]).update(
            timestamp=timezone.now() - timedelta(days=10)
        )
        response = self.post(action="preview", inactive_days="3")
        self.assertContains(response, "Preview: 2 learners")
        self.assertContains(response, "<p>Bob, Fay</p>")
        self.assertFalse(Nudge.objects.exists())

    def test_only_coaches_nudge(self) -> None:
        for person in (self.alice, self.adam, self.dora):
            self.client.force_login(person)
            self.assertEqual(self.client.get(reverse("coaching:nudges")).status_code, 403)

    def test_it_is_delivered_once_at_its_time_through_notifications(self) -> None:
        later = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
        local = later.astimezone(ZoneInfo("Europe/London"))  # carol's zone
        self.post(
            action="send",
            confirm_small="on",
            day=local.date().isoformat(),
            at=local.strftime("%H:%M"),
        )
        nudge = Nudge.objects.get()
        self.assertEqual(nudge.status, NudgeStatus.SCHEDULED)
        self.assertEqual(send_due_nudges(now=timezone.now()), 0)  # not yet
        self.assertEqual(send_due_nudges(now=later + timedelta(minutes=1)), 1)
        self.assertEqual(send_due_nudges(now=later + timedelta(minutes=2)), 0)  # exactly once
        notes = Notification.objects.filter(kind=NotificationKind.NUDGE)
        self.assertEqual(
            sorted(n.recipient_id for n in notes), sorted([self.alice.pk, self.bob.pk, self.fay.pk])
        )
        for note in notes:
            self.assertNotIn("how is", note.place)  # never the text
        events = Event.objects.filter(verb=Verb.NUDGED)
        self.assertEqual(events.count(), 3)
        self.assertTrue(all(e.actor_id == self.carol.pk for e in events))
        # Each learner reads it with their own name and week; the coach sees the recipients.
        url = reverse("coaching:nudge", args=[nudge.public_id])
        self.client.force_login(self.bob)
        response = self.client.get(url)
        self.assertContains(response, "Hi Bob, how is Week 2")
        self.assertNotContains(response, "Alice")
        self.client.force_login(self.carol)
        self.assertContains(self.client.get(url), "Fay")
        for person in (self.dave, self.adam, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_nudge_is_unseen_by_its_learners_until_delivered_and_can_be_cancelled(self) -> None:
        self.post(
            action="send",
            learner=str(self.bob.public_id),
            day=(timezone.localdate() + timedelta(days=2)).isoformat(),
            at="10:00",
        )
        nudge = Nudge.objects.get()
        self.client.force_login(self.bob)
        self.assertEqual(
            self.client.get(reverse("coaching:nudge", args=[nudge.public_id])).status_code, 404
        )
        cancel = reverse("coaching:nudge_cancel", args=[nudge.public_id])
        self.assertEqual(self.client.post(cancel).status_code, 404)
        self.client.force_login(self.carol)
        self.client.post(cancel)
        nudge.refresh_from_db()
        self.assertEqual(nudge.status, NudgeStatus.CANCELLED)
        self.assertEqual(send_due_nudges(now=timezone.now() + timedelta(days=3)), 0)

    def test_the_pages_make_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.carol)
        url = reverse("coaching:nudges")
        self.client.get(url)
        # 1 the user with her membership (a coach by role: no look-up of seats); 2 her
        # learners' seats with people and cohorts (the form's choices); 3 her nudges.
        with self.assertNumQueries(3):
            self.client.get(url)
        for index in range(20):
            person = make_user(self.org, f"n{index}@northwind.example")
            enroll(person, cohort=self.cohort_a, coach=self.carol)
        self.post(action="send", learner=str(self.bob.public_id))
        self.post(action="send", learner=str(self.alice.public_id))
        self.client.force_login(self.carol)
        with self.assertNumQueries(3):
            self.client.get(url)

    def test_export_and_erasure(self) -> None:
        self.post(action="send", learner=str(self.bob.public_id))
        send_due_nudges(now=timezone.now() + timedelta(minutes=1))
        [row] = export_nudges(self.carol)
        self.assertEqual(row["role"], "coach")
        self.assertIn("{first_name}", row["message"])
        [row] = export_nudges(self.bob)
        self.assertIn("Hi Bob", row["message"])
        self.assertEqual(export_nudges(self.alice), [])
        erase_nudges(self.carol)
        self.assertFalse(Nudge.objects.exists())
