"""The security administrator's and the auditor's groups (三员分立, issue 23) beside the system
administrator's ("admin", created by 0002)."""

from django.db import migrations

ROLE_NAMES = ["security_admin", "auditor"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("cases", "0021_api_systems")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
