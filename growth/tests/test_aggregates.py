"""The organisation's emotion and energy trends: admins only, aggregates only, and nothing at
all for a group under the small-group threshold (rapport.policy.suppress_small_groups)."""

import uuid
from datetime import timedelta

from django.test import override_settings
from django.urls import reverse

from growth import actions, aggregates
from growth.tests.base import GrowthTestCase
from rapport.lib.timezones import local_today
from rapport.testing import make_user


@override_settings(RAPPORT_MIN_GROUP_SIZE=5)
class AggregateTests(GrowthTestCase):
    def check_in(self, person, feeling: int, energy: int, *, days_ago: int = 0) -> None:  # type: ignore[no-untyped-def]
        day = local_today(self.adam.time_zone) - timedelta(days=days_ago)
        actions.record_mood(
            person,
            submission=uuid.uuid4(),
            day=day,
            feeling=feeling,
            energy=energy,
            note="private words",
        )

    def test_only_admins_open_the_trends(self) -> None:
        for person in (self.alice, self.carol, self.dora):
            self.client.force_login(person)
            self.assertEqual(self.client.get(reverse("growth:trends")).status_code, 403)
        self.assertEqual(aggregates.by_week(self.alice, today=local_today("UTC")), [])

    def test_a_week_with_four_people_shows_nothing(self) -> None:
        for person, feeling in zip(
            (self.alice, self.bob, self.dave, self.fay), (1, 2, 4, 5), strict=True
        ):
            self.check_in(person, feeling, 3)
        week = aggregates.by_week(self.adam, today=local_today(self.adam.time_zone))[0]
        self.assertIsNone(week.people)
        self.assertIsNone(week.feeling)
        self.assertTrue(all(n is None for _label, n in week.bands))
        self.client.force_login(self.adam)
        response = self.client.get(reverse("growth:trends"))
        self.assertContains(response, "Fewer than 5 people")
        self.assertNotContains(response, "private words")

    def test_five_people_show_their_averages_each_counted_once(self) -> None:
        people = [self.alice, self.bob, self.dave, self.fay, self.erin]
        for person, feeling in zip(people, (4, 4, 4, 5, 3), strict=True):
            self.check_in(person, feeling, 2)
        self.check_in(self.alice, 4, 4)  # a second check-in: alice still counts once
        week = aggregates.by_week(self.adam, today=local_today(self.adam.time_zone))[0]
        self.assertEqual(week.people, 5)
        self.assertEqual(week.feeling, 4.0)
        self.assertEqual(week.energy, round((3 + 2 + 2 + 2 + 2) / 5, 1))
        # low 0, middle 1 (erin), high 4: the middle band is under 5 and is hidden, and then
        # low (0) and middle together could be worked out, so the bands are all hidden.
        self.assertTrue(all(n is None for _label, n in week.bands))

    def test_a_cohort_counts_its_learners_only(self) -> None:
        extra = [make_user(self.org, f"learner{n}@northwind.example") for n in range(3)]
        from cohorts.actions import enroll

        for person in extra:
            enroll(person, cohort=self.cohort_a)
        for person in (self.alice, self.bob, self.fay, *extra):
            self.check_in(person, 4, 4, days_ago=3)
        self.check_in(self.dave, 1, 1)  # cohort B: one person
        groups = {g.label: g for g in aggregates.by_cohort(self.adam, today=local_today("UTC"))}
        self.assertEqual(groups["Cohort A"].people, 6)
        self.assertEqual(groups["Cohort A"].feeling, 4.0)
        # Everyone is in the high band: the two empty bands would tell on the third, so all
        # three are hidden and only the total and the averages are shown.
        self.assertEqual([n for _label, n in groups["Cohort A"].bands], [None, None, None])
        self.assertIsNone(groups["Cohort B"].people)

    def test_another_organisations_check_ins_never_count(self) -> None:
        others = [make_user(self.other_org, f"o{n}@contoso.example") for n in range(5)]
        for person in others:
            self.check_in(person, 5, 5)
        week = aggregates.by_week(self.adam, today=local_today(self.adam.time_zone))[0]
        self.assertIsNone(week.people)
