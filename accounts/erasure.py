"""Erasing a person's account at their own request (GDPR article 17).

`erase_person` walks every registered section of personal data (`accounts.personal_data`) in
one transaction: each app deletes the person's content or anonymises rows others' content
depends on, the account itself is anonymised (section "account"), the membership closed
(section "membership", through `organizations.actions.deactivate_member`), and an
`ErasureRecord` keeps the organisation, the time and the number of rows per section — no
name, address or text. What each section deletes and keeps is listed in docs/permissions.md
("My data").

Deleted text must not linger in the database file either: SQLite runs with
`PRAGMA secure_delete=ON` (settings), so freed space is overwritten with zeros, and once the
erasure commits the write-ahead log is checkpointed and truncated, so no earlier page image
holds the text. On PostgreSQL a `pg_dump` holds live rows only; dead tuples are reclaimed by
VACUUM, and backups made before the erasure keep what they held until they expire.

Erasure by an admin on someone's behalf is not offered: a person erases their own account.
"""

from django.db import connection, transaction
from django.dispatch import Signal

from accounts.models import ErasureRecord, User
from accounts.personal_data import is_erased, sections

# What the person types to confirm, compared without regard to case or surrounding spaces.
CONFIRMATION_PHRASE = "erase my account"


erasure_starting = Signal()
"""Sent with `user=` (the person, still as they were) inside the erasure's transaction,
before any section erases anything. A receiver may queue work with `transaction.on_commit`
(it then happens only if the erasure commits); it must not keep the person's data anywhere."""


def erase_person(user: User) -> ErasureRecord | None:
    """Erase `user`'s personal data and anonymise their account, atomically; returns the
    `ErasureRecord`, or None when the account was already erased (a second request, a double
    click: nothing changes). Any section raising rolls everything back. The caller signs the
    person out. Precondition: the person asked for it themselves and proved it with their
    password (`accounts.forms.EraseAccountForm`)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if is_erased(locked):
            return None
        organization_id = locked.organization_id
        # Apps above act while the person's rows are still whole (coaching sends the other
        # person of each session still ahead its cancellation); inside this transaction.
        erasure_starting.send(sender=User, user=locked)
        counts = {section.key: int(section.erase(locked)) for section in sections()}
        record = ErasureRecord.objects.create(organization_id=organization_id, counts=counts)
        transaction.on_commit(_truncate_write_ahead_log)
    return record


def _truncate_write_ahead_log() -> None:
    """SQLite: copy the write-ahead log into the database file and truncate it, so that the
    page images it held from before the erasure are gone. Best effort: with a reader still
    open on an older snapshot the log is kept, and the next checkpoint overwrites it."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
