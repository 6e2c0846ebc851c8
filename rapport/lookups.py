"""`__in` on an integer column with a number no column of its type can hold matches nothing.

Django's own exact and range lookups on integers already treat an out-of-range number as "no
row" (`IntegerFieldOverflow`), but `__in` sends it to the database: SQLite raises
`OverflowError` and PostgreSQL `DataError`, so a form's `ModelMultipleChoiceField` (a growth
pick, a studio many-to-many) answered a typed `99999999999999999999` with a 500 instead of
"choose from the list". Registered on `IntegerField` (and so on every auto and big-integer
field) by `RapportConfig.ready`.
"""

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """`In` that leaves out of its list the integers the column's type cannot hold."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        """Drop the out-of-range integers before the list reaches the database."""
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    """Make `IntegerFieldIn` the `__in` of every integer field."""
    IntegerField.register_lookup(IntegerFieldIn)
