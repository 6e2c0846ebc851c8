"""The privacy kernel: what sits below every app, and nothing more.

- **Membership and role.** `membership_of(user)` and the role questions built on it. A person
  without an active account or a membership has no role and sees nothing.
- **Visibility.** The levels at which a person's own content may be shared (`Visibility`), a
  `TextChoices` so that future models store it as a field.
- **The small-group rule.** `suppress_small_groups()`, the one function every aggregate, page,
  export and API answer calls before it shows counts of people.

Who may see which rows is *not* decided here: each model's `QuerySet.visible_to(user)` is its
rule, written in the app that owns the model (docs/permissions.md lists them), and every
`access.py` getter is built on it. This module imports nothing but Django and the standard
library, so every app may build on it (`lint-imports` checks this).
"""

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from organizations.models import Membership


class Role(models.TextChoices):
    """A person's role in their organisation (`organizations.Membership.role`)."""

    LEARNER = "learner", _("Learner")
    COACH = "coach", _("Coach")
    DESIGNER = "designer", _("Programme designer")
    ADMIN = "admin", _("Organisation admin")
    EXPERT = "expert", _("Expert")
    SPONSOR = "sponsor", _("Programme sponsor")


# Designers and admins build programmes and run cohorts of their organisation.
STAFF_ROLES = frozenset({Role.DESIGNER, Role.ADMIN})
# Admins and sponsors (an executive who funds and champions a programme) read the programme
# dashboards of their organisation: counts through the small-group rule, never a person's row.
DASHBOARD_ROLES = frozenset({Role.ADMIN, Role.SPONSOR})


class Visibility(models.TextChoices):
    """Who may see a piece of a person's own content, narrowest first.

    Later apps (reflections, circles, coaching) store it on each row and write the matching
    `visible_to` rule beside their model; the author always sees their own content.
    """

    PRIVATE = "private", _("Only me")
    COACH = "coach", _("Me and my coach")
    CIRCLE = "circle", _("My peer circle")
    COHORT = "cohort", _("My cohort")
    ORGANISATION = "organisation", _("My organisation")


# -- membership and role -----------------------------------------------------------------------


def is_platform_superuser(user: Any) -> bool:
    """An active, signed-in platform operator (`is_superuser`): sees every organisation's rows
    in `visible_to`, and nothing else grants that."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_superuser", False)
    )


def membership_of(user: Any) -> "Membership | None":
    """The person's membership, or None for anonymous or deactivated people and for people who
    belong to no organisation. Loaded with the user by accounts.backends, so free."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "membership", None)


def role_of(user: Any) -> Role | None:
    """The person's organisation role, or None where `membership_of` is None."""
    membership = membership_of(user)
    return None if membership is None else Role(membership.role)


def is_org_staff(user: Any) -> bool:
    """Designers and admins: they build and preview their organisation's programmes."""
    return role_of(user) in STAFF_ROLES


def can_use_studio(user: Any) -> bool:
    """Designers and admins build programmes and cohorts in the studio, in their own
    organisation; platform superusers enter it too."""
    return is_platform_superuser(user) or is_org_staff(user)


def can_manage_people(user: Any) -> bool:
    """Organisation admins add people, change roles and enrol people."""
    return role_of(user) == Role.ADMIN


def can_see_programme_dashboards(user: Any) -> bool:
    """Organisation admins and sponsors read their organisation's programme dashboards (counts
    of people through the small-group rule, the CSV export, the charts and the connection
    aggregates). Nothing else follows from it: a sponsor has no other right of an admin's.
    Roles are named, never "anyone but a learner", so a role added later sees no dashboard
    until it is named here."""
    return role_of(user) in DASHBOARD_ROLES


# -- the small-group rule ----------------------------------------------------------------------

SMALLEST_ALLOWED_GROUP = 3


def min_group_size() -> int:
    """`settings.RAPPORT_MIN_GROUP_SIZE` (default 5), never below 3 whatever is configured."""
    return max(SMALLEST_ALLOWED_GROUP, int(getattr(settings, "RAPPORT_MIN_GROUP_SIZE", 5)))


