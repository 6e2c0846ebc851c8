"""Matching: the solver's rules and optimum (coaching.matching), an admin's proposal for a whole
cohort (review, edit, publish in one transaction, events, notifications), assigning by hand,
and a learner's change-of-coach request, which the coach can never tell about."""

import uuid

from django.urls import reverse

from coaching import actions
from coaching.matching import CoachFacts, LearnerFacts, propose
from coaching.models import CoachChangeRequest, CoachChangeStatus, MatchProposal, ProposalState
from cohorts.actions import enroll
from cohorts.models import Enrollment, EnrollmentRole
from events.models import Event, Verb
from notifications.models import Notification, NotificationKind
from organizations.models import Membership, Role
from rapport.testing import PersonaTestCase, make_user

DAY = (0, 480)  # 09:00-17:00 in London, minutes from 00:00 UTC in winter


def learner(i: int, **kw) -> LearnerFacts:
    base = {
        "seat_id": i,
        "user_id": 100 + i,
        "languages": frozenset(),
        "focus": frozenset(),
        "window": DAY,
    }
    return LearnerFacts(**(base | kw))


def coach(i: int, **kw) -> CoachFacts:
    base = {"user_id": i, "languages": frozenset(), "focus": frozenset(), "window": DAY, "room": 10}
    return CoachFacts(**(base | kw))


class SolverTests(PersonaTestCase):
    def test_it_never_pairs_a_learner_with_their_line_manager(self) -> None:
        pairings = propose([learner(1, manager_id=7)], [coach(7)])
        self.assertIsNone(pairings[0].coach_id)

    def test_it_needs_a_shared_language_when_both_say(self) -> None:
        pairings = propose(
            [learner(1, languages=frozenset({"pt"})), learner(2)],
            [coach(7, languages=frozenset({"en"}))],
        )
        self.assertEqual([p.coach_id for p in pairings], [None, 7])

    def test_it_needs_an_hour_of_shared_working_time(self) -> None:
        tokyo, lima = (0, 480), (840, 1320)
        pairings = propose([learner(1, window=tokyo)], [coach(7, window=lima)])
        self.assertIsNone(pairings[0].coach_id)

    def test_capacity_is_kept_and_the_total_score_is_the_best(self) -> None:
        # Coach 7 shares focus with learner 1 only; with room for one, 7 takes learner 1 and
        # 8 the other, although a greedy pass in order would also do that: swap the order.
        learners = [learner(2), learner(1, focus=frozenset({5}))]
        coaches = [coach(7, focus=frozenset({5}), room=1), coach(8, room=1)]
        pairings = {p.seat_id: p.coach_id for p in propose(learners, coaches)}
        self.assertEqual(pairings, {1: 7, 2: 8})

    def test_a_learner_stays_with_their_coach_unless_another_is_better(self) -> None:
        pairings = propose([learner(1, current_coach_id=8)], [coach(7), coach(8)])
        self.assertEqual(pairings[0].coach_id, 8)

    def test_nobody_is_left_out_while_a_coach_has_room(self) -> None:
        pairings = propose([learner(i) for i in range(30)], [coach(7, room=20), coach(8, room=20)])
        self.assertTrue(all(p.coach_id for p in pairings))
        self.assertLessEqual(sum(p.coach_id == 7 for p in pairings), 20)


class MatchingTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.zed = make_user(cls.org, "zed@northwind.example", role=Role.COACH)
        enroll(cls.zed, cohort=cls.cohort_a, role=EnrollmentRole.COACH)
        # zed is bob's line manager: never his coach.
        Membership.objects.filter(user=cls.bob).update(line_manager=cls.zed)

    def seat(self, person) -> Enrollment:
        return Enrollment.objects.get(user=person, cohort=self.cohort_a)


