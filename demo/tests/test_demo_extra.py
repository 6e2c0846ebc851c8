"""The demo's own packages (the `demo` extra: Pillow, imageio-ffmpeg) are not the product's.

Production installs `pip install .` without the extra; these tests make sure nothing the product
runs needs it, and that the demo says how to install it rather than failing with a traceback.
"""

import io
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase

from organizations.models import Organization

BASE_DIR = Path(settings.BASE_DIR)
DEMO_PACKAGES = {"PIL": "Pillow", "imageio_ffmpeg": "imageio-ffmpeg"}

# Runs in a fresh interpreter with the demo packages made unimportable: sets Django up, imports
# every module of every local app except `demo` (tests aside), and reports what failed.
PRODUCT_IMPORTS = r"""
import importlib, json, pkgutil, sys
from pathlib import Path

blocked = set(sys.argv[1].split(","))

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
        return None

sys.meta_path.insert(0, Block())
import django
django.setup()
from django.apps import apps
from django.conf import settings

base = Path(settings.BASE_DIR).resolve()
packages = ["rapport"] + [
    config.name for config in apps.get_app_configs()
    if Path(config.path).resolve().is_relative_to(base) and config.name != "demo"
]
imported, failed = [], {}
for package in packages:
    module = importlib.import_module(package)
    names = [package] + [
        info.name for info in pkgutil.walk_packages(module.__path__, prefix=package + ".")
        if ".tests" not in info.name
    ]
    for name in names:
        try:
            importlib.import_module(name)
            imported.append(name)
        except Exception as error:
            failed[name] = f"{type(error).__name__}: {error}"
try:
    importlib.import_module("demo.media")
    blocker_works = False
except ModuleNotFoundError:
    blocker_works = True
print(json.dumps({
    "packages": packages, "imported": imported, "failed": failed, "blocker_works": blocker_works,
    "demo_modules": sorted(m for m in sys.modules if m.split(".")[0] == "demo"),
}))
"""


class RuntimeDependencyTests(SimpleTestCase):
    def test_the_product_imports_nothing_from_the_demo_extra(self) -> None:
        result = subprocess.run(
            [sys.executable, "-c", PRODUCT_IMPORTS, ",".join(DEMO_PACKAGES)],
            cwd=BASE_DIR,
            env=dict(os.environ),  # DJANGO_SETTINGS_MODULE: the test settings
            capture_output=True,
            text=True,
            check=True,
        )
        report = json.loads(result.stdout)
        self.assertTrue(report["blocker_works"], "the demo's media module needs the extra")
        self.assertEqual(report["failed"], {})
        for app in (
            "rapport",
            "accounts",
            "organizations",
            "programs",
            "cohorts",
            "events",
            "notifications",
            "circles",
            "discussions",
            "moderation",
        ):
            self.assertIn(app, report["packages"])
        self.assertIn("rapport.wsgi", report["imported"])
        self.assertIn("cohorts.views", report["imported"])
        # Django loads the demo app's configuration; nothing in the product imports the rest.
        self.assertEqual(report["demo_modules"], ["demo", "demo.apps"])

    def test_the_demo_packages_are_an_extra_that_the_setup_installs(self) -> None:
        project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
        runtime = " ".join(project["dependencies"]).lower()
        demo_extra = " ".join(project["optional-dependencies"]["demo"]).lower()
        for distribution in DEMO_PACKAGES.values():
            self.assertNotIn(distribution.lower(), runtime)
            self.assertIn(distribution.lower(), demo_extra)
        # `make demo` and `make test` both set up through bootstrap.sh.
        self.assertIn('".[dev,demo]"', (BASE_DIR / "scripts" / "bootstrap.sh").read_text())


@contextmanager
def _without_demo_packages() -> Iterator[None]:
    """The demo packages unimportable (a None entry in sys.modules makes `import` fail), and the
    media module forgotten so that it is imported again; all restored afterwards."""
    blocked: dict[str, object] = dict.fromkeys(DEMO_PACKAGES)
    with mock.patch.dict(sys.modules, blocked):
        sys.modules.pop("demo.media", None)
        yield


class SeedWithoutTheExtraTests(TestCase):
    def test_seeding_without_the_extra_says_how_to_install_it_and_writes_nothing(self) -> None:
        with (
            _without_demo_packages(),
            self.assertRaisesMessage(CommandError, "pip install -e '.[demo]'"),
        ):
            call_command("seed_demo", "--learners", "2", stdout=io.StringIO())
        self.assertFalse(Organization.objects.exists())

    def test_sign_ins_and_the_check_work_without_the_extra(self) -> None:
        out = io.StringIO()
        with _without_demo_packages():
            call_command("seed_demo", "--show-sign-ins", stdout=out)
            with self.assertRaisesMessage(CommandError, "has not been created yet"):
                call_command("seed_demo", "--check", stdout=io.StringIO())
        self.assertIn("learner@northwind.example", out.getvalue())
