from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.tasks import send_email
from rapport.lib.timezones import time_zone_choices


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset email from the background worker, so the page answers at once and an
    unreachable mail server never turns into an error page.

    People imported by an admin have no password yet: the reset email is how they choose their
    first one, so active accounts with an unusable password are included (Django leaves them out).
    """

    def get_users(self, email: str) -> Iterator[User]:  # type: ignore[override]
        return (
            user
            for user in User._default_manager.filter(email__iexact=email, is_active=True)
            if user.email.lower() == email.lower()
        )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.template import loader

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_email.enqueue(subject=subject, body=body, to=[to_email])


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Your weeks start at midnight here, and live sessions show in this time."),
    )

    class Meta:
        model = User
        fields = ["full_name", "time_zone"]
