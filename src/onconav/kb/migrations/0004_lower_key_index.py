"""PostgreSQL: an index on lower(key), so that search finds the record whose key is the query
without reading every match (onconav.kb.search)."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS kb_kbrecord_lower_key ON kb_kbrecord (lower(key))")


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS kb_kbrecord_lower_key")


class Migration(migrations.Migration):
    dependencies = [("kb", "0003_search_document")]

    operations = [migrations.RunPython(forwards, backwards)]
