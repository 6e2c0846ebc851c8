"""Single-line fields (rapport/lib/text.py): values stored before the rule are normalised
first, so every row validates; then the fields carry the validator."""

from django.db import migrations

import rapport.lib.text
from rapport.lib.text import scrub_stored_values


def scrub_existing_values(apps, schema_editor):
    scrub_stored_values(apps.get_model("organizations", "Organization"), ["name"])
    scrub_stored_values(
        apps.get_model("organizations", "Membership"), ["region", "function", "level"]
    )
    scrub_stored_values(apps.get_model("organizations", "Competency"), ["framework", "name"])


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(scrub_existing_values, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="competency",
            name="framework",
            field=rapport.lib.text.SingleLineCharField(
                default="Communication skills", help_text="The model it belongs to.", max_length=120
            ),
        ),
        migrations.AlterField(
            model_name="competency",
            name="name",
            field=rapport.lib.text.SingleLineCharField(max_length=120),
        ),
        migrations.AlterField(
            model_name="membership",
            name="function",
            field=rapport.lib.text.SingleLineCharField(blank=True, max_length=80),
        ),
        migrations.AlterField(
            model_name="membership",
            name="level",
            field=rapport.lib.text.SingleLineCharField(blank=True, max_length=80),
        ),
        migrations.AlterField(
            model_name="membership",
            name="region",
            field=rapport.lib.text.SingleLineCharField(blank=True, max_length=80),
        ),
        migrations.AlterField(
            model_name="organization",
            name="name",
            field=rapport.lib.text.SingleLineCharField(max_length=200),
        ),
    ]
