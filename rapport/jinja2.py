"""The Jinja2 environment for product pages: Django's url/static, translations, htmx, dates."""

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import markupsafe
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static as django_static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, translation
from django.utils.functional import empty
from django.utils.safestring import SafeString
from django_htmx.jinja import htmx_script
from jinja2 import Environment, nodes, pass_context, select_autoescape
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from markupsafe import Markup, escape

from rapport.lib.timezones import get_zone
from rapport.participation import takes_part


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    if kwargs:
        return reverse(viewname, kwargs=kwargs)
    return _reverse(translation.get_language(), get_script_prefix(), get_urlconf(), viewname, args)


def page_url() -> Callable[..., str]:
    """`url(viewname, *args)` for the many links of one page: the same memoised answers as
    `url()`, with the language, script prefix and URLconf read once instead of per link. Use it
    within one request only (those three are the request's)."""
    language, prefix, urlconf = translation.get_language(), get_script_prefix(), get_urlconf()

    def page_url(viewname: str, *args: Any) -> str:
        return _reverse(language, prefix, urlconf, viewname, args)

    return page_url


@lru_cache(maxsize=16384)
def _reverse(
    language: str | None,
    prefix: str,
    urlconf: str | None,
    viewname: str,
    args: tuple[Any, ...],
) -> str:
    """reverse() memoised: a journey page links a dozen activities, weeks and actions, and the
    same links recur on every page. The key holds everything the answer depends on: the active
    language (i18n_patterns and translated paths differ by it), the script prefix, the URLconf,
    the view and its arguments. It holds addresses only — opaque ids, never private text
    (docs/architecture.md, "Caches hold no private text")."""
    return reverse(viewname, args=args or None, urlconf=urlconf)


def static(path: str) -> str:
    """Django's `static()`, memoised: every page asks for the same stylesheet, icon and scripts,
    and the manifest storage resolves each hashed name anew (about 5% of a journey page). The
    key holds what the answer depends on: the storage in use (a new object whenever STORAGES,
    STATIC_ROOT or STATIC_URL change), DEBUG (the manifest storage gives unhashed names then)
    and the path. Public addresses of static files only."""
    lazy: Any = staticfiles_storage
    storage = lazy._wrapped
    if storage is empty:
        lazy._setup()
        storage = lazy._wrapped
    return _static(storage, settings.DEBUG, path)


@lru_cache(maxsize=1024)
def _static(storage: object, debug: bool, path: str) -> str:
    return django_static(path)


def in_zone(value: datetime | None, zone_name: str) -> datetime | None:
    """A moment shown in someone's own time zone."""
    return value.astimezone(get_zone(zone_name)) if value else None


# The product writes dates one way everywhere ("30 Nov 2026", "30 Nov 2026, 12:31"), not
# the locale's named formats ("Nov. 30, 2026, 9:13 a.m." for `en`).
DATE = "j M Y"


def date_format(value: date | datetime | None, fmt: str = DATE) -> str:
    """`value` written with Django's date format characters (`fmt`, "j M Y" by default);
    "" for None. Raises nothing for a named format, but named formats follow the locale, so
    pages pass explicit patterns."""
    return formats.date_format(value, fmt) if value else ""


@lru_cache(maxsize=4096)
def _date_format(language: str | None, value: date, fmt: str) -> str:
    return formats.date_format(value, fmt)


def memoised_date_format(value: date, fmt: str) -> str:
    """`date_format(value, fmt)` for a date (not a datetime), memoised per active language: a
    journey page writes each of its weeks' first and last days, the same for every learner of
    the cohort, and Django's formatter costs about fifty calls a date. Dates of programme weeks
    only: nothing about a person."""
    return _date_format(translation.get_language(), value, fmt)


def minutes(value: int | None) -> str:
    """A duration in minutes written "1 h 15 min", "45 min" or "2 h" in the active language;
    "" for 0 or None. Memoised per language and value: every activity card writes one."""
    if not value:
        return ""
    return _minutes(translation.get_language(), int(value))


@lru_cache(maxsize=1024)
def _minutes(language: str | None, value: int) -> str:
    hours, mins = divmod(value, 60)
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


@lru_cache(maxsize=8192)
def _gettext(language: str | None, message: str) -> str:
    return translation.gettext(message)


@lru_cache(maxsize=2048)
def _ngettext(language: str | None, singular: str, plural: str, number: int) -> str:
    return translation.ngettext(singular, plural, number)


class MemoisedTranslations:
    """Django's gettext for templates, memoised per (language, message).

    A journey page calls gettext about eighty times; each call walks Django's catalogue chain,
    which measured as a fifth of the page's rendering time. Catalogues never change while a
    process runs, so the answers can be kept."""

    @staticmethod
    def gettext(message: str) -> str:
        return _gettext(translation.get_language(), message)

    @staticmethod
    def ngettext(singular: str, plural: str, number: int) -> str:
        return _ngettext(translation.get_language(), singular, plural, number)


