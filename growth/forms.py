"""Forms of the growth tools. They only validate: lengths (the models' limits, counted in
characters), choices from the person's own organisation, dates, the 1-5 scales. A bad value is
a message on the field and the page is shown again with everything typed still in it."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from growth.models import (
    LONG_TEXT,
    NOTE_TEXT,
    SHORT_TEXT,
    WORD_TEXT,
    Cadence,
    GoalStatus,
)

SCALE_CHOICES = [(n, str(n)) for n in range(1, 6)]


def _text(label: Any, limit: int, *, required: bool = False, rows: int = 3, help: Any = "") -> Any:
    widget: forms.Widget = (
        forms.TextInput() if limit <= SHORT_TEXT else forms.Textarea(attrs={"rows": rows})
    )
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        strip=True,
        widget=widget,
        help_text=help,
        error_messages={
            "max_length": _("Keep it to %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )


class SubmissionForm(forms.Form):
    """A form that creates a row: `submission` is its one-time id (growth.actions)."""

    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4())


class WhatsInItForm(forms.Form):
    """What's in it for me: free text, at most LONG_TEXT characters."""

    text = _text(
        _("In my own words"),
        LONG_TEXT,
        rows=5,
        help=_("Why this programme matters to you: for your team, your work and yourself."),
    )


class BehaviourChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.text)


