"""generate_load: realistic, deterministic benchmark data that the pages can read."""

from io import StringIO

import pytest
from django.core.management import call_command

from cases.models import Unit
from discipline.models import Routing
from records.models import InterferenceRecord

pytestmark = pytest.mark.django_db


def test_generates_a_province_and_records_visible_as_the_services_would():
    out = StringIO()
    call_command("generate_load", records=400, seed=7, stdout=out)
    assert "已生成记录 400 条" in out.getvalue()
    assert 2900 <= Unit.objects.filter(code__startswith="L7").count() <= 3100
    records = InterferenceRecord.objects.filter(serial__startswith="G")
    assert records.count() == 400
    drafts = records.filter(status="draft").count()
    assert drafts < 20  # about 1%
    assert Routing.objects.count() == 400 - drafts
    one = records.select_related("recorder").first()
    assert InterferenceRecord.objects.visible_to(one.recorder).filter(pk=one.pk).exists()
    years = {r.occurred_at.year for r in records}
    assert len(years) >= 8  # spread over ten years


def test_same_seed_same_data():
    call_command("generate_load", records=50, seed=3, stdout=StringIO())
    first = list(InterferenceRecord.objects.order_by("pk").values_list("channel", "interferer_name", "occurred_at", "due_at", "status"))
    Routing.objects.all().delete()
    InterferenceRecord.objects.all().delete()  # records only; the organisation is reused
    call_command("generate_load", records=50, seed=3, stdout=StringIO())
    again = list(InterferenceRecord.objects.order_by("pk").values_list("channel", "interferer_name", "occurred_at", "due_at", "status"))
    assert first == again
