"""The journal: entries, visibility and its "who can see this" label, sharing with the coach,
circle and cohort, the access log, drafts, and every refusal."""

import json
import logging
import uuid
from datetime import timedelta

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Verb
from notifications.models import Notification, NotificationKind
from programs.models import ActivityKind
from rapport.testing import PersonaTestCase
from reflections.models import Entry, EntryView, JournalDraft, Visibility
from reflections.tests.helpers import free_entry, mission_reflection

SECRET = "I froze when Malik raised the budget and I talked over him"


class VisibilityRuleTests(PersonaTestCase):
    def entry_at(self, visibility: str) -> Entry:
        return free_entry(self.alice, self.cohort_a, body=SECRET, visibility=visibility)

    def readers(self, entry: Entry) -> set[str]:
        people = {
            name: getattr(self, name)
            for name in ("alice", "bob", "carol", "dave", "dora", "adam", "oscar", "erin", "fay")
        }
        return {
            name
            for name, person in people.items()
            if Entry.objects.visible_to(person).filter(pk=entry.pk).exists()
        }

    def test_a_private_entry_is_its_authors_alone(self) -> None:
        self.assertEqual(self.readers(self.entry_at(Visibility.PRIVATE)), {"alice"})

    def test_a_coach_entry_reaches_the_coach_only(self) -> None:
        self.assertEqual(self.readers(self.entry_at(Visibility.COACH)), {"alice", "carol"})

    def test_a_circle_entry_reaches_the_circle_and_its_coach(self) -> None:
        entry = self.entry_at(Visibility.CIRCLE)
        self.assertEqual(entry.circle, self.circle_a)
        self.assertEqual(self.readers(entry), {"alice", "bob", "carol"})

    def test_a_cohort_entry_reaches_everyone_seated_in_the_cohort(self) -> None:
        self.assertEqual(
            self.readers(self.entry_at(Visibility.COHORT)), {"alice", "bob", "carol", "fay"}
        )

    def test_admins_designers_and_superusers_never_read_a_shared_entry(self) -> None:
        entry = self.entry_at(Visibility.COHORT)
        self.adam.is_superuser = True
        self.adam.save()
        self.assertFalse(Entry.objects.visible_to(self.adam).filter(pk=entry.pk).exists())
        self.assertFalse(Entry.objects.visible_to(self.dora).filter(pk=entry.pk).exists())

    def test_leaving_the_circle_takes_the_entry_back_from_it(self) -> None:
        entry = self.entry_at(Visibility.CIRCLE)
        self.circle_a.members.filter(user=self.alice).delete()
        self.assertEqual(self.readers(entry), {"alice"})


class JournalPagesTests(PersonaTestCase):
    def test_the_journal_lists_my_entries_with_who_can_see_them(self) -> None:
        free_entry(self.alice, self.cohort_a, body=SECRET, title="Budget meeting")
        free_entry(self.bob, self.cohort_a, body="Bob's own", visibility=Visibility.CIRCLE)
        self.client.force_login(self.alice)
        response = self.client.get(reverse("reflections:journal"))
        self.assertContains(response, "Budget meeting")
        self.assertContains(response, "Only me")
        self.assertNotContains(response, "Bob&#39;s own")
        self.assertContains(response, reverse("reflections:access_log"))

    def test_a_new_entry_shows_who_can_see_it_before_saving(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("reflections:new"))
        self.assertContains(response, "Only you can see this.")
        self.assertContains(response, "You and your coach, Carol.")
        self.assertContains(response, "Circle Lisbon (Bob)")
        self.assertContains(response, "the 3 other people of Cohort A")

    def test_writing_an_entry_keeps_it_private_by_default(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("reflections:new"), {"title": "A hard week", "body": SECRET}
        )
        entry = Entry.objects.get(author=self.alice)
        self.assertRedirects(response, reverse("reflections:entry", args=[entry.public_id]))
        self.assertEqual(entry.visibility, Visibility.PRIVATE)
        page = self.client.get(response["Location"])
        self.assertContains(page, "Only you can see this.")
        self.assertContains(page, SECRET)
        self.assertEqual(Event.objects.filter(verb=Verb.REFLECTED, actor=self.alice).count(), 1)

    def test_people_without_a_learner_seat_cannot_write_entries(self) -> None:
        for person in (self.carol, self.dora, self.adam):
            self.client.force_login(person)
            self.assertEqual(self.client.get(reverse("reflections:new")).status_code, 403)
            self.assertEqual(self.client.get(reverse("reflections:journal")).status_code, 200)


