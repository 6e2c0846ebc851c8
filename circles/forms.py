"""Forms of the circles pages: strict choices, nothing else accepted."""

from django import forms
from django.utils.translation import gettext_lazy as _

from circles.roster import MixAttribute


class FormCirclesForm(forms.Form):
    """Which attributes to mix circles on: one or more of region, function and level."""

    mix = forms.MultipleChoiceField(
        label=_("Mix people across"),
        choices=MixAttribute.CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one attribute to mix circles on."),
            "invalid_choice": _("“%(value)s” is not an attribute circles can be mixed on."),
        },
    )


class MoveForm(forms.Form):
    """Move one learner (their account's public id) to one circle of the cohort (by its name,
    unique in the cohort, as the page's list offers them). The view checks both belong to the
    cohort."""

    person = forms.UUIDField(
        error_messages={"required": _("Say who to move."), "invalid": _("Say who to move.")}
    )
    circle = forms.CharField(
        label=_("Move to"),
        max_length=120,
        error_messages={"required": _("Type the name of the circle to move them to.")},
    )
