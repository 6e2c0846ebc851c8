"""Upgrading a database that has the outline triggers: a later migration that rebuilds a table
they name (SQLite rebuilds `programs_activity` for any added field) must run. It failed with
"error in trigger rapport_outline_link_insert: no such table: main.programs_activity" until the
triggers were dropped before `migrate` and reinstalled after (programs/signals.py)."""

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from programs.outline_triggers import TRIGGER_NAMES

BASE_DIR = Path(settings.BASE_DIR)
# The last programs migration before one that adds a field to Activity (0009 adds two).
BEFORE_REBUILD = "0008"


class UpgradeWithTriggersTests(SimpleTestCase):
    def migrate(self, database: Path, *target: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}")
        return subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0", *target],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    def triggers(self, database: Path) -> set[str]:
        with sqlite3.connect(database) as db:
            rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
        return {name for (name,) in rows}

    def test_a_database_with_the_triggers_migrates_through_a_table_rebuild(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            database = Path(folder) / "upgrade.sqlite3"
            first = self.migrate(database, "programs", BEFORE_REBUILD)
            self.assertEqual(first.returncode, 0, first.stderr)
            self.assertEqual(self.triggers(database), set(TRIGGER_NAMES))  # as a live site has

            rest = self.migrate(database)

            self.assertEqual(rest.returncode, 0, rest.stderr)
            self.assertEqual(self.triggers(database), set(TRIGGER_NAMES))