class SharingTests(PersonaTestCase):
    def setUp(self) -> None:
        self.entry = free_entry(self.alice, self.cohort_a, body=SECRET, title="Budget meeting")
        self.url = reverse("reflections:entry", args=[self.entry.public_id])

    def share(self, visibility: str, *, as_user=None):  # type: ignore[no-untyped-def]
        self.client.force_login(as_user or self.alice)
        return self.client.post(
            reverse("reflections:visibility", args=[self.entry.public_id]),
            {"visibility": visibility},
        )

    def test_sharing_with_the_coach_notifies_them_without_the_text(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            response = self.share(Visibility.COACH)
        self.assertRedirects(response, self.url)
        note = Notification.objects.get(recipient=self.carol)
        self.assertEqual(note.kind, NotificationKind.SHARED_WITH_YOU)
        self.assertEqual(note.place, "A journal entry")  # never the title the learner typed
        self.assertEqual(note.url, self.url)
        self.assertNotIn("Budget", note.headline)
        for message in mail.outbox:
            self.assertNotIn(SECRET, message.body)
            self.assertNotIn("Budget meeting", message.body)
        self.assertEqual(Event.objects.filter(verb=Verb.SHARED, actor=self.alice).count(), 1)
        # The same choice again changes nothing and notifies nobody twice.
        self.share(Visibility.COACH)
        self.assertEqual(Notification.objects.filter(recipient=self.carol).count(), 1)
        self.assertEqual(Event.objects.filter(verb=Verb.SHARED).count(), 1)

    def test_the_coach_reads_it_and_the_author_sees_the_view_in_the_access_log(self) -> None:
        self.share(Visibility.COACH)
        self.client.force_login(self.carol)
        shared = self.client.get(reverse("reflections:shared"))
        self.assertContains(shared, "Budget meeting")
        self.assertContains(self.client.get(self.url), SECRET)
        self.assertEqual(EntryView.objects.get().viewer, self.carol)
        self.client.force_login(self.alice)
        self.client.get(self.url)  # the author's own visits are not logged
        self.assertEqual(EntryView.objects.count(), 1)
        log = self.client.get(reverse("reflections:access_log"))
        self.assertContains(log, "Carol")
        self.assertContains(log, "Budget meeting")
        # Bob's log does not show alice's views.
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(reverse("reflections:access_log")), "Budget")

    def test_making_it_private_again_is_a_404_for_the_coach_from_then_on(self) -> None:
        self.share(Visibility.COACH)
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        self.share(Visibility.PRIVATE)
        self.client.force_login(self.carol)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, SECRET, status_code=404)
        self.assertNotContains(self.client.get(reverse("reflections:shared")), "Budget meeting")

    def test_a_peer_reads_circle_entries_on_the_circle_page(self) -> None:
        self.share(Visibility.CIRCLE)
        self.client.force_login(self.bob)
        page = self.client.get(reverse("circles:detail", args=[self.circle_a.public_id]))
        self.assertContains(page, "Shared with Circle Lisbon")
        self.assertContains(page, "Budget meeting")
        self.client.force_login(self.fay)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_a_coach_they_do_not_have_is_refused_with_a_message(self) -> None:
        dave_entry = free_entry(self.dave, self.cohort_b, body=SECRET)
        self.client.force_login(self.dave)
        url = reverse("reflections:visibility", args=[dave_entry.public_id])
        response = self.client.post(url, {"visibility": Visibility.COACH})
        self.assertContains(response, "You have no coach in Cohort B yet", status_code=400)
        response = self.client.post(url, {"visibility": Visibility.CIRCLE})
        self.assertContains(response, "not in a peer circle in Cohort B", status_code=400)
        dave_entry.refresh_from_db()
        self.assertEqual(dave_entry.visibility, Visibility.PRIVATE)
        self.assertFalse(Notification.objects.exists())

    def test_an_invalid_visibility_is_a_400_and_changes_nothing(self) -> None:
        for value in ("organisation", "everyone", "", "coach' OR 1=1"):
            response = self.share(value)
            self.assertEqual(response.status_code, 400, value)
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.visibility, Visibility.PRIVATE)

    def test_sharing_someone_elses_entry_is_refused(self) -> None:
        self.share(Visibility.COACH)
        # bob may not read it: 404; carol may read it but not share it: 403.
        self.assertEqual(self.share(Visibility.COHORT, as_user=self.bob).status_code, 404)
        self.assertEqual(self.share(Visibility.COHORT, as_user=self.carol).status_code, 403)
        self.client.force_login(self.carol)
        edit = reverse("reflections:edit", args=[self.entry.public_id])
        self.assertEqual(self.client.get(edit).status_code, 403)
        delete = reverse("reflections:delete", args=[self.entry.public_id])
        self.assertEqual(self.client.post(delete).status_code, 403)
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.visibility, Visibility.COACH)

    def test_guessed_and_tampered_ids_are_404(self) -> None:
        self.client.force_login(self.alice)
        for name in ("entry", "edit"):
            url = reverse(f"reflections:{name}", args=[uuid.uuid4()])
            self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get("/reflections/not-a-uuid/").status_code, 404)


