"""Against a real Learning Record Store: Ralph (`ralph runserver -b fs`) on a loopback port,
started by the tests (events/tests/ralph_lrs.py). It receives every statement exactly once,
valid by its own models; a statement it refuses is set aside without holding back the others;
and a forwarder killed (SIGKILL) right after the LRS accepted a batch, before the outbox knew,
loses nothing and stores nothing twice once it is started again."""

import os
import signal
import subprocess
import sys
import tempfile
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from ralph.models.xapi.base.statements import BaseXapiStatement
from ralph.models.xapi.video.statements import VideoCompleted, VideoPaused, VideoPlayed

from accounts.models import User
from cohorts.actions import enroll, record_visit, save_media_position, set_completed
from cohorts.models import Enrollment
from events.actions import record_event
from events.forwarding import backfill, forward_pending
from events.models import DeadReason, DeadStatement, Event, ObjectType, PendingStatement, Verb
from events.tests.ralph_lrs import PASSWORD, USERNAME, RalphLRS
from programs.models import ActivityKind
from rapport.testing import PersonaTestCase, make_cohort, make_org, make_program, make_user

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://rapport.example.com"


def lrs_settings(lrs: RalphLRS, **more: object) -> override_settings:
    return override_settings(
        RAPPORT_XAPI_LRS_URL=lrs.url,
        RAPPORT_XAPI_LRS_USERNAME=USERNAME,
        RAPPORT_XAPI_LRS_PASSWORD=PASSWORD,
        RAPPORT_SITE_URL=SITE,
        **more,
    )


class RalphForwardingTests(PersonaTestCase):
    lrs: RalphLRS
    folder: tempfile.TemporaryDirectory[str]

    @classmethod
    def setUpClass(cls) -> None:
        cls.folder = tempfile.TemporaryDirectory(prefix="rapport-ralph-")
        cls.lrs = RalphLRS(Path(cls.folder.name))
        cls.lrs.start()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.lrs.stop()
        cls.folder.cleanup()

    def _stored(self, ids: set[str]) -> Counter[str]:
        return Counter(s["id"] for s in self.lrs.statements() if s["id"] in ids)

    def test_the_lrs_receives_each_statement_once_valid_by_its_own_models(self) -> None:
        with lrs_settings(self.lrs, RAPPORT_XAPI_BATCH_SIZE=5):
            seat = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
            video = self.first_activity(ActivityKind.VIDEO)
            article = self.first_activity(ActivityKind.ARTICLE)
            record_visit(seat, activity=video)
            save_media_position(seat, activity=video, position=0.0, verb=Verb.PLAYED)
            save_media_position(seat, activity=video, position=42.0, verb=Verb.PAUSED, length=84.0)
            set_completed(seat, activity=video, position=84.0, length=84.0)
            set_completed(seat, activity=article)
            set_completed(seat, activity=article, completed=False)
            record_event(
                self.bob,
                verb=Verb.COMMENTED,
                object_type=ObjectType.COHORT,
                object_id=self.cohort_a.public_id,
                cohort=self.cohort_a,
            )
            record_event(
                self.alice, verb=Verb.COMMITTED, object_type=ObjectType.GOAL, object_id=uuid.uuid4()
            )
            ids = {
                str(i) for i in PendingStatement.objects.values_list("event__public_id", flat=True)
            }
            self.assertEqual(len(ids), 8)
            report = forward_pending()
            self.assertEqual((report.sent, report.dead, report.deferred), (len(ids), 0, 0))
            self.assertEqual(self._stored(ids), Counter(dict.fromkeys(ids, 1)))
            self.assertFalse(PendingStatement.objects.exists())

            stored = {s["id"]: s for s in self.lrs.statements() if s["id"] in ids}
            for statement in stored.values():
                BaseXapiStatement(**statement)
                self.assertNotIn("mbox", statement["actor"])
            by_verb = {
                e.verb: stored[str(e.public_id)]
                for e in Event.objects.filter(object_id=video.public_id)
            }
            VideoPlayed(**by_verb[Verb.PLAYED])
            VideoPaused(**by_verb[Verb.PAUSED])
            VideoCompleted(**by_verb[Verb.COMPLETED])

            # Everything sent again (a new LRS, a lost high-water mark): same ids, kept once.
            queued = backfill()  # the setup's seats too, never sent before
            self.assertGreaterEqual(queued, len(ids))
            again = forward_pending()
            self.assertEqual((again.sent, again.dead), (queued, 0))
            self.assertEqual(self._stored(ids), Counter(dict.fromkeys(ids, 1)))

    def test_a_statement_the_lrs_refuses_is_set_aside_and_the_rest_arrive(self) -> None:
        with lrs_settings(self.lrs, RAPPORT_XAPI_BATCH_SIZE=50):
            event = record_event(
                self.dave, verb=Verb.COMMITTED, object_type=ObjectType.GOAL, object_id=uuid.uuid4()
            )
            forward_pending()
            # The actor's account id renewed (as erasure does) and the statement sent again
            # under the same id: a different statement, which the LRS refuses (409).
            User.objects.filter(pk=self.dave.pk).update(public_id=uuid.uuid4())
            others = [
                record_event(
                    self.fay,
                    verb=Verb.COMMITTED,
                    object_type=ObjectType.GOAL,
                    object_id=uuid.uuid4(),
                )
                for _ in range(6)
            ]
            PendingStatement.objects.create(event=event)
            report = forward_pending()
            self.assertEqual(report.dead, 1)
            dead = DeadStatement.objects.get()
            self.assertEqual((dead.event_id, dead.status), (event.pk, 409))
            self.assertEqual(dead.reason, DeadReason.CONFLICT)
            ids = {str(e.public_id) for e in others}
            self.assertEqual(self._stored(ids), Counter(dict.fromkeys(ids, 1)))
            self.assertFalse(PendingStatement.objects.exists())


