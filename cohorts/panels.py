"""Panels that higher apps add to an activity page, without cohorts importing them.

The discussions app (a higher layer) shows each discussion prompt's thread on the activity page:
it registers a function for the `discussion` kind in its `AppConfig.ready()`, and
`cohorts.views.activity_detail` calls `activity_panel` for every activity. The kind's partial
(`templates/cohorts/kinds/<kind>.html`) renders what the function returned (`panel` in its
context). A panel function must make a fixed number of queries whatever the data size, so the
activity page's query count stays constant (cohorts/tests/test_query_counts.py).
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from cohorts.access import CohortSeat
from programs.outline import OutlineActivity

ActivityPanel = Callable[[HttpRequest, CohortSeat, OutlineActivity], Any]

_PANELS: dict[str, ActivityPanel] = {}


def register_activity_panel(kind: str, panel: ActivityPanel) -> None:
    """Show what `panel(request, seat, activity)` returns on the pages of activities of `kind`
    (an `ActivityKind` value). One panel per kind: registering again replaces it."""
    _PANELS[kind] = panel


def activity_panel(request: HttpRequest, seat: CohortSeat, activity: OutlineActivity) -> Any:
    """What the registered panel of the activity's kind returns for this person, or None."""
    panel = _PANELS.get(activity.kind)
    return None if panel is None else panel(request, seat, activity)
