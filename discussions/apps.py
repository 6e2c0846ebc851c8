from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = "Discussions"

    def ready(self) -> None:
        """Show each discussion prompt's thread on its activity page (cohorts.panels) and each
        circle's conversation on the circle's page (circles.panels); register what a person
        wrote as a section of their data (accounts.personal_data)."""
        from accounts.personal_data import register_personal_data
        from circles.panels import register_circle_panel
        from cohorts.panels import register_activity_panel
        from discussions.panels import circle_panel, prompt_panel
        from discussions.personal_data import erase_discussions, export_discussions
        from programs.models import ActivityKind

        register_activity_panel(ActivityKind.DISCUSSION, prompt_panel)
        register_circle_panel(circle_panel)
        register_personal_data(
            "discussions",
            title=_("Your posts, drafts and reactions"),
            export=export_discussions,
            erase=erase_discussions,
            order=40,
        )
