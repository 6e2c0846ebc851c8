"""Confidential text at rest (rapport/lib/crypto.py) and `manage.py reencrypt`.

The field is exercised on a model made for this test (created and dropped in the real test
database), so these tests hold before any app stores confidential text; each app that does
also greps a raw dump of its own rows.
"""

import io
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test import override_settings
from django.test.utils import isolate_apps

from rapport.lib import crypto
from rapport.lib.crypto import ConfidentialTextField, UndecryptableValue
from rapport.testing import make_org, make_user, raw_database_dump

OLD_KEY = "old-secret-key-for-rotation-tests-" + "x" * 20
NEW_KEY = "new-secret-key-for-rotation-tests-" + "y" * 20
TEXT = "I noticed I interrupt Priya when I'm anxious about the deadline."


@pytest.fixture
def diary() -> Iterator[type[models.Model]]:
    with isolate_apps("rapport"):

        class Diary(models.Model):
            body = ConfidentialTextField(blank=True)
            note = ConfidentialTextField(blank=True, null=True)

            class Meta:
                app_label = "rapport"
                db_table = "rapport_test_diary"

            def __str__(self) -> str:
                return f"Diary {self.pk}"

    with connection.schema_editor() as editor:
        editor.create_model(Diary)
    try:
        # `reencrypt` walks the app registry; this model lives in an isolated one.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(
                "rapport.management.commands.reencrypt.confidential_fields",
                lambda: [(Diary, ["body", "note"])],
            )
            yield Diary
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Diary)


def raw_rows() -> list[tuple[str | None, str | None]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body, note FROM rapport_test_diary ORDER BY id")
        return list(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_round_trip_and_nothing_plain_in_the_database(diary: type[models.Model]) -> None:
    row = diary.objects.create(body=TEXT, note="")
    [(body, note)] = raw_rows()
    assert body and body.startswith(crypto.TOKEN_PREFIX)
    assert "Priya" not in body and note == ""
    assert diary.objects.get(pk=row.pk).body == TEXT  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_the_raw_dump_holds_plain_text_and_not_confidential_text(diary: type[models.Model]) -> None:
    # The dump is real (a plain column shows up in it), so its absence below means something.
    make_user(make_org("Dump Test Org"), "dump@example.com", name="Zebulon Quartermaine")
    diary.objects.create(body=TEXT)
    dump = raw_database_dump()
    assert b"Zebulon Quartermaine" in dump
    assert b"interrupt Priya" not in dump


def test_each_encryption_differs_and_tampering_is_refused() -> None:
    assert crypto.encrypt(TEXT) != crypto.encrypt(TEXT)
    token = crypto.encrypt(TEXT)
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(UndecryptableValue):
        crypto.decrypt(tampered)


def test_full_clean_does_not_decrypt_what_a_person_typed() -> None:
    field = ConfidentialTextField(max_length=20)
    token = crypto.encrypt("hello")
    # A pasted token is text like any other: cleaning returns it unchanged, never decrypted.
    assert field.clean(token[:20], None) == token[:20]
    with pytest.raises(Exception, match="at most 20"):
        field.clean("x" * 21, None)


@pytest.mark.django_db(transaction=True)
def test_rotation_old_keys_decrypt_and_reencrypt_resumes(diary: type[models.Model]) -> None:
    with override_settings(SECRET_KEY=OLD_KEY, SECRET_KEY_FALLBACKS=[]):
        for number in range(5):
            diary.objects.create(body=f"{TEXT} ({number})", note=None)
    # Plain text written before the field was encrypted is read as it is, and encrypted below.
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO rapport_test_diary (body, note) VALUES ('legacy words', NULL)")
    before = raw_rows()

    with (
        override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]),
        pytest.raises(UndecryptableValue),
    ):
        list(diary.objects.all())  # the old key is gone: loud, never the token as text

    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        assert next(r.body for r in diary.objects.order_by("pk")) == f"{TEXT} (0)"  # type: ignore[attr-defined]
        out = io.StringIO()
        call_command("reencrypt", "--batch-size", "2", stdout=out)
        assert "rapport.Diary: 6 value(s) re-encrypted" in out.getvalue()
        assert TEXT not in out.getvalue() and "legacy" not in out.getvalue()
        after = raw_rows()
        assert all(body != old for (body, _), (old, _) in zip(after, before, strict=True))
        assert all(body and body.startswith(crypto.TOKEN_PREFIX) for body, _ in after)
        # A second run finds nothing left to do (what makes it resumable).
        out = io.StringIO()
        call_command("reencrypt", stdout=out)
        assert "rapport.Diary: 0 value(s) re-encrypted" in out.getvalue()

    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
        bodies = [r.body for r in diary.objects.order_by("pk")]  # type: ignore[attr-defined]
        assert bodies[0] == f"{TEXT} (0)" and bodies[-1] == "legacy words"


@pytest.mark.django_db(transaction=True)
def test_reencrypt_stops_on_a_token_no_key_opens(diary: type[models.Model]) -> None:
    with override_settings(SECRET_KEY=OLD_KEY, SECRET_KEY_FALLBACKS=[]):
        diary.objects.create(body=TEXT)
    with (
        override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]),
        pytest.raises(CommandError, match=r"rapport\.Diary row 1, field body"),
    ):
        call_command("reencrypt", stdout=io.StringIO())
    with override_settings(SECRET_KEY=OLD_KEY, SECRET_KEY_FALLBACKS=[]):
        assert diary.objects.get().body == TEXT  # type: ignore[attr-defined]


def test_the_registry_lists_confidential_fields_only() -> None:
    for model, names in crypto.confidential_fields():
        for name in names:
            assert isinstance(model._meta.get_field(name), ConfidentialTextField)


def test_batch_size_is_checked() -> None:
    with pytest.raises(CommandError, match="between 1 and 10000"):
        call_command("reencrypt", "--batch-size", "0")
