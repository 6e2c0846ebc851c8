"""Forms of the coaching pages. They only validate; coaching.actions writes."""

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from circles.models import Circle
from coaching.attachments import ACCEPT, CheckedFile, check_upload
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


# -- Messages, session notes and action plans (coach-talk) --------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern), each checked by
    coaching.attachments.check_upload in MessageForm.clean_attachments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class MessageForm(forms.Form):
    """A message: text, files, or both. `activity` and `cohort` (hidden) name the activity a
    learner asks about; the view checks them against the learner's seat. Refused with a
    message: nothing at all, too many files, a file too big or of a kind not accepted (the
    typed text is kept; nothing is saved)."""

    body = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=10_000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only the two of you can read it."),
    )
    attachments = MultipleFileField(
        label=_("Attach files (optional)"),
        required=False,
        help_text=_(
            "PDF, images, Office documents or plain text; up to %(n)s files of %(mb)s MB each."
        ),
    )
    activity = forms.UUIDField(required=False, widget=forms.HiddenInput)
    cohort = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = str(self.fields["attachments"].help_text) % {
            "n": settings.RAPPORT_MAX_ATTACHMENTS,
            "mb": settings.RAPPORT_MAX_ATTACHMENT_MB,
        }

    def clean_attachments(self) -> list[CheckedFile]:
        uploads = self.cleaned_data.get("attachments") or []
        if len(uploads) > settings.RAPPORT_MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(n)s files to one message.")
                % {"n": settings.RAPPORT_MAX_ATTACHMENTS},
                code="too_many",
            )
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(check_upload(upload))
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return checked

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("body") and not data.get("attachments"):
            raise forms.ValidationError(
                _("Write a message or attach a file before you send."), code="empty"
            )
        if bool(data.get("activity")) != bool(data.get("cohort")):
            raise forms.ValidationError(_("That activity link is incomplete."), code="activity")
        return data


class NoteForm(forms.Form):
    """The coach's private note on a session."""

    body = forms.CharField(
        label=_("Your private note"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only you can see this. Your learner cannot see this note."),
    )


class ActionItemForm(forms.Form):
    """An action plan item. `behaviours`: the organisation's (coaching.access.behaviours_for);
    `goals`: the learner's own goals (coaching.access.goals_for), offered to the learner only
    (None for the coach, who never links a goal)."""

    text = forms.CharField(
        label=_("What we agreed"),
        max_length=1_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    behaviour: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Behaviour it practises (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args: Any, behaviours: Any, goals: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["behaviour"]
        field.queryset = behaviours  # type: ignore[attr-defined]
        field.label_from_instance = lambda b: f"{b.competency.name}: {b.text}"  # type: ignore[attr-defined]
        if goals is not None:
            self.fields["goal"] = forms.ModelChoiceField(
                label=_("One of your goals (optional)"),
                queryset=goals,
                required=False,
                empty_label=_("None"),
                help_text=_("Your coach will see this goal's title on your action plan."),
            )
            self.fields["goal"].label_from_instance = lambda g: g.title  # type: ignore[attr-defined]


class ItemStatusForm(forms.Form):
    done = forms.TypedChoiceField(
        choices=[("1", _("Done")), ("0", _("Not yet"))], coerce=lambda v: v == "1"
    )


def distinct_labels(people: Sequence[Any]) -> list[tuple[Any, str]]:
    """Each person with a label a coach can tell apart: the name, and where two people share
    it, the cohorts they are coached in (`coached_in`, from `coaching.access.learners_of`),
    and where that is still the same, their email. Shapes: [(person, label)], in order."""
    names = Counter(p.full_name for p in people)
    labelled: list[tuple[Any, str]] = []
    for person in people:
        label = person.full_name
        if names[label] > 1:
            cohorts = ", ".join(getattr(person, "coached_in", []))
            label = f"{label} · {cohorts}" if cohorts else label
        labelled.append((person, label))
    repeated = Counter(label for _p, label in labelled)
    return [
        (person, f"{label} · {person.email}" if repeated[label] > 1 else label)
        for person, label in labelled
    ]


class NudgeForm(forms.Form):
    """A nudge: the message (placeholders checked), who gets it (one of the coach's learners,
    or a filter of them: cohort, activities done at most, days without activity) and when (the
    coach's zone; empty: now). `confirm_small` is the coach's yes when the group is small
    enough to single people out (the view asks)."""

    body = forms.CharField(
        label=_("Message"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Placeholders: {first_name}, {week_title} (their week this week), {coach_name}."
        ),
    )
    learner = forms.ChoiceField(label=_("One learner"), required=False)
    cohort = forms.ChoiceField(label=_("Or a cohort"), required=False)
    completed_at_most = forms.IntegerField(
        label=_("Who has done at most this many activities"),
        required=False,
        min_value=0,
        max_value=1000,
    )
    inactive_days = forms.IntegerField(
        label=_("Who has done nothing for this many days"),
        required=False,
        min_value=1,
        max_value=90,
    )
    day = forms.DateField(
        label=_("Send on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave the day and time empty to send now."),
    )
    at = forms.TimeField(
        label=_("At"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    confirm_small = forms.BooleanField(label=_("Yes, send it to this small group"), required=False)

    def __init__(
        self, *args: Any, coach: User, learners: list[Any], cohorts: list[Any], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.coach = coach
        self.fields["learner"].choices = [("", _("Everyone who matches"))] + [  # type: ignore[attr-defined]
            (str(p.public_id), label) for p, label in distinct_labels(learners)
        ]
        self.fields["cohort"].choices = [("", _("All your cohorts"))] + [  # type: ignore[attr-defined]
            (str(c.public_id), c.name) for c in cohorts
        ]
        self.fields["at"].help_text = _("In your time zone, %(zone)s.") % {"zone": coach.time_zone}

    def clean_body(self) -> str:
        from coaching.nudges import stray_braces, unknown_placeholders

        body = self.cleaned_data["body"].strip()
        if stray_braces(body):
            raise forms.ValidationError(
                _(
                    "A placeholder is not closed or opened: write it with both braces, such "
                    "as {first_name}, or take the stray brace out."
                )
            )
        unknown = unknown_placeholders(body)
        if unknown:
            raise forms.ValidationError(
                _("%(names)s is not a placeholder. Use {first_name}, {week_title} or {coach_name}.")
                % {"names": ", ".join("{" + name + "}" for name in unknown)}
            )
        return body

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, at = data.get("day"), data.get("at")
        data["send_at"] = None
        if day and not at and "at" not in self.errors:
            self.add_error("at", _("Choose a time too, or leave both empty to send now."))
        elif at and not day and "day" not in self.errors:
            self.add_error("day", _("Choose a day too, or leave both empty to send now."))
        elif day and at:
            instant = local_instant(day, at, self.coach.time_zone)
            if instant is None:
                self.add_error(
                    "at", _("That time does not exist on that day: the clocks go forward.")
                )
            elif instant < datetime.now(UTC) - timedelta(minutes=1):
                self.add_error("day", _("That time has passed. Leave it empty to send now."))
            else:
                data["send_at"] = instant
        return data
