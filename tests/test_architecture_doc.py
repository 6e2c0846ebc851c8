"""docs/architecture.md says only what is true: its app map, skeleton, paths and commands are
checked against the code, so the page a new maintainer reads first cannot drift from it."""

import importlib
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import get_commands
from django.test import SimpleTestCase

BASE_DIR = Path(settings.BASE_DIR).resolve()
DOC = (BASE_DIR / "docs" / "architecture.md").read_text()


def section(title: str) -> str:
    """The text under `## title`, up to the next `## ` heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", DOC, re.MULTILINE | re.DOTALL)
    assert match, f"docs/architecture.md has no '## {title}' section"
    return match.group(1)


def local_apps() -> dict[str, Path]:
    """The project's own apps (INSTALLED_APPS that live in this repository), by package name."""
    return {
        config.name: Path(config.path).resolve()
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == BASE_DIR
    }


def domain_apps() -> dict[str, Path]:
    """Local apps that own models: the ones the skeleton is promised for."""
    return {
        config.name: Path(config.path).resolve()
        for config in apps.get_app_configs()
        if config.name in local_apps() and list(config.get_models())
    }


def code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


class AppMapTests(SimpleTestCase):
    def test_the_app_map_lists_every_local_app_and_nothing_else(self) -> None:
        rows = re.findall(r"^\| `([^`]+)`", section("App map"), re.MULTILINE)
        listed = {row.strip("/").split("/")[0] for row in rows}
        self.assertEqual(listed, set(local_apps()))
        for row in rows:
            self.assertTrue((BASE_DIR / row).is_dir(), row)


class SkeletonTests(SimpleTestCase):
    def skeleton(self) -> list[str]:
        match = re.search(r"Every domain app[^:]*: (.*?)\.\n\n", DOC, re.DOTALL)
        assert match, "docs/architecture.md states the domain apps' skeleton"
        return code_spans(match.group(1))

    def test_every_domain_app_has_the_skeleton_the_doc_promises(self) -> None:
        skeleton = self.skeleton()
        self.assertIn("models.py", skeleton)
        self.assertGreaterEqual(len(domain_apps()), 5)
        for name, path in domain_apps().items():
            for entry in skeleton:
                with self.subTest(app=name, entry=entry):
                    self.assertTrue((path / entry.rstrip("/")).exists())

    def test_an_app_with_views_has_urls_and_access_getters(self) -> None:
        for name, path in domain_apps().items():
            if (path / "views.py").exists() or (path / "views").is_dir():
                with self.subTest(app=name):
                    self.assertTrue((path / "urls.py").exists())
                    self.assertTrue((path / "access.py").exists())


class ReferenceTests(SimpleTestCase):
    def test_every_path_the_doc_names_exists(self) -> None:
        repository_files = {p.name for p in BASE_DIR.rglob("*") if ".venv" not in p.parts}
        checked = 0
        for span in code_spans(DOC):
            if " " in span or "(" in span or "…" in span or "://" in span:
                continue
            if span.startswith("var/"):
                continue  # runtime data (the database, media), made on first use
            if "/" in span:
                pattern = re.sub(r"<[^>]+>", "*", span.rstrip("/"))
                # From the repository root, or inside an app (`migrations/`, `kinds/<kind>.html`).
                found = list(BASE_DIR.glob(pattern)) or list(BASE_DIR.glob(f"*/{pattern}"))
                self.assertTrue(found, f"{span} does not exist")
                checked += 1
            elif re.fullmatch(r"[\w.-]+\.(py|md|html|sh|toml|txt|example)", span):
                self.assertIn(span, repository_files, f"no file called {span}")
                checked += 1
        self.assertGreater(checked, 20)

    def test_every_dotted_name_of_the_project_the_doc_names_exists(self) -> None:
        roots = {name.split(".")[0] for name in local_apps()}
        checked = 0
        for span in code_spans(DOC):
            if not re.fullmatch(r"[a-z_]+(\.[A-Za-z_]+)+", span) or span.split(".")[0] not in roots:
                continue
            parts = span.split(".")
            for split in range(len(parts), 0, -1):
                try:
                    target: object = importlib.import_module(".".join(parts[:split]))
                except ImportError:
                    continue
                for attribute in parts[split:]:
                    self.assertTrue(hasattr(target, attribute), f"{span}: no {attribute}")
                    target = getattr(target, attribute)
                break
            else:
                self.fail(f"{span} names no module of the project")
            checked += 1
        self.assertGreater(checked, 2)

    def test_the_commands_the_doc_lists_exist(self) -> None:
        makefile = (BASE_DIR / "Makefile").read_text()
        commands = section("Commands")
        for target in re.findall(r"`make (\w+)", commands):
            self.assertRegex(makefile, rf"(?m)^{target}:", f"make {target}")
        for command in re.findall(r"manage\.py (\w+)", commands):
            self.assertIn(command, get_commands(), f"manage.py {command}")
