"""Forms of the assessments app. They only validate: a rating on the scale (or "not seen") for
every behaviour of the model, comments within their limits, peers among the learner's own
cohort. A bad value is a message on the field; the page is shown again with what was typed."""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import COMMENT_TEXT, FOCUS_TEXT, MAX_FEEDBACK_PEERS, MAX_PEERS, SCALE
from organizations.models import Behaviour

NOT_SEEN = "none"

SBI_LABELS = {
    "strength_situation": (_("Situation"), _("When and where did you see it?")),
    "strength_behaviour": (_("Behaviour"), _("What exactly did they say or do?")),
    "strength_impact": (_("Impact"), _("What difference did it make, to you or to others?")),
    "edge_situation": (_("Situation"), _("When and where?")),
    "edge_behaviour": (_("Behaviour"), _("What did they say or do, or not yet do?")),
    "edge_impact": (_("Impact"), _("What happened as a result, and what might help next time?")),
}


# A part left empty where the answer needs it (feedback asked for between rounds).
SBI_REQUIRED = {
    "strength_situation": _("Say when and where you saw it."),
    "strength_behaviour": _("Describe what they said or did."),
    "strength_impact": _("Say what difference it made."),
    "edge_situation": _("Say when and where."),
    "edge_behaviour": _("Describe what they said or did, or did not yet do."),
    "edge_impact": _("Say what happened as a result, or what might help next time."),
}


def sbi_field(name: str, *, required: bool) -> forms.CharField:
    """One part of a situation-behaviour-impact comment (`name` in SBI_LABELS): at most
    COMMENT_TEXT characters, stripped, with its label, its question and its messages."""
    label, help_text = SBI_LABELS[name]
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=COMMENT_TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": SBI_REQUIRED[name],
            "max_length": _("Keep it to %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )


def sbi_typed(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, text) of every comment part typed into a bound form, valid or not: shown back
    when it can no longer be sent (a closed round, a withdrawn request), so nothing typed is
    lost."""
    out = []
    for name in SBI_LABELS:
        text = str(data.get(name, "")).strip()
        if text:
            part = _("A strength") if name.startswith("strength") else _("A growth edge")
            out.append((f"{part} · {SBI_LABELS[name][0]}", text))
    return out


def field_name(behaviour: Behaviour) -> str:
    """The form field of one behaviour: by its opaque id, never its integer key."""
    return f"b-{behaviour.public_id}"


class RatingForm(forms.Form):
    """A score for each of `behaviours` (radio buttons 1-5 and "not seen", each required) and,
    unless it is a self-assessment, one strength and one growth edge as situation, behaviour,
    impact (each optional, at most COMMENT_TEXT characters)."""

    def __init__(
        self, *args: Any, behaviours: list[Behaviour], with_comments: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.behaviours = behaviours
        self.with_comments = with_comments
        choices = [(str(p.value), f"{p.value} · {p.label}") for p in SCALE] + [
            (NOT_SEEN, str(_("Not seen")))
        ]
        for behaviour in behaviours:
            self.fields[field_name(behaviour)] = forms.ChoiceField(
                label=behaviour.text,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose a point of the scale, or “Not seen”."),
                    "invalid_choice": _(
                        "“%(value)s” is not on the scale: choose 1 to 5, or “Not seen”."
                    ),
                },
            )
        if with_comments:
            for name in SBI_LABELS:
                self.fields[name] = sbi_field(name, required=False)

    def scores(self) -> dict[int, int | None]:
        """Behaviour pk → score (None for "not seen"), once the form is valid."""
        out: dict[int, int | None] = {}
        for behaviour in self.behaviours:
            value = self.cleaned_data[field_name(behaviour)]
            out[behaviour.pk] = None if value == NOT_SEEN else int(value)
        return out

    def comments(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in SBI_LABELS}

    def comments_typed(self) -> list[tuple[str, str]]:
        """(label, text) of every comment part typed into a bound form, valid or not: shown
        back when the round closed before it was sent, so nothing typed is lost."""
        return sbi_typed(self.data)

    def behaviour_fields(self) -> list[tuple[Behaviour, Any]]:
        """(behaviour, bound field) in the model's order, for the template."""
        return [(b, self[field_name(b)]) for b in self.behaviours]


class PeerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.full_name)


