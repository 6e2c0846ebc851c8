"""Forms of the design review: each decision names the finding it is about (field, code,
offsets) and the digest of the text it was made from; refusals are form errors, never a 500."""

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from design_review.codes import CODES
from design_review.models import REVIEWED_FIELDS
from design_review.textprep import MAX_REVIEW_CHARS

MAX_REASON = 1000


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
