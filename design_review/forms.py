"""Forms of the design review: each decision names the finding it is about (field, code,
offsets) and the digest of the text it was made from; refusals are form errors, never a 500."""

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

from design_review.codes import CODES
from design_review.models import (
    MAX_READING_GRADE,
    MIN_READING_GRADE,
    REVIEWED_FIELDS,
    ReviewSettings,
)
from design_review.textprep import MAX_REVIEW_CHARS
from programs.models import ActivityKind

MAX_REASON = 1000
#: The most characters of one field the preview accepts (the checker reads the first
#: `MAX_REVIEW_CHARS` of them and says so); far more than anyone types, so only a paste of a
#: whole document meets it, and it gets a clear message rather than a slow answer.
MAX_PREVIEW_CHARS = 200_000


class FindingForm(forms.Form):
    """Which finding: the field, its code, its offsets and the digest of the reviewed text."""

    field = forms.ChoiceField(choices=[(f, f) for f in REVIEWED_FIELDS])
    code = forms.ChoiceField(choices=[(c, c) for c in CODES])
    start = forms.IntegerField(min_value=0, max_value=MAX_REVIEW_CHARS)
    end = forms.IntegerField(min_value=0, max_value=MAX_REVIEW_CHARS)
    digest = forms.CharField(
        min_length=64, max_length=64, validators=[RegexValidator(r"^[0-9a-f]{64}$")]
    )
    next = forms.CharField(required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "start" in data and "end" in data and data["end"] <= data["start"]:
            raise forms.ValidationError(_("The finding's words are out of order."))
        return data


class DismissForm(FindingForm):
    """A dismissal needs a reason, kept in the audit log."""

    reason = forms.CharField(
        label=_("Why dismiss it?"),
        max_length=MAX_REASON,
        strip=True,
        error_messages={"required": _("Say why you are dismissing this finding.")},
    )


class SignOffForm(forms.Form):
    """Signing off a programme's review; with open findings, a reason is required."""

    reason = forms.CharField(
        label=_("Why sign off with findings still open?"),
        max_length=MAX_REASON,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, open_count: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.open_count = open_count

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"]
        if self.open_count and not reason:
            raise forms.ValidationError(
                _(
                    "%(count)d findings are still open. Say why the programme can be published "
                    "anyway, or resolve them first."
                )
                % {"count": self.open_count}
            )
        return reason


class PreviewTextField(forms.CharField):
    """Text as typed: not stripped, not refused for NUL characters (the checker answers
    binary data with its own `not-text` note), at most `MAX_PREVIEW_CHARS` characters."""

    def __init__(self) -> None:
        super().__init__(
            required=False,
            strip=False,
            max_length=MAX_PREVIEW_CHARS,
            error_messages={
                "max_length": _(
                    "This text is too long to review as you type (more than %(limit)s "
                    "characters). Shorten it, or split it across activities."
                )
                % {"limit": f"{MAX_PREVIEW_CHARS:,}"}
            },
        )
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class PreviewForm(forms.Form):
    """The studio form's current, unsaved text of an activity (title, summary, body) and kind,
    to review as the designer types. Empty fields are allowed (nothing to review); an unknown
    kind is refused."""

    title = PreviewTextField()
    summary = PreviewTextField()
    body = PreviewTextField()
    kind = forms.ChoiceField(
        choices=ActivityKind.choices,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the kinds of activity.")},
    )
    next = forms.CharField(required=False, max_length=500)


class ReviewSettingsForm(forms.ModelForm[ReviewSettings]):
    """An organisation's review settings: the reading level, a whole grade in the allowed
    range (out of range, or not a number, is a form error naming the range)."""

    class Meta:
        model = ReviewSettings
        fields = ["max_reading_grade"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        message = _("Choose a grade from %(low)d to %(high)d.") % {
            "low": MIN_READING_GRADE,
            "high": MAX_READING_GRADE,
        }
        field = self.fields["max_reading_grade"]
        field.error_messages.update(
            {"invalid": message, "min_value": message, "max_value": message, "required": message}
        )
        field.widget.attrs.update({"min": MIN_READING_GRADE, "max": MAX_READING_GRADE})
