from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from accounts.access import accounts_for_password_reset
from accounts.emails import render_email
from accounts.models import User
from accounts.tasks import send_email
from accounts.throttling import lift_sign_in_lock
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
            for user in accounts_for_password_reset(email)
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
        """Render the text and HTML parts here (the request's host is in `context`) and queue
        them; the template names Django passes are replaced by accounts/email/password_reset."""
        rendered = render_email("accounts/email/password_reset", context)
        send_email.enqueue(
            subject=rendered.subject, text=rendered.text, html=rendered.html, to=[to_email]
        )


class ChoosePasswordForm(SetPasswordForm):
    """Choosing a password (first one or a new one), with the rules listed as a real list.

    Django's help text is one HTML string that a template would show as literal tags; here the
    field's help is a plain sentence and `password_rules` the rules, one item each.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.password_rules = password_validation.password_validators_help_texts()
        self.fields["new_password1"].help_text = _("Your password:")

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=commit)
        lift_sign_in_lock(user.email)
        return user


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Your weeks start at midnight here, and live sessions show in this time."),
    )

    class Meta:
        model = User
        fields = ["full_name", "time_zone"]
