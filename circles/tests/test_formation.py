"""circles.formation: every circle keeps every rule, nobody is lost, the score is close to a bound
that no split can beat, and people who cannot be placed are named with the reason."""

import itertools
import random
from datetime import date

from django.test import SimpleTestCase

from bench.circles import MIX, synthetic_cohort
from circles.formation import (
    CONFLICTS,
    NO_SHARED_HOURS,
    TOO_FEW,
    Formation,
    Learner,
    Unplaced,
    check_circle,
    form_circles,
    place_late_joiner,
    reference_day,
    ties,
    upper_bound,
    working_window,
)

LONDON = (540, 1020)  # 09:00-17:00 UTC in winter
TOKYO = (0, 480)
HONOLULU = (1140, 1620)


def person(pid: int, window: tuple[int, int] = LONDON, **kwargs: object) -> Learner:
    attributes = {
        "region": str(kwargs.pop("region", "Europe")),
        "function": str(kwargs.pop("function", f"F{pid}")),
    }
    return Learner(id=pid, window=window, attributes=attributes, **kwargs)  # type: ignore[arg-type]


class WorkingWindowTests(SimpleTestCase):
    def test_windows_are_minutes_from_utc_midnight_of_the_reference_day(self) -> None:
        day = date(2027, 1, 13)
        self.assertEqual(working_window("Asia/Tokyo", day), (0, 480))
        self.assertEqual(working_window("America/Lima", day), (840, 1320))
        self.assertEqual(working_window("Asia/Kolkata", day), (210, 690))

    def test_daylight_saving_time_in_force_on_the_day_counts(self) -> None:
        self.assertEqual(working_window("Europe/London", date(2027, 1, 13)), (540, 1020))
        self.assertEqual(working_window("Europe/London", date(2027, 7, 14)), (480, 960))

    def test_the_reference_day_is_the_wednesday_of_the_first_week(self) -> None:
        self.assertEqual(reference_day(date(2027, 1, 11)), date(2027, 1, 13))  # a Monday
        self.assertEqual(reference_day(date(2027, 1, 13)), date(2027, 1, 13))
        self.assertEqual(reference_day(date(2027, 1, 14)), date(2027, 1, 20))


class RuleTests(SimpleTestCase):
    def test_check_circle_names_each_broken_rule(self) -> None:
        good = [person(i) for i in range(1, 6)]
        self.assertEqual(check_circle(good), [])
        self.assertIn("4 members, outside 5-7", check_circle(good[:4]))
        far = [*good[:4], person(9, HONOLULU)]
        self.assertIn("fewer than two shared working hours", check_circle(far))
        managed = [*good[:4], person(9, manager_id=1)]
        self.assertIn("a person and their line manager", check_circle(managed))
        again = [*good[:4], person(9, past_mates=frozenset({2}))]
        self.assertIn("two people who shared a circle before", check_circle(again))

    def test_two_hours_shared_is_enough_and_less_is_not(self) -> None:
        early = (540 - 360, 1020 - 360)  # six hours ahead: exactly two hours shared
        circle = [*(person(i) for i in range(1, 5)), person(5, early)]
        self.assertEqual(check_circle(circle), [])
        later = [*(person(i) for i in range(1, 5)), person(5, (early[0] - 1, early[1] - 1))]
        self.assertEqual(check_circle(later), ["fewer than two shared working hours"])

    def test_ties_count_pairs_that_differ_on_any_mixed_attribute(self) -> None:
        same = [person(i, function="Sales") for i in range(1, 4)]
        self.assertEqual(ties(same, MIX), 0)
        self.assertEqual(ties([*same, person(4, region="Africa", function="Sales")], MIX), 3)
        self.assertEqual(ties(same, ()), 0)


