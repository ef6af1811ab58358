"""Encrypt values written in plain text before 0002 (data only; schema unchanged)."""

from django.db import migrations

COLUMNS = (
    ("cases_appointment", "description"),
    ("cases_quote", "notes"),
    ("cases_quoteline", "description"),
    ("cases_referral", "reason"),
)


def encrypt_plain(apps, schema_editor):  # type: ignore[no-untyped-def]
    from onconav.foundation.encryption import encrypt_bytes

    conn = schema_editor.connection
    qn = conn.ops.quote_name
    with conn.cursor() as cur:
        for table, column in COLUMNS:
            cur.execute(f"SELECT id, {qn(column)} FROM {qn(table)}")  # noqa: S608 - fixed names
            for pk, value in cur.fetchall():
                if value and not value.startswith("gAAAAA"):  # not already a Fernet token
                    token = encrypt_bytes(value.encode("utf-8")).decode("ascii")
                    cur.execute(f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE id = %s", [token, pk])  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_encrypt_free_text")]

    operations = [migrations.RunPython(encrypt_plain, migrations.RunPython.noop)]
