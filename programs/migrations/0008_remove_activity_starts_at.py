"""The absolute start time is gone: each cohort's session has its own (cohorts/0005 moved the
old values into CohortSession rows and the activity's default)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0007_live_session_defaults"),
        ("cohorts", "0005_cohort_sessions"),
    ]

    operations = [
        migrations.RemoveField(model_name="activity", name="starts_at"),
    ]
