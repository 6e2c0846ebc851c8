from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReflectionsConfig(AppConfig):
    name = "reflections"
    verbose_name = "Reflections"

    def ready(self) -> None:
        """Show a mission's flow on its activity page and the "connect it to your own
        experience" invitation on every other kind but discussion prompts (cohorts.panels),
        what was shared with a circle on its page (circles.panels), and register the journal
        with the person's data export and erasure (accounts.personal_data)."""
        from accounts.personal_data import register_personal_data
        from circles.panels import register_circle_panel
        from cohorts.panels import register_activity_panel
        from programs.models import ActivityKind
        from reflections.panels import circle_panel, experience_panel, mission_panel
        from reflections.personal_data import erase_reflections, export_reflections

        for kind in ActivityKind:
            if kind == ActivityKind.MISSION:
                register_activity_panel(kind, mission_panel)
            elif kind != ActivityKind.DISCUSSION:
                register_activity_panel(kind, experience_panel)
        register_circle_panel(circle_panel)
        register_personal_data(
            "reflections",
            title=_("Reflections and missions"),
            export=export_reflections,
            erase=erase_reflections,
            order=60,
        )
