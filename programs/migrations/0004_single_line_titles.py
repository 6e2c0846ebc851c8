"""Single-line fields (rapport/lib/text.py): values stored before the rule are normalised
first, so every row validates; then the fields carry the validator."""

from django.db import migrations

import rapport.lib.text
from rapport.lib.text import scrub_stored_values


def scrub_existing_values(apps, schema_editor):
    scrub_stored_values(apps.get_model("programs", "Program"), ["title"])
    scrub_stored_values(apps.get_model("programs", "Week"), ["title"])
    scrub_stored_values(apps.get_model("programs", "Activity"), ["title", "summary"])


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_outline_version"),
    ]

    operations = [
        migrations.RunPython(scrub_existing_values, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="activity",
            name="summary",
            field=rapport.lib.text.SingleLineCharField(
                blank=True, help_text="One line shown on the week's list.", max_length=300
            ),
        ),
        migrations.AlterField(
            model_name="activity",
            name="title",
            field=rapport.lib.text.SingleLineCharField(max_length=200),
        ),
        migrations.AlterField(
            model_name="program",
            name="title",
            field=rapport.lib.text.SingleLineCharField(max_length=200),
        ),
        migrations.AlterField(
            model_name="week",
            name="title",
            field=rapport.lib.text.SingleLineCharField(max_length=200),
        ),
    ]
