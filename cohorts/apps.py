from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = "Cohorts"

    def ready(self) -> None:
        from accounts.personal_data import register_personal_data
        from cohorts import signals  # noqa: F401  (sessions follow their defaults)
        from cohorts.personal_data import erase_cohorts, export_cohorts

        register_personal_data(
            "cohorts",
            title=_("Your cohorts and progress"),
            export=export_cohorts,
            erase=erase_cohorts,
            order=20,
        )
