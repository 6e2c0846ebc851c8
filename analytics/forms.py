"""The dashboard's filters, read from the query string. They only validate: a cohort of the
programme, one group (region, function or level) of that cohort, and dates that do not end
before they start. Anything else — an unknown parameter, a cohort of another programme, a
group nobody is in — is a message on the page (status 400) and the filters typed stay in it."""

from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.dashboard import ATTRIBUTES, Filters
from cohorts.models import Cohort

ALLOWED = frozenset({"cohort", "group", "start", "end"})
# Dates a dashboard may ask about: programmes of this century.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class DashboardFilterForm(forms.Form):
    """`cohort`: a cohort's public id, or empty for all; `group`: "region:Europe" and the like,
    only with a cohort; `start`/`end`: ISO dates, inclusive."""

    cohort = forms.ChoiceField(label=_("Cohort"), required=False)
    group = forms.ChoiceField(
        label=_("Group"),
        required=False,
        help_text=_("One region, function or level of the chosen cohort."),
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: Any, *, cohorts: list[Cohort], values: dict[str, list[str]]) -> None:
        super().__init__(data)
        self.cohorts = {str(c.public_id): c for c in cohorts}
        cast(forms.ChoiceField, self.fields["cohort"]).choices = [("", _("All cohorts"))] + [
            (str(c.public_id), f"{c.name} ({c.start_date.isoformat()})") for c in cohorts
        ]
        cast(forms.ChoiceField, self.fields["group"]).choices = [("", _("Everyone"))] + [
            (str(label), [(f"{name}:{v}", v) for v in values.get(name, [])])
            for name, label in ATTRIBUTES
        ]
        self.unknown = sorted(set(data.keys()) - ALLOWED) if data is not None else []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.unknown:
            raise forms.ValidationError(
                _("Unknown filters: %(names)s. The dashboard takes cohort, group, start and end."),
                params={"names": ", ".join(self.unknown)},
            )
        if cleaned.get("group") and not cleaned.get("cohort"):
            self.add_error(
                "group",
                _("Choose a cohort first: a region, function or level is shown within a cohort."),
            )
        start, end = cleaned.get("start"), cleaned.get("end")
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Choose a date between 2000 and 2100."))
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> Filters:
        """The validated filters (call after `is_valid()` is true)."""
        data = self.cleaned_data
        attribute, _sep, value = (data.get("group") or "").partition(":")
        return Filters(
            cohort=self.cohorts.get(data.get("cohort") or ""),
            attribute=attribute,
            value=value,
            start=data.get("start"),
            end=data.get("end"),
        )


class ConnectionFilterForm(forms.Form):
    """`cohort`: the public id of one of the programme's cohorts (connections are a cohort's)."""

    cohort = forms.ChoiceField(label=_("Cohort"))

    def __init__(self, data: Any, *, cohorts: list[Cohort]) -> None:
        super().__init__(data)
        self.cohorts = {str(c.public_id): c for c in cohorts}
        cast(forms.ChoiceField, self.fields["cohort"]).choices = [
            (str(c.public_id), f"{c.name} ({c.start_date.isoformat()})") for c in cohorts
        ]
        self.unknown = sorted(set(data.keys()) - {"cohort"}) if data is not None else []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.unknown:
            raise forms.ValidationError(
                _("Unknown filters: %(names)s. This page takes a cohort."),
                params={"names": ", ".join(self.unknown)},
            )
        return cleaned

    def chosen(self) -> Cohort:
        """The validated cohort (call after `is_valid()` is true)."""
        return self.cohorts[self.cleaned_data["cohort"]]
