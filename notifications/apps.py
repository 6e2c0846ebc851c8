from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        """Register notifications as a section of a person's data (accounts.personal_data)."""
        from accounts.personal_data import register_personal_data
        from notifications.personal_data import erase_notifications, export_notifications

        register_personal_data(
            "notifications",
            title=_("Your notifications and email choices"),
            export=export_notifications,
            erase=erase_notifications,
            order=80,
        )
