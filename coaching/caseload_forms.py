"""Forms of the caseload and matching pages. They only validate (strict choices and limits:
anything else is a form error, shown with a 400 and nothing changed); coaching.actions writes."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from organizations.models import Competency

STATUS_CHOICES = [
    ("", _("Everyone")),
    ("needs", _("Needs you now")),
    ("fine", _("Doing fine")),
]
MAX_WEEK = 52
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


class CaseloadFilterForm(forms.Form):
    """The caseload's filters, from the query string: a cohort of the coach's caseload (by
    public id), a programme week (1-52) and a status. Every field may be empty."""

    cohort = forms.TypedChoiceField(
        label=_("Cohort"), required=False, choices=[("", _("All cohorts"))]
    )
    week = forms.IntegerField(
        label=_("Week"),
        required=False,
        min_value=1,
        max_value=MAX_WEEK,
        # Text, not number: a refused value is shown as typed, which a number input cannot hold.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
        error_messages={"invalid": _("A week is a whole number from 1 to 52.")},
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    # The table's page (PAGE_SIZE learners a page; past the last page shows the last).
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=10_000,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("A page is a whole number from 1.")},
    )

    def __init__(self, *args: Any, cohorts: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_id = {str(c.public_id): c for c in cohorts}
        field: Any = self.fields["cohort"]
        field.choices = [("", _("All cohorts"))] + [(key, c.name) for key, c in self.by_id.items()]
        field.error_messages["invalid_choice"] = _("Choose one of your cohorts, or all cohorts.")
        status: Any = self.fields["status"]
        status.error_messages["invalid_choice"] = _(
            "The status is everyone, needs you now or doing fine."
        )

    def clean_cohort(self) -> Any:
        value = self.cleaned_data.get("cohort") or ""
        return self.by_id[value].public_id if value else None


def coach_choices(coaches: list[User], *, none_label: Any) -> list[tuple[str, Any]]:
    return [("", none_label)] + [(str(c.public_id), c.full_name) for c in coaches]


class CoachChoiceForm(forms.Form):
    """One coach of a cohort's coaches (by public id), or none (empty)."""

    coach = forms.ChoiceField(label=_("Coach"), required=False)

    def __init__(
        self, *args: Any, coaches: list[User], none_label: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.by_id = {str(c.public_id): c for c in coaches}
        field: Any = self.fields["coach"]
        field.choices = coach_choices(coaches, none_label=none_label or _("No coach"))
        field.error_messages["invalid_choice"] = _("Choose one of this cohort's coaches.")

    def clean_coach(self) -> User | None:
        value = self.cleaned_data.get("coach") or ""
        return self.by_id[value] if value else None


class MatchProfileForm(forms.Form):
    """What matching uses about a person: languages (ISO 639-1 or 639-3 codes, separated by
    commas, at most 8) and focus competencies (at most 3, of their organisation's model);
    `capacity` only when an admin edits a coach's."""

    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=100,
        help_text=_("Two-letter codes, separated by commas: en, fr, pt."),
    )
    competencies: forms.ModelMultipleChoiceField[Competency] = forms.ModelMultipleChoiceField(
        label=_("Focus competencies"),
        required=False,
        queryset=None,  # the person's organisation's, given by the view
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Up to three."),
    )
    capacity = forms.IntegerField(label=_("Learners at most"), min_value=0, max_value=500)

    def __init__(self, *args: Any, competencies: Any, with_capacity: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["competencies"]
        field.queryset = competencies
        if not with_capacity:
            del self.fields["capacity"]

    def clean_languages(self) -> str:
        raw = self.cleaned_data.get("languages") or ""
        codes = [c.strip().lower() for c in raw.split(",") if c.strip()]
        bad = [c for c in codes if not LANGUAGE_CODE.match(c)]
        if bad:
            raise forms.ValidationError(
                _("%(code)s is not a language code: use two letters, such as en or fr.")
                % {"code": bad[0][:20]}
            )
        if len(codes) > 8:
            raise forms.ValidationError(_("Eight languages at most."))
        return ", ".join(dict.fromkeys(codes))

    def clean_competencies(self) -> list[Competency]:
        chosen = list(self.cleaned_data.get("competencies") or [])
        if len(chosen) > 3:
            raise forms.ValidationError(_("Choose three competencies at most."))
        return chosen
