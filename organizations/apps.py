from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "Organisation"

    def ready(self) -> None:
        """Register the membership as a section of a person's data (accounts.personal_data)."""
        from accounts.personal_data import register_personal_data
        from organizations.personal_data import erase_membership, export_membership

        register_personal_data(
            "membership",
            title=_("Your organisation"),
            export=export_membership,
            erase=erase_membership,
            order=10,
        )