class EditAndBadInputTests(PersonaTestCase):
    def test_oversize_text_is_refused_kept_and_saved_as_a_draft(self) -> None:
        self.client.force_login(self.alice)
        text = "I listened. " * 600  # 7,200 characters
        response = self.client.post(reverse("reflections:new"), {"body": text})
        self.assertContains(response, "at most 5000 characters", status_code=400)
        self.assertContains(response, "I listened. I listened.", status_code=400)
        self.assertFalse(Entry.objects.exists())
        draft = JournalDraft.objects.get(user=self.alice, key="new")
        self.assertEqual(json.loads(draft.fields)["body"], text)
        # The draft fills the form next time.
        self.assertContains(self.client.get(reverse("reflections:new")), "I listened. I listened.")

    def test_editing_an_entry_changes_its_text_and_visibility(self) -> None:
        entry = free_entry(self.alice, self.cohort_a, body="First thoughts")
        self.client.force_login(self.alice)
        url = reverse("reflections:edit", args=[entry.public_id])
        self.assertContains(self.client.get(url), "First thoughts")
        response = self.client.post(url, {"body": "Second thoughts", "visibility": "circle"})
        self.assertEqual(response.status_code, 302)
        entry.refresh_from_db()
        self.assertEqual((entry.body, entry.visibility), ("Second thoughts", "circle"))

    def test_an_empty_edit_is_refused_and_nothing_changes(self) -> None:
        entry = free_entry(self.alice, self.cohort_a, body="First thoughts")
        self.client.force_login(self.alice)
        url = reverse("reflections:edit", args=[entry.public_id])
        response = self.client.post(url, {"body": "  ", "visibility": "private"})
        self.assertEqual(response.status_code, 400)
        entry.refresh_from_db()
        self.assertEqual(entry.body, "First thoughts")

    def test_the_author_deletes_an_entry(self) -> None:
        entry = free_entry(self.alice, self.cohort_a, body="Gone soon")
        self.client.force_login(self.alice)
        response = self.client.post(reverse("reflections:delete", args=[entry.public_id]))
        self.assertRedirects(response, reverse("reflections:journal"))
        self.assertFalse(Entry.objects.exists())


class DraftTests(PersonaTestCase):
    def post(self, **data: str):  # type: ignore[no-untyped-def]
        self.client.force_login(self.alice)
        return self.client.post(reverse("reflections:draft"), data)

    def test_a_draft_is_saved_and_cleared_when_emptied(self) -> None:
        response = self.post(key="new", payload=json.dumps({"body": SECRET}))
        self.assertEqual(response.json(), {"saved": True})
        self.assertEqual(JournalDraft.objects.get().user, self.alice)
        self.assertEqual(self.post(key="new", payload='{"body": ""}').json(), {"saved": False})
        self.assertFalse(JournalDraft.objects.exists())

    def test_bad_drafts_are_refused(self) -> None:
        for data in (
            {"key": "../etc", "payload": "{}"},
            {"key": "new", "payload": "not json"},
            {"key": "new", "payload": "[1, 2]"},
            {"key": "new", "payload": json.dumps({"password": "x"})},
            {"key": "new", "payload": json.dumps({"body": "x" * 20_001})},
        ):
            self.assertEqual(self.post(**data).status_code, 400, data)
        self.assertFalse(JournalDraft.objects.exists())

    def test_saving_the_form_clears_its_draft(self) -> None:
        self.post(key="new", payload=json.dumps({"body": "half a thought"}))
        self.client.post(reverse("reflections:new"), {"body": "A whole thought"})
        self.assertFalse(JournalDraft.objects.exists())


@override_settings(RAPPORT_MIN_GROUP_SIZE=5)
class NoLeakTests(PersonaTestCase):
    def test_the_text_reaches_no_one_else_anywhere(self) -> None:
        mission = self.first_activity(ActivityKind.MISSION)
        logger = logging.getLogger()
        with self.assertLogs(logger, level="DEBUG") as logs:
            logger.debug("start")
            with self.captureOnCommitCallbacks(execute=True):
                entry = mission_reflection(
                    self.alice, self.cohort_a, mission, happened=SECRET, visibility="coach"
                )
            for person in (self.bob, self.dave, self.dora, self.adam, self.oscar, self.fay):
                self.client.force_login(person)
                for url in (
                    reverse("reflections:entry", args=[entry.public_id]),
                    reverse("reflections:edit", args=[entry.public_id]),
                    reverse("reflections:shared"),
                    reverse("reflections:journal"),
                    reverse("reflections:access_log"),
                    reverse("notifications:list"),
                    reverse("circles:detail", args=[self.circle_a.public_id]),
                ):
                    response = self.client.get(url)
                    self.assertNotIn(SECRET, response.content.decode(), f"{person} {url}")
        self.assertNotIn(SECRET, "\n".join(logs.output))
        for message in mail.outbox:
            self.assertNotIn(SECRET, message.body)
        for note in Notification.objects.all():
            self.assertNotIn("froze", f"{note.place} {note.actor_label} {note.url}")
        for event in Event.objects.all():
            self.assertNotIn("froze", json.dumps(event.result))


