"""Behaviours get identity: each line of `Competency.behaviours` becomes a `Behaviour` row (in
order, blank lines dropped), then the text column goes. Reversible: the rows become lines again.
Removing the column rebuilds the competency table on SQLite, which drops its outline trigger;
programs/signals.py reinstalls every trigger after `migrate` and renews every outline token."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

import rapport.lib.text


def lines_to_rows(apps, schema_editor):  # type: ignore[no-untyped-def]
    Competency = apps.get_model("organizations", "Competency")
    Behaviour = apps.get_model("organizations", "Behaviour")
    rows = []
    for competency in Competency.objects.order_by("pk").iterator():
        lines = [line.strip() for line in competency.behaviours.splitlines() if line.strip()]
        rows.extend(
            Behaviour(
                public_id=uuid.uuid4(),
                organization_id=competency.organization_id,
                competency_id=competency.pk,
                text=" ".join(line.split())[:300],
                position=position,
            )
            for position, line in enumerate(lines)
        )
    Behaviour.objects.bulk_create(rows, batch_size=500)


def rows_to_lines(apps, schema_editor):  # type: ignore[no-untyped-def]
    Competency = apps.get_model("organizations", "Competency")
    Behaviour = apps.get_model("organizations", "Behaviour")
    for competency in Competency.objects.order_by("pk").iterator():
        texts = Behaviour.objects.filter(competency_id=competency.pk).order_by("position", "pk")
        competency.behaviours = "\n".join(texts.values_list("text", flat=True))
        competency.save(update_fields=["behaviours"])


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0003_membership_line_manager"),
    ]

    operations = [
        migrations.CreateModel(
            name="Behaviour",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "text",
                    rapport.lib.text.SingleLineCharField(max_length=300, verbose_name="behaviour"),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
                (
                    "competency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="behaviours_set_tmp",
                        to="organizations.competency",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="behaviours",
                        to="organizations.organization",
                    ),
                ),
            ],
            options={
                "ordering": ["competency", "position", "id"],
                "indexes": [
                    models.Index(
                        fields=["organization", "competency"],
                        name="behaviour_org_competency_idx",
                    )
                ],
            },
        ),
        migrations.RunPython(lines_to_rows, rows_to_lines),
        migrations.RemoveField(model_name="competency", name="behaviours"),
        migrations.AlterField(
            model_name="behaviour",
            name="competency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="behaviours",
                to="organizations.competency",
            ),
        ),
    ]
