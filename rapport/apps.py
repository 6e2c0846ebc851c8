from django.apps import AppConfig


class RapportConfig(AppConfig):
    """The project package as an app, so that its system checks run with `manage.py check`."""

    name = "rapport"
    verbose_name = "Rapport"

    def ready(self) -> None:
        from rapport import (
            checks,  # noqa: F401  (registers the access check)
            lookups,
        )

        lookups.register()
