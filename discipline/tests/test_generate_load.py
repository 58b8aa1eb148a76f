"""generate_load: realistic, deterministic benchmark data that the pages can read."""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from cases.models import Unit
from discipline.models import Handling, Review, Routing, Sanction
from records.models import InterferenceRecord, RecordGroupObjectPermission, RecordUserObjectPermission

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)


def test_generates_a_province_and_records_visible_as_the_services_would():
    out = StringIO()
    call_command("generate_load", records=400, seed=7, today=TODAY, stdout=out)
    assert "已生成记录 400 条" in out.getvalue()
    assert 2900 <= Unit.objects.filter(code__startswith="L7").count() <= 3100
    records = InterferenceRecord.objects.filter(serial__startswith="G")
    assert records.count() == 400
    drafts = records.filter(status="draft").count()
    assert drafts < 20  # about 1%
    # Discipline body and principal for each submitted record, nothing for drafts.
    assert Routing.objects.filter(role=Routing.Role.DISCIPLINE).count() == 400 - drafts
    assert Routing.objects.filter(role=Routing.Role.PRINCIPAL).count() == 400 - drafts
    one = records.exclude(status="draft").select_related("recorder").first()
    assert InterferenceRecord.objects.visible_to(one.recorder).filter(pk=one.pk).exists()
    principal = Routing.objects.get(record=one, role=Routing.Role.PRINCIPAL).user
    assert InterferenceRecord.objects.visible_to(principal).filter(pk=one.pk).exists()
    staff = one.routings.get(role=Routing.Role.DISCIPLINE).body.people.get().user
    assert InterferenceRecord.objects.visible_to(staff).filter(pk=one.pk).exists()
    years = {r.occurred_at.year for r in records}
    assert len(years) >= 8  # spread over ten years


def _snapshot():
    return (
        list(InterferenceRecord.objects.order_by("pk").values_list("pk", "channel", "interferer_name", "occurred_at", "due_at", "status", "next_notice_at")),
        list(InterferenceRecord.categories.through.objects.order_by("pk").values_list("interferencerecord_id", "behaviourcategory_id")),
        list(Review.objects.order_by("pk").values_list("record_id", "conclusion", "received_at", "verified_at")),
        list(Handling.objects.order_by("pk").values_list("record_id", "kind", "person_id")),
        list(Sanction.objects.order_by("pk").values_list("record_id", "kind", "decided_on")),
    )


def test_same_seed_same_data_with_the_shares_of_the_issue():
    call_command("generate_load", records=3000, seed=3, today=TODAY, stdout=StringIO())
    first = _snapshot()
    records = InterferenceRecord.objects.all()
    total = records.count()
    assert total == 3000
    # 1% open drafts, each owing its next reminder (the sweep reads them through the partial index).
    drafts = records.filter(status="draft")
    assert 10 <= drafts.count() <= 55
    assert not drafts.filter(next_notice_at__isnull=True).exists()
    assert not records.exclude(status="draft").filter(next_notice_at__isnull=False).exists()
    # The latest year holds 10%, the others about 10% each over ten years.
    latest = records.filter(occurred_at__year=TODAY.year).count()
    assert 200 <= latest <= 420
    assert records.filter(occurred_at__year__lt=TODAY.year - 9).count() == 0
    # Seasonal: December is busier than February.
    by_month = Counter(records.values_list("occurred_at__month", flat=True))
    assert by_month[12] > by_month[2]
    # Skewed channels: phone is the most common, organisation letters are rare.
    channels = Counter(records.values_list("channel", flat=True))
    assert channels.most_common(1)[0][0] == "phone"
    assert channels["org_letter"] < channels["oral"] / 4
    # ~5% of leaders are repeat interferers: the busiest 5% of interferers carry about a third of the records.
    per_leader = sorted(records.values("interferer_id").annotate(n=Count("id")).values_list("n", flat=True), reverse=True)
    assert sum(per_leader[: max(1, len(per_leader) // 20)]) > total / 5
    # Reviews for everything received, handling for the handled and closed, sanctions for some substantiated.
    assert Review.objects.count() == records.exclude(status__in=["draft", "submitted"]).count()
    assert Handling.objects.count() == records.filter(status__in=["handled", "closed"]).count()
    assert Review.objects.filter(conclusion="").count() == records.filter(status="received").count()
    assert Sanction.objects.exists()
    assert not Sanction.objects.exclude(record__review__conclusion__in=["founded", "partly"]).exists()
    # Guardian rows as the services grant them: recorder view + change, body group and principal view.
    assert RecordUserObjectPermission.objects.count() == 2 * total + (total - drafts.count())
    assert RecordGroupObjectPermission.objects.count() == total - drafts.count()

    for model in (Sanction, Handling, Review, Routing, RecordUserObjectPermission, RecordGroupObjectPermission):
        model.objects.all().delete()
    InterferenceRecord.objects.all().delete()  # records only; the organisation is reused
    call_command("generate_load", records=3000, seed=3, today=TODAY, stdout=StringIO())
    assert _snapshot() == first