class ProposalTests(MatchingTestCase):
    def test_an_admin_proposes_reviews_edits_and_publishes(self) -> None:
        enroll(self.alice, cohort=self.cohort_a, coach=None)
        self.client.force_login(self.adam)
        response = self.client.post(reverse("matching:propose", args=[self.cohort_a.public_id]))
        proposal = MatchProposal.objects.get()
        self.assertRedirects(response, reverse("matching:proposal", args=[proposal.public_id]))
        page = self.client.get(response.url)
        self.assertContains(page, "Proposed matches")
        rows = {row.enrollment.user: row for row in proposal.rows.all()}
        self.assertNotEqual(rows[self.bob].proposed_coach, self.zed)  # his line manager
        self.assertIsNotNone(rows[self.alice].proposed_coach)
        # Nothing changed yet.
        self.assertIsNone(self.seat(self.alice).coach)
        # The admin moves fay to zed by hand.
        url = reverse(
            "matching:proposal_row", args=[proposal.public_id, self.seat(self.fay).public_id]
        )
        self.client.post(url, {"coach": str(self.zed.public_id)})
        # ...and cannot give bob to his line manager: a message, nothing changed.
        bob_url = reverse(
            "matching:proposal_row", args=[proposal.public_id, self.seat(self.bob).public_id]
        )
        refused = self.client.post(bob_url, {"coach": str(self.zed.public_id)})
        self.assertContains(refused, "line manager", status_code=400)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("matching:publish", args=[proposal.public_id]))
        self.assertRedirects(response, reverse("matching:cohort", args=[self.cohort_a.public_id]))
        self.assertEqual(self.seat(self.fay).coach, self.zed)
        self.assertIsNotNone(self.seat(self.alice).coach)
        self.assertNotEqual(self.seat(self.bob).coach, self.zed)
        proposal.refresh_from_db()
        self.assertEqual(proposal.state, ProposalState.PUBLISHED)
        self.assertTrue(Event.objects.filter(verb=Verb.ASSIGNED, actor=self.adam).exists())
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.fay, kind=NotificationKind.COACH_MATCH
            ).exists()
        )
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.zed, kind=NotificationKind.COACH_MATCH
            ).exists()
        )
        # The coach fay left is told nothing.
        self.assertFalse(Notification.objects.filter(recipient=self.carol).exists())
        # Publishing twice changes nothing.
        events = Event.objects.count()
        self.client.post(reverse("matching:publish", args=[proposal.public_id]))
        self.assertEqual(Event.objects.count(), events)

    def test_nobody_but_the_organisations_admins_opens_a_proposal(self) -> None:
        proposal = actions.propose_matches(self.adam, cohort=self.cohort_a)
        for person in (self.alice, self.carol, self.zed, self.dora, self.oscar):
            self.client.force_login(person)
            self.assertEqual(
                self.client.get(
                    reverse("matching:proposal", args=[proposal.public_id])
                ).status_code,
                404,
            )
            self.assertEqual(
                self.client.post(
                    reverse("matching:publish", args=[proposal.public_id])
                ).status_code,
                404,
            )
        self.assertEqual(MatchProposal.objects.get().state, ProposalState.DRAFT)

    def test_a_tampered_choice_is_a_400_and_nothing_changes(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("matching:assign", args=[self.seat(self.alice).public_id])
        for value in (
            str(uuid.uuid4()),
            "carol",
            str(self.oscar.public_id),
            str(self.alice.public_id),
        ):
            response = self.client.post(url, {"coach": value})
            self.assertContains(response, "Choose one of this cohort", status_code=400)
        self.assertEqual(self.seat(self.alice).coach, self.carol)

    def test_an_admin_assigns_by_hand(self) -> None:
        self.client.force_login(self.adam)
        url = reverse("matching:assign", args=[self.seat(self.alice).public_id])
        self.client.post(url, {"coach": str(self.zed.public_id)})
        self.assertEqual(self.seat(self.alice).coach, self.zed)
        # Never a learner's line manager.
        url = reverse("matching:assign", args=[self.seat(self.bob).public_id])
        response = self.client.post(url, {"coach": str(self.zed.public_id)})
        self.assertContains(response, "line manager", status_code=400)
        self.assertEqual(self.seat(self.bob).coach, self.carol)

    def test_learners_and_coaches_cannot_assign(self) -> None:
        url = reverse("matching:assign", args=[self.seat(self.alice).public_id])
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(url, {"coach": ""}).status_code, 403)
        self.client.force_login(self.carol)
        self.assertEqual(self.client.post(url, {"coach": ""}).status_code, 404)
        self.assertEqual(self.seat(self.alice).coach, self.carol)


