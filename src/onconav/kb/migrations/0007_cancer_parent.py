"""A cancer's parent OncoTree code as an indexed column (it was read from every cancer's ``data``):
the /kb/ index's leaf cancers, a cancer's children and the lineage are index reads. Filled from
the records already loaded; every knowledge-base load writes it.

SQLite adds a NOT NULL column by rebuilding the table, which drops what Django does not know of:
the FTS5 triggers of 0003 and the lower(key) index of 0006. They are created again here (and the
FTS5 rows rebuilt from the table, ids unchanged)."""

import importlib

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


def sqlite_search_again(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    search = importlib.import_module("onconav.kb.migrations.0003_search_document")
    triggers = [sql for sql in search.SQLITE_FORWARD if sql.lstrip().startswith("CREATE TRIGGER")]
    for name in ("kb_kbrecord_fts_insert", "kb_kbrecord_fts_delete", "kb_kbrecord_fts_update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    schema_editor.execute("DELETE FROM kb_kbrecord_fts")
    schema_editor.execute(
        "INSERT INTO kb_kbrecord_fts (rowid, key, name_en, search_en, search_grams) "
        "SELECT id, key, name_en, search_en, search_grams FROM kb_kbrecord"
    )
    for sql in triggers:
        schema_editor.execute(sql)
    schema_editor.execute("CREATE INDEX IF NOT EXISTS kb_kbrecord_lower_key ON kb_kbrecord (lower(key))")


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
        migrations.RunPython(sqlite_search_again, migrations.RunPython.noop),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
