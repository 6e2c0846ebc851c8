"""`manage.py reencrypt` rewrites the encrypted attachment files on disk too, not only the
database's confidential columns: after a key rotation and a run, the files open under the new
key and no longer under the old one; a second run rewrites nothing; a run that fails half-way
leaves the old file whole and no temporary file behind."""

import io
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from coaching.models import Attachment
from coaching.tests.base import CoachingTestCase
from coaching.tests.talk_helpers import PDF, PNG, checked, send
from rapport.lib import crypto
from rapport.lib.crypto import UndecryptableValue
from rapport.management.commands import reencrypt

NEW_KEY = "new-secret-key-for-file-rotation-tests-" + "z" * 20


class ReencryptFilesTests(CoachingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.old_key = settings.SECRET_KEY
        send(self.alice, self.carol, "My plan", files=(checked("plan.pdf", PDF),))
        send(self.carol, self.alice, "The board", files=(checked("board.png", PNG),))
        self.attachments = list(Attachment.objects.order_by("id"))
        self.paths = [Path(settings.MEDIA_ROOT, a.file.name) for a in self.attachments]
        self.before = [p.read_bytes() for p in self.paths]

    def run_command(self) -> str:
        out = io.StringIO()
        call_command("reencrypt", stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def test_a_rotation_rewrites_every_attachment_file_and_the_old_key_no_longer_opens_them(
        self,
    ) -> None:
        with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[self.old_key]):
            output = self.run_command()
            self.assertIn("coaching.Attachment: 2 file(s) re-encrypted", output)
            self.assertNotIn("plan", output)  # no file name, no content in the output
            after = [p.read_bytes() for p in self.paths]
            self.assertTrue(all(a != b for a, b in zip(after, self.before, strict=True)))
            # Idempotent and resumable: what is under the new key is left alone.
            self.assertIn("coaching.Attachment: 0 file(s) re-encrypted", self.run_command())
            self.assertEqual([p.read_bytes() for p in self.paths], after)
        with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
            self.assertEqual([crypto.decrypt_bytes(t) for t in after], [PDF, PNG])
            # The page serves the file once the old key is dropped.
            self.client.force_login(self.alice)
            url = reverse("talk:attachment", args=[self.attachments[0].public_id])
            self.assertEqual(self.client.get(url).content, PDF)
        with override_settings(SECRET_KEY=self.old_key, SECRET_KEY_FALLBACKS=[]):
            for token in after:
                with pytest.raises(UndecryptableValue):
                    crypto.decrypt_bytes(token)
        self.assertEqual(
            [p.name for p in self.paths[0].parent.iterdir() if p.name.startswith(".reencrypt-")],
            [],
        )

    def test_a_failure_mid_write_leaves_the_old_file_whole(self) -> None:
        with (
            override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[self.old_key]),
            mock.patch.object(reencrypt.os, "replace", side_effect=OSError("disk full")),
            pytest.raises(OSError, match="disk full"),
        ):
            self.run_command()
        self.assertEqual(self.paths[0].read_bytes(), self.before[0])
        self.assertEqual(
            [p.name for p in self.paths[0].parent.iterdir() if p.name.startswith(".reencrypt-")],
            [],
        )
        # Run again once the disk is fine: it resumes and finishes.
        with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[self.old_key]):
            self.assertIn("coaching.Attachment: 2 file(s) re-encrypted", self.run_command())

    def test_a_file_no_key_opens_stops_the_command_naming_the_row(self) -> None:
        from django.core.management import CommandError

        with (
            override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]),
            mock.patch.object(reencrypt, "confidential_fields", lambda: []),
            pytest.raises(CommandError, match=r"coaching\.Attachment row \d+, file file"),
        ):
            self.run_command()
        self.assertEqual([p.read_bytes() for p in self.paths], self.before)

    def test_a_missing_file_is_reported_and_the_others_are_rewritten(self) -> None:
        self.paths[0].unlink()
        err = io.StringIO()
        with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[self.old_key]):
            out = io.StringIO()
            call_command("reencrypt", stdout=out, stderr=err)
        self.assertIn("coaching.Attachment: 1 file(s) re-encrypted", out.getvalue())
        self.assertIn(f"row {self.attachments[0].pk}, file: missing", err.getvalue())


def test_the_registry_lists_confidential_file_fields() -> None:
    found = dict(crypto.confidential_file_fields())
    assert found[Attachment] == ["file"]
