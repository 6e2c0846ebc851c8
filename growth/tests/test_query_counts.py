"""The goals page, the mindset page (with its check-ins) and the emotion check-in page make a
fixed number of queries whatever the number of goals, routines and check-ins."""

import uuid
from datetime import timedelta

from django.urls import reverse

from growth import actions
from growth.tests.base import GrowthTestCase
from organizations.models import Behaviour
from rapport.lib.timezones import local_today


class QueryCountTests(GrowthTestCase):
    def add_goals(self, n: int) -> None:
        behaviours = list(Behaviour.objects.filter(organization=self.org))
        for i in range(n):
            actions.create_goal(
                self.alice,
                submission=uuid.uuid4(),
                title=f"Goal {i}",
                behaviour=behaviours[i % len(behaviours)],
            )
        actions.pick_behaviours(self.alice, behaviours=behaviours[:n])

    def add_routines(self, n: int) -> None:
        today = local_today(self.alice.time_zone)
        belief, _ = actions.create_belief(self.alice, submission=uuid.uuid4(), belief=f"B{n}")
        for i in range(n):
            routine, _ = actions.add_routine(
                self.alice, belief=belief, submission=uuid.uuid4(), text=f"R{i}"
            )
            for days_ago in range(3):
                actions.check_in_routine(
                    self.alice,
                    routine=routine,
                    period=today - timedelta(days=days_ago),
                    done=True,
                )

    def add_moods(self, n: int) -> None:
        today = local_today(self.alice.time_zone)
        for i in range(n):
            actions.record_mood(
                self.alice,
                submission=uuid.uuid4(),
                day=today - timedelta(days=i % 14),
                feeling=1 + i % 5,
                energy=1 + (i * 2) % 5,
            )

    def assert_constant(self, url: str, grow: object, expected: int) -> None:
        self.client.force_login(self.alice)
        self.client.get(url)  # warm the session and the per-process caches
        for step in (1, 8):
            grow(step)  # type: ignore[operator]
            with self.assertNumQueries(expected):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_goals_page(self) -> None:
        # 1 the user with membership and organisation, 2 the profile, 3 its picks, 4 the goals
        # with behaviour and competency, 5 the competencies, 6 their behaviours, 7 the
        # behaviours with competency for the goal form's choices
        self.assert_constant(reverse("growth:index"), self.add_goals, 7)

    def test_the_mindset_page(self) -> None:
        # 1 the user, 2 the beliefs, 3 their routines, 4 the routines' recent check-ins
        self.assert_constant(reverse("growth:mindset"), self.add_routines, 4)

    def test_the_check_in_page(self) -> None:
        # 1 the user, 2 whether they have a coach (to offer "share with my coach"), 3 the
        # check-ins of the last two weeks
        self.assert_constant(reverse("growth:check_in"), self.add_moods, 3)