class InvitePeersForm(forms.Form):
    """Peers to ask: learners of the learner's own cohort not asked yet (the choices are
    `assessments.access.peers_to_ask`), by their seat's opaque id; anyone else is an
    "invalid choice" error and nobody is asked."""

    peers = PeerChoiceField(
        queryset=None,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        label=_("Peers of your cohort"),
        error_messages={
            "required": _("Choose at least one peer."),
            "invalid_choice": _(
                "You can only ask learners of your own cohort whom you have not asked yet."
            ),
            "invalid_pk_value": _("That is not a peer of your cohort."),
        },
    )

    def __init__(self, *args: Any, choices: Any, already: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peers"].queryset = choices  # type: ignore[attr-defined]
        self.already = already

    def clean_peers(self) -> Any:
        peers = self.cleaned_data["peers"]
        room = MAX_PEERS - self.already
        if len(peers) > room:
            raise forms.ValidationError(
                _("You can ask up to %(max)d peers in all; you can ask %(room)d more.")
                % {"max": MAX_PEERS, "room": max(room, 0)}
            )
        return peers


# -- Feedback between rounds ------------------------------------------------------------------


class SearchInput(forms.TextInput):
    input_type = "search"


class IsoDateInput(forms.DateInput):
    """A browser date picker (`type="date"`, whose value is always YYYY-MM-DD). A value that is
    not such a date (only a hand-made request sends one) is shown empty, with the field's
    error saying what is accepted, rather than as an invalid attribute."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str):
            try:
                date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


# How far ahead a request's "useful by" date may be.
LONGEST_DUE = timedelta(days=90)


class FeedbackRequestForm(forms.Form):
    """A request for feedback: the moment to comment on (`focus`, required, at most FOCUS_TEXT
    characters), an optional behaviour of the organisation's model (by its opaque id), the
    peers to ask (seats of `assessments.access.feedback_peers_of`, by opaque id: anyone else —
    another cohort, oneself, a coach's seat, a tampered id — is a form error and nobody is
    asked; one to MAX_FEEDBACK_PEERS), whether to ask one's coach too (offered only with a
    coach), and an optional "useful by" date from today (the learner's own) to LONGEST_DUE
    ahead. `q` is the name search, never stored."""

    focus = forms.CharField(
        label=_("What would you like feedback on?"),
        help_text=_(
            "One moment or habit, in a sentence or two: “I ran my first skip-level meeting on "
            "Tuesday: how did I come across?”"
        ),
        max_length=FOCUS_TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say what you would like feedback on."),
            "max_length": _("Keep it to %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
    behaviour: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        to_field_name="public_id",
        required=False,
        label=_("A behaviour of your leadership model (optional)"),
        empty_label=_("No particular behaviour"),
        error_messages={"invalid_choice": _("Choose a behaviour from the list, or none.")},
    )
    peers: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,
        to_field_name="public_id",
        label=_("Peers to ask"),
        error_messages={
            "required": _("Choose at least one peer of your cohort."),
            "invalid_choice": _("You can only ask learners of your own cohort, and not yourself."),
            "invalid_pk_value": _("That is not a learner of your cohort."),
        },
    )
    ask_coach = forms.BooleanField(required=False, label=_("Ask my coach too"))
    due_on = forms.DateField(
        required=False,
        label=_("Useful by (optional)"),
        help_text=_("Late answers are still welcome; this only tells people when it helps most."),
        widget=IsoDateInput(),
        error_messages={"invalid": _("Enter a date such as 2027-03-14, or leave it empty.")},
    )
    q = forms.CharField(
        required=False, max_length=100, label=_("Find a peer by name"), widget=SearchInput()
    )

    def __init__(
        self,
        *args: Any,
        behaviours: Any,
        peers: Any,
        coach_name: str | None,
        today: date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["behaviour"].queryset = behaviours  # type: ignore[attr-defined]
        self.fields["peers"].queryset = peers  # type: ignore[attr-defined]
        self.coach_name = coach_name
        self.today = today
        if coach_name is None:
            del self.fields["ask_coach"]
        else:
            self.fields["ask_coach"].label = _("Ask my coach, %(name)s, too") % {"name": coach_name}

    def clean_peers(self) -> Any:
        peers = self.cleaned_data["peers"]
        if len(peers) > MAX_FEEDBACK_PEERS:
            raise forms.ValidationError(
                _("Ask up to %(max)d peers at a time (you chose %(n)d).")
                % {"max": MAX_FEEDBACK_PEERS, "n": len(peers)}
            )
        return peers

    def clean_due_on(self) -> date | None:
        due = self.cleaned_data.get("due_on")
        if due is None:
            return None
        if due < self.today:
            raise forms.ValidationError(_("Choose today or a later day, or leave it empty."))
        if due > self.today + LONGEST_DUE:
            raise forms.ValidationError(
                _("Choose a day within the next %(days)d days, or leave it empty.")
                % {"days": LONGEST_DUE.days}
            )
        return due


class FeedbackAnswerForm(forms.Form):
    """An answer to a request for feedback: one strength and one growth edge, each as
    situation, behaviour and impact, every part required and at most COMMENT_TEXT
    characters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SBI_LABELS:
            self.fields[name] = sbi_field(name, required=True)

    def comments(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in SBI_LABELS}

    def typed(self) -> list[tuple[str, str]]:
        return sbi_typed(self.data) if self.is_bound else []


class ShareForm(forms.Form):
    """Share a request with one's coach (`shared` = "1") or stop sharing ("0")."""

    shared = forms.TypedChoiceField(
        choices=[("1", _("Share")), ("0", _("Stop sharing"))],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Choose whether to share it."),
            "invalid_choice": _("Choose 1 (share) or 0 (stop sharing)."),
        },
    )
