"""A lookup on an integer column with a number no column of its type can hold matches nothing.

Django's own exact and range lookups on an integer column already treat an out-of-range
number as "no row" (`IntegerFieldOverflow`), but `__in`, and `exact`/`__in` through a foreign
key, send it to the database: SQLite raises `OverflowError` and PostgreSQL `DataError`. So a
form's `ModelMultipleChoiceField` (a growth pick, a studio many-to-many) answered a typed
`99999999999999999999` with a 500 instead of "choose from the list", and so did a studio list
filtered by hand (`/studio/cohorts/enrollment/?cohort=99999999999999999999`). Registered by
`RapportConfig.ready`: on `IntegerField` (and so every auto and big-integer field) and on
`ForeignObject` (every foreign key).
"""

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _integer_range(field: Any, connection: Any) -> tuple[int | None, int | None] | None:
    """The (low, high) a column of `field` holds, or None when it is not an integer column
    (a foreign key answers for the field it points at)."""
    target = getattr(field, "target_field", field)
    if not isinstance(target, IntegerField):
        return None
    return connection.ops.integer_field_range(target.get_internal_type())  # type: ignore[no-any-return]


def _fits(value: Any, bounds: tuple[int | None, int | None] | None) -> bool:
    if bounds is None or not isinstance(value, int):
        return True
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)


class IntegerFieldIn(In):
    """`In` that leaves out of its list the integers the column's type cannot hold."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        """Drop the out-of-range integers before the list reaches the database."""
        if self.rhs_is_direct_value():
            bounds = _integer_range(self.lhs.output_field, connection)
            self.rhs = [value for value in self.rhs if _fits(value, bounds)]
        return super().process_rhs(compiler, connection)


class RelatedIntegerIn(RelatedIn):
    """`RelatedIn` (a foreign key `__in`) that leaves out the integers its column cannot hold."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        """Drop the out-of-range integers before the list reaches the database."""
        if self.rhs_is_direct_value() and not isinstance(self.lhs.output_field, tuple):
            bounds = _integer_range(self.lhs.output_field, connection)
            if bounds is not None:
                self.rhs = [value for value in self.rhs if _fits(value, bounds)]
        return super().process_rhs(compiler, connection)


class RelatedIntegerExact(RelatedExact):
    """`RelatedExact` (a foreign key `=`) that matches nothing for an out-of-range integer."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        """No row has a number its column cannot hold."""
        if self.rhs_is_direct_value() and not _fits(
            self.rhs, _integer_range(self.lhs.output_field, connection)
        ):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def register() -> None:
    """Make these the `__in` of every integer field and the `exact` and `__in` of every
    foreign key."""
    IntegerField.register_lookup(IntegerFieldIn)
    ForeignObject.register_lookup(RelatedIntegerIn)
    ForeignObject.register_lookup(RelatedIntegerExact)
