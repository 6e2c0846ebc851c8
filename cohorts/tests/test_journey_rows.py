"""The journey overview's precomputed weeks (cohorts.journey.overview_weeks): what each line
shows, for a learner and for a preview, and that text people typed is still escaped."""

from django.urls import reverse
from django.utils import translation

from cohorts.access import get_seat_for_user
from cohorts.actions import record_visit, set_completed
from cohorts.journey import load_journey, overview_weeks
from cohorts.models import Enrollment
from programs.models import Activity, ActivityKind
from programs.outline import kind_label
from rapport.testing import PersonaTestCase, without_noise


class OverviewWeeksTests(PersonaTestCase):
    def weeks(self, person):  # type: ignore[no-untyped-def]
        seat = get_seat_for_user(person, self.cohort_a.public_id)
        return overview_weeks(load_journey(seat, today=self.cohort_a.start_date))

    def test_a_learners_lines_show_their_own_progress(self) -> None:
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        first, second = Activity.objects.filter(week__program=self.program, week__number=1)[:2]
        set_completed(enrollment, activity=first)
        record_visit(enrollment, activity=second)
        week_one, week_two = self.weeks(self.alice)
        self.assertEqual((week_one.number, week_one.status), (1, "current"))
        self.assertEqual(
            (week_two.status, week_two.done_count, week_two.activity_count), ("upcoming", 0, 4)
        )
        self.assertEqual(week_one.done_count, 1)
        cohort = self.cohort_a.public_id
        self.assertEqual(
            week_one.lines[0],
            (
                "done",
                reverse("cohorts:activity", args=[cohort, first.public_id]),
                first.title,
                "Video",
                True,
            ),
        )
        self.assertEqual(week_one.lines[1][0], "started")
        self.assertEqual(week_one.lines[2][0], "")  # not opened yet: a plain dot
        self.assertEqual(week_one.url, reverse("cohorts:week", args=[cohort, 1]))
        start, end = self.cohort_a.start_date, self.cohort_a.week_ends_on(1)
        self.assertEqual(week_one.dates, f"{start:%-d %b} \u2013 {end:%-d %b}")

    def test_a_preview_shows_no_progress(self) -> None:
        enrollment = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        set_completed(enrollment, activity=self.first_activity())
        for person in (self.carol, self.adam):
            for week in self.weeks(person):
                self.assertEqual({(dot, done) for dot, _, _, _, done in week.lines}, {("", False)})

    def test_kind_labels_are_the_kinds_names(self) -> None:
        with translation.override("en"):
            for kind in ActivityKind:
                self.assertEqual(kind_label(kind.value), str(kind.label))
        with self.assertRaises(ValueError):
            kind_label("no-such-kind")


class OverviewEscapingTests(PersonaTestCase):
    def test_text_designers_typed_is_escaped_on_the_overview(self) -> None:
        # Titles and summaries are typed by people: the precomputed lines carry them as plain
        # text, so the template must still escape them (only addresses, counts and labels are
        # ours).
        week = self.program.weeks.get(number=1)
        week.title = "<script>alert('week')</script>"
        week.summary = '<img src=x onerror="alert(2)">'
        week.save()
        activity = self.first_activity()
        activity.title = "<b>bold</b> & <script>alert(1)</script>"
        activity.save()
        self.cohort_a.name = "<i>cohort</i>"
        self.cohort_a.save()
        for person in (self.alice, self.carol):
            self.client.force_login(person)
            page = without_noise(
                self.client.get(
                    reverse("cohorts:journey", args=[self.cohort_a.public_id])
                ).content.decode()
            )
            self.assertNotIn("<script>alert", page)
            self.assertNotIn("<img src=x", page)
            self.assertNotIn("<b>bold", page)
            self.assertNotIn("<i>cohort", page)
            self.assertIn(
                "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;", page
            )
            self.assertIn("&lt;script&gt;alert(&#39;week&#39;)&lt;/script&gt;", page)
            self.assertIn("&lt;img src=x onerror=&#34;alert(2)&#34;&gt;", page)
