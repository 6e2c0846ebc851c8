"""Stage 2 of an import: comparing the checked rows with the database and planning the writes.

`load_known` reads, in a fixed handful of queries, everything the organisation already holds
about the people a file names; `plan_row` decides, row by row, who is new, who is enrolled, what
changes for whom (noting each change in the report) and which rows cannot be imported. Nothing is
written here: the package's `import_learners_into` applies the finished `Plan`.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from cohorts.actions import Seat
from cohorts.imports.report import ImportReport, RowChange
from cohorts.imports.rows import ImportRow
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from organizations.models import Role

# SQLite builds before 3.32 allow 999 parameters per statement; 900 leaves room for the rest of
# the query. Each chunk is one query, so 4,500 rows cost five look-ups per kind, not 4,500.
IN_CHUNK_SIZE = 900

# Updates are grouped by (column, new value): "level becomes Director" for 1,500 people is one
# UPDATE … WHERE id IN (…). A column whose new values are mostly distinct (names) is written with
# bulk_update instead, in batches small enough that SQLite's CASE stays fast.
MAX_GROUPED_UPDATES = 25
BULK_UPDATE_BATCH_SIZE = 500


def _chunks[T](items: Sequence[T], size: int = IN_CHUNK_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Known:
    """Everything the database already holds about the people a file names."""

    users: dict[str, User]
    coach_ids: dict[str, int]
    enrollments: dict[int, Enrollment]


def load_known(cohort: Cohort, rows: Sequence[ImportRow]) -> Known:
    """One query per 900 distinct addresses for each of: people, coaches, enrollments.

    Only the cohort's organisation is searched: an account with the same address elsewhere is
    another organisation's person (accounts are per organisation,
    docs/decisions/0006-accounts-per-organisation.md) and is never read, so an import cannot
    reveal it. Addresses are compared without regard to case, through the unique index.
    """
    emails = sorted({row.email for row in rows})
    users: dict[str, User] = {}
    for chunk in _chunks(emails):
        for user in (
            User.objects.with_emails(list(chunk))
            .filter(organization_id=cohort.organization_id)
            .select_related("membership")
        ):
            users[user.email.lower()] = user

    coach_emails = sorted({row.coach_email for row in rows if row.coach_email})
    coach_ids: dict[str, int] = {}
    for chunk in _chunks(coach_emails):
        coach_ids.update(
            (email.lower(), user_id)
            for email, user_id in User.objects.with_emails(list(chunk))
            .filter(
                organization_id=cohort.organization_id,
                membership__role=Role.COACH,
                is_active=True,
            )
            .values_list("email", "pk")
        )

    user_ids = sorted(user.pk for user in users.values())
    enrollments: dict[int, Enrollment] = {}
    for id_chunk in _chunks(user_ids):
        for enrollment in Enrollment.objects.filter(cohort=cohort, user_id__in=id_chunk).only(
            "id", "user_id", "role", "coach_id"
        ):
            enrollments[enrollment.user_id] = enrollment
    return Known(users=users, coach_ids=coach_ids, enrollments=enrollments)


class Changes:
    """Changed values of existing rows of one model, grouped by column and new value."""

    def __init__(self) -> None:
        self.by_column: dict[str, dict[Any, list[Model]]] = defaultdict(lambda: defaultdict(list))

    def set_if_given(self, obj: Model, values: dict[str, Any]) -> list[tuple[str, Any, Any]]:
        """Copy each non-blank value that differs. Blank cells never erase what is recorded.
        Returns the changes made, as (column, old value, new value)."""
        changes = []
        for column, value in values.items():
            old = getattr(obj, column)
            if value not in ("", None) and old != value:
                setattr(obj, column, value)
                self.by_column[column][value].append(obj)
                changes.append((column, old, value))
        return changes

    def save(self, model: type[Model]) -> None:
        """One UPDATE per (column, value) while there are few distinct values, else bulk_update.
        Either way the number of queries is bounded, not one per person."""
        for column, by_value in self.by_column.items():
            if len(by_value) <= MAX_GROUPED_UPDATES:
                for value, objs in by_value.items():
                    for chunk in _chunks([obj.pk for obj in objs]):
                        model._default_manager.filter(pk__in=chunk).update(**{column: value})
            else:
                objs = [obj for group in by_value.values() for obj in group]
                model._default_manager.bulk_update(
                    objs, [column], batch_size=BULK_UPDATE_BATCH_SIZE
                )


@dataclass
class Plan:
    """The writes an import will make, gathered first so that each kind is one bulk query."""

    new_people: list[tuple[ImportRow, int | None]] = field(default_factory=list)
    seats: list[Seat] = field(default_factory=list)  # new seats and changed coaches
    memberships: Changes = field(default_factory=Changes)
    # Line managers to record, once the new people have ids: (person, manager), each an
    # existing member's id or a new person's email (cohorts.imports.managers).
    line_managers: list[tuple[int | str, int | str]] = field(default_factory=list)


def coach_problem(row: ImportRow, known: Known, file_emails: set[str]) -> str | None:
    """Why the row's coach cannot be used (not a coach here, the person themself, their line
    manager), or None.
    `file_emails` are the file's addresses, to explain that a coach cannot come with the file."""
    if not row.coach_email:
        return None
    if row.coach_email == row.email:
        return _("A person cannot be their own coach.")
    # Never the person's own line manager: the one this row names, or the one they have now
    # when the row names none (docs/permissions.md, "Caseload and matching").
    person = known.users.get(row.email)
    present_manager = person.membership.line_manager_id if person is not None else None
    if row.coach_email == row.line_manager_email or (
        not row.line_manager_email
        and present_manager is not None
        and known.coach_ids.get(row.coach_email) == present_manager
    ):
        return _("%(coach)s is this person's line manager, who is never their coach.") % {
            "coach": row.coach_email
        }
    if row.coach_email in known.coach_ids:
        return None
    problem = _("%(coach)s is not a coach in this organisation.") % {"coach": row.coach_email}
    if row.coach_email in file_emails:
        # Importing makes learners only; a coach must exist, as a coach, before the import.
        problem += " " + _("People in this file are added as learners, not coaches.")
    return problem


