from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Learning events"

    def ready(self) -> None:
        """Register the person's statements as a section of their data (accounts.personal_data)."""
        from accounts.personal_data import register_personal_data
        from events.personal_data import erase_events, export_events

        register_personal_data(
            "events",
            title=_("Your learning record"),
            export=export_events,
            erase=erase_events,
            order=90,
        )
