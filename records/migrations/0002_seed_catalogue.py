"""Seed the behaviour catalogue (R-CAT) from records.record.catalogue."""

from django.db import migrations


def seed(apps, schema_editor):
    from records.record.catalogue import CATALOGUE

    BehaviourCategory = apps.get_model("records", "BehaviourCategory")
    for order, (code, name, sources) in enumerate(CATALOGUE, start=1):
        BehaviourCategory.objects.update_or_create(
            code=code, defaults={"name": name, "sources": sources, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
