"""The discussion prompt's panel on the activity page (registered with cohorts.panels in
DiscussionsConfig.ready): the cohort's thread for the prompt, its counts as the person sees
them, and the way in. Four queries at most, whatever the thread's size."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from markupsafe import Markup

from cohorts.access import CohortSeat
from discussions.access import get_prompt_thread
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
