"""What other apps show on a circle's page, registered from above (circles may not import them).

The discussions app registers the circle's conversation here in its `AppConfig.ready()`:

    from circles.panels import register_circle_panel
    register_circle_panel(render_circle_thread)   # (request, circle) -> Markup

Each panel receives the request and the circle (already loaded through
circles.access.get_circle_for_user, so the person may see it) and returns HTML it has rendered
and escaped itself (a `markupsafe.Markup`), or an empty string to show nothing. Each panel's
own access rules still apply: an admin may see a circle but does not read its thread.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest
from markupsafe import Markup

if TYPE_CHECKING:
    from circles.models import Circle

CirclePanel = Callable[[HttpRequest, "Circle"], Markup | str]

_panels: list[CirclePanel] = []


def register_circle_panel(panel: CirclePanel) -> CirclePanel:
    """Add a panel to every circle's page (idempotent: the same function twice counts once)."""
    if panel not in _panels:
        _panels.append(panel)
    return panel


def render_panels(request: HttpRequest, circle: "Circle") -> list[Markup]:
    """The registered panels' HTML for this circle, in registration order, empty ones dropped."""
    rendered = (panel(request, circle) for panel in _panels)
    return [html if isinstance(html, Markup) else Markup.escape(html) for html in rendered if html]
