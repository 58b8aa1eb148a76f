"""商用密码 and retention of the audit trail (issue 23).

- `hash_algorithm` on every event: existing links were sealed with SHA-256 and say so; new events
  are SM3 (cases.sm).
- The append-only guard on both databases. PostgreSQL (0005) learns the new column: an unsealed
  event may only be sealed (seq/prev_hash/hash filled), a sealed one never changes, none is deleted.
  SQLite gets the same rules as triggers. Its DELETE trigger lets through only a connection on which
  the application registered `registry_audit_flush_allowed()` and that is inside Django's test flush
  (cases.audit_guard); elsewhere (the sqlite3 shell) the function does not exist and the DELETE fails
  as well. SQLite rebuilds a table for many schema changes, which drops its triggers: a later
  migration that alters this table must create them again (FORWARD_SQLITE below).
- The anchor file of an existing chain gets its HMAC-SM3 seal (cases.audit_seal), once, here: the
  sealer never seals an unsealed anchor it finds later, as that could be one an intruder wrote.
"""

import json

from django.db import migrations, models

COLUMNS = ("type", "actor_id", "occurred_at", "object_type", "object_id", "data", "request_id", "ip", "hash_algorithm")

FORWARD_POSTGRESQL = """
CREATE OR REPLACE FUNCTION cases_auditevent_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit events are append-only (delete refused)';
  END IF;
  IF OLD.hash <> ''
     %s THEN
    RAISE EXCEPTION 'audit events are append-only (update refused)';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
""" % "\n     ".join(f"OR NEW.{column} IS DISTINCT FROM OLD.{column}" for column in COLUMNS)

BACKWARD_POSTGRESQL = """
CREATE OR REPLACE FUNCTION cases_auditevent_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit events are append-only (delete refused)';
  END IF;
  IF OLD.hash <> ''
     %s THEN
    RAISE EXCEPTION 'audit events are append-only (update refused)';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
""" % "\n     ".join(f"OR NEW.{column} IS DISTINCT FROM OLD.{column}" for column in COLUMNS[:-1])

FORWARD_SQLITE = [
    "DROP TRIGGER IF EXISTS cases_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS cases_auditevent_no_update",
    """CREATE TRIGGER cases_auditevent_no_delete BEFORE DELETE ON cases_auditevent
       WHEN registry_audit_flush_allowed() IS NOT 1
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only (delete refused)'); END""",
    """CREATE TRIGGER cases_auditevent_no_update BEFORE UPDATE ON cases_auditevent
       WHEN OLD.hash <> '' OR %s
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only (update refused)'); END"""
    % " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in COLUMNS),
]
BACKWARD_SQLITE = ["DROP TRIGGER IF EXISTS cases_auditevent_no_delete", "DROP TRIGGER IF EXISTS cases_auditevent_no_update"]


def guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(FORWARD_POSTGRESQL)
    elif vendor == "sqlite":
        for statement in FORWARD_SQLITE:
            schema_editor.execute(statement)


def unguard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(BACKWARD_POSTGRESQL)
    elif vendor == "sqlite":
        for statement in BACKWARD_SQLITE:
            schema_editor.execute(statement)


def seal_existing_anchor(apps, schema_editor):
    from cases.audit import anchor_path, replace_anchor
    from cases.audit_seal import MAC_NAME, seal_head, seal_key

    try:
        data = json.loads(anchor_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # none (a fresh installation), or unreadable: left for verification to report
    if not isinstance(data, dict) or data.get("hmac") or "seq" not in data or "hash" not in data:
        return
    at = str(data.get("anchored_at", ""))
    seal = seal_head(int(data["seq"]), str(data["hash"]), at, key=seal_key())
    payload = {"seq": int(data["seq"]), "hash": str(data["hash"]), "anchored_at": at, "mac": MAC_NAME, "hmac": seal.mac, "key_id": seal.key_id}
    replace_anchor((json.dumps(payload) + "\n").encode())


class Migration(migrations.Migration):
    dependencies = [("cases", "0022_administrator_roles")]

    operations = [
        # Existing rows were sealed with SHA-256 (the default fills them without an UPDATE, which
        # the trigger would refuse); the default for new rows is then SM3.
        migrations.AddField(
            model_name="auditevent",
            name="hash_algorithm",
            field=models.CharField(choices=[("sm3", "SM3"), ("sha256", "SHA-256")], default="sha256", editable=False, max_length=10, verbose_name="哈希算法"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash_algorithm",
            field=models.CharField(choices=[("sm3", "SM3"), ("sha256", "SHA-256")], default="sm3", editable=False, max_length=10, verbose_name="哈希算法"),
        ),
        migrations.RunPython(guard, unguard),
        migrations.RunPython(seal_existing_anchor, migrations.RunPython.noop),
    ]