class ChangeRequestTests(MatchingTestCase):
    def ask(self, person):
        self.client.force_login(person)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                reverse("matching:ask_for_change", args=[self.seat(person).public_id])
            )

    def test_a_learner_asks_and_only_the_admins_hear_of_it(self) -> None:
        self.ask(self.alice)
        change = CoachChangeRequest.objects.get()
        self.assertEqual(change.status, CoachChangeStatus.OPEN)
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.adam, kind=NotificationKind.COACH_REQUEST
            ).exists()
        )
        self.assertFalse(Notification.objects.filter(recipient=self.carol).exists())
        # Asking twice makes one request.
        self.ask(self.alice)
        self.assertEqual(CoachChangeRequest.objects.count(), 1)
        # The coach can tell on no page: her home, caseload, notifications and the session list.
        self.client.force_login(self.carol)
        for name in ("home", "caseload:index", "notifications:list", "coaching:sessions"):
            response = self.client.get(reverse(name))
            self.assertNotContains(response, "change of coach")
            self.assertNotContains(response, "another coach")
            self.assertNotContains(response, str(change.public_id))
        for name in ("matching:requests", "matching:index"):
            self.assertEqual(self.client.get(reverse(name)).status_code, 403)

    def test_the_admin_resolves_with_another_coach(self) -> None:
        self.ask(self.alice)
        change = CoachChangeRequest.objects.get()
        self.client.force_login(self.adam)
        page = self.client.get(reverse("matching:requests"))
        self.assertContains(page, "Alice")
        self.client.post(
            reverse("matching:resolve", args=[change.public_id]), {"coach": str(self.zed.public_id)}
        )
        change.refresh_from_db()
        self.assertEqual(change.status, CoachChangeStatus.CHANGED)
        self.assertEqual(self.seat(self.alice).coach, self.zed)
        self.assertFalse(Notification.objects.filter(recipient=self.carol).exists())
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("matching:my_coach")), "New coach assigned")

    def test_keeping_the_coach_and_a_second_resolution(self) -> None:
        self.ask(self.alice)
        change = CoachChangeRequest.objects.get()
        self.client.force_login(self.adam)
        self.client.post(reverse("matching:resolve", args=[change.public_id]), {"coach": ""})
        change.refresh_from_db()
        self.assertEqual(change.status, CoachChangeStatus.KEPT)
        with self.assertRaises(actions.MatchRefused):
            actions.resolve_change_request(self.adam, change=change, coach=self.zed)
        self.assertEqual(self.seat(self.alice).coach, self.carol)

    def test_a_learner_never_sees_anothers_request(self) -> None:
        self.ask(self.alice)
        change = CoachChangeRequest.objects.get()
        self.client.force_login(self.bob)
        page = self.client.get(reverse("matching:my_coach"))
        self.assertNotContains(page, "You asked for another coach")
        self.assertNotContains(page, "What you asked")
        # Nor asks for another learner's seat, nor resolves a request.
        url = reverse("matching:ask_for_change", args=[self.seat(self.alice).public_id])
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("matching:resolve", args=[change.public_id])).status_code, 404
        )
        self.client.force_login(self.alice)
        self.assertEqual(
            self.client.post(reverse("matching:resolve", args=[change.public_id])).status_code, 403
        )

    def test_an_admin_who_is_the_coach_never_learns_of_it(self) -> None:
        ada = make_user(self.org, "ada@northwind.example", role=Role.ADMIN)
        enroll(self.adam, cohort=self.cohort_a, role=EnrollmentRole.COACH)
        enroll(self.fay, cohort=self.cohort_a, coach=self.adam)
        self.ask(self.fay)
        change = CoachChangeRequest.objects.get()
        self.assertFalse(Notification.objects.filter(recipient=self.adam).exists())
        self.assertTrue(Notification.objects.filter(recipient=ada).exists())  # the other admin
        self.client.force_login(self.adam)
        self.assertNotContains(self.client.get(reverse("matching:requests")), "Fay")
        self.assertEqual(
            self.client.post(reverse("matching:resolve", args=[change.public_id])).status_code, 404
        )
        self.client.force_login(ada)
        self.assertContains(self.client.get(reverse("matching:requests")), "Fay")

    def test_when_the_only_admin_is_the_coach_the_learner_is_told_and_nothing_is_queued(
        self,
    ) -> None:
        # adam is the organisation's only admin, and fay's coach: nobody else could see it.
        enroll(self.adam, cohort=self.cohort_a, role=EnrollmentRole.COACH)
        enroll(self.fay, cohort=self.cohort_a, coach=self.adam)
        response = self.ask(self.fay)
        self.assertRedirects(response, reverse("matching:my_coach"), fetch_redirect_response=False)
        page = self.client.get(reverse("matching:my_coach"))
        self.assertContains(page, "Nobody could act on this request")
        self.assertNotContains(page, "Your request went to")
        self.assertFalse(CoachChangeRequest.objects.exists())
        self.assertFalse(Notification.objects.filter(kind=NotificationKind.COACH_REQUEST).exists())
        self.assertFalse(Event.objects.filter(verb=Verb.REQUESTED).exists())
        # A deactivated second admin is nobody either.
        gone = make_user(self.org, "gone@northwind.example", role=Role.ADMIN)
        gone.is_active = False
        gone.save(update_fields=["is_active"])
        with self.assertRaisesMessage(actions.MatchRefused, "Nobody could act"):
            actions.request_coach_change(self.fay, seat=self.seat(self.fay))

    def test_an_admin_learner_whose_coach_is_the_only_other_admin_is_told_too(self) -> None:
        # The learner is an admin herself: she cannot resolve her own request, and the only
        # other admin is her coach.
        hana = make_user(self.org, "hana@northwind.example", role=Role.ADMIN)
        enroll(hana, cohort=self.cohort_a, role=EnrollmentRole.COACH)
        Membership.objects.filter(user=self.adam).update(role=Role.LEARNER)
        boss = make_user(self.org, "boss@northwind.example", role=Role.ADMIN)
        enroll(boss, cohort=self.cohort_a, coach=hana)
        with self.assertRaisesMessage(actions.MatchRefused, "Nobody could act"):
            actions.request_coach_change(boss, seat=self.seat(boss))
        self.assertFalse(CoachChangeRequest.objects.exists())

    def test_preferences_are_validated(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(reverse("matching:my_preferences"), {"languages": "english!"})
        self.assertContains(response, "is not a language code", status_code=400)
        self.assertContains(response, "english!", status_code=400)
        response = self.client.post(reverse("matching:my_preferences"), {"languages": "EN, pt"})
        self.assertRedirects(response, reverse("matching:my_coach"))
        self.assertEqual(self.alice.match_profile.languages, "en, pt")
