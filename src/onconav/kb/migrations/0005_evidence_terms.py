"""Evidence filter terms (drugs and biomarkers of each evidence item) in their own indexed table,
so that /api/v1/kb/evidence filters and pages in the database; filled from the loaded records."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    record, term = apps.get_model("kb", "KBRecord"), apps.get_model("kb", "KBRecordTerm")
    rows = []
    for pk, data, drugs in record.objects.filter(kind="evidence").values_list("id", "data", "drugs"):
        markers = [
            *data.get("biomarkers", []),
            *data.get("biomarkers_any", []),
            *(t["marker"] for t in data.get("thresholds", [])),
        ]
        pairs = {("drug", d) for d in drugs or []} | {("biomarker", m) for m in markers}
        rows += [term(record_id=pk, field=f, value=v[:300]) for f, v in sorted(pairs)]
    term.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0004_lower_key_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="KBRecordTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("field", models.CharField(max_length=20)),
                ("value", models.CharField(max_length=300)),
                (
                    "record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="terms", to="kb.kbrecord"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("field", "value", "record"), name="kb_record_term_unique")
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