class ActivityPanelTests(PersonaTestCase):
    def test_every_kind_but_discussion_invites_a_reflection_for_learners(self) -> None:
        self.client.force_login(self.alice)
        for kind in ActivityKind:
            activity = self.first_activity(kind)
            if activity is None:
                continue
            url = reverse("cohorts:activity", args=[self.cohort_a.public_id, activity.public_id])
            page = self.client.get(url).content.decode()
            invited = "Connect it to your own experience" in page
            self.assertEqual(
                invited, kind not in (ActivityKind.DISCUSSION, ActivityKind.MISSION), kind
            )
        self.client.force_login(self.carol)  # coaches preview: no invitation
        video = self.first_activity(ActivityKind.VIDEO)
        url = reverse("cohorts:activity", args=[self.cohort_a.public_id, video.public_id])
        self.assertNotContains(self.client.get(url), "Connect it to your own experience")

    def test_connecting_an_activity_to_my_experience(self) -> None:
        video = self.first_activity(ActivityKind.VIDEO)
        url = reverse("reflections:experience", args=[self.cohort_a.public_id, video.public_id])
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(url), "Who can see this")
        response = self.client.post(url, {"body": SECRET, "visibility": "private"})
        entry = Entry.objects.get(author=self.alice)
        self.assertRedirects(response, reverse("reflections:entry", args=[entry.public_id]))
        # A second submit rewrites the same entry.
        self.client.post(url, {"body": "Rewritten", "visibility": "private"})
        entry.refresh_from_db()
        self.assertEqual((Entry.objects.count(), entry.body), (1, "Rewritten"))
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.dave)
        self.assertEqual(self.client.get(url).status_code, 404)


class QueryCountTests(PersonaTestCase):
    def fill(self, n: int) -> None:
        for i in range(n):
            free_entry(self.alice, self.cohort_a, body=f"Entry {i}", visibility="coach")
            free_entry(self.bob, self.cohort_a, body=f"Bob {i}", visibility="cohort")

    def count(self, url: str, person) -> int:  # type: ignore[no-untyped-def]
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.force_login(person)
        self.client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def test_the_journal_and_shared_with_me_make_a_fixed_number_of_queries(self) -> None:
        self.fill(2)
        small = {
            "journal": self.count(reverse("reflections:journal"), self.alice),
            "shared": self.count(reverse("reflections:shared"), self.carol),
            "log": self.count(reverse("reflections:access_log"), self.alice),
        }
        self.fill(20)
        large = {
            "journal": self.count(reverse("reflections:journal"), self.alice),
            "shared": self.count(reverse("reflections:shared"), self.carol),
            "log": self.count(reverse("reflections:access_log"), self.alice),
        }
        self.assertEqual(small, large)
        # journal: 1 the person with their membership (the session is cached), 2 the entries
        # with their activity, cohort, circle and seat's coach, 3 the plans not reflected on
        # yet, 4 whether they have a learner seat.
        # shared: 1 the person, 2 the entries shared with them.
        # access log: 1 the person, 2 the views with their entries and viewers.
        self.assertEqual(large, {"journal": 4, "shared": 2, "log": 2})


class ExpiredTimeTests(PersonaTestCase):
    def test_shared_at_is_set_when_shared(self) -> None:
        before = timezone.now() - timedelta(seconds=1)
        entry = free_entry(self.alice, self.cohort_a, body="x", visibility="cohort")
        self.assertGreater(entry.shared_at, before)


class MissionPanelQueryCountTests(PersonaTestCase):
    def test_a_missions_page_makes_a_fixed_number_of_queries(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        mission = self.first_activity(ActivityKind.MISSION)
        url = reverse("cohorts:activity", args=[self.cohort_a.public_id, mission.public_id])
        self.client.force_login(self.alice)
        self.client.get(url)  # warm: the first view creates the progress row

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(queries)

        before = count()
        for i in range(10):
            free_entry(self.alice, self.cohort_a, body=f"Entry {i}", visibility="circle")
            free_entry(self.bob, self.cohort_a, body=f"Bob {i}", visibility="cohort")
        mission_reflection(self.bob, self.cohort_a, mission, happened="Bob went first.")
        # The activity page's 3 (cohorts/tests/test_query_counts.py), then the panel's 6: the
        # plan, the reflection, the drafts, the seat's circle, its members, the cohort's head
        # count.
        self.assertEqual(count(), before)
        self.assertEqual(before, 9)
