"""Panels other pages show: a discussion prompt's thread on its activity page (registered with
cohorts.panels in DiscussionsConfig.ready) and a circle's conversation on the circle's page
(for circles.panels): counts as the person sees them, and the way in, never post text. A fixed
number of queries whatever the thread's size."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from markupsafe import Markup

from cohorts.access import CohortSeat
from discussions.access import get_circle_thread, get_prompt_thread
from discussions.threads import prompt_summary
from programs.outline import OutlineActivity


def prompt_panel(request: HttpRequest, seat: CohortSeat, activity: OutlineActivity) -> Any:
    """The rendered panel, or None for people previewing without a seat."""
    thread = get_prompt_thread(seat, activity)
    if thread is None:
        return None
    summary = prompt_summary(thread, viewer=request.user)
    html = render_to_string("discussions/_prompt_panel.html", {"summary": summary}, request=request)
    return Markup(html)  # rendered by our own autoescaping template just above


def circle_panel(request: HttpRequest, circle: Any) -> Any:
    """A circle's conversation on its page (for circles.panels): how many posts, what is new,
    and the way in; "" for people who may see the circle but not read its thread (admins
    managing circles). Precondition: `circle` came from circles.access.get_circle_for_user."""
    thread = get_circle_thread(request.user, circle)
    if thread is None:
        return ""
    summary = prompt_summary(thread, viewer=request.user)
    html = render_to_string(
        "discussions/_circle_panel.html", {"summary": summary, "circle": circle}, request=request
    )
    return Markup(html)  # rendered by our own autoescaping template just above
