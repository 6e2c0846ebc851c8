from django.test import SimpleTestCase, override_settings
from django.utils import translation

from rapport.jinja2 import page_url, url


@override_settings(
    ROOT_URLCONF="rapport.tests.i18n_urls",
    LANGUAGES=[("en", "English"), ("fr", "French")],
)
class MemoisedReverseTests(SimpleTestCase):
    def test_the_memoised_url_follows_the_active_language(self) -> None:
        with translation.override("en"):
            self.assertEqual(url("page", 3), "/en/page/3/")
        with translation.override("fr"):
            self.assertEqual(url("page", 3), "/fr/page/3/")
        with translation.override("en"):
            self.assertEqual(url("page", 3), "/en/page/3/")

    def test_a_pages_url_is_the_language_of_the_page(self) -> None:
        with translation.override("fr"):
            french = page_url()
            self.assertEqual(french("page", 4), url("page", 4))
        with translation.override("en"):
            self.assertEqual(french("page", 4), "/fr/page/4/")
            self.assertEqual(page_url()("page", 4), "/en/page/4/")


@override_settings(LANGUAGES=[("en", "English"), ("fr", "French")])
class MemoisedDateFormatTests(SimpleTestCase):
    def test_it_writes_dates_as_date_format_in_the_active_language(self) -> None:
        from datetime import date

        from rapport.jinja2 import date_format, memoised_date_format

        day = date(2026, 11, 30)
        for language in ("en", "fr", "en"):
            with translation.override(language):
                for fmt in ("j M", "j F"):
                    self.assertEqual(memoised_date_format(day, fmt), date_format(day, fmt))
        with translation.override("fr"):
            self.assertEqual(memoised_date_format(day, "j F"), "30 novembre")


class TemplateGettextTests(SimpleTestCase):
    """The memoised `_()` renders exactly what Jinja's own newstyle gettext renders."""

    SOURCES = (
        '{{ _("Skip to content") }}',
        '{{ _("Fish & chips <b>") }}',
        '{{ _("100%% done") }}',
        '{{ _("Hello %(name)s", name=who) }}',
        '{{ _("%(n)s%% of %(total)s", n=3, total=who) }}',
        "{% trans %}Welcome & more{% endtrans %}",
        "{% trans name=who %}Hi {{ name }}{% endtrans %}",
        "{{ gettext('Sign out') }} {{ ngettext('%(num)d week', '%(num)d weeks', 3) }}",
    )

    def render_both(self, source: str, autoescape: bool) -> tuple[str, str]:
        from django.utils import translation as django_translation
        from jinja2 import Environment

        from rapport.jinja2 import environment

        ours = environment(autoescape=autoescape)
        theirs = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
        theirs.install_gettext_callables(  # type: ignore[attr-defined]
            django_translation.gettext, django_translation.ngettext, newstyle=True
        )
        context = {"who": "<script>"}
        return (
            ours.from_string(source).render(context),
            theirs.from_string(source).render(context),
        )

    def test_it_renders_as_jinjas_newstyle_gettext_with_and_without_autoescape(self) -> None:
        for autoescape in (True, False):
            for source in self.SOURCES:
                for _ in range(2):  # the second time from the memo
                    with self.subTest(source=source, autoescape=autoescape):
                        ours, theirs = self.render_both(source, autoescape)
                        self.assertEqual(ours, theirs)
        ours, _ = self.render_both('{{ _("Hello %(name)s", name=who) }}', True)
        self.assertEqual(ours, "Hello &lt;script&gt;")

    def test_the_memo_follows_the_active_language(self) -> None:
        from rapport.jinja2 import _whole_message

        with translation.override("en"):
            _whole_message(translation.get_language(), True, "Skip to content")
        with translation.override("fr"):
            self.assertEqual(translation.get_language(), "fr")
            before = _whole_message.cache_info().misses
            _whole_message(translation.get_language(), True, "Skip to content")
            self.assertEqual(_whole_message.cache_info().misses, before + 1)


class MemoisedStaticTests(SimpleTestCase):
    def test_it_answers_as_djangos_static_and_follows_the_settings(self) -> None:
        from django.templatetags.static import static as django_static

        from rapport.jinja2 import static

        for path in ("css/rapport.css", "js/rapport.js", "img/favicon.svg"):
            with self.subTest(path=path):
                self.assertEqual(static(path), django_static(path))
        with override_settings(
            STATIC_URL="/elsewhere/",
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        ):
            self.assertEqual(static("css/rapport.css"), "/elsewhere/css/rapport.css")
        self.assertEqual(static("css/rapport.css"), django_static("css/rapport.css"))

    def test_a_second_call_is_answered_from_the_memo(self) -> None:
        from rapport.jinja2 import _static, static

        static("js/rapport.js")
        hits = _static.cache_info().hits
        static("js/rapport.js")
        self.assertEqual(_static.cache_info().hits, hits + 1)


