"""The cached programme outline: immutable values, programme content only, and never stale —
whatever path the write took (programs/outline.py, programs/outline_triggers.py)."""

import dataclasses
import pickle
import uuid
from datetime import date, datetime, time
from typing import Any

import pytest
from django.core.cache import caches
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.models import Model
from django.test import override_settings
from django.urls import reverse

from cohorts.actions import record_visit, save_media_position, set_completed
from cohorts.models import Enrollment
from events.models import Verb
from organizations.models import Competency
from programs import outline_triggers
from programs.models import Activity, ActivityKind, Program, Week
from programs.outline import (
    ProgramOutline,
    build_outline,
    cache_key,
    forget_local_copies,
    outline_of,
)
from programs.validators import guess_media_type
from rapport.testing import PersonaTestCase

PLAIN = (str, int, bool, type(None), uuid.UUID, datetime, time)


def _leaves(value: Any, path: str = "outline") -> list[tuple[str, Any]]:
    """Every plain value in the outline with where it sits; fails on anything else."""
    if isinstance(value, Model):
        raise AssertionError(f"{path} is an ORM instance: {type(value).__name__}")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        assert type(value).__dataclass_params__.frozen, f"{path} is not frozen"  # type: ignore[attr-defined]
        return [
            leaf
            for f in dataclasses.fields(value)
            for leaf in _leaves(getattr(value, f.name), f"{path}.{f.name}")
        ]
    if isinstance(value, tuple):
        return [leaf for i, item in enumerate(value) for leaf in _leaves(item, f"{path}[{i}]")]
    assert isinstance(value, PLAIN), f"{path} is a {type(value).__name__}, not a plain value"
    return [(path, value)]


def _token(program: Program) -> uuid.UUID:
    return Program.objects.values_list("outline_token", flat=True).get(pk=program.pk)


class OutlineValueTests(PersonaTestCase):
    def test_the_outline_holds_only_frozen_dataclasses_tuples_and_plain_values(self) -> None:
        outline = outline_of(Program.objects.get(pk=self.program.pk))
        self.assertEqual(outline.total_activities, 8)
        self.assertTrue(_leaves(outline))
        activity = outline.activities(1)[0]
        with pytest.raises(dataclasses.FrozenInstanceError):
            activity.title = "Changed by a request"  # type: ignore[misc]
        self.assertIsInstance(activity.competencies, tuple)

    def test_the_outline_has_what_the_templates_ask_of_an_activity(self) -> None:
        outline = outline_of(Program.objects.get(pk=self.program.pk))
        video = self.first_activity(ActivityKind.VIDEO)
        live = self.first_activity(ActivityKind.LIVE_SESSION)
        item = outline.activity(video.public_id)
        assert item is not None
        self.assertEqual(
            (item.pk, item.kind_label, item.is_media, item.media_mime_type, item.week.number),
            (video.pk, video.kind_label, True, video.media_mime_type, video.week.number),
        )
        self.assertEqual(item.media, video.media.name)
        self.assertEqual(item.captions, video.captions.name)
        session = outline.activity(live.public_id)
        assert session is not None
        monday = date(2027, 1, 4)
        self.assertEqual(session.default_session_start(monday), live.default_session_start(monday))
        self.assertEqual(session.session_minutes, live.session_minutes)
        self.assertFalse(session.is_media)
        self.assertEqual(session.media, "")
        self.assertIsNone(outline.activity(uuid.uuid4()))
        self.assertEqual(outline.activities(99), ())

    def test_activities_come_in_week_then_position_order(self) -> None:
        outline = build_outline(self.program.pk)
        expected = list(
            Activity.objects.filter(week__program=self.program)
            .order_by("week__number", "position", "id")
            .values_list("public_id", flat=True)
        )
        self.assertEqual([a.public_id for a in outline.activities_in_order], expected)
        for week in outline.weeks:
            self.assertTrue(all(a.week == week for a in outline.activities(week.number)))

    def test_the_cached_outline_holds_only_programme_content(self) -> None:
        # Give the learners everything private a page could touch: progress, positions, events.
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        video = self.first_activity(ActivityKind.VIDEO)
        record_visit(enrollment, activity=video)
        save_media_position(enrollment, activity=video, position=42.0, verb=Verb.PAUSED)
        set_completed(enrollment, activity=self.first_activity(ActivityKind.ARTICLE))
        self.client.force_login(self.alice)
        for name in ("cohorts:this_week", "cohorts:journey"):
            self.client.get(reverse(name, args=[self.cohort_a.public_id]))
        self.client.get(
            reverse("cohorts:activity", args=[self.cohort_a.public_id, video.public_id])
        )

        program = Program.objects.get(pk=self.program.pk)
        stored = caches["default"].get(cache_key(program.public_id, program.outline_token))
        self.assertIsInstance(stored, ProgramOutline)
        # Every piece of text in it is a field of this programme's weeks, activities or
        # competencies: nothing about a person can be in it.
        content: set[object] = set()
        for week in Week.objects.filter(program=self.program):
            content |= {week.title, week.summary}
        for activity in Activity.objects.filter(week__program=self.program):
            content |= {
                activity.kind, activity.title, activity.summary, activity.body,
                activity.transcript, activity.external_url, activity.media.name,
                activity.captions.name, guess_media_type(activity.media.name or ""),
                activity.session_time_zone,
            }  # fmt: skip
            content |= set(activity.competencies.values_list("name", flat=True))
        texts = {(path, value) for path, value in _leaves(stored) if isinstance(value, str)}
        self.assertEqual({(p, v) for p, v in texts if v and v not in content}, set())
        dumped = pickle.dumps(stored)
        for person in (self.alice, self.bob, self.carol):
            for private in (person.email, person.full_name, str(person.public_id)):
                self.assertNotIn(private.encode(), dumped)
        self.assertNotIn(str(enrollment.public_id).encode(), dumped)


