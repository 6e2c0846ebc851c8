"""The `line_manager_email` column of an import: who each person reports to.

`Membership.line_manager` is what keeps a person out of their manager's peer circle
(`circles.formation`) and their reports away from their manager's moderation queue
(`moderation.actions.moderator_ids_for`), so a wrong value matters. A row's line manager must be
someone of the cohort's organisation: a member with an active account, or a new person the same
file adds. Refused, as a problem of that row (nothing of the row is imported): the person as
their own manager, an address nobody in the organisation has (an account in another
organisation is never looked at, so the message cannot tell it exists), a switched-off
account, a manager whose own row is not imported, and a chain of managers that would come back
to the person (A reports to B who reports to A), checked against what is recorded and the rows
accepted before it, in the file's order. A blank cell leaves what is recorded as it is.

`load_managers` reads what is needed in two queries, only when the column has values;
`check_line_managers` is pure and decides every row before anything is planned.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.models import User
from cohorts.imports.rows import ImportRow
from organizations.models import Membership

# A person in the reporting graph: ("id", user pk) for someone already in the organisation,
# ("new", email) for someone this file adds.
Node = tuple[str, int | str]


@dataclass
class Managers:
    """What the organisation holds for the file's line managers."""

    active: dict[str, int] = field(default_factory=dict)  # email → user id, active members
    inactive: set[str] = field(default_factory=set)  # emails of switched-off accounts
    reports_to: dict[int, int] = field(default_factory=dict)  # user id → line manager id


def load_managers(organization_id: int, rows: Sequence[ImportRow]) -> Managers:
    """The file's line managers among the organisation's members (one query) and the
    organisation's recorded reporting lines (one query). No query when the column is blank."""
    emails = sorted({row.line_manager_email for row in rows if row.line_manager_email})
    managers = Managers()
    if not emails:
        return managers
    for email, pk, active in (
        User.objects.with_emails(emails)
        .filter(organization_id=organization_id)
        .values_list("email", "pk", "is_active")
    ):
        if active:
            managers.active[email.lower()] = pk
        else:
            managers.inactive.add(email.lower())
    managers.reports_to = dict(
        Membership.objects.filter(organization_id=organization_id, line_manager__isnull=False)
        .values_list("user_id", "line_manager_id")
        .iterator(chunk_size=5000)
    )
    return managers


def _reaches(start: Node, target: Node, graph: dict[Node, Node]) -> bool:
    """Whether following line managers up from `start` comes to `target` (a recorded loop,
    which the import never makes, ends the walk instead of running forever)."""
    seen: set[Node] = set()
    node: Node | None = start
    while node is not None and node not in seen:
        if node == target:
            return True
        seen.add(node)
        node = graph.get(node)
    return False


def check_line_managers(
    rows: Sequence[ImportRow],
    *,
    existing: dict[str, int],
    managers: Managers,
    refused: dict[int, str],
    unreadable: dict[str, int] | None = None,
) -> tuple[dict[int, str], dict[int, Node]]:
    """Decide every row's line manager. `existing` maps the addresses of people already in the
    organisation to their ids; `refused` holds the rows already refused for another reason
    (line → problem), whose people are not added, so they cannot manage anyone new;
    `unreadable` the addresses of rows refused before this stage (email → line), named in the
    message when a row gives one of them as its manager.

    Returns (problems, assignments): the rows refused for their line manager (line → message)
    and, for the others that name one, the manager to record (line → Node). Repeated until
    stable, because refusing a new person's row takes away a manager later rows may name."""
    extra: dict[int, str] = {}
    line_of = {**(unreadable or {}), **{row.email: row.line for row in rows}}
    while True:
        skipped = {**refused, **extra}
        new_people = {
            row.email for row in rows if row.email not in existing and row.line not in skipped
        }
        problems: dict[int, str] = {}
        assignments: dict[int, Node] = {}
        graph: dict[Node, Node] = {("id", u): ("id", m) for u, m in managers.reports_to.items()}
        for row in rows:
            if not row.line_manager_email or row.line in skipped:
                continue
            manager = row.line_manager_email
            person: Node = (
                ("id", existing[row.email]) if row.email in existing else ("new", row.email)
            )
            boss: Node | None = None
            if manager == row.email:
                problems[row.line] = _("A person cannot be their own line manager.")
            elif manager in managers.active:
                boss = ("id", managers.active[manager])
            elif manager in managers.inactive:
                problems[row.line] = _(
                    "The line manager %(manager)s has a switched-off account."
                ) % {"manager": manager}
            elif manager in new_people:
                boss = ("new", manager)
            elif manager in line_of:
                problems[row.line] = _(
                    "The line manager %(manager)s is not added: their own row (line %(line)d) "
                    "was not imported."
                ) % {"manager": manager, "line": line_of[manager]}
            else:
                problems[row.line] = _(
                    "%(manager)s is not in this organisation, nor added by this file, so they "
                    "cannot be the line manager."
                ) % {"manager": manager}
            if boss is not None and _reaches(boss, person, graph):
                problems[row.line] = _(
                    "%(manager)s already reports, directly or through others, to this person: "
                    "a line manager cannot report to their own report."
                ) % {"manager": manager}
                boss = None
            if boss is not None:
                assignments[row.line] = boss
                graph[person] = boss
        extra.update(problems)
        # A new person whose row is refused here is not added: rows naming them must be too.
        lost = {row.email for row in rows if row.line in problems and row.email not in existing}
        if not lost & {str(node[1]) for node in assignments.values() if node[0] == "new"}:
            return extra, assignments
