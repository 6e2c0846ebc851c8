from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from programs import signals  # noqa: F401  (installs the outline triggers after migrate)
