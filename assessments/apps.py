from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        """What a person rated and was rated, and the peers they asked, are a section of their
        data (accounts.personal_data)."""
        from accounts.personal_data import register_personal_data
        from assessments.personal_data import erase_assessments, export_assessments

        register_personal_data(
            "assessments",
            title=_(
                "Assessments: your ratings, the peers you asked, what you received, and "
                "feedback you asked for or gave between rounds"
            ),
            export=export_assessments,
            erase=erase_assessments,
            order=90,
        )
