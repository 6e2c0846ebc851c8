"""Forms of the experts pages. They only validate; experts.actions writes."""

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from coaching.forms import GROUP_MINUTES, local_instant
from cohorts.models import Cohort
from experts.models import MAX_ANSWER, MAX_QUESTION, ThreadKind
from rapport.lib.text import SingleLineFormField, validate_single_line


class ThreadForm(forms.Form):
    """Office hours or an ask-me-anything thread for one of the cohorts the person may host
    in. Office hours need a day and a time (in the host's zone, ahead, a wall-clock time that
    exists that day); `cleaned_data` then gains `starts_at` and `ends_at` (UTC)."""

    cohort = forms.ChoiceField(label=_("Cohort"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ThreadKind.choices, initial="office_hours")
    title = SingleLineFormField(label=_("Title"), max_length=160, validators=[validate_single_line])
    day = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Starts at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.TypedChoiceField(
        label=_("Length"), choices=GROUP_MINUTES, coerce=int, initial=60, required=False
    )
    video_url = forms.URLField(
        label=_("Video link"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args: Any, host: User, cohorts: list[Cohort], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.host = host
        self.cohorts = {str(c.public_id): c for c in cohorts}
        self.fields["cohort"].choices = [  # type: ignore[attr-defined]
            (key, c.name) for key, c in self.cohorts.items()
        ]
        self.fields["start_time"].help_text = _(
            "Office hours only. In your time zone, %(zone)s."
        ) % {"zone": host.time_zone}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "cohort" in data:
            data["cohort"] = self.cohorts[data["cohort"]]
        if data.get("kind") != ThreadKind.OFFICE_HOURS:
            return data
        day, at, minutes = data.get("day"), data.get("start_time"), data.get("minutes")
        if not day and "day" not in self.errors:
            self.add_error("day", _("Office hours need a day."))
        if not at and "start_time" not in self.errors:
            self.add_error("start_time", _("Office hours need a time."))
        if not minutes and "minutes" not in self.errors:
            self.add_error("minutes", _("Choose how long."))
        if day and at and minutes:
            starts_at = local_instant(day, at, self.host.time_zone)
            if starts_at is None:
                self.add_error(
                    "start_time",
                    _("%(time)s does not exist on that day in %(zone)s: the clocks go forward.")
                    % {"time": f"{at:%H:%M}", "zone": self.host.time_zone},
                )
            elif starts_at <= timezone.now():
                self.add_error("day", _("That time has already passed. Choose a time ahead."))
            else:
                data["starts_at"] = starts_at
                data["ends_at"] = starts_at + timedelta(minutes=minutes)
        return data


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown works: **bold**, lists, links."),
    )
    show_name = forms.BooleanField(
        label=_("Show my name with my question"),
        required=False,
        initial=True,
        help_text=_(
            'Unticked, the cohort sees "A learner"; the expert and admins still see who asked.'
        ),
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write your question first."))
        return body


class VoteForm(forms.Form):
    """`up` is 1 (upvote) or 0 (withdraw); anything else is refused."""

    up = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Written answer"),
        max_length=MAX_ANSWER,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown works. Leave empty if you answered it live only."),
    )
    live = forms.BooleanField(label=_("Answered live at the office hours"), required=False)


class CloseForm(forms.Form):
    closed = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
