from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowthConfig(AppConfig):
    name = "growth"
    verbose_name = "Growth"

    def ready(self) -> None:
        from accounts.personal_data import register_personal_data
        from growth.personal_data import erase_growth, export_growth

        register_personal_data(
            "growth",
            title=_("Growth: goals, mindset, charters, conversations and check-ins"),
            export=export_growth,
            erase=erase_growth,
            order=80,
        )