@lru_cache(maxsize=8192)
def _whole_message(language: str | None, autoescape: bool, message: str) -> str:
    """A message without variables, exactly as Jinja's newstyle gettext returns it: translated,
    made Markup when the template autoescapes, and formatted with no variables (so "%%" reads
    "%"). Markup and str are immutable, so the answer can be shared."""
    text: str = translation.gettext(message)
    if autoescape:
        text = Markup(text)
    return text % {}


@pass_context
def template_gettext(__context: Context, __string: str, **variables: Any) -> str:
    """`_()` and `gettext()` in templates: Jinja's newstyle gettext (jinja2.ext), but a message
    without variables — nearly all of a page's eighty — is answered whole from a memo instead
    of through `Context.call`, the memoised catalogue lookup, Markup and `%` one by one."""
    autoescape = __context.eval_ctx.autoescape
    if not variables:
        return _whole_message(translation.get_language(), autoescape, __string)
    text: str = _gettext(translation.get_language(), __string)
    if autoescape:
        text = Markup(text)
    return text % variables


@lru_cache(maxsize=1024)
def _around(language: str | None, message: str, name: str) -> tuple[Markup, Markup]:
    marker = "\x00"
    whole = Markup(translation.gettext(message)) % {name: Markup(marker)}
    if whole.count(marker) != 1:
        raise ValueError(f"{message!r} must hold %({name})s exactly once, translated too")
    before, _, after = whole.partition(marker)
    return Markup(before), Markup(after)


def gettext_around(message: str, name: str) -> tuple[Markup, Markup]:
    """`_(message, name=value)` in two halves, for a message printed once for every post of a
    page: the translated text before the `%(name)s` placeholder and after it, each `Markup`,
    so that `{{ before }}{{ value }}{{ after }}` prints exactly what
    `{{ _(message, name=value) }}` does (the value escaped, "%%" written "%") without a
    `Markup %` — a dozen Python calls — each time. Memoised per language. Raises ValueError
    when the translation does not hold the placeholder exactly once."""
    return _around(translation.get_language(), message, name)


# markupsafe's own escaping of a plain string (its C speedup when built): what `escape` calls
# for a `str` before making the answer `Markup`.
_escape_text: Any = getattr(markupsafe, "_escape_inner", None) or (lambda text: str(escape(text)))


def output_escape(value: Any) -> str:
    """What an autoescaping template prints for `{{ value }}`: exactly the text of
    markupsafe's `escape(value)`, without making it `Markup` — a template's output is only
    joined into a string, so the wrapping is work for nothing — and without escaping what
    cannot need it: a `Markup` (or Django's `SafeString`) is printed as it is (`escape` would
    call its `__html__` and copy it twice) and an `int` as its digits. Any other type (a
    subclass of these included) goes through `escape` itself. A thread page prints about 3,300
    values; `escape` cost six Python calls each (docs/performance.md, round 5)."""
    kind = type(value)
    if kind is str:
        return _escape_text(value)  # type: ignore[no-any-return]
    if kind is Markup or kind is SafeString:  # both are their own __html__
        return value  # type: ignore[no-any-return]
    if kind is int:
        return str(value)
    return escape(value)


class OutputEscapeCodeGenerator(CodeGenerator):
    """Jinja's code generator, printing an autoescaped `{{ }}` through `output_escape` instead
    of markupsafe's `escape` (the same text; tested in rapport/tests/test_jinja2.py). Only the
    output changes: filters (`|e`, `|escape`) and everything else are Jinja's own."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        self.writeline("from rapport.jinja2 import output_escape")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile:
            self.write("(output_escape if context.eval_ctx.autoescape else str)(")
        elif frame.eval_ctx.autoescape:
            self.write("output_escape(")
        else:
            self.write("str(")
        if finalize.src is not None:
            self.write(finalize.src)


class RapportEnvironment(Environment):
    """The product's Jinja environment: Jinja's, printing through `output_escape`."""

    code_generator_class = OutputEscapeCodeGenerator


def environment(**options: Any) -> Environment:
    # Plain-text emails are not HTML: escaping them would turn "&" into "&amp;".
    options.setdefault(
        "autoescape",
        select_autoescape(disabled_extensions=("txt",), default=True, default_for_string=True),
    )
    env = RapportEnvironment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_translations(MemoisedTranslations, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update({"gettext": template_gettext, "_": template_gettext})
    env.globals.update(
        {
            "url": url,
            "static": static,
            "htmx_script": htmx_script,
            "debug": settings.DEBUG,
            "field_attrs": field_attrs,
            "gettext_around": gettext_around,
            # Whether a person has the personal pages (blocks, reports, journal…): the page
            # frame's question, so an app low in the layers (accounts' Settings) need not
            # import the cohorts app to ask it.
            "takes_part": takes_part,
        }
    )
    env.filters.update({"in_zone": in_zone, "date_format": date_format, "minutes": minutes})
    return env
