from django import forms

from cohorts.actions import MAX_MEDIA_SECONDS


class MediaPositionForm(forms.Form):
    position = forms.FloatField(min_value=0, max_value=MAX_MEDIA_SECONDS)
    event = forms.ChoiceField(
        choices=[("play", "play"), ("pause", "pause"), ("progress", "progress")],
        required=False,
    )

    def clean_event(self) -> str:
        return self.cleaned_data.get("event") or "progress"

    def clean_position(self) -> float:
        value = self.cleaned_data["position"]
        if value != value:  # NaN never equals itself
            raise forms.ValidationError("Position must be a number of seconds.")
        return float(value)
