"""SQLite: an index on lower(key) too (PostgreSQL has it from 0004), so that search finds the
record whose key is the query without reading the table (onconav.kb.search)."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS kb_kbrecord_lower_key ON kb_kbrecord (lower(key))")


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS kb_kbrecord_lower_key")


class Migration(migrations.Migration):
    dependencies = [("kb", "0005_evidence_terms")]

    operations = [migrations.RunPython(forwards, backwards)]
