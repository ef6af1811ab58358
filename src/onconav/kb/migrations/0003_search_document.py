"""A stored, indexed search document for the knowledge base (onconav.kb.search).

PostgreSQL: a generated tsvector column with a GIN index. SQLite: an FTS5 table kept in step
with kb_kbrecord by triggers. Chinese text is indexed as character n-grams (search_grams).
"""

from django.db import migrations, models

from onconav.kb.search import zh_grams

PG_FORWARD = [
    """ALTER TABLE kb_kbrecord ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(key, '') || ' ' || coalesce(name_en, '')), 'A')
        || setweight(to_tsvector('english', coalesce(search_en, '')), 'B')
        || setweight(to_tsvector('simple', coalesce(search_grams, '')), 'B')
    ) STORED""",
    "CREATE INDEX kb_kbrecord_search_document_gin ON kb_kbrecord USING GIN (search_document)",
]
PG_REVERSE = [
    "DROP INDEX IF EXISTS kb_kbrecord_search_document_gin",
    "ALTER TABLE kb_kbrecord DROP COLUMN IF EXISTS search_document",
]
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE kb_kbrecord_fts USING fts5(
        key, name_en, search_en, search_grams, tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
    """INSERT INTO kb_kbrecord_fts (rowid, key, name_en, search_en, search_grams)
        SELECT id, key, name_en, search_en, search_grams FROM kb_kbrecord""",
    """CREATE TRIGGER kb_kbrecord_fts_insert AFTER INSERT ON kb_kbrecord BEGIN
        INSERT INTO kb_kbrecord_fts (rowid, key, name_en, search_en, search_grams)
        VALUES (new.id, new.key, new.name_en, new.search_en, new.search_grams);
    END""",
    """CREATE TRIGGER kb_kbrecord_fts_delete AFTER DELETE ON kb_kbrecord BEGIN
        DELETE FROM kb_kbrecord_fts WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER kb_kbrecord_fts_update AFTER UPDATE ON kb_kbrecord BEGIN
        DELETE FROM kb_kbrecord_fts WHERE rowid = old.id;
        INSERT INTO kb_kbrecord_fts (rowid, key, name_en, search_en, search_grams)
        VALUES (new.id, new.key, new.name_en, new.search_en, new.search_grams);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS kb_kbrecord_fts_update",
    "DROP TRIGGER IF EXISTS kb_kbrecord_fts_delete",
    "DROP TRIGGER IF EXISTS kb_kbrecord_fts_insert",
    "DROP TABLE IF EXISTS kb_kbrecord_fts",
]


def backfill_grams(apps, schema_editor):
    KBRecord = apps.get_model("kb", "KBRecord")
    batch = []
    for rec in KBRecord.objects.only("id", "name_zh", "search_zh").iterator():
        rec.search_grams = zh_grams(f"{rec.name_zh} {rec.search_zh}")
        batch.append(rec)
    KBRecord.objects.bulk_update(batch, ["search_grams"], batch_size=500)


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements:
            schema_editor.execute(sql)

    return run


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(PG_FORWARD)(apps, schema_editor)
    elif vendor == "sqlite":
        _run(SQLITE_FORWARD)(apps, schema_editor)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(PG_REVERSE)(apps, schema_editor)
    elif vendor == "sqlite":
        _run(SQLITE_REVERSE)(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("kb", "0002_references")]

    operations = [
        migrations.AddField(
            model_name="kbrecord", name="search_grams", field=models.TextField(blank=True)
        ),
        migrations.RunPython(backfill_grams, migrations.RunPython.noop),
        migrations.RunPython(forward, reverse),
    ]
