"""Writes of people: the one path by which anyone joins, changes role in or leaves an organisation.

Every screen that adds or changes people (the CSV import, the studio's People page, the demo seed,
the test personas, later SCIM provisioning) calls these functions, so the rules live in one place:
an account always comes with its membership, emails are stored in lower case, and side effects
(the invitation email) are queued with `transaction.on_commit`, so they happen only once the
change is committed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from accounts.models import User
from accounts.tasks import send_invitations
from organizations.frameworks import DEFAULT_COMPETENCIES, DEFAULT_FRAMEWORK, CompetencySpec
from organizations.models import Behaviour, Competency, Membership, Organization, Role

# Inserts per statement: under SQLite's and PostgreSQL's parameter limits for these tables.
BATCH_SIZE = 500
# Invitations sent by one background task: a 4,500-person import queues 23 tasks, not 4,500.
INVITATIONS_PER_TASK = 200


@dataclass(frozen=True, kw_only=True)
class NewPerson:
    """What is known about someone being added: their address and the details an admin (or a
    file from HR) provides. Blank region, function and level mean "not known"."""

    email: str
    full_name: str
    time_zone: str = "UTC"
    region: str = ""
    function: str = ""
    level: str = ""


class AlreadyMembers(ValueError):
    """Some of the addresses already have an account in the organisation. Nothing was written."""

    def __init__(self, emails: Sequence[str]) -> None:
        super().__init__(f"already in the organisation: {', '.join(emails)}")
        self.emails = list(emails)


def normalise_email(email: str) -> str:
    """The stored form of an address: trimmed and in lower case. Addresses are compared without
    regard to case everywhere (sign-in, import, the studio), because people type them freely."""
    return User.objects.normalize_email(email.strip()).lower()


def _unusable_password() -> str:
    """What make_password(None) stores (the "!" prefix marks it unusable), made with one call
    to the system's random source instead of forty: 4,500 of them took half a second."""
    return UNUSABLE_PASSWORD_PREFIX + get_random_string(40)


