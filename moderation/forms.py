"""Forms for reporting a post and for the moderators' decisions. Every parameter a request
carries is parsed here with strict choices and limits: an unknown reason or oversize text is a
form error with a message, and nothing changes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import MAX_DETAILS_LENGTH, MAX_NOTE_LENGTH, ReportReason


class ReportForm(forms.Form):
    """A report: one reason from ReportReason, optional details (at most MAX_DETAILS_LENGTH
    characters), and whether the reporter's name stays hidden from peers (ticked by default)."""

    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"),
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


class HideForm(forms.Form):
    """Hiding a reported post: the reason its author will read (required), and an optional
    note for the reporter; each at most MAX_NOTE_LENGTH characters."""

    reason = forms.CharField(
        label=_("Why the post is hidden (its author reads this)"),
        max_length=MAX_NOTE_LENGTH,
        error_messages={"required": _("Say why the post is hidden: its author will read it.")},
    )
    note = forms.CharField(
        label=_("Note to the person who reported it (optional)"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
    )


class DismissForm(forms.Form):
    """Dismissing a report: an optional note for the reporter (at most MAX_NOTE_LENGTH)."""

    note = forms.CharField(
        label=_("Note to the person who reported it (optional)"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
    )


class UnhideForm(forms.Form):
    """Showing a hidden post again: an optional reason for the audit log."""

    reason = forms.CharField(
        label=_("Why the post is shown again (for the audit log)"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
    )
