"""The dashboard pages are valid HTML by the Nu HTML Checker's measure, as rapport's own pages
are (rapport/tests/test_valid_html.py: the same validator, the same rule: no error, no
warning): the list, the dashboard for all cohorts, a cohort, a suppressed group, and the page
that refused bad filters."""

import json
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.test import TestCase
from django.urls import reverse

from accounts.models import User
from analytics.tests.base import generate, rate
from rapport.policy import Role
from rapport.testing import make_circle, make_org, make_user
from rapport.tests.test_valid_html import validator_command


@pytest.mark.html_validator
class DashboardHtmlTests(TestCase):
    def pages(self) -> dict[str, str]:
        org = make_org("Generated Ltd", slug="generated")
        admin = make_user(org, "admin@gen.example", role=Role.ADMIN)
        data = generate(org, cohorts=2, learners=20, seed=5)
        rate(org, data["cohorts"], seed=5, year_later=1)  # the capability card with numbers
        cohort = str(data["cohorts"][0].public_id)
        url = reverse("analytics:dashboard", args=[data["program"].public_id])
        connections = reverse("analytics:connections", args=[data["program"].public_id])
        pages: dict[str, str] = {}
        self.client.force_login(admin)
        for name, target, query, expected in (
            ("index", reverse("analytics:index"), {}, 200),
            ("all", url, {}, 200),
            ("cohort", url, {"cohort": cohort}, 200),
            ("group", url, {"cohort": cohort, "group": "region:Africa"}, 200),
            ("refused", url, {"start": "2026-10-10", "end": "2026-10-01"}, 400),
            ("connections", connections, {"cohort": cohort}, 200),
            ("connections-refused", connections, {"cohort": "nope"}, 400),
        ):
            response = self.client.get(target, query)
            self.assertEqual(response.status_code, expected, name)
            pages[f"{name}.html"] = response.content.decode()
        coach = make_user(org, "coach@gen.example", role=Role.COACH)
        cohort_row = data["cohorts"][0]
        members = list(cohort_row.enrollments.values_list("user_id", flat=True)[:6])
        make_circle(
            cohort_row, list(User.objects.filter(pk__in=members)), name="Harbour", coach=coach
        )
        self.client.force_login(coach)
        response = self.client.get(reverse("analytics:not_connected"))
        self.assertEqual(response.status_code, 200)
        pages["not-connected.html"] = response.content.decode()
        return pages

    def test_every_dashboard_page_has_no_validator_errors_or_warnings(self) -> None:
        command = validator_command()
        pages = self.pages()
        with tempfile.TemporaryDirectory(prefix="rapport-analytics-html-") as folder:
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