_MEMBERSHIP_COLUMNS = {
    "region": gettext_lazy("region"),
    "function": gettext_lazy("function"),
    "level": gettext_lazy("level"),
}


def _describe(column: str, old: str, new: str) -> str:
    if not old:
        return _("%(column)s set to “%(new)s”.") % {"column": column, "new": new}
    return _("%(column)s changed from “%(old)s” to “%(new)s”.") % {
        "column": column,
        "old": old,
        "new": new,
    }


def person_problem(row: ImportRow, known: Known) -> str | None:
    """Why someone already in the organisation cannot be enrolled by this row, or None."""
    user = known.users.get(row.email)
    if user is None:
        return None
    if not user.is_active:
        return _("This person's account is switched off, so they were not enrolled.")
    enrollment = known.enrollments.get(user.pk)
    if enrollment is not None and enrollment.role != EnrollmentRole.LEARNER:
        return _("This person is already in this cohort as %(role)s, not as a learner.") % {
            "role": enrollment.get_role_display().lower()
        }
    return None


def plan_row(
    row: ImportRow,
    known: Known,
    plan: Plan,
    report: ImportReport,
    *,
    line_manager: tuple[str, int | str] | None = None,
) -> str | None:
    """Add one row's writes to the plan, count it and note each change it makes to someone
    already in the organisation; return a problem instead if it has one.

    A person's own choices are never overwritten: for someone already in the organisation the
    file's name and time zone are ignored (they set those themselves in Settings); region,
    function, level, coach and line manager are the organisation's to set and are updated
    where given. `line_manager` is the row's checked manager (cohorts.imports.managers: an
    ("id", pk) of a member or a ("new", email) of a person the file adds), or None.
    """
    coach_id = known.coach_ids.get(row.coach_email) if row.coach_email else None
    user = known.users.get(row.email)
    if user is None:
        plan.new_people.append((row, coach_id))
        if line_manager is not None:
            plan.line_managers.append((row.email, line_manager[1]))
        report.created += 1
        return None
    if problem := person_problem(row, known):
        return problem
    enrollment = known.enrollments.get(user.pk)
    changes = [
        _describe(str(_MEMBERSHIP_COLUMNS[column]).capitalize(), old, new)
        for column, old, new in plan.memberships.set_if_given(
            user.membership, {"region": row.region, "function": row.function, "level": row.level}
        )
    ]
    if line_manager is not None and line_manager != ("id", user.membership.line_manager_id):
        plan.line_managers.append((user.pk, line_manager[1]))
        changes.append(
            (
                _("Line manager changed to %(manager)s.")
                if user.membership.line_manager_id
                else _("Line manager set to %(manager)s.")
            )
            % {"manager": row.line_manager_email}
        )
    if enrollment is None:
        plan.seats.append(Seat(user.pk, EnrollmentRole.LEARNER, coach_id))
        changes.insert(0, _("Enrolled in this cohort."))
        if coach_id is not None:
            changes.insert(1, _("Coach set to %(coach)s.") % {"coach": row.coach_email})
        report.enrolled += 1
    else:
        if coach_id is not None and coach_id != enrollment.coach_id:
            plan.seats.append(Seat(user.pk, EnrollmentRole.LEARNER, coach_id))
            changes.append(
                (
                    _("Coach changed to %(coach)s.")
                    if enrollment.coach_id
                    else _("Coach set to %(coach)s.")
                )
                % {"coach": row.coach_email}
            )
        if changes:
            report.updated += 1
        else:
            report.unchanged += 1
    if changes:
        report.changes.append(RowChange(row.line, row.typed_email, tuple(changes)))
    return None