def _database_url() -> str:
    """The test database as a DATABASE_URL, for a forwarder in another process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# Runs in the child: the forwarder, killed by SIGKILL the moment the LRS has accepted its third
# batch and before the outbox rows of that batch are deleted (the worst moment to die).
DIE_AFTER_THIRD_BATCH = """
import os, signal, django
django.setup()
from events import forwarding
original, calls = forwarding._mark_sent, []
def mark_sent(ids):
    calls.append(ids)
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    original(ids)
forwarding._mark_sent = mark_sent
forwarding.forward_pending()
"""


@pytest.mark.django_db(transaction=True)
def test_a_forwarder_killed_midway_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path,
) -> None:
    org = make_org()
    program = make_program(org, weeks=1, per_week=2)
    cohort = make_cohort(program)
    people = [make_user(org, f"learner{n}@northwind.example") for n in range(6)]
    with RalphLRS(tmp_path / "lrs") as lrs, lrs_settings(lrs, RAPPORT_XAPI_BATCH_SIZE=10):
        for person in people:
            seat, _ = enroll(person, cohort=cohort)
            for activity in program.weeks.get().activities.all():  # type: ignore[attr-defined]
                record_visit(seat, activity=activity, verb=Verb.LAUNCHED)
                set_completed(seat, activity=activity)
                set_completed(seat, activity=activity, completed=False)
                set_completed(seat, activity=activity)
        ids = {str(i) for i in Event.objects.values_list("public_id", flat=True)}
        assert len(ids) == PendingStatement.objects.count() > 30

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "rapport.settings_test",
            "DATABASE_URL": _database_url(),
            "RAPPORT_XAPI_LRS_URL": lrs.url,
            "RAPPORT_XAPI_LRS_USERNAME": USERNAME,
            "RAPPORT_XAPI_LRS_PASSWORD": PASSWORD,
            "RAPPORT_XAPI_BATCH_SIZE": "10",
            "RAPPORT_SITE_URL": SITE,
        }
        child = subprocess.run(
            [sys.executable, "-c", DIE_AFTER_THIRD_BATCH],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=300,
        )
        assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]
        # Killed with 30 statements at the LRS and the third batch still claimed in the outbox.
        assert len(lrs.statements()) == 30
        assert PendingStatement.objects.count() == len(ids) - 20
        assert PendingStatement.objects.filter(claimed_at__isnull=False).count() == 10

        # Started again once the dead worker's lease is over (0 s here, 300 s by default).
        with override_settings(RAPPORT_XAPI_LEASE_SECONDS=0):
            report = forward_pending()
        assert (report.dead, report.deferred) == (0, 0)
        stored = Counter(s["id"] for s in lrs.statements())
        assert set(stored) == ids  # nothing lost
        assert max(stored.values()) == 1  # nothing twice
        assert not PendingStatement.objects.exists()
    assert settings.RAPPORT_XAPI_LRS_URL == ""
