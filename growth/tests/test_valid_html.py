"""The growth pages are valid HTML by the Nu HTML Checker's measure, as rapport's own pages are
(rapport/tests/test_valid_html.py: the same validator, the same rule: no error, no warning),
including the pages a refused form shows again and the routine card htmx swaps in."""

import json
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from growth.tests.base import GrowthTestCase
from rapport.tests.test_valid_html import validator_command


@pytest.mark.html_validator
class GrowthHtmlTests(GrowthTestCase):
    def pages(self) -> dict[str, str]:
        ids = self.make_alices_items()
        pages: dict[str, str] = {}

        def keep(name: str, url: str, expected: int = 200, data: dict | None = None) -> None:  # type: ignore[type-arg]
            response = (
                self.client.post(url, data or {}) if data is not None else self.client.get(url)
            )
            self.assertEqual(response.status_code, expected, url)
            pages[f"{name}.html"] = response.content.decode()

        self.client.force_login(self.alice)
        for name in ("index", "mindset", "check_in", "charters", "conversations", "model"):
            keep(name, reverse(f"growth:{name}"))
        keep("goal", reverse("growth:goal", args=[ids["goal_id"]]))
        keep("belief", reverse("growth:belief", args=[ids["belief_id"]]))
        keep("charter", reverse("growth:charter", args=[ids["charter_id"]]))
        keep("print", reverse("growth:charter_print", args=[ids["charter_id"]]))
        keep("plan", reverse("growth:conversation", args=[ids["plan_id"]]))
        keep("debrief", reverse("growth:debrief", args=[ids["plan_id"]]))
        keep("goal-refused", reverse("growth:goal_new"), 400, {"title": "", "why": "kept"})
        keep("mood-refused", reverse("growth:check_in"), 400, {"feeling": "9", "energy": "1"})
        keep(
            "plan-refused",
            reverse("growth:conversations"),
            400,
            {"submission": str(uuid.uuid4()), "subject": ""},
        )
        self.client.force_login(self.adam)
        keep("model-admin", reverse("growth:model"))
        keep("trends", reverse("growth:trends"))
        return pages

    def test_every_growth_page_has_no_validator_errors_or_warnings(self) -> None:
        command = validator_command()
        pages = self.pages()
        with tempfile.TemporaryDirectory(prefix="rapport-growth-html-") as folder:
            for name, html in pages.items():
                Path(folder, name).write_text(html, encoding="utf-8")
            result = subprocess.run(
                [*command, *sorted(str(path) for path in Path(folder).iterdir())],
                capture_output=True,
                text=True,
                timeout=600,
            )
        report = json.loads(result.stderr or '{"messages": []}')
        described = [
            f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
            for m in report["messages"]
            if m.get("type") in {"error", "non-document-error"}
            or (m.get("type") == "info" and m.get("subType") == "warning")
        ]
        self.assertEqual(described, [], "\n".join(described))
