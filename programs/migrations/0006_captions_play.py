"""Captions count only when they parse as WebVTT: record that for the files already stored."""

from django.db import migrations, models

from programs.validators import captions_play


def check_stored_captions(apps, schema_editor):
    Activity = apps.get_model("programs", "Activity")
    for activity in Activity.objects.exclude(captions="").only("pk", "captions").iterator():
        if captions_play(activity.captions):
            Activity.objects.filter(pk=activity.pk).update(captions_play=True)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0005_outline_token_set_by_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="captions_play",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(check_stored_captions, migrations.RunPython.noop),
    ]
