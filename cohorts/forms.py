"""Forms for the writes a learner makes from the journey pages. Every parameter a request
carries is parsed here with strict choices and limits: nonsense gets a 400 with the form's
message, and nothing changes."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.actions import MAX_MEDIA_SECONDS
from cohorts.models import CohortSession
from rapport.studio import StudioModelForm


class CompletionForm(forms.Form):
    """`completed=1` marks an activity done, `completed=0` not done. Nothing else is accepted:
    `completed=banana` or `completed=` is an error, not "done". The view treats a request
    without the parameter as `1` (what the "Mark as done" button sends)."""

    completed = forms.TypedChoiceField(
        choices=[("1", _("done")), ("0", _("not done"))],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Say whether the activity is done: completed=1 or completed=0."),
            "invalid_choice": _(
                "“%(value)s” is not a completion state: send completed=1 (done) or "
                "completed=0 (not done)."
            ),
        },
    )


class MediaPositionForm(forms.Form):
    """Where a learner is in a video or podcast: `position` in seconds (a finite number from 0
    to 24 hours), optionally the media's `length` in seconds, and what happened (`play`,
    `pause`, `progress`, the default, or `ended`: the player reached the end, which marks the
    activity done)."""

    position = forms.FloatField(
        min_value=0,
        max_value=MAX_MEDIA_SECONDS,
        error_messages={
            "required": _("Send the position in seconds."),
            "invalid": _("The position must be a number of seconds."),
        },
    )
    # Optional: the media's length as the player reports it (the xAPI video profile needs it
    # for a video's paused and completed statements).
    length = forms.FloatField(
        min_value=0,
        max_value=MAX_MEDIA_SECONDS,
        required=False,
        error_messages={"invalid": _("The length must be a number of seconds.")},
    )
    event = forms.ChoiceField(
        choices=[
            ("play", "play"),
            ("pause", "pause"),
            ("progress", "progress"),
            ("ended", "ended"),
        ],
        required=False,
        error_messages={
            "invalid_choice": _("“%(value)s” is not an event: send play, pause, progress or ended.")
        },
    )

    def clean_event(self) -> str:
        return self.cleaned_data.get("event") or "progress"

    def clean_length(self) -> float | None:
        value = self.cleaned_data.get("length")
        if value is None:
            return None
        if value != value:  # NaN never equals itself
            raise forms.ValidationError("The length must be a number of seconds.")
        return float(value) or None  # 0: the player does not know it yet

    def clean_position(self) -> float:
        value = self.cleaned_data["position"]
        if value != value:  # NaN never equals itself
            raise forms.ValidationError("Position must be a number of seconds.")
        return float(value)


class CohortSessionForm(StudioModelForm):
    """A cohort's live session in the studio. Moving it (time, length or link) detaches it from
    the activity's default, so a later change of the default leaves it where it was put; the
    model checks that it stays inside the cohort's week."""

    class Meta:
        model = CohortSession
        fields = ["starts_at", "duration_minutes", "video_url"]

    def save(self, commit: bool = True) -> Any:
        if self.changed_data:
            self.instance.follows_default = False
        return super().save(commit=commit)