class PicksForm(forms.Form):
    """The behaviours a person wants to grow, from their organisation's model only: an id of
    another organisation's behaviour is an invalid choice."""

    behaviours = BehaviourChoiceField(
        label=_("Behaviours I want to grow"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose behaviours from the list.")},
    )

    def __init__(self, *args: Any, behaviours: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["behaviours"].queryset = behaviours  # type: ignore[attr-defined]


class BehaviourField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.competency.name}: {obj.text}"


class GoalForm(SubmissionForm):
    """A personal goal: title (required), why, how I'll know, an optional behaviour of the
    organisation's model, an optional target date and, when editing, its status."""

    title = _text(_("My goal"), SHORT_TEXT, required=True)
    behaviour = BehaviourField(
        label=_("Behaviour it grows (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None in particular"),
        error_messages={"invalid_choice": _("Choose a behaviour from the list.")},
    )
    why = _text(_("Why it matters to me"), LONG_TEXT)
    how_i_will_know = _text(_("How I'll know I'm there"), LONG_TEXT)
    target_date = forms.DateField(
        label=_("Target date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2027-03-31.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=GoalStatus.choices,
        required=False,
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )

    def __init__(self, *args: Any, behaviours: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["behaviour"].queryset = behaviours  # type: ignore[attr-defined]
        if not editing:
            del self.fields["status"]
        else:
            self.fields["status"].required = True


class BeliefForm(SubmissionForm):
    """A belief I'm challenging (required) and the principle that replaces it."""

    belief = _text(
        _("A belief I'm challenging"),
        LONG_TEXT,
        required=True,
        help=_("For example: “If I'm not in the room, people won't bring me problems.”"),
    )
    principle = _text(
        _("The principle that replaces it"),
        LONG_TEXT,
        help=_("For example: “Trust grows when I make it easy to reach me, wherever I am.”"),
    )


class RoutineForm(SubmissionForm):
    """A routine that puts the principle into practice, daily or weekly."""

    text = _text(
        _("A routine that puts it into practice"),
        SHORT_TEXT,
        required=True,
        help=_("Small and concrete, for example: “Start each 1:1 by asking how they are.”"),
    )
    cadence = forms.ChoiceField(
        label=_("How often"),
        choices=Cadence.choices,
        initial=Cadence.DAILY,
        error_messages={"invalid_choice": _("Choose every day or every week.")},
    )


class RoutineCheckInForm(forms.Form):
    """The ten-second check-in: did it or not today, and an optional note."""

    done = forms.TypedChoiceField(
        choices=[("yes", _("Did it")), ("no", _("Not today"))],
        coerce=lambda value: value == "yes",
        error_messages={
            "required": _("Choose “Did it” or “Not today”."),
            "invalid_choice": _("Choose “Did it” or “Not today”."),
        },
    )
    note = _text(_("Note (optional)"), NOTE_TEXT, rows=2)


CHARTER_SECTIONS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "how_we_meet",
        _("How we meet"),
        (
            "Cameras on when we can, so we can see each other's faces; off is fine when the "
            "connection or the day needs it.",
            "Every meeting starts with its purpose and ends with who does what next.",
            "We start on time and finish five minutes early.",
        ),
    ),
    (
        "our_attention",
        _("Our attention"),
        (
            "Notifications off and other windows closed while we talk.",
            "One conversation at a time: no chat on the side.",
            "If I'm distracted, I say so and we find another time.",
        ),
    ),
    (
        "staying_connected",
        _("A connection that holds"),
        (
            "We test our sound and connection before we start.",
            "If someone drops off, we pause until they are back.",
            "We keep a phone number to hand in case the video fails.",
        ),
    ),
    (
        "feedback",
        _("How we give feedback"),
        (
            "We describe what we saw and its effect, never the person.",
            "Feedback comes soon, one to one, on a call rather than in writing.",
            "We ask for feedback as often as we give it.",
        ),
    ),
    (
        "our_promise",
        _("Our promise to each other"),
        (
            "What is said in confidence stays with us.",
            "We assume good intent and ask before we judge.",
            "Anyone may call a pause if a conversation stops feeling safe.",
        ),
    ),
)


class CharterForm(SubmissionForm):
    """A team charter: the team's name (required) and five sections (growth.models.Charter),
    each with suggestions the page offers to copy in."""

    team = _text(_("Team"), SHORT_TEXT, required=True, help=_("The team this charter is for."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label, _suggestions in CHARTER_SECTIONS:
            self.fields[name] = _text(label, LONG_TEXT, rows=4)

    def sections(self) -> list[tuple[Any, list[str]]]:
        """Each section's bound field and its suggestions, in order."""
        return [(self[name], list(suggestions)) for name, _l, suggestions in CHARTER_SECTIONS]


PLAN_QUESTIONS: tuple[tuple[str, Any, Any], ...] = (
    (
        "purpose",
        _("The purpose of this conversation"),
        _("What deeper purpose does it serve, for them, for you, for the team?"),
    ),
    (
        "values",
        _("The values I want to stand in"),
        _("For example: honesty, respect, care. How will they show in what you say?"),
    ),
    (
        "feelings",
        _("What I feel about it"),
        _("Name it without judging it: nervous, frustrated, sad, hopeful…"),
    ),
    (
        "calming",
        _("How I will calm myself"),
        _("Before and during: a few slow breaths, a short walk, a glass of water, a pause."),
    ),
    (
        "outcome",
        _("The outcome I hope for"),
        _("What would make this a good conversation for both of you?"),
    ),
    (
        "opening_line",
        _("My opening line"),
        _("The first sentence, said with care: what you want to talk about, and why."),
    ),
    (
        "listen_for",
        _("What I will listen for"),
        _("Their view, their feelings, what matters to them, what you might not know."),
    ),
)

DEBRIEF_QUESTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("what_happened", _("What happened"), _("The facts, as plainly as you can put them.")),
    (
        "what_went_well",
        _("What went well"),
        _("Even in a hard conversation something helped. What was it?"),
    ),
    (
        "what_i_noticed",
        _("What I noticed in myself"),
        _("Your feelings, your body, the moments you stayed calm or didn't. No blame."),
    ),
    (
        "next_time",
        _("What I will try next time"),
        _("One thing you would keep and one you would change."),
    ),
)


class ConversationPlanForm(SubmissionForm):
    """The difficult-conversation planner: a subject (required, the person's own label), the
    seven questions of PLAN_QUESTIONS and an optional date."""

    subject = _text(
        _("What the conversation is about"),
        SHORT_TEXT,
        required=True,
        help=_("A few words for yourself. Please don't write the other person's name."),
    )
    planned_for = forms.DateField(
        label=_("When I plan to have it (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2027-03-31.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label, help_text in PLAN_QUESTIONS:
            self.fields[name] = _text(label, LONG_TEXT, help=help_text)

    def questions(self) -> list[Any]:
        return [self[name] for name, _l, _h in PLAN_QUESTIONS]


class DebriefForm(forms.Form):
    """The blameless debrief: four questions, each optional."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label, help_text in DEBRIEF_QUESTIONS:
            self.fields[name] = _text(label, LONG_TEXT, rows=4, help=help_text)


class MoodForm(SubmissionForm):
    """The ten-second emotion and energy check-in: two 1-5 scales (required) and an optional
    word and note."""

    feeling = forms.TypedChoiceField(
        label=_("How I feel"),
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you feel, from 1 to 5."),
            "invalid_choice": _("Choose how you feel, from 1 to 5."),
        },
    )
    energy = forms.TypedChoiceField(
        label=_("My energy"),
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose your energy, from 1 to 5."),
            "invalid_choice": _("Choose your energy, from 1 to 5."),
        },
    )
    word = _text(_("One word for it (optional)"), WORD_TEXT)
    note = _text(_("Note (optional)"), NOTE_TEXT, rows=2)
    shared_with_coach = forms.BooleanField(
        label=_("Share how I feel and my energy with my coach"),
        help_text=_("Your coach sees the two numbers and the day, never your word or note."),
        required=False,
    )
