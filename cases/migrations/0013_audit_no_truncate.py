"""On PostgreSQL, refuse TRUNCATE of the audit events: row triggers (0005) do not fire on TRUNCATE, so
without this a single statement would empty the chain.

The test runner empties tables between transactional tests with TRUNCATE (Django's flush,
`connection.ops.sql_flush`). Rather than leave a gap for it, the trigger lets TRUNCATE through only
when the transaction has set `registry.allow_truncate` to 'on', which the project's conftest.py
prepends to the flush statements (SET LOCAL, so it ends with the flush's transaction). No
application code sets it; a database owner who sets it, or disables the trigger, could as well do
anything else, and the chain head anchored outside the database (cases.audit) catches that."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION cases_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
  IF coalesce(current_setting('registry.allow_truncate', true), '') <> 'on' THEN
    RAISE EXCEPTION 'audit events are append-only (truncate refused)';
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS cases_auditevent_no_truncate ON cases_auditevent;
CREATE TRIGGER cases_auditevent_no_truncate BEFORE TRUNCATE ON cases_auditevent
  FOR EACH STATEMENT EXECUTE FUNCTION cases_auditevent_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS cases_auditevent_no_truncate ON cases_auditevent;
DROP FUNCTION IF EXISTS cases_auditevent_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_accounts_and_form_submissions")]

    operations = [migrations.RunPython(forwards, backwards)]
