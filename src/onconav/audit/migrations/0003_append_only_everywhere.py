"""The audit table refuses changes at the database level on SQLite too, and on both databases
allows exactly one change: pseudonymising an erased user (``actor`` cleared, ``actor_email``
replaced by a pseudonym that starts with "erased:"), every other column unchanged. Deletes are
always refused, except on SQLite a purge that the app itself allows
(``audit.services.audit_purge_allowed``: a test database flushed between tests; PostgreSQL
flushes with TRUNCATE, which row triggers do not see)."""

from django.db import migrations

COLUMNS = ("at", "actor_role", "action", "object_type", "object_id", "path", "method", "ip", "detail")

SQLITE_UNCHANGED = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in COLUMNS)
SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    """CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
WHEN NOT onconav_audit_purge_allowed()
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    f"""CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
WHEN NOT (NEW.id IS OLD.id AND NEW.actor_id IS NULL AND substr(NEW.actor_email, 1, 7) = 'erased:' AND {SQLITE_UNCHANGED})
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
]

PG_UNCHANGED = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in COLUMNS)
PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.actor_id IS NULL
     AND substr(NEW.actor_email, 1, 7) = 'erased:' AND {PG_UNCHANGED} THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""
PG_BACKWARD = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(forward, backward)]
