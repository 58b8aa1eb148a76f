"""Anchor the head of an existing audit chain outside the database (cases.audit.write_anchor), once,
on upgrade. From then on every seal advances it, and the sealer never creates a missing anchor for a
chain that already has sealed events (that would hide a deleted anchor), so a chain sealed before
this release gets its first anchor here. A fresh installation has no events and writes nothing."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    from cases.audit import anchor_path, write_anchor

    AuditEvent = apps.get_model("cases", "AuditEvent")
    head = AuditEvent.objects.using(schema_editor.connection.alias).filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    if head is not None and not anchor_path().exists():
        write_anchor(head[0], head[1], now=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_audit_no_truncate")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
