from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = "Discussions"

    def ready(self) -> None:
        """Show each discussion prompt's thread on its activity page (cohorts.panels) and each
        circle's conversation on the circle's page (circles.panels)."""
        from circles.panels import register_circle_panel
        from cohorts.panels import register_activity_panel
        from discussions.panels import circle_panel, prompt_panel
        from programs.models import ActivityKind

        register_activity_panel(ActivityKind.DISCUSSION, prompt_panel)
        register_circle_panel(circle_panel)
