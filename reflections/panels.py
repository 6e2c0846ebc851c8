"""Panels other pages show: a mission's plan → do → reflect on its activity page, the
"connect it to your own experience" invitation on every other activity page but discussion
prompts (whose thread is the place to answer), both registered with cohorts.panels in
ReflectionsConfig.ready, and what a circle's members shared with it, on the circle's page
(circles.panels).

The invitation costs no query (it links to the reflection's own page); the mission panel a
fixed six (plan, reflection, drafts, the seat's circle, its members and the cohort's head
count: reflections/tests/test_journal.py)."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from markupsafe import Markup

from cohorts.access import CohortSeat
from programs.outline import OutlineActivity
from reflections import access


def mission_panel(request: HttpRequest, seat: CohortSeat, activity: OutlineActivity) -> Any:
    """The learner's mission flow, or None for people without a learner seat (previews)."""
    if not seat.is_learner:
        return None
    from reflections.views import mission_context

    html = render_to_string(
        "reflections/_mission_panel.html",
        mission_context(request, seat, activity),
        request=request,
    )
    return Markup(html)  # rendered by our own autoescaping template just above


def experience_panel(request: HttpRequest, seat: CohortSeat, activity: OutlineActivity) -> Any:
    """The collapsed "connect it to your own experience" invitation, for learners only."""
    if not seat.is_learner:
        return None
    html = render_to_string(
        "reflections/_experience_panel.html",
        {"seat": seat, "activity": activity},
        request=request,
    )
    return Markup(html)  # rendered by our own autoescaping template just above


def circle_panel(request: HttpRequest, circle: Any) -> Any:
    """The newest entries shared with this circle that the person may read (one query), or ""
    when there are none. Precondition: `circle` came from circles.access.get_circle_for_user."""
    entries = access.shared_in_circle(request.user, circle)
    if not entries:
        return ""
    html = render_to_string(
        "reflections/_circle_panel.html", {"entries": entries, "circle": circle}, request=request
    )
    return Markup(html)  # rendered by our own autoescaping template just above
