from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        """Register reports made and blocks as a section of a person's data
        (accounts.personal_data)."""
        from accounts.personal_data import register_personal_data
        from moderation.personal_data import erase_moderation, export_moderation

        register_personal_data(
            "moderation",
            title=_("Your reports and blocks"),
            export=export_moderation,
            erase=erase_moderation,
            order=50,
        )
