"""Live sessions get a default day and local time within the cohort's week (the cohort's own
time is cohorts.CohortSession; cohorts/0005 converts the old absolute starts_at)."""

import django.core.validators
from django.db import migrations, models

import rapport.lib.timezones


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0006_captions_play"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="session_day",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Live sessions: which day of each cohort's week, 1 to 7 (1 is its first day).",
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(7),
                ],
                verbose_name="day of the week",
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="session_time",
            field=models.TimeField(
                blank=True,
                help_text="Live sessions: for example 14:00.",
                null=True,
                verbose_name="local start time",
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="session_time_zone",
            field=models.CharField(
                choices=rapport.lib.timezones.time_zone_choices,
                default="UTC",
                help_text="Live sessions: the zone the start time is in.",
                max_length=64,
                verbose_name="time zone of the start time",
            ),
        ),
    ]
