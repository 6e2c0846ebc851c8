"""Single-line fields (rapport/lib/text.py): values stored before the rule are normalised
first, so every row validates; then the fields carry the validator."""

from django.db import migrations

import rapport.lib.text
from rapport.lib.text import scrub_stored_values


def scrub_existing_values(apps, schema_editor):
    scrub_stored_values(apps.get_model("cohorts", "Cohort"), ["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0003_drop_stale_week_count"),
    ]

    operations = [
        migrations.RunPython(scrub_existing_values, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="cohort",
            name="name",
            field=rapport.lib.text.SingleLineCharField(max_length=200),
        ),
    ]
