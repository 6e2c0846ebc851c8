"""Forms of the assessments app. They only validate: a rating on the scale (or "not seen") for
every behaviour of the model, comments within their limits, peers among the learner's own
cohort. A bad value is a message on the field; the page is shown again with what was typed."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import COMMENT_TEXT, MAX_PEERS, SCALE
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
            for name, (label, help_text) in SBI_LABELS.items():
                self.fields[name] = forms.CharField(
                    label=label,
                    help_text=help_text,
                    required=False,
                    max_length=COMMENT_TEXT,
                    strip=True,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    error_messages={
                        "max_length": _(
                            "Keep it to %(limit_value)d characters (you wrote %(show_value)d)."
                        )
                    },
                )

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
        out = []
        for name in SBI_LABELS:
            text = str(self.data.get(name, "")).strip()
            if text:
                part = _("A strength") if name.startswith("strength") else _("A growth edge")
                out.append((f"{part} · {SBI_LABELS[name][0]}", text))
        return out

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
