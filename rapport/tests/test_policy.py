"""The privacy kernel: membership and role helpers, Visibility, and the small-group rule, tested
adversarially: a reader who knows the shown cells, the total, the threshold and the algorithm
must never be able to work out a hidden count."""

import itertools
from collections.abc import Callable, Iterator, Sequence

from django.conf import settings as settings_module
from django.contrib.auth.models import AnonymousUser
from django.test import SimpleTestCase, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport import policy
from rapport.policy import Role, Visibility, min_group_size, suppress_small_groups
from rapport.testing import PersonaTestCase


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way of writing `total` as `parts` non-negative integers, in order."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


Output = tuple[tuple[int | None, ...], int | None]


def _shown(cells: Sequence[int], threshold: int) -> Output:
    result = suppress_small_groups(dict(enumerate(cells)), min_size=threshold)
    return tuple(result.cells.values()), result.total


def _primary_only(cells: Sequence[int], threshold: int) -> Output:
    """A naive rule that hides small cells but shows the total: leaks by subtraction."""
    return tuple(None if v < threshold else v for v in cells), sum(cells)


def recoverable_cells(
    cells: Sequence[int],
    threshold: int,
    algorithm: Callable[[Sequence[int], int], Output] = _shown,
) -> list[int]:
    """The positions of hidden cells whose value an informed reader can work out.

    The reader sees the output (shown cells, total, which cells are hidden) and knows the
    threshold and the algorithm. They try every assignment of non-negative counts to the hidden
    cells that sums to what the total implies, keep those the algorithm turns into exactly the
    same output, and learn a hidden cell when all of those agree on its value.
    """
    output = algorithm(cells, threshold)
    shown, total = output
    hidden = [i for i, value in enumerate(shown) if value is None]
    if total is None or not hidden:
        return []
    hidden_sum = total - sum(value for value in shown if value is not None)
    possible: dict[int, set[int]] = {i: set() for i in hidden}
    for guess in _compositions(hidden_sum, len(hidden)):
        candidate = list(shown)
        for i, value in zip(hidden, guess, strict=True):
            candidate[i] = value
        if algorithm(candidate, threshold) == output:  # type: ignore[arg-type]
            for i, value in zip(hidden, guess, strict=True):
                possible[i].add(value)
        if all(len(values) > 1 for values in possible.values()):
            return []
    return [i for i in hidden if len(possible[i]) < 2]


