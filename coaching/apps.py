from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        """A person's coaching sessions and a coach's availability are sections of their data
        (accounts.personal_data)."""
        from accounts.erasure import erasure_starting
        from accounts.personal_data import register_personal_data
        from coaching import receivers  # noqa: F401  (group sessions follow their circle)
        from coaching.personal_data import (
            erase_availability,
            erase_group_sessions,
            erase_matching,
            erase_messages,
            erase_nudges,
            erase_session_notes,
            erase_sessions,
            export_availability,
            export_group_sessions,
            export_matching,
            export_messages,
            export_nudges,
            export_session_notes,
            export_sessions,
        )
        from coaching.tasks import cancel_sessions_before_erasure

        erasure_starting.connect(cancel_sessions_before_erasure, dispatch_uid="coaching-cancel")

        register_personal_data(
            "coaching_sessions",
            title=_("Your coaching sessions"),
            export=export_sessions,
            erase=erase_sessions,
            order=60,
        )
        register_personal_data(
            "coaching_availability",
            title=_("Your availability as a coach"),
            export=export_availability,
            erase=erase_availability,
            order=61,
        )
        register_personal_data(
            "coaching_group_sessions",
            title=_("Your circle sessions"),
            export=export_group_sessions,
            erase=erase_group_sessions,
            order=62,
        )
        # Messages, action plans and a coach's private notes (coach-talk); before the sessions,
        # which would otherwise take the notes with them uncounted.
        register_personal_data(
            "coaching_messages",
            title=_("Your messages with your coach and your action plans"),
            export=export_messages,
            erase=erase_messages,
            order=58,
        )
        register_personal_data(
            "coaching_notes",
            title=_("Your private notes on the sessions you coach"),
            export=export_session_notes,
            erase=erase_session_notes,
            order=59,
        )
        register_personal_data(
            "coaching_matching",
            title=_("Your coach matching"),
            export=export_matching,
            erase=erase_matching,
            order=63,
        )
        register_personal_data(
            "coaching_nudges",
            title=_("Nudges"),
            export=export_nudges,
            erase=erase_nudges,
            order=64,
        )
