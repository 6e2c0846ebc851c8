"""The assessment pages are valid HTML by the Nu HTML Checker's measure (the same validator and
rule as rapport/tests/test_valid_html.py: no error, no warning), refused forms included, and
My growth over time with its charts, tables and what peers and the coach observed."""

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from assessments.actions import SBI_FIELDS
from assessments.models import RoundKind
from assessments.tests.base import PEER_WORDS, AssessmentTestCase
from rapport.tests.test_valid_html import validator_command


@pytest.mark.html_validator
class AssessmentHtmlTests(AssessmentTestCase):
    def pages(self) -> dict[str, str]:
        pages: dict[str, str] = {}

        def keep(name: str, url: str, expected: int = 200, data: Any = None) -> None:
            response = self.client.post(url, data) if data is not None else self.client.get(url)
            self.assertEqual(response.status_code, expected, url)
            pages[f"{name}.html"] = response.content.decode()

        self.invite(self.alice, self.bob, self.fay, self.gina)
        self.open_round(RoundKind.BASELINE)
        self.answer(self.alice, self.alice, RoundKind.BASELINE, score=2)
        self.answer(self.carol, self.alice, RoundKind.BASELINE, score=3, words="Coach words")
        for name in ("bob", "fay", "gina"):
            self.answer(getattr(self, name), self.alice, RoundKind.BASELINE, words=PEER_WORDS[name])
        self.close_round(RoundKind.BASELINE)
        end = self.open_round(RoundKind.END)
        self.close_round(RoundKind.BASELINE)
        seat = self.seat(self.alice).public_id
        rate = reverse("assessments:rate", args=[end.public_id, seat])
        self.client.force_login(self.alice)
        keep("index", reverse("assessments:index"))
        keep("growth", reverse("assessments:growth"))
        keep("peers", reverse("assessments:peers", args=[seat]))
        keep("peers-refused", reverse("assessments:peers", args=[seat]), 400, {})
        keep("rate-self", rate)
        keep("rate-refused", rate, 400, {})
        self.client.force_login(self.bob)
        keep("rate-peer", rate)
        keep("rate-peer-refused", rate, 400, {"strength_impact": "kept"})
        keep("index-bob", reverse("assessments:index"))
        keep("feedback-bob", reverse("assessments:feedback"))
        self.client.force_login(self.carol)
        keep("rate-coach", rate)
        keep("index-carol", reverse("assessments:index"))
        keep("growth-carol", reverse("assessments:growth"))
        # Feedback between rounds: asking (refused, and a search), a request, an answer.
        from django.utils import timezone

        from assessments import actions
        from assessments.models import FeedbackAnswer

        self.client.force_login(self.alice)
        ask = reverse("assessments:feedback_ask", args=[seat])
        keep("feedback-ask", ask)
        keep("feedback-ask-refused", ask, 400, {"focus": "", "due_on": "soon"})
        keep("feedback-ask-find", ask, 200, {"focus": "A moment", "q": "gi", "find": "1"})
        asked = actions.request_feedback(
            self.alice,
            seat=self.seat(self.alice),
            focus="My first skip-level",
            behaviour=None,
            peers=[self.seat(self.bob), self.seat(self.fay)],
            ask_coach=True,
            due_on=None,
            today=timezone.localdate(),
        )
        bobs = FeedbackAnswer.objects.select_related("request__seat__cohort").get(
            request=asked, writer=self.bob
        )
        actions.give_feedback(self.bob, answer=bobs, comments=dict.fromkeys(SBI_FIELDS, "Seen"))
        actions.share_feedback_with_coach(self.alice, request=asked, shared=True)
        keep("feedback-hub", reverse("assessments:feedback"))
        keep("feedback-request", reverse("assessments:feedback_request", args=[asked.public_id]))
        self.client.force_login(self.bob)
        keep("feedback-answered", reverse("assessments:feedback_answer", args=[bobs.public_id]))
        self.client.force_login(self.fay)
        fays = FeedbackAnswer.objects.get(request=asked, writer=self.fay)
        answer = reverse("assessments:feedback_answer", args=[fays.public_id])
        keep("feedback-answer", answer)
        keep("feedback-answer-refused", answer, 400, {"strength_impact": "kept"})
        self.client.force_login(self.carol)
        keep("feedback-shared", reverse("assessments:feedback_request", args=[asked.public_id]))
        keep("feedback-carol", reverse("assessments:feedback"))
        return pages

    def test_every_assessment_page_has_no_validator_errors_or_warnings(self) -> None:
        command = validator_command()
        pages = self.pages()
        with tempfile.TemporaryDirectory(prefix="rapport-assessments-html-") as folder:
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
