from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = "Peer circles"

    def ready(self) -> None:
        """Late joiners: every new learner seat in a cohort whose circles are published is
        placed in a circle with room (circles.receivers). Circle memberships are a section of
        a person's data (accounts.personal_data)."""
        from accounts.personal_data import register_personal_data
        from circles import receivers  # noqa: F401
        from circles.personal_data import erase_circles, export_circles

        register_personal_data(
            "circles",
            title=_("Your peer circles"),
            export=export_circles,
            erase=erase_circles,
            order=30,
        )
