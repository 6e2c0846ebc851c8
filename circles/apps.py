from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = "Peer circles"

    def ready(self) -> None:
        # Late joiners: every new learner seat in a cohort whose circles are published is
        # placed in a circle with room (circles.receivers).
        from circles import receivers  # noqa: F401
