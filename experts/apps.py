from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "Experts"

    def ready(self) -> None:
        """Office hours appear in My sessions (coaching.calendar.register_calendar_source);
        questions, votes and hosted threads are a section of a person's data
        (accounts.personal_data)."""
        from accounts.personal_data import register_personal_data
        from coaching.calendar import register_calendar_source
        from experts.calendar import office_hours_entries
        from experts.personal_data import erase_experts, export_experts

        register_calendar_source(office_hours_entries)
        register_personal_data(
            "experts",
            title=_("Your questions to experts"),
            export=export_experts,
            erase=erase_experts,
            order=70,
        )
