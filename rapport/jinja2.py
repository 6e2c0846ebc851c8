"""The Jinja2 environment for product pages: Django's url/static, translations, htmx, dates."""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, translation
from django_htmx.jinja import htmx_script
from jinja2 import Environment, select_autoescape

from rapport.lib.timezones import get_zone


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def in_zone(value: datetime | None, zone_name: str) -> datetime | None:
    """A moment shown in someone's own time zone."""
    return value.astimezone(get_zone(zone_name)) if value else None


def date_format(value: date | datetime | None, fmt: str = "DATE_FORMAT") -> str:
    return formats.date_format(value, fmt) if value else ""


def minutes(value: int | None) -> str:
    if not value:
        return ""
    hours, mins = divmod(int(value), 60)
    if hours and mins:
        return translation.gettext("%(h)d h %(m)d min") % {"h": hours, "m": mins}
    if hours:
        return translation.gettext("%(h)d h") % {"h": hours}
    return translation.gettext("%(m)d min") % {"m": mins}


def field_attrs(bound_field: Any, autocomplete: str = "") -> dict[str, str]:
    """Widget attributes that tie a field to its help text and errors for screen readers."""
    described_by = []
    attrs: dict[str, str] = {}
    if bound_field.help_text:
        described_by.append(f"{bound_field.id_for_label}-help")
    if bound_field.errors:
        described_by.append(f"{bound_field.id_for_label}-errors")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return attrs


def environment(**options: Any) -> Environment:
    # Plain-text emails are not HTML: escaping them would turn "&" into "&amp;".
    options.setdefault(
        "autoescape",
        select_autoescape(disabled_extensions=("txt",), default=True, default_for_string=True),
    )
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_translations(translation, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        {
            "url": url,
            "static": static,
            "htmx_script": htmx_script,
            "debug": settings.DEBUG,
            "field_attrs": field_attrs,
        }
    )
    env.filters.update({"in_zone": in_zone, "date_format": date_format, "minutes": minutes})
    return env
