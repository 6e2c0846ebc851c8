"""notify(): the interface the apps above call (CONTRACT-7). Who gets a notification, what it
holds, and what it never holds."""

import uuid
from datetime import time

from django.contrib.auth.models import AnonymousUser

from accounts.models import Block
from notifications.actions import (
    InvalidNotification,
    notify,
    plan_notifications,
    plan_notifications_by_kind,
    save_notifications,
    set_email_preferences,
)
from notifications.models import EmailChoice, Notification, NotificationKind
from rapport.testing import PersonaTestCase


class NotifyTests(PersonaTestCase):
    def call(self, **overrides: object) -> int:
        arguments: dict[str, object] = {
            "kind": NotificationKind.REPLY,
            "recipients": [self.alice],
            "actor": self.bob,
            "actor_label": "Bob",
            "place": "Week 2 · What listening changed",
            "url": "/cohorts/x/",
        }
        arguments.update(overrides)
        return notify(**arguments)  # type: ignore[arg-type]

    def test_it_creates_one_notification_per_recipient_with_what_happened_and_where(self) -> None:
        target = uuid.uuid4()
        self.assertEqual(self.call(recipients=[self.alice, self.carol], target_id=target), 2)
        row = Notification.objects.get(recipient=self.alice)
        self.assertEqual(
            (row.kind, row.actor, row.actor_label, row.place, row.url, row.target_id),
            ("reply", self.bob, "Bob", "Week 2 · What listening changed", "/cohorts/x/", target),
        )
        self.assertEqual(row.organization, self.org)
        self.assertIsNone(row.read_at)
        self.assertEqual(row.headline, "Bob replied to you in Week 2 · What listening changed")

    def test_it_drops_the_actor_and_repeats_and_accepts_ids(self) -> None:
        created = self.call(recipients=[self.alice, self.alice.pk, self.bob, self.carol.pk])
        self.assertEqual(created, 2)
        self.assertEqual(
            set(Notification.objects.values_list("recipient__email", flat=True)),
            {"alice@northwind.example", "carol@northwind.example"},
        )

    def test_it_never_notifies_another_organisation_or_deactivated_people(self) -> None:
        self.carol.is_active = False
        self.carol.save()
        self.assertEqual(self.call(recipients=[self.oscar, self.carol, 999_999]), 0)
        self.assertFalse(Notification.objects.exists())

    def test_nobody_hears_from_someone_they_blocked(self) -> None:
        Block.objects.create(blocker=self.alice, blocked=self.bob)
        self.assertEqual(self.call(recipients=[self.alice, self.carol]), 1)
        self.assertEqual(Notification.objects.get().recipient, self.carol)
        # The block is one way: alice's own actions still reach bob.
        self.assertEqual(self.call(recipients=[self.bob], actor=self.alice), 1)

    def test_a_block_silences_the_name_it_was_made_on(self) -> None:
        # Alice blocked "Quiet Heron" (Bob under a pseudonym): his pseudonymous posts no longer
        # reach her, his real-name ones still do — otherwise their silence would unmask him.
        Block.objects.create(blocker=self.alice, blocked=self.bob, blocked_label="Quiet Heron")
        pseudonymous = {"actor_label": "Quiet Heron", "pseudonymous": True}
        self.assertEqual(self.call(recipients=[self.alice], **pseudonymous), 0)
        self.assertEqual(self.call(recipients=[self.alice]), 1)
        Block.objects.create(blocker=self.alice, blocked=self.bob)
        self.assertEqual(self.call(recipients=[self.alice]), 0)

    def test_a_pseudonym_label_is_shown_and_the_real_name_is_not(self) -> None:
        self.call(actor_label="Quiet Heron")
        row = Notification.objects.get()
        self.assertIn("Quiet Heron", row.headline)
        self.assertNotIn(self.bob.full_name, row.headline)

    def test_a_system_notice_has_no_actor(self) -> None:
        self.call(kind="new_week", actor=None, actor_label="", place="Week 3 · Feedback")
        self.assertEqual(
            Notification.objects.get().headline, "A new week starts: Week 3 · Feedback"
        )

    def test_arguments_outside_the_contract_raise_and_write_nothing(self) -> None:
        bad = [
            {"kind": "like"},
            {"url": "https://evil.example/"},
            {"url": "//evil.example/"},
            {"url": "javascript:alert(1)"},
            {"url": "/a b"},
            {"place": ""},
            {"place": "x" * 201},
            {"place": "line one\nline two"},
            {"actor_label": "a\u202eb"},
            {"target_id": "not-a-uuid"},
        ]
        for overrides in bad:
            with self.subTest(overrides), self.assertRaises(InvalidNotification):
                self.call(**overrides)
        self.assertFalse(Notification.objects.exists())

    def test_it_records_each_persons_email_choice_for_the_kind(self) -> None:
        set_email_preferences(self.alice, choices={"reply": EmailChoice.WEEKLY})
        self.call(recipients=[self.alice, self.carol])
        self.assertEqual(
            dict(Notification.objects.values_list("recipient__email", "email")),
            {"alice@northwind.example": "weekly", "carol@northwind.example": "immediate"},
        )

    def test_bulk_notify_costs_a_constant_number_of_queries(self) -> None:
        people = [self.alice, self.carol, self.dave, self.dora, self.adam, self.erin]
        # the plan (recipients less blockers, with their preferences and quiet hours: one
        # query since round 6), the insert (no savepoint inside the caller's transaction, here
        # the test's)
        with self.assertNumQueries(2):
            self.assertEqual(self.call(recipients=people), 6)

    def test_only_the_recipient_sees_a_notification(self) -> None:
        self.call()
        for person in (self.bob, self.carol, self.adam, self.oscar, AnonymousUser()):
            self.assertFalse(Notification.objects.visible_to(person).exists(), person)
        self.assertEqual(Notification.objects.visible_to(self.alice).count(), 1)