def add_members(
    organization: Organization,
    *,
    people: Sequence[NewPerson],
    role: Role = Role.LEARNER,
    password: str | None = None,
    joined: datetime | None = None,
    invite: bool = True,
    invited_by: User | None = None,
) -> list[Membership]:
    """Create an account and a membership for each person, in `people`'s order, with bulk
    inserts (a handful of queries for 4,500 people). Returns the memberships, `user` attached.

    `password`: None (the default, and the only choice for real people) gives each account an
    unusable password: they choose their own through the invitation or reset email. A string
    gives everyone that password, hashed once: for the demo and tests only.
    `joined`: the accounts' `date_joined` (default now), so the demo can look lived-in.
    `invite`: people added without a password are emailed an invitation link to choose one
    (accounts.tasks.send_invitations, queued once the transaction commits, INVITATIONS_PER_TASK
    people per task). `invited_by` is named in the email as the person who added them.

    Raises AlreadyMembers, writing nothing, if any address (compared without case) already has
    an account in the organisation, or appears twice in `people`. An account with the same
    address in another organisation is another person's and changes nothing here (accounts are
    per organisation: docs/decisions/0006-accounts-per-organisation.md).
    Precondition: the caller may add people to `organization` (an admin of it, the platform, or
    the seed).
    """
    emails = [normalise_email(person.email) for person in people]
    repeated = sorted({email for email in emails if emails.count(email) > 1})
    if repeated:
        raise AlreadyMembers(repeated)
    hashed = make_password(password) if password is not None else None
    when = joined or timezone.now()
    # Checked before the transaction starts, so a caller inside its own transaction (the studio)
    # can catch the error and carry on. A race is still refused, by the unique constraint.
    taken = _emails_taken(organization, emails)
    if taken:
        raise AlreadyMembers(taken)
    # No savepoint when nested: an error rolls back the caller's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        users = User.objects.bulk_create(
            [
                User(
                    organization=organization,
                    email=email,
                    full_name=person.full_name,
                    time_zone=person.time_zone,
                    password=hashed or _unusable_password(),
                    date_joined=when,
                )
                for email, person in zip(emails, people, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        memberships = Membership.objects.bulk_create(
            [
                Membership(
                    organization=organization,
                    user=user,
                    role=role,
                    region=person.region,
                    function=person.function,
                    level=person.level,
                )
                for user, person in zip(users, people, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        if invite and password is None:
            _invite_on_commit([user.pk for user in users], invited_by)
    return memberships


def _invite_on_commit(user_ids: list[int], invited_by: User | None) -> None:
    def enqueue() -> None:
        for start in range(0, len(user_ids), INVITATIONS_PER_TASK):
            send_invitations.enqueue(
                user_ids=user_ids[start : start + INVITATIONS_PER_TASK],
                invited_by_id=invited_by.pk if invited_by else None,
            )

    transaction.on_commit(enqueue)


def _emails_taken(organization: Organization, emails: Sequence[str]) -> list[str]:
    """The addresses among `emails` (normalised) that already have an account in the
    organisation; accounts elsewhere are separate people and never counted. One query per
    BATCH_SIZE addresses."""
    taken: list[str] = []
    for start in range(0, len(emails), BATCH_SIZE):
        chunk = emails[start : start + BATCH_SIZE]
        taken += (
            User.objects.with_emails(chunk)
            .filter(organization=organization)
            .values_list("email", flat=True)
        )
    return sorted(taken)


def add_member(
    organization: Organization,
    *,
    email: str,
    full_name: str,
    time_zone: str = "UTC",
    role: Role = Role.LEARNER,
    region: str = "",
    function: str = "",
    level: str = "",
    password: str | None = None,
    invite: bool = True,
    invited_by: User | None = None,
) -> Membership:
    """Add one person to the organisation: `add_members` for a single person (same rules, same
    errors). Returns their membership, with `user` attached."""
    person = NewPerson(
        email=email,
        full_name=full_name,
        time_zone=time_zone,
        region=region,
        function=function,
        level=level,
    )
    return add_members(
        organization,
        people=[person],
        role=role,
        password=password,
        invite=invite,
        invited_by=invited_by,
    )[0]


def change_role(membership: Membership, *, role: Role) -> Membership:
    """Give a member another organisation-level role (learner, coach, designer, admin, expert,
    sponsor).

    Their enrolments keep their cohort-level roles: making someone a coach of the organisation
    does not make them coach a cohort. Privacy: designers and admins see every cohort and
    programme of the organisation (rapport/policy.py), so promoting someone widens what they see.
    """
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def deactivate_member(membership: Membership) -> Membership:
    """Close a member's account: they can no longer sign in and every page refuses them (the
    policy ignores inactive people), while what they wrote stays where it is. Idempotent.

    Their sessions end at once: Django checks `is_active` on every request through the
    authentication backend.
    """
    user = membership.user
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return membership


@dataclass(frozen=True)
class FrameworkChanges:
    """What `install_framework` did: competencies added and updated, behaviours added."""

    competencies_added: int = 0
    competencies_updated: int = 0
    behaviours_added: int = 0


@transaction.atomic
def install_framework(
    organization: Organization, *, framework: str, competencies: Sequence[CompetencySpec]
) -> FrameworkChanges:
    """Merge a leadership model into the organisation's: each competency of `framework` is
    matched by name (as stored: exact, case-sensitive); a new one is added, a known one gets
    the spec's description (when not blank) and its place in the file's order; each behaviour
    is matched by text within its competency and added when new. Nothing is deleted or
    renamed, so activities keep their competencies and learners their picks and goals; the
    studio removes what is no longer wanted. Idempotent: installing the same specs twice
    changes nothing the second time. A fixed number of queries whatever the size."""
    known = {
        c.name: c for c in Competency.objects.filter(organization=organization, framework=framework)
    }
    texts: dict[int, set[str]] = {}
    counts: dict[int, int] = {}
    for competency_id, text in Behaviour.objects.filter(
        competency__in=list(known.values())
    ).values_list("competency_id", "text"):
        texts.setdefault(competency_id, set()).add(text)
        counts[competency_id] = counts.get(competency_id, 0) + 1
    added, updated = [], []
    for position, spec in enumerate(competencies):
        competency = known.get(spec.name)
        if competency is None:
            competency = Competency(
                organization=organization,
                framework=framework,
                name=spec.name,
                description=spec.description,
                position=position,
            )
            added.append(competency)
            known[spec.name] = competency
        elif competency.position != position or (
            spec.description and competency.description != spec.description
        ):
            competency.position = position
            competency.description = spec.description or competency.description
            updated.append(competency)
    Competency.objects.bulk_create(added)
    Competency.objects.bulk_update(updated, ["position", "description"])
    behaviours = []
    for spec in competencies:
        competency = known[spec.name]
        seen = texts.setdefault(competency.pk, set())
        for text in spec.behaviours:
            if text in seen:
                continue
            seen.add(text)
            behaviours.append(
                Behaviour(
                    organization=organization,
                    competency=competency,
                    text=text,
                    position=counts.get(competency.pk, 0),
                )
            )
            counts[competency.pk] = counts.get(competency.pk, 0) + 1
    Behaviour.objects.bulk_create(behaviours, batch_size=BATCH_SIZE)
    return FrameworkChanges(
        competencies_added=len(added),
        competencies_updated=len(updated),
        behaviours_added=len(behaviours),
    )


def seed_default_framework(organization: Organization) -> FrameworkChanges:
    """Give the organisation the default communication-skills model
    (organizations.frameworks); safe to call again (nothing is added twice)."""
    return install_framework(
        organization, framework=DEFAULT_FRAMEWORK, competencies=DEFAULT_COMPETENCIES
    )
