"""Forms of the notifications pages. Every parameter a request carries is parsed here with
strict choices and limits: anything else is a 400 naming what is accepted, and nothing changes."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import EmailChoice, NotificationKind

MAX_PAGE = 10_000


class PageForm(forms.Form):
    """`page`: a whole number from 1; missing means the first page."""

    page = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE,
        required=False,
        error_messages={
            "invalid": _("The page must be a whole number such as 2."),
            "min_value": _("Pages start at 1."),
            "max_value": _("There are not that many pages."),
        },
    )

    def clean_page(self) -> int:
        return self.cleaned_data.get("page") or 1


class PreferencesForm(forms.Form):
    """One email choice per notification kind, and optional quiet hours (both times or none).
    In-app notifications are always on, so they are not a choice."""

    quiet_start = forms.TimeField(
        label=_("Quiet hours start"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time such as 22:00.")},
    )
    quiet_end = forms.TimeField(
        label=_("Quiet hours end"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time such as 07:00.")},
    )

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        """`kinds`: the NotificationKind values to offer (kinds_for_role of the person); None
        offers every kind. A posted value for any other kind is not a field, so it is ignored
        and that kind's saved choice stays as it was."""
        super().__init__(*args, **kwargs)
        self.kinds = (
            [NotificationKind(k) for k in kinds] if kinds is not None else list(NotificationKind)
        )
        for kind in self.kinds:
            self.fields[f"email_{kind.value}"] = forms.ChoiceField(
                label=kind.label,
                choices=EmailChoice.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose when “%(kind)s” reach you by email.")
                    % {"kind": kind.label},
                    "invalid_choice": _(
                        "“%(value)s” is not a choice: immediate, daily, weekly or never."
                    ),
                },
            )

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[f"email_{kind.value}"] for kind in self.kinds]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None) and not self.errors:
            raise forms.ValidationError(
                _("Give both a start and an end for your quiet hours, or leave both empty.")
            )
        if start is not None and start == end:
            raise forms.ValidationError(_("Quiet hours cannot start and end at the same time."))
        return data

    def choices(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[f"email_{kind.value}"] for kind in self.kinds}