class PlanByKindTests(PersonaTestCase):
    """Several kinds of one event planned together: the same rows as one plan per kind, with
    three queries in all."""

    def arguments(self, **overrides: object) -> dict[str, object]:
        arguments: dict[str, object] = {
            "actor": self.bob,
            "actor_label": "Bob",
            "place": "Community space · Spring",
            "url": "/discussions/p/x/",
            "target_id": uuid.UUID(int=7),
        }
        arguments.update(overrides)
        return arguments

    def rows(self, planned: list[Notification]) -> list[tuple[object, ...]]:
        return [
            (n.recipient_id, n.kind, n.email, n.actor_label, n.place, n.url, n.target_id)
            for n in planned
        ]

    def test_it_plans_what_one_plan_per_kind_plans_in_one_query(self) -> None:
        set_email_preferences(self.alice, choices={"reply": EmailChoice.WEEKLY})
        set_email_preferences(self.carol, choices={"mention": EmailChoice.NEVER})
        Block.objects.create(blocker=self.dave, blocked=self.bob)
        audiences = [
            (NotificationKind.REPLY, [self.alice.pk]),
            (NotificationKind.MENTION, [self.carol.pk, self.dave.pk, self.oscar.pk, self.bob.pk]),
        ]
        separately = [
            row
            for kind, recipients in audiences
            for row in self.rows(
                plan_notifications(kind=kind, recipients=recipients, **self.arguments())  # type: ignore[arg-type]
            )
        ]
        # recipients, blocks, email choices and quiet hours in one query: not one a kind
        with self.assertNumQueries(1):
            together = plan_notifications_by_kind(audiences=audiences, **self.arguments())  # type: ignore[arg-type]
        self.assertEqual(self.rows(together), separately)
        self.assertEqual(
            [(row[0], row[1], row[2]) for row in self.rows(together)],
            [(self.alice.pk, "reply", "weekly"), (self.carol.pk, "mention", "never")],
        )

    def test_each_kind_reads_its_own_email_choice_for_the_same_person(self) -> None:
        set_email_preferences(self.alice, choices={"mention": EmailChoice.DAILY})
        planned = plan_notifications_by_kind(
            audiences=[("reply", [self.alice]), ("mention", [self.alice])],
            **self.arguments(),  # type: ignore[arg-type]
        )
        self.assertEqual(
            [(n.kind, n.email) for n in planned], [("reply", "immediate"), ("mention", "daily")]
        )

    def test_a_pseudonym_is_silenced_only_by_its_own_blocks_for_every_kind(self) -> None:
        Block.objects.create(blocker=self.alice, blocked=self.bob)  # Bob's real name
        Block.objects.create(blocker=self.carol, blocked=self.bob, blocked_label="Quiet Owl")
        planned = plan_notifications_by_kind(
            audiences=[("reply", [self.alice]), ("mention", [self.carol])],
            **self.arguments(actor_label="Quiet Owl", pseudonymous=True),  # type: ignore[arg-type]
        )
        self.assertEqual([n.recipient_id for n in planned], [self.alice.pk])

    def test_an_unknown_kind_among_several_raises_before_any_query(self) -> None:
        with self.assertNumQueries(0), self.assertRaises(InvalidNotification):
            plan_notifications_by_kind(
                audiences=[("reply", [self.alice]), ("gossip", [self.carol])],
                **self.arguments(),  # type: ignore[arg-type]
            )

    def test_nobody_left_costs_no_query(self) -> None:
        with self.assertNumQueries(0):
            self.assertEqual(
                plan_notifications_by_kind(
                    audiences=[("reply", [self.bob]), ("mention", [])],
                    **self.arguments(),  # type: ignore[arg-type]
                ),
                [],
            )
        self.assertEqual(save_notifications([]), 0)


