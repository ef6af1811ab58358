"""A cancer's parent OncoTree code as an indexed column (it was read from every cancer's ``data``):
the /kb/ index's leaf cancers, a cancer's children and the lineage are index reads. Filled from
the records already loaded; every knowledge-base load writes it."""

from django.db import migrations, models


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    record = apps.get_model("kb", "KBRecord")
    rows = []
    for r in record.objects.filter(kind="cancer").only("id", "data").iterator(chunk_size=2000):
        parent = str((r.data or {}).get("parent") or "")[:40]
        if parent:
            r.parent = parent
            rows.append(r)
    record.objects.bulk_update(rows, ["parent"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0006_sqlite_lower_key_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="kbrecord",
            name="parent",
            field=models.CharField(blank=True, default="", max_length=40),
        ),
        migrations.AddIndex(
            model_name="kbrecord",
            index=models.Index(fields=["kind", "parent"], name="kb_record_kind_parent"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