class SmallGroupRuleTests(SimpleTestCase):
    def test_the_threshold_defaults_to_five(self) -> None:
        self.assertEqual(min_group_size(), 5)

    def test_the_threshold_is_five_where_the_setting_is_missing(self) -> None:
        with self.settings():
            del settings_module.RAPPORT_MIN_GROUP_SIZE
            self.assertEqual(min_group_size(), 5)

    def test_a_threshold_given_by_the_caller_is_used(self) -> None:
        result = suppress_small_groups({"a": 3, "b": 4, "c": 4}, min_size=3)
        self.assertEqual(result.cells, {"a": 3, "b": 4, "c": 4})
        self.assertEqual(result.threshold, 3)
        self.assertEqual(suppress_small_groups({"a": 4, "b": 9}, min_size=4).threshold, 4)

    def test_a_group_exactly_at_the_threshold_is_shown(self) -> None:
        result = suppress_small_groups({"all": 5})
        self.assertEqual((result.cells, result.total), ({"all": 5}, 5))
        small = suppress_small_groups({"all": 4})
        self.assertEqual((small.cells, small.total, small.threshold), ({"all": None}, None, 5))

    @override_settings(RAPPORT_MIN_GROUP_SIZE=1)
    def test_the_threshold_never_goes_below_three_whatever_is_configured(self) -> None:
        self.assertEqual(min_group_size(), 3)
        self.assertEqual(suppress_small_groups({"a": 2, "b": 9}).threshold, 3)
        self.assertEqual(suppress_small_groups({"a": 2, "b": 9}, min_size=0).threshold, 3)

    @override_settings(RAPPORT_MIN_GROUP_SIZE=8)
    def test_a_larger_configured_threshold_is_used(self) -> None:
        self.assertEqual(min_group_size(), 8)
        self.assertEqual(suppress_small_groups({"a": 7, "b": 7, "c": 9}).cells["b"], None)

    def test_large_cells_are_all_shown_with_their_total(self) -> None:
        result = suppress_small_groups({"Europe": 12, "Asia": 9, "Americas": 5})
        self.assertEqual(result.cells, {"Europe": 12, "Asia": 9, "Americas": 5})
        self.assertEqual(result.total, 26)
        self.assertEqual(result.hidden, [])

    def test_a_group_under_the_threshold_shows_nothing_not_even_its_total(self) -> None:
        result = suppress_small_groups({"done": 3, "not yet": 1})
        self.assertEqual(result.cells, {"done": None, "not yet": None})
        self.assertIsNone(result.total)
        self.assertEqual(suppress_small_groups({}).total, None)

    def test_one_small_cell_takes_the_next_smallest_with_it(self) -> None:
        result = suppress_small_groups({"Europe": 12, "Asia": 2, "Americas": 7, "Africa": 9})
        self.assertEqual(result.cells, {"Europe": 12, "Asia": None, "Americas": None, "Africa": 9})
        self.assertEqual(result.total, 30)

    def test_every_cell_tied_with_the_next_smallest_is_hidden_too(self) -> None:
        # Hiding only one of the two 7s would tell a reader the hidden one is at most 7.
        result = suppress_small_groups({"a": 2, "b": 7, "c": 7, "d": 20})
        self.assertEqual(result.hidden, ["a", "b", "c"])

    def test_two_small_cells_protect_each_other_without_a_complement(self) -> None:
        result = suppress_small_groups({"a": 1, "b": 3, "c": 10})
        self.assertEqual(result.cells, {"a": None, "b": None, "c": 10})

    def test_hidden_zeros_take_a_shown_cell_with_them(self) -> None:
        # Two hidden cells summing to 0 are both 0.
        result = suppress_small_groups({"a": 0, "b": 0, "c": 6, "d": 9})
        self.assertEqual(result.hidden, ["a", "b", "c"])

    def test_small_cells_all_just_under_the_threshold_take_a_shown_cell_with_them(self) -> None:
        # Three cells under 5 summing to 12 can only be 4, 4 and 4.
        result = suppress_small_groups({"a": 4, "b": 4, "c": 4, "d": 5, "e": 30})
        self.assertEqual(result.hidden, ["a", "b", "c", "d"])

    def test_hiding_stops_when_every_cell_is_hidden(self) -> None:
        result = suppress_small_groups({"a": 0, "b": 6})
        self.assertEqual(result.cells, {"a": None, "b": None})
        self.assertEqual(result.total, 6)

    def test_counts_that_are_not_whole_non_negative_numbers_are_refused(self) -> None:
        with self.assertRaisesMessage(ValueError, "negative"):
            suppress_small_groups({"a": -1, "b": 9})
        for bad in (2.5, "3", True, None):
            with self.assertRaisesMessage(TypeError, "is not a whole number"):
                suppress_small_groups({"a": bad, "b": 9})  # type: ignore[dict-item]

    def test_the_audit_catches_the_leaks_of_a_rule_without_complementary_suppression(
        self,
    ) -> None:
        # The auditor itself must be able to fail: one small cell, or two zeros, or cells all
        # just under the threshold are worked out from the total under the naive rule.
        self.assertEqual(recoverable_cells([2, 9, 8], 5, _primary_only), [0])
        self.assertEqual(recoverable_cells([0, 0, 9], 5, _primary_only), [0, 1])
        self.assertEqual(recoverable_cells([4, 4, 9], 5, _primary_only), [0, 1])
        self.assertEqual(recoverable_cells([2, 9, 8], 5), [])

    def test_no_hidden_cell_is_recoverable_in_any_small_table(self) -> None:
        for threshold in (3, 5):
            for size in (1, 2, 3):
                for cells in itertools.product(range(threshold + 5), repeat=size):
                    self.assertEqual(
                        recoverable_cells(cells, threshold), [], f"{cells} at {threshold}"
                    )

    # mutmut runs each test more than once in one process: not a sign of flakiness here.
    @settings(
        max_examples=150, deadline=None, suppress_health_check=[HealthCheck.differing_executors]
    )
    @given(
        cells=st.lists(st.integers(min_value=0, max_value=11), min_size=1, max_size=4),
        threshold=st.integers(min_value=3, max_value=6),
    )
    def test_no_hidden_cell_is_ever_recoverable_from_the_shown_cells_and_total(
        self, cells: list[int], threshold: int
    ) -> None:
        self.assertEqual(recoverable_cells(cells, threshold), [])

    @settings(
        max_examples=200, deadline=None, suppress_health_check=[HealthCheck.differing_executors]
    )
    @given(cells=st.lists(st.integers(min_value=0, max_value=40), max_size=8))
    def test_shown_cells_are_true_and_never_under_the_threshold(self, cells: list[int]) -> None:
        result = suppress_small_groups(dict(enumerate(cells)))
        for key, value in result.cells.items():
            if value is not None:
                self.assertEqual(value, cells[key])
                self.assertGreaterEqual(value, result.threshold)
        if result.total is not None:
            self.assertEqual(result.total, sum(cells))
            self.assertNotEqual(len(result.hidden), 1)


class KernelTests(PersonaTestCase):
    def test_roles_come_from_the_membership_of_an_active_signed_in_person(self) -> None:
        self.assertEqual(policy.role_of(self.alice), Role.LEARNER)
        self.assertEqual(policy.role_of(self.adam), Role.ADMIN)
        self.assertIsNone(policy.role_of(AnonymousUser()))
        self.alice.is_active = False
        self.assertIsNone(policy.membership_of(self.alice))
        self.assertIsNone(policy.role_of(self.alice))

    def test_only_designers_admins_and_superusers_use_the_studio(self) -> None:
        allowed = {p.email for p in (self.dora, self.adam)}
        for person in (self.alice, self.bob, self.carol, self.dave, self.dora, self.adam):
            self.assertEqual(policy.can_use_studio(person), person.email in allowed, person)
        self.oscar.is_superuser = True
        self.assertTrue(policy.can_use_studio(self.oscar))
        self.oscar.is_active = False
        self.assertFalse(policy.can_use_studio(self.oscar))
        self.assertFalse(policy.is_platform_superuser(AnonymousUser()))

    def test_only_admins_manage_people(self) -> None:
        self.assertTrue(policy.can_manage_people(self.adam))
        self.assertFalse(policy.can_manage_people(self.dora))
        self.assertFalse(policy.can_manage_people(AnonymousUser()))

    def test_visibility_levels_run_from_private_to_organisation(self) -> None:
        self.assertEqual(
            list(Visibility.values), ["private", "coach", "circle", "cohort", "organisation"]
        )
        self.assertEqual(Visibility.ORGANISATION.label, "My organisation")