class BoundTests(SimpleTestCase):
    def test_the_bound_is_the_pairs_of_the_largest_circles_when_everyone_differs(self) -> None:
        self.assertEqual(upper_bound([1] * 10, 10), 20)  # two circles of five
        self.assertEqual(upper_bound([1] * 14, 14), 42)  # two of seven
        self.assertEqual(upper_bound([1] * 12, 12), 31)  # seven and five beat six and six
        self.assertEqual(upper_bound([1] * 9, 9), 0)  # no split exists

    def test_no_split_beats_the_bound(self) -> None:
        rng = random.Random(3)
        for _ in range(20):
            keys = [rng.choice("abc") for _ in range(10)]
            people = [person(i, function=k) for i, k in enumerate(keys)]
            best = 0
            for first in itertools.combinations(range(10), 5):
                second = [i for i in range(10) if i not in first]
                score = ties([people[i] for i in first], MIX) + ties(
                    [people[i] for i in second], MIX
                )
                best = max(best, score)
            counts = [keys.count(k) for k in "abc"]
            bound = upper_bound(counts, 10)
            self.assertLessEqual(best, bound)
            # Two circles of five is the only split of ten: the bound is attained.
            self.assertEqual(best, bound)


class FormationTests(SimpleTestCase):
    def assert_valid(self, learners: list[Learner], mix: tuple[str, ...] = MIX) -> Formation:
        formation = form_circles(learners, mix)
        by_id = {p.id: p for p in learners}
        placed = [i for circle in formation.circles for i in circle]
        self.assertEqual(len(placed), len(set(placed)), "someone is in two circles")
        self.assertEqual(set(placed) | {u.id for u in formation.unplaced}, set(by_id))
        for circle in formation.circles:
            self.assertEqual(check_circle([by_id[i] for i in circle]), [])
        return formation

    def test_a_synthetic_global_cohort_keeps_every_rule_near_the_bound(self) -> None:
        learners = synthetic_cohort(1500, seed=11)
        formation = self.assert_valid(learners)
        self.assertEqual(formation.unplaced, [])
        self.assertGreaterEqual(formation.ratio, 0.95)

    def test_a_manager_is_never_with_their_reports_even_when_all_share_a_key(self) -> None:
        team = [person(1, function="Sales")] + [
            person(i, function="Sales", manager_id=1) for i in range(2, 8)
        ]
        others = [person(i, function="Finance") for i in range(8, 22)]
        self.assert_valid(team + others)

    def test_earlier_circle_mates_are_not_reunited(self) -> None:
        old = frozenset(range(1, 8))
        people = [person(i, function="Sales", past_mates=old - {i}) for i in range(1, 8)]
        people += [person(i, function="Sales") for i in range(8, 22)]
        self.assert_valid(people)

    def test_people_without_shared_hours_are_named_with_the_reason(self) -> None:
        people = [person(i) for i in range(1, 13)] + [person(99, HONOLULU)]
        formation = form_circles(people, MIX)
        self.assertEqual(formation.unplaced, [Unplaced(99, TOO_FEW)])
        self.assertIn("fewer than 5", formation.unplaced[0].explanation)

    def test_it_is_the_same_every_time(self) -> None:
        learners = synthetic_cohort(300, seed=5)
        self.assertEqual(form_circles(learners, MIX), form_circles(learners[::-1], MIX))

    def test_sizes_outside_two_and_up_are_refused(self) -> None:
        with self.assertRaises(ValueError):
            form_circles([], MIX, min_size=8, max_size=7)


class LateJoinerTests(SimpleTestCase):
    def test_a_late_joiner_goes_where_they_make_most_new_ties(self) -> None:
        sales = [person(i, function="Sales") for i in range(1, 6)]
        mixed = [person(i) for i in range(6, 11)]
        newcomer = person(50, function="Sales")
        self.assertEqual(place_late_joiner(newcomer, [sales, mixed], MIX), 1)

    def test_full_far_and_conflicting_circles_are_passed_over(self) -> None:
        full = [person(i) for i in range(1, 8)]
        far = [person(i, TOKYO) for i in range(8, 13)]
        with_boss = [person(i) for i in range(13, 18)]
        newcomer = person(50, manager_id=13)
        self.assertEqual(
            place_late_joiner(newcomer, [full, far, with_boss], MIX), Unplaced(50, CONFLICTS)
        )
        self.assertEqual(
            place_late_joiner(newcomer, [full, far], MIX), Unplaced(50, NO_SHARED_HOURS)
        )
        self.assertEqual(place_late_joiner(person(51), [full, far, with_boss], MIX), 2)
