from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        """A person's coaching sessions and a coach's availability are sections of their data
        (accounts.personal_data)."""
        from accounts.personal_data import register_personal_data
        from coaching import receivers  # noqa: F401  (group sessions follow their circle)
        from coaching.personal_data import (
            erase_availability,
            erase_group_sessions,
            erase_sessions,
            export_availability,
            export_group_sessions,
            export_sessions,
        )

        register_personal_data(
            "coaching_sessions",
            title=_("Your coaching sessions"),
            export=export_sessions,
            erase=erase_sessions,
            order=60,
        )
        register_personal_data(
            "coaching_availability",
            title=_("Your availability as a coach"),
            export=export_availability,
            erase=erase_availability,
            order=61,
        )
        register_personal_data(
            "coaching_group_sessions",
            title=_("Your circle sessions"),
            export=export_group_sessions,
            erase=erase_group_sessions,
            order=62,
        )
