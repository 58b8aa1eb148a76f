"""Items that failed verification before failed items were escalated again: open, failed and marked
as already escalated. Their notices are owed again (a new round, keyed by the failed verification),
as rectification_verify now arranges for every new failure."""

from django.db import migrations


def forwards(apps, schema_editor):
    Rectification = apps.get_model("discipline", "Rectification")
    Rectification.objects.filter(completed_on__isnull=True, verification="failed").exclude(notice_step="").update(notice_step="")


class Migration(migrations.Migration):
    dependencies = [("discipline", "0011_report_job_rung_at")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