class OutputEscapeTests(SimpleTestCase):
    """A template prints `{{ value }}` through `output_escape`: the same text as markupsafe's
    `escape`, whatever the value."""

    def values(self) -> list[object]:
        import enum
        import uuid

        from django.utils.safestring import SafeString, mark_safe
        from django.utils.translation import gettext_lazy
        from markupsafe import Markup

        class Html:
            def __html__(self) -> str:
                return "<b>as html</b>"

            def __str__(self) -> str:
                return "<b>as text</b>"

        class Text(str):
            pass

        class Safer(Markup):
            pass

        class Number(enum.IntEnum):
            LESS = 1

        return [
            "",
            "plain",
            "<script>alert('x') & \"y\"</script>",
            '" onmouseover="alert(1)',
            Markup("<em>ok</em> &amp;"),
            Safer("<em>sub</em>"),
            SafeString("<i>django safe</i>"),
            mark_safe("<u>marked</u>"),
            Text("<sub>class of str</sub>"),
            0,
            42,
            -7,
            True,
            None,
            3.5,
            uuid.UUID(int=5),
            Number.LESS,
            Html(),
            gettext_lazy("Fish & chips <b>"),
            ["<list>"],
        ]

    def test_it_prints_what_escape_prints_for_every_kind_of_value(self) -> None:
        from markupsafe import escape

        from rapport.jinja2 import output_escape

        for value in self.values():
            with self.subTest(value=value):
                self.assertEqual(str(output_escape(value)), str(escape(value)))

    def test_templates_print_through_it_and_render_as_jinjas_own(self) -> None:
        from jinja2 import Environment

        from rapport.jinja2 import environment

        ours = environment()
        theirs = Environment(autoescape=True)
        sources = (
            "<p title='{{ v }}'>{{ v }}</p>",
            "{% macro m(x) %}<b>{{ x }}</b>{% endmacro %}{{ m(v) }}",
            "{% set s %}<i>{{ v }}</i>{% endset %}{{ s }}{{ s|length }}",
            "{% autoescape false %}{{ v }}{% endautoescape %}{{ v }}",
            "{{ v|e }}{{ v|safe }}",
        )
        self.assertIn("output_escape(", ours.compile(sources[0], raw=True))
        for source in sources:
            for value in self.values():
                with self.subTest(source=source, value=value):
                    self.assertEqual(
                        ours.from_string(source).render(v=value),
                        theirs.from_string(source).render(v=value),
                    )


class GettextAroundTests(SimpleTestCase):
    def test_its_halves_around_a_name_print_what_the_whole_message_prints(self) -> None:
        from rapport.jinja2 import environment

        env = environment()
        for name in ("Amara", '<script>"x"</script> & %(name)s %%'):
            with self.subTest(name=name):
                whole = env.from_string('{{ _("Reply to %(name)s", name=who) }}')
                halves = env.from_string(
                    '{% set (a, b) = gettext_around("Reply to %(name)s", "name") %}'
                    "{{ a }}{{ who }}{{ b }}"
                )
                self.assertEqual(halves.render(who=name), whole.render(who=name))
        percent = env.from_string(
            '{% set (a, b) = gettext_around("100%% by %(n)s!", "n") %}{{ a }}|{{ b }}'
        )
        self.assertEqual(percent.render(), "100% by |!")

    def test_a_message_without_the_placeholder_once_is_refused(self) -> None:
        from rapport.jinja2 import gettext_around

        for message in ("No name", "%(name)s and %(name)s"):
            with self.subTest(message=message), self.assertRaises(ValueError):
                gettext_around(message, "name")


@override_settings(LANGUAGES=[("en", "English"), ("fr", "French")])
class MemoisedMinutesTests(SimpleTestCase):
    def test_durations_are_written_in_the_active_language(self) -> None:
        from rapport.jinja2 import _minutes, minutes

        with translation.override("en"):
            self.assertEqual(
                [minutes(v) for v in (None, 0, 45, 60, 75, 75.0)],
                ["", "", "45 min", "1 h", "1 h 15 min", "1 h 15 min"],
            )
            minutes(75)
        with translation.override("fr"):
            before = _minutes.cache_info().misses
            minutes(75)
            self.assertEqual(_minutes.cache_info().misses, before + 1, "keyed by the language")
