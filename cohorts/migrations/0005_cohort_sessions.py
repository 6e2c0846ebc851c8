"""Live sessions per cohort: CohortSession, and the old shared absolute times moved into it."""

import uuid
from datetime import UTC, datetime, timedelta

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def _week_start(cohort, number):
    return cohort.start_date + timedelta(days=7 * (number - 1))


def absolute_times_to_cohort_sessions(apps, schema_editor):
    """Each live session had one absolute `starts_at` shared by every cohort. Keep its meaning:
    the cohort whose week of the activity contains that date (the one it was scheduled for)
    keeps exactly that time; the activity's default becomes "that day of the week, that UTC
    time"; every other cohort gets the default placed in its own week."""
    Activity = apps.get_model("programs", "Activity")
    Cohort = apps.get_model("cohorts", "Cohort")
    CohortSession = apps.get_model("cohorts", "CohortSession")
    live = Activity.objects.filter(kind="live_session", starts_at__isnull=False)
    for activity in live.select_related("week"):
        number = activity.week.number
        start = activity.starts_at.astimezone(UTC)
        cohorts = list(
            Cohort.objects.filter(program_id=activity.week.program_id).order_by("start_date", "pk")
        )
        reference = next(
            (c for c in cohorts if 0 <= (start.date() - _week_start(c, number)).days <= 6), None
        )
        if reference is not None:
            day = (start.date() - _week_start(reference, number)).days + 1
        elif cohorts:
            day = (start.date() - _week_start(cohorts[0], number)).days % 7 + 1
        else:
            day = start.isoweekday()  # no cohort yet: read it as a weekday of a Monday start
        activity.session_day = day
        activity.session_time = start.time().replace(tzinfo=None)
        activity.session_time_zone = "UTC"
        activity.save(update_fields=["session_day", "session_time", "session_time_zone"])
        CohortSession.objects.bulk_create(
            CohortSession(
                organization_id=cohort.organization_id,
                cohort=cohort,
                activity=activity,
                starts_at=start
                if cohort == reference
                else datetime.combine(
                    _week_start(cohort, number) + timedelta(days=day - 1),
                    activity.session_time,
                    tzinfo=UTC,
                ),
                duration_minutes=activity.duration_minutes or 60,
            )
            for cohort in cohorts
        )


def cohort_sessions_to_absolute_times(apps, schema_editor):
    """Backwards: the earliest cohort's session becomes the shared absolute time again."""
    Activity = apps.get_model("programs", "Activity")
    CohortSession = apps.get_model("cohorts", "CohortSession")
    for activity in Activity.objects.filter(kind="live_session"):
        session = (
            CohortSession.objects.filter(activity=activity).order_by("cohort__start_date").first()
        )
        if session is not None:
            Activity.objects.filter(pk=activity.pk).update(starts_at=session.starts_at)


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0004_single_line_cohort_name"),
        ("organizations", "0002_single_line_fields"),
        ("programs", "0007_live_session_defaults"),
    ]

    operations = [
        migrations.CreateModel(
            name="CohortSession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("starts_at", models.DateTimeField(verbose_name="starts at")),
                (
                    "duration_minutes",
                    models.PositiveSmallIntegerField(
                        default=60,
                        validators=[
                            django.core.validators.MinValueValidator(5),
                            django.core.validators.MaxValueValidator(480),
                        ],
                        verbose_name="minutes",
                    ),
                ),
                (
                    "video_url",
                    models.URLField(
                        blank=True,
                        help_text="Leave blank to use the activity's link.",
                        max_length=500,
                        verbose_name="video link",
                    ),
                ),
                ("follows_default", models.BooleanField(default=True, editable=False)),
                ("sequence", models.PositiveIntegerField(default=0, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "activity",
                    models.ForeignKey(
                        limit_choices_to={"kind": "live_session"},
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programs.activity",
                        verbose_name="live session",
                    ),
                ),
                (
                    "cohort",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sessions",
                        to="cohorts.cohort",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organizations.organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "live session time",
                "ordering": ["starts_at"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("cohort", "activity"), name="one_session_per_cohort"
                    )
                ],
            },
        ),
        migrations.RunPython(absolute_times_to_cohort_sessions, cohort_sessions_to_absolute_times),
    ]
