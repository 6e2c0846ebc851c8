"""Forms for every parameter the reflections views read: strict choices and limits (an answer's
length, a visibility from the four levels, a planned time read in the person's own zone, a
draft's place and fields), so bad input is a clear error and nothing changes."""

import json
import re
from datetime import datetime, tzinfo
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reflections.models import (
    ENTRY_VISIBILITIES,
    MAX_ANSWER_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_WITH_WHOM_LENGTH,
    Visibility,
)

VISIBILITY_CHOICES = [(v.value, v.label) for v in ENTRY_VISIBILITIES]
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Where a draft belongs: the new free entry form, an entry being edited, or one of the forms on
# an activity page (cohort id, activity id).
DRAFT_KEY = re.compile(rf"^(?:new|entry-{_UUID}|(?:plan|reflect|experience)-{_UUID}-{_UUID})$")
# A draft keeps more than a form accepts, so that text refused as too long is not lost.
DRAFT_FIELD_MAX = 20_000
DRAFT_FIELDS = frozenset(
    {"title", "body", "happened", "noticed", "learned", "next_step", "with_whom"}
    | {"what_i_will_try", "planned_for"}
)


def _answer(label: Any, *, required: bool = False, rows: int = 4, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_ANSWER_LENGTH,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": _("Write something here before you save."),
            "max_length": _(
                "An answer can be at most %(limit_value)d characters; this one is %(show_value)d."
            ),
        },
    )


class DefaultPrivateChoiceField(forms.ChoiceField):
    """A visibility that is private when none was sent (a form posted without its radios)."""

    def to_python(self, value: Any) -> str:
        return super().to_python(value) or Visibility.PRIVATE


def _visibility(*, default_private: bool = True) -> forms.ChoiceField:
    field_class = DefaultPrivateChoiceField if default_private else forms.ChoiceField
    return field_class(
        label=_("Who can see this"),
        choices=VISIBILITY_CHOICES,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _(
                "Choose who can see this: only you, you and your coach, your circle or your cohort."
            ),
            "required": _("Choose who can see this."),
        },
    )


class PlanForm(forms.Form):
    """A mission's plan. `planned_for` is a wall time typed in the person's zone (`zone`);
    `previous` is the stored time when editing (keeping it is allowed even once passed)."""

    planned_for = forms.DateTimeField(
        label=_("When"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Say when you will try it: a date and a time."),
            "invalid": _("Give a date and a time, for example 2026-12-03 14:30."),
        },
    )
    with_whom = forms.CharField(
        label=_("With whom"),
        max_length=MAX_WITH_WHOM_LENGTH,
        strip=True,
        help_text=_(
            "A description in your own words, for example “someone in my team I rarely talk "
            "with”. No names needed: this is for you."
        ),
        widget=forms.TextInput,
        error_messages={
            "required": _("Describe who you will try it with, in a few words."),
            "max_length": _("Keep this to %(limit_value)d characters; it is %(show_value)d."),
        },
    )
    what_i_will_try = _answer(_("What I will try"), required=True, rows=4)

    def __init__(self, *args: Any, zone: tzinfo, previous: datetime | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.previous = previous

    def clean_planned_for(self) -> datetime:
        value: datetime = self.cleaned_data["planned_for"]
        wall = value.replace(tzinfo=None) if timezone.is_aware(value) else value
        aware = timezone.make_aware(wall, self.zone)
        if self.previous is not None and aware == self.previous:
            return aware
        if aware <= timezone.now():
            raise forms.ValidationError(
                _("That time has passed. Pick a time ahead, or go straight to your reflection.")
            )
        if aware.year > timezone.now().year + 1:
            raise forms.ValidationError(_("Pick a time within the next year."))
        return aware


class MissionReflectionForm(forms.Form):
    """The four questions after a mission (at least one answered) and who can see them."""

    happened = _answer(_("What happened"))
    noticed = _answer(_("What I noticed in myself"))
    learned = _answer(_("What I learned"))
    next_step = _answer(_("What I will do next"))
    visibility = _visibility()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = ("happened", "noticed", "learned", "next_step")
        if not self.errors and not any(data.get(name) for name in names):
            raise forms.ValidationError(_("Answer at least one of the questions before you save."))
        return data


class ExperienceForm(forms.Form):
    """A "connect it to your own experience" reflection on an activity."""

    body = _answer(
        _("Connect it to your own experience"),
        required=True,
        rows=5,
        help_text=_("When have you seen this in your own work? What would you do differently now?"),
    )
    visibility = _visibility()


class EntryForm(forms.Form):
    """A free journal entry: an optional title, the text, who can see it and, for people
    learning in more than one cohort, which journey it belongs to (`seats`: (value, label)
    pairs of the person's learner seats; empty when editing)."""

    title = forms.CharField(
        label=_("Title (optional)"),
        required=False,
        max_length=MAX_TITLE_LENGTH,
        strip=True,
        error_messages={"max_length": _("A title can be at most %(limit_value)d characters.")},
    )
    body = _answer(_("Your entry"), required=True, rows=8)
    visibility = _visibility()
    seat = forms.ChoiceField(label=_("Journey"), required=False)

    def __init__(self, *args: Any, seats: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if seats and len(seats) > 1:
            self.fields["seat"].choices = seats  # type: ignore[attr-defined]
            self.fields["seat"].required = True
            self.fields["seat"].error_messages["invalid_choice"] = _("Choose one of your journeys.")
        else:
            del self.fields["seat"]

    def clean_title(self) -> str:
        title: str = self.cleaned_data.get("title", "")
        if any(c in title for c in "\r\n\t"):
            return " ".join(title.split())
        return title


class VisibilityForm(forms.Form):
    """A change of who can see an entry: the choice must be sent."""

    visibility = _visibility(default_private=False)


class DraftForm(forms.Form):
    """What someone is typing: `key` names the form (DRAFT_KEY), `payload` is a JSON object of
    field name → text (names from DRAFT_FIELDS). (Not called `fields`: Form has that.)"""

    key = forms.RegexField(
        regex=DRAFT_KEY,
        max_length=100,
        error_messages={"invalid": _("Not a form of this journal.")},
    )
    payload = forms.CharField(required=False, strip=False, max_length=60_000)

    def clean_payload(self) -> dict[str, str]:
        raw = self.cleaned_data.get("payload") or "{}"
        try:
            value = json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("The draft is not readable.")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The draft is not readable."))
        unknown = set(value) - DRAFT_FIELDS
        if unknown:
            raise forms.ValidationError(_("The draft names fields this journal does not have."))
        if any(not isinstance(v, str) or len(v) > DRAFT_FIELD_MAX for v in value.values()):
            raise forms.ValidationError(_("A field of the draft is too long."))
        return value