class OutlineCacheTests(PersonaTestCase):
    def test_a_second_process_reads_the_shared_cache_without_a_query(self) -> None:
        program = Program.objects.get(pk=self.program.pk)
        forget_local_copies()
        first = outline_of(program)  # built here, stored in the shared cache
        forget_local_copies()  # what another app server, sharing the cache, starts with
        with self.assertNumQueries(0):
            second = outline_of(program)
        self.assertEqual(first, second)
        self.assertIsNot(first, second)

    @override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
                "OPTIONS": {"socket_connect_timeout": 0.2},
            }
        },
        SESSION_ENGINE="django.contrib.sessions.backends.db",
    )
    def test_a_cache_that_is_down_costs_a_rebuild_not_an_error(self) -> None:
        forget_local_copies()
        program = Program.objects.get(pk=self.program.pk)
        with self.assertLogs("programs.outline", "WARNING"), self.assertNumQueries(3):
            outline = outline_of(program)
        self.assertEqual(outline.total_activities, 8)


class OutlineTokenTests(PersonaTestCase):
    """The database gives a programme a new token for every change to its outline."""

    def assert_renews(self, program: Program, change: Any) -> None:
        before = _token(program)
        change()
        self.assertNotEqual(_token(program), before)

    def test_every_kind_of_write_renews_the_token(self) -> None:
        week = Week.objects.get(program=self.program, number=1)
        activity = self.first_activity()
        competency = Competency.objects.get(organization=self.org, name="Listen fully")
        through = Activity.competencies.through
        changes = {
            "save": lambda: Activity.objects.get(pk=activity.pk).save(),
            "queryset update": lambda: Activity.objects.filter(pk=activity.pk).update(title="T"),
            "raw SQL": lambda: connection.cursor().execute(
                "UPDATE programs_activity SET summary = 'S' WHERE id = %s", [activity.pk]
            ),
            "bulk_create": lambda: Activity.objects.bulk_create(
                [Activity(organization=self.org, week=week, kind="article", title="New")]
            ),
            "delete": lambda: Activity.objects.filter(title="New").delete(),
            "week update": lambda: Week.objects.filter(pk=week.pk).update(summary="W"),
            "link removed": lambda: through.objects.filter(activity_id=activity.pk).delete(),
            "link added": lambda: through.objects.bulk_create(
                [through(activity_id=activity.pk, competency_id=competency.pk)]
            ),
            "competency renamed": lambda: Competency.objects.filter(pk=competency.pk).update(
                name="Listen with care"
            ),
        }
        for name, change in changes.items():
            with self.subTest(name):
                self.assert_renews(self.program, change)

    def test_a_write_elsewhere_leaves_the_token_alone(self) -> None:
        before = _token(self.program)
        Activity.objects.exclude(week__program=self.program).update(title="Elsewhere")
        Enrollment.objects.filter(cohort=self.cohort_a).update(completed_count=0)
        self.assertEqual(_token(self.program), before)

    def test_saving_a_programme_read_before_an_edit_cannot_restore_the_old_token(self) -> None:
        stale = Program.objects.get(pk=self.program.pk)
        Activity.objects.filter(pk=self.first_activity().pk).update(title="Edited")
        edited = _token(self.program)
        stale.title = "Renamed programme"
        stale.save()
        self.assertNotIn(_token(self.program), {stale.outline_token, edited})

    def test_migrate_reinstalls_missing_triggers_and_renews_every_token(self) -> None:
        self.assertEqual(
            outline_triggers.installed(connection), set(outline_triggers.TRIGGER_NAMES)
        )
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER rapport_outline_activity_update")
            else:
                cursor.execute("DROP TRIGGER rapport_outline_activity_update ON programs_activity")
        before = dict(Program.objects.values_list("pk", "outline_token"))
        # A data migration running while the trigger is missing (SQLite drops a table's
        # triggers when a schema change rebuilds it)...
        Activity.objects.filter(week__program=self.program).update(title="Migrated")
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
        # ...cannot leave an outline stale: migrate renews every programme's token.
        self.assertEqual(
            outline_triggers.installed(connection), set(outline_triggers.TRIGGER_NAMES)
        )
        after = dict(Program.objects.values_list("pk", "outline_token"))
        self.assertTrue(all(after[pk] != token for pk, token in before.items()))
        self.assertEqual(len(set(after.values())), len(after))
        self.assert_renews(
            self.program,
            lambda: Activity.objects.filter(week__program=self.program).update(title="Again"),
        )
