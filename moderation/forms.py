"""Forms for reporting a post and for the moderators' decisions. Every parameter a request
carries is parsed here with strict choices and limits: an unknown reason or oversize text is a
form error with a message, and nothing changes."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import MAX_DETAILS_LENGTH, MAX_NOTE_LENGTH, ReportReason


class AboutTextForm(forms.Form):
    """A form about one reported text, whose labels and messages name its kind: `noun` is the
    target's `moderation.targets.Target.noun` ("post", "question", "answer", "journal entry",
    translated); "post" when not given."""

    def __init__(self, *args: Any, noun: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {"noun": noun or _("post")}
        for field in self.fields.values():
            field.label = str(field.label) % names if field.label else field.label
            if "required" in field.error_messages:
                field.error_messages["required"] = str(field.error_messages["required"]) % names


class ReportForm(AboutTextForm):
    """A report: one reason from ReportReason, optional details (at most MAX_DETAILS_LENGTH
    characters), and whether the reporter's name stays hidden from peers (ticked by default)."""

    reason = forms.ChoiceField(
        label=_("What is wrong with this %(noun)s?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the reason that fits best."),
            "invalid_choice": _("“%(value)s” is not one of the reasons: choose one in the list."),
        },
    )
    details = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        required=False,
        max_length=MAX_DETAILS_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only the moderators read this. At most %(n)s characters.")
        % {"n": f"{MAX_DETAILS_LENGTH:,}"},
    )
    anonymous_to_peers = forms.BooleanField(
        label=_("Keep my name from the person I report and from other learners"),
        required=False,
        initial=True,
        help_text=_("The moderators always see who reported, so they can follow up with you."),
    )


class HideForm(AboutTextForm):
    """Hiding a reported post: the reason its author will read (required), and an optional
    note for the reporter; each at most MAX_NOTE_LENGTH characters."""

    reason = forms.CharField(
        label=_("Why the %(noun)s is hidden (its author reads this)"),
        max_length=MAX_NOTE_LENGTH,
        error_messages={"required": _("Say why the %(noun)s is hidden: its author will read it.")},
    )
    note = forms.CharField(
        label=_("Note to the person who reported it (optional)"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
    )


class DismissForm(AboutTextForm):
    """Dismissing a report: an optional note for the reporter (at most MAX_NOTE_LENGTH)."""

    note = forms.CharField(
        label=_("Note to the person who reported it (optional)"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
    )


class UnhideForm(AboutTextForm):
    """Showing a hidden post again: an optional reason for the audit log."""

    reason = forms.CharField(
        label=_("Why the %(noun)s is shown again (for the audit log)"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
    )
