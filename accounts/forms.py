from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.access import accounts_for_password_reset
from accounts.backends import SeveralAccounts
from accounts.emails import render_email
from accounts.erasure import CONFIRMATION_PHRASE
from accounts.models import User
from accounts.tasks import send_email
from accounts.throttling import lift_sign_in_lock
from rapport.lib.timezones import time_zone_choices


class SignInForm(AuthenticationForm):
    """Django's sign-in form, plus a choice of organisation that appears only when the address
    and password open accounts in several (accounts.backends.SeveralAccounts)."""

    # A CharField with a select: the choices exist only once the password has been checked.
    organization = forms.CharField(label=_("Organisation"), required=False, widget=forms.Select)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization_choices: list[tuple[str, str]] = []

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is None or not password:
            return self.cleaned_data
        try:
            self.user_cache = authenticate(
                self.request,
                username=email,
                password=password,
                organization=self.data.get("organization") or None,
            )
        except SeveralAccounts as several:
            self.organization_choices = [(org.slug, org.name) for org in several.organizations]
            self.fields["organization"].widget.choices = self.organization_choices  # type: ignore[attr-defined]
            raise ValidationError(
                _("This email and password open accounts in several organisations. Choose one."),
                code="several_accounts",
            ) from None
        if self.user_cache is None:
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset email from the background worker, so the page answers at once and an
    unreachable mail server never turns into an error page.

    People imported by an admin have no password yet: the reset email is how they choose their
    first one, so active accounts with an unusable password are included (Django leaves them out).
    """

    def get_users(self, email: str) -> Iterator[User]:  # type: ignore[override]
        return (user for user in accounts_for_password_reset(email))

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
        # Grouped by region; rapport.js adds a search box named by data-filter.
        widget=forms.Select(attrs={"data-filter": _("Search time zones")}),
        help_text=_("Your weeks start at midnight here, and live sessions show in this time."),
    )

    class Meta:
        model = User
        fields = ["full_name", "time_zone"]


class EraseAccountForm(forms.Form):
    """The erasure's confirmation: the person's current password and the typed phrase
    (`accounts.erasure.CONFIRMATION_PHRASE`, any case). Either wrong is a form error and
    nothing is erased; the typed phrase is shown again, the password never."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirmation = forms.CharField(
        label=_("Type “erase my account” to confirm"),
        max_length=100,
        help_text=_("This cannot be undone."),
    )

    def __init__(self, user: User, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        """The password is checked as sign-in checks it (`authenticate`), so wrong guesses
        count towards the same lock as wrong sign-ins (accounts.throttling): a borrowed
        session cannot be used to try passwords without limit."""
        password: str = self.cleaned_data["password"]
        organization = self.user.organization
        try:
            proven = authenticate(
                self.request,
                username=self.user.email,
                password=password,
                organization=organization.slug if organization is not None else None,
            )
        except SeveralAccounts:
            # An operator whose address and password also open organisation accounts.
            proven = self.user if self.user.check_password(password) else None
        if proven is None or proven.pk != self.user.pk:
            raise ValidationError(_("That is not your password."), code="wrong_password")
        return password

    def clean_confirmation(self) -> str:
        typed: str = self.cleaned_data["confirmation"]
        if " ".join(typed.split()).lower() != CONFIRMATION_PHRASE:
            raise ValidationError(
                _("Type the words “erase my account” exactly, to show you mean it."),
                code="confirmation",
            )
        return typed