class CompiledPlanTests(PersonaTestCase):
    """The plan's query is compiled once per shape (kinds, number of recipients, with or
    without an actor) and re-run with each call's ids, actor and label (docs/performance.md,
    round 7): the same statement as a fresh compile, the same rows as the ORM, and the
    queryset not built again for a second call of the same shape."""

    def setUp(self) -> None:
        from notifications.actions import set_quiet_hours

        set_email_preferences(self.alice, choices={"reply": EmailChoice.WEEKLY})
        set_email_preferences(self.carol, choices={"mention": EmailChoice.NEVER})
        set_quiet_hours(self.carol, start=time(22, 0), end=time(7, 30))
        Block.objects.create(blocker=self.dave, blocked=self.bob)
        Block.objects.create(blocker=self.dora, blocked=self.bob, blocked_label="Quiet Owl")
        self.everyone = (
            self.alice.pk,
            self.carol.pk,
            self.dave.pk,
            self.dora.pk,
            self.erin.pk,
            self.oscar.pk,
        )

    def shapes(self) -> list[tuple[tuple[str, ...], tuple[int, ...], object, str]]:
        both = ("reply", "mention")
        return [
            (("reply",), self.everyone[:1], self.bob, ""),
            (both, self.everyone, self.bob, ""),
            (both, self.everyone, self.bob, "Quiet Owl"),
            (("mention", "circle"), self.everyone[::-1], self.erin, ""),
            (both, self.everyone, None, ""),
        ]

    def test_the_statement_is_a_fresh_compile_of_the_rule(self) -> None:
        from notifications.actions import _PLAN, _plan_queryset

        for kinds, ids, actor, label in self.shapes():
            with self.subTest(kinds=kinds, actor=actor, label=label):
                kept = _PLAN.sql_with_params(kinds, ids, actor, label)  # type: ignore[arg-type]
                self.assertIsNotNone(kept)
                fresh = _plan_queryset(kinds, ids, actor, label).query.sql_with_params()  # type: ignore[arg-type]
                self.assertEqual(kept, (fresh[0], tuple(fresh[1])))

    def test_the_rows_are_the_orms(self) -> None:
        from notifications.actions import _PLAN, _plan_queryset

        for kinds, ids, actor, label in self.shapes():
            with self.subTest(kinds=kinds, actor=actor, label=label):
                orm = list(_plan_queryset(kinds, ids, actor, label))  # type: ignore[arg-type]
                with self.assertNumQueries(1):
                    compiled = _PLAN.rows(kinds, ids, actor, label)  # type: ignore[arg-type]
                self.assertEqual(compiled, orm)
        quiet = _PLAN.rows(("mention",), (self.carol.pk,), self.bob, "")
        self.assertEqual((quiet[0][3], quiet[0][4]), (time(22, 0), time(7, 30)))
        self.assertEqual(quiet[0][5], EmailChoice.NEVER)

    def test_a_second_plan_of_the_same_shape_does_not_build_the_query_again(self) -> None:
        from unittest import mock

        from notifications import actions

        audiences = [("reply", [self.alice]), ("mention", [self.carol, self.dave])]
        plan_notifications_by_kind(audiences=audiences, **PlanByKindTests.arguments(self))  # type: ignore[arg-type, arg-type]
        with mock.patch.object(actions, "_plan_queryset", wraps=actions._plan_queryset) as built:
            planned = plan_notifications_by_kind(
                audiences=[("reply", [self.erin]), ("mention", [self.dora, self.dave])],
                **PlanByKindTests.arguments(self, actor_label="Quiet Owl", pseudonymous=True),  # type: ignore[arg-type]
            )
        self.assertEqual(built.call_count, 0)
        # Dora blocked this pseudonym, Dave only Bob's real name.
        self.assertEqual(
            [(n.recipient_id, n.kind) for n in planned],
            [(self.erin.pk, "reply"), (self.dave.pk, "mention")],
        )

    def test_repeated_ids_and_an_actor_without_an_organisation_take_the_orm_path(self) -> None:
        from notifications.actions import _PLAN

        self.assertIsNone(_PLAN.sql_with_params(("reply",), (1, 1), self.bob, ""))
        self.assertIsNone(_PLAN.sql_with_params(("reply",), (), self.bob, ""))
        unsaved = type(self.bob)(pk=self.bob.pk)  # no organisation id
        self.assertIsNone(_PLAN.sql_with_params(("reply",), (self.alice.pk,), unsaved, ""))
