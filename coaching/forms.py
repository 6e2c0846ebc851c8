"""Forms of the coaching pages. They only validate; coaching.actions writes."""

from datetime import UTC, datetime, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from circles.models import Circle
from coaching.models import Availability, SlotLength, Weekday
from rapport.lib.timezones import get_zone


class AvailabilityForm(forms.Form):
    """A weekly block in the coach's own zone. Refused with a message: an end before the start,
    a block shorter than one session, a last day before the first, and a block that overlaps
    another of the coach's on the same weekday in dates and times."""

    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    slot_minutes = forms.TypedChoiceField(
        label=_("Session length"), choices=SlotLength.choices, coerce=int, initial=45
    )
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Last day"),
        required=False,
        help_text=_("Leave empty to keep it until you remove it."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Your meeting room at any provider; sessions booked in this block use it."),
    )

    def __init__(self, *args: Any, coach: User, existing: list[Availability], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.coach = coach
        self.existing = existing

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        first, last = data.get("starts_on"), data.get("ends_on")
        length = data.get("slot_minutes")
        if start and end:
            if end <= start:
                self.add_error("end_time", _("The block must end after it starts."))
            elif (
                length and (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute) < length
            ):
                self.add_error(
                    "end_time",
                    _("The block is shorter than one session of %(n)d minutes.") % {"n": length},
                )
        if first and last and last < first:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        if self.errors or data.get("weekday") is None or not (start and end and first):
            return data
        for block in self.existing:
            if (
                block.weekday == data["weekday"]
                and block.start_time < end
                and start < block.end_time
                and (block.ends_on is None or first <= block.ends_on)
                and (last is None or block.starts_on <= last)
            ):
                raise forms.ValidationError(
                    _(
                        "This overlaps your availability on %(day)s from %(start)s to %(end)s. "
                        "Change the times or the dates, or remove that block first."
                    )
                    % {
                        "day": block.get_weekday_display(),
                        "start": f"{block.start_time:%H:%M}",
                        "end": f"{block.end_time:%H:%M}",
                    },
                    code="overlap",
                )
        return data


class VideoLinkForm(forms.Form):
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Any provider. Leave empty to remove the link. Both of you get an updated invite."
        ),
    )


class DayOffForm(forms.Form):
    day = forms.DateField(label=_("Day off"), widget=forms.DateInput(attrs={"type": "date"}))


class SlotForm(forms.Form):
    """The slot a learner picks: its start as an ISO 8601 UTC instant, as the page wrote it."""

    starts_at = forms.CharField(max_length=40)

    def clean_starts_at(self) -> datetime:
        raw = self.cleaned_data["starts_at"].strip()
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise forms.ValidationError(
                _("That is not a time from the list. Choose a time from the list."), code="invalid"
            ) from None
        if value.tzinfo is None:
            raise forms.ValidationError(
                _("That is not a time from the list. Choose a time from the list."), code="invalid"
            )
        return value.astimezone(UTC)


GROUP_MINUTES = [
    (30, _("30 minutes")),
    (45, _("45 minutes")),
    (60, _("60 minutes")),
    (90, _("90 minutes")),
]


def local_instant(day: Any, at: Any, zone_name: str) -> datetime | None:
    """`day` at wall-clock `at` in the zone, as an aware UTC datetime; None when that wall time
    does not exist there that day (the clocks jump forward over it). A time that exists twice
    (the clocks go back) is the first of the two (fold=0)."""
    zone = get_zone(zone_name)
    local = datetime.combine(day, at).replace(tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant


class GroupSessionForm(forms.Form):
    """A circle session: which of the coach's circles (new sessions only), the day and time in
    the coach's own zone, its length and a video link. `cleaned_data` gains `starts_at` and
    `ends_at` (aware, UTC). Refused with a message: a circle not in the list, a wall-clock
    time that does not exist that day in the coach's zone."""

    circle = forms.ChoiceField(label=_("Circle"))
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.TypedChoiceField(
        label=_("Length"), choices=GROUP_MINUTES, coerce=int, initial=60
    )
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Any provider. Everyone invited gets it in their invite."),
    )

    def __init__(self, *args: Any, coach: User, circles: list[Circle] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.coach = coach
        self.circles = {str(c.public_id): c for c in circles or []}
        if circles is None:
            del self.fields["circle"]
        else:
            self.fields["circle"].choices = [  # type: ignore[attr-defined]
                (key, f"{c.name} · {c.cohort.name}") for key, c in self.circles.items()
            ]
        self.fields["start_time"].help_text = _("In your time zone, %(zone)s.") % {
            "zone": coach.time_zone
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "circle" in data:
            data["circle"] = self.circles[data["circle"]]
        day, at, minutes = data.get("day"), data.get("start_time"), data.get("minutes")
        if day and at and minutes:
            starts_at = local_instant(day, at, self.coach.time_zone)
            if starts_at is None:
                self.add_error(
                    "start_time",
                    _(
                        "%(time)s does not exist on that day in %(zone)s: the clocks go "
                        "forward. Choose another time."
                    )
                    % {"time": f"{at:%H:%M}", "zone": self.coach.time_zone},
                )
            else:
                data["starts_at"] = starts_at
                data["ends_at"] = starts_at + timedelta(minutes=minutes)
        return data
