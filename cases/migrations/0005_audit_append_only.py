"""On PostgreSQL, a trigger refuses to delete audit events or to change them once sealed; sealing
(filling seq/prev_hash/hash of an unsealed event) is the only update allowed. TRUNCATE (the test
runner's flush) is not row-level and stays possible for the database owner, which is why the chain
head is also anchored outside the database (annual reports, export)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION cases_auditevent_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit events are append-only (delete refused)';
  END IF;
  IF OLD.hash <> ''
     OR NEW.type IS DISTINCT FROM OLD.type
     OR NEW.actor_id IS DISTINCT FROM OLD.actor_id
     OR NEW.occurred_at IS DISTINCT FROM OLD.occurred_at
     OR NEW.object_type IS DISTINCT FROM OLD.object_type
     OR NEW.object_id IS DISTINCT FROM OLD.object_id
     OR NEW.data IS DISTINCT FROM OLD.data
     OR NEW.request_id IS DISTINCT FROM OLD.request_id
     OR NEW.ip IS DISTINCT FROM OLD.ip THEN
    RAISE EXCEPTION 'audit events are append-only (update refused)';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS cases_auditevent_append_only ON cases_auditevent;
CREATE TRIGGER cases_auditevent_append_only BEFORE UPDATE OR DELETE ON cases_auditevent
  FOR EACH ROW EXECUTE FUNCTION cases_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS cases_auditevent_append_only ON cases_auditevent;
DROP FUNCTION IF EXISTS cases_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_audit_chain")]

    operations = [migrations.RunPython(forwards, backwards)]