@dataclass(frozen=True)
class GroupCounts[K: Hashable]:
    """Counts of people that are safe to show: `None` marks a suppressed value.

    `cells` keeps the caller's keys in the caller's order; `total` is the sum of all cells, or
    None when the whole group is smaller than the threshold. `hidden` lists suppressed keys.
    """

    cells: dict[K, int | None]
    total: int | None
    threshold: int

    @property
    def hidden(self) -> list[K]:
        return [key for key, value in self.cells.items() if value is None]


def suppress_small_groups[K: Hashable](
    counts: Mapping[K, int],
    *,
    min_size: int | None = None,
    hidden: Collection[K] = (),
) -> GroupCounts[K]:
    """Hide every count of people under the threshold, and whatever would give one away.

    `counts` maps each category (a region, a state, an answer) to a number of people; the
    categories partition the group, so their sum is the group's total, which is shown. The
    threshold is `min_size` or `min_group_size()`, never below 3.

    Algorithm (threshold rule with complementary suppression, as in statistical disclosure
    control practice for frequency tables: Hundepool et al., *Statistical Disclosure Control*,
    Wiley 2012, chapter on frequency tables; the UK ONS and Eurostat SDC handbooks apply the same
    rule):

    1. If the total is under the threshold, nothing is shown, not even the total.
    2. Primary suppression: every cell under the threshold is hidden (zero included: "nobody in
       this region finished" says something about everyone in it).
    3. Complementary suppression, repeated while the hidden cells could be worked out from the
       shown cells and the total (which reveals their sum S):
       - exactly one cell is hidden (it equals S), or
       - S is 0 (every hidden cell is 0), or
       - every hidden cell is a primary one at threshold - 1 (S is the largest sum cells under
         the threshold can have, so each is known);
       then the smallest shown cell is hidden too, with every shown cell of the same value (a
       tie broken by position would tell a reader which side of the tie the hidden one was on).

    The guarantee, tested exhaustively on small tables and by property tests: a reader who
    knows the shown cells, the total, the threshold and this algorithm still finds at least two
    values possible for every hidden cell.

    `hidden` names cells already hidden for a reason outside this table (a linked table, such as
    a dashboard's breakdown of the same people by another attribute, hid them): they are hidden
    here too and count as hidden for step 3. When step 3 still finds the hidden cells
    recoverable and no shown cell is left to hide (every cell hidden, all at threshold - 1, or
    a forced cell alone in its table), the total is hidden as well: `total` is None then even
    though the group is not small.

    Raises ValueError for a negative count and TypeError for a count that is not an int.
    """
    threshold = max(SMALLEST_ALLOWED_GROUP, min_group_size() if min_size is None else min_size)
    for key, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"The count for {key!r} is not a whole number: {value!r}")
        if value < 0:
            raise ValueError(f"The count for {key!r} is negative: {value}")
    total = sum(counts.values())
    if total < threshold:
        return GroupCounts(dict.fromkeys(counts), None, threshold)

    hidden_keys = {key for key, value in counts.items() if value < threshold}
    hidden_keys.update(key for key in hidden if key in counts)
    shown_total: int | None = total
    while hidden_keys and _recoverable(counts, hidden_keys, threshold):
        shown = [counts[key] for key in counts if key not in hidden_keys]
        if not shown:
            shown_total = None  # nothing left to hide: the total would give them away
            break
        smallest = min(shown)
        hidden_keys.update(key for key, value in counts.items() if value == smallest)
    return GroupCounts(
        {key: None if key in hidden_keys else value for key, value in counts.items()},
        shown_total,
        threshold,
    )


def _recoverable[K: Hashable](counts: Mapping[K, int], hidden: set[K], threshold: int) -> bool:
    values = [counts[key] for key in hidden]
    hidden_sum = sum(values)
    if len(values) == 1 or hidden_sum == 0:
        return True
    return all(value == threshold - 1 for value in values)
