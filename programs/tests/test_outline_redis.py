"""The outline in Redis, as deployments with REDIS_URL run it. Skips only when Redis cannot be
reached on a developer's machine; under CI (CI=true) an unreachable Redis fails the test."""

import os
import uuid
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from programs.models import Activity, Program
from programs.outline import ProgramOutline, cache_key, forget_local_copies
from rapport.testing import PersonaTestCase

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")
# A prefix per run: several checkouts share this Redis, and the test removes only its own keys.
PREFIX = f"rapport-test-{uuid.uuid4().hex}"


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required under CI and {REDIS_URL} is unreachable: {error}")
        pytest.skip(f"Redis unreachable at {REDIS_URL}")


@pytest.fixture(autouse=True)
def _own_keys_only() -> Iterator[None]:
    _redis_or_skip()
    yield
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{PREFIX}:*"):
        client.delete(key)


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": PREFIX,
        }
    }
)
class RedisOutlineTests(PersonaTestCase):
    def setUp(self) -> None:
        forget_local_copies()  # earlier tests may have this programme's outline in memory

    def test_app_servers_share_the_outline_through_redis(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("cohorts:this_week", args=[self.cohort_a.public_id])
        self.assertEqual(self.client.get(url).status_code, 200)
        program = Program.objects.get(pk=self.program.pk)
        stored = caches["default"].get(cache_key(program.public_id, program.outline_token))
        self.assertIsInstance(stored, ProgramOutline)
        forget_local_copies()  # another app server: nothing in memory, Redis shared
        # 1 user, 2 enrollment with cohort and programme (and its token), 3 progress.
        with self.assertNumQueries(3):
            self.client.get(url)

    def test_a_moved_activity_leaves_the_old_cohort_at_once_with_redis(self) -> None:
        self.client.force_login(self.alice)
        journey = reverse("cohorts:journey", args=[self.cohort_a.public_id])
        activity = self.first_activity()
        self.assertContains(self.client.get(journey), activity.title)
        other = Program.objects.create(organization=self.org, title="Elsewhere")
        week = other.weeks.create(number=1, title="Elsewhere week")
        Activity.objects.filter(pk=activity.pk).update(week=week)
        self.assertNotContains(self.client.get(journey), activity.title)
