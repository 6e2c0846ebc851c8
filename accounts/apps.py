from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People"

    def ready(self) -> None:
        """Register the account itself as the first section of a person's data."""
        from accounts.personal_data import anonymise_account, export_account, register_personal_data

        register_personal_data(
            "account",
            title=_("Your account"),
            export=export_account,
            erase=anonymise_account,
            order=0,
        )
