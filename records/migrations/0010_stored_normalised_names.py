"""Stored normalised names (issue 10): the conflict-of-interest rule compares `interferer_norm` and
`behind_norm` instead of stripping white space from every row's names at query time. Existing rows are
filled with exactly what `records.rules.norm_name` gives ("".join(name.split())): on PostgreSQL by one
UPDATE with translate() deleting every character Python's str.split() treats as white space, elsewhere
in batches through Python."""

import sys

from django.conf import settings
from django.db import migrations, models

# Every character str.split() splits on (str.isspace()), computed rather than typed out.
WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
BATCH = 2000


def backfill(apps, schema_editor):
    Record = apps.get_model("records", "InterferenceRecord")
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(Record._meta.db_table)
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET interferer_norm = translate(interferer_name, %s, ''), behind_norm = translate(behind_name, %s, '')",
                [WHITESPACE, WHITESPACE],
            )
        return
    last = 0
    while True:
        rows = list(Record.objects.filter(pk__gt=last).order_by("pk").only("interferer_name", "behind_name")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.interferer_norm = "".join(row.interferer_name.split())
            row.behind_norm = "".join(row.behind_name.split())
        Record.objects.bulk_update(rows, ["interferer_norm", "behind_norm"])
        last = rows[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0010_campaign_events'),
        ('records', '0009_period_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='interferencerecord',
            name='behind_norm',
            field=models.CharField(blank=True, editable=False, max_length=50, verbose_name='背后领导干部姓名（去空白）'),
        ),
        migrations.AddField(
            model_name='interferencerecord',
            name='interferer_norm',
            field=models.CharField(blank=True, editable=False, max_length=50, verbose_name='过问人姓名（去空白）'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='interferencerecord',
            index=models.Index(condition=models.Q(('interferer__isnull', True)), fields=['interferer_norm'], name='record_interferer_norm_idx'),
        ),
        migrations.AddIndex(
            model_name='interferencerecord',
            index=models.Index(condition=models.Q(('behind_person__isnull', True), models.Q(('behind_norm', ''), _negated=True)), fields=['behind_norm'], name='record_behind_norm_idx'),
        ),
    ]
