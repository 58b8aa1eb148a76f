"""Dashboard figures (R-ANNUAL periodic analysis, issue 4): each equals a count computed here from the
fixtures, for two units and two periods; each links to a ledger showing exactly that many rows; a
discipline user of another body sees none of them."""

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse

from conftest import local
from discipline.review import services
from records.models import BehaviourCategory
from tests.factories import make_officer

pytestmark = pytest.mark.django_db

P1 = (dt.date(2025, 3, 1), dt.date(2025, 6, 30))
P2 = (dt.date(2026, 3, 1), dt.date(2026, 6, 30))

# unit, occurred (Beijing), channel, interferer kind, linked leader?, late?, conclusion (None = only submitted), category index
SPECS = [
    ("section", local(2025, 3, 10, 10), "phone", "leader", True, False, "founded", 0),
    ("section", local(2025, 4, 2, 9), "oral", "insider", False, True, None, 1),
    ("section", local(2025, 7, 1, 9), "oral", "leader", False, False, None, 0),  # outside P1
    ("other_section", local(2025, 5, 20, 15), "meeting", "proxy", False, False, "unfounded", 1),
    ("section", local(2026, 3, 3, 11), "phone", "leader", True, False, "founded", 0),
    ("section", local(2026, 3, 17, 16), "electronic", "leader", True, True, "partly", 1),
    ("section", local(2026, 6, 30, 23, 30), "oral", "insider", False, False, None, 0),  # last evening of P2
    ("other_section", local(2026, 4, 8, 10), "oral", "leader", False, False, "normal_duty", 0),
    ("other_section", local(2026, 7, 1, 0, 10), "oral", "leader", False, False, None, 0),  # just after P2
]


@pytest.fixture
def fixtures(org, officer, other_officer, jj, leader, submit, org2):
    categories = list(BehaviourCategory.objects.order_by("order", "code")[:2])
    actors = {"section": officer, "other_section": other_officer}
    made = []
    for unit, occurred, channel, kind, linked, late, conclusion, cat in SPECS:
        extra = {"interferer": leader, "interferer_name": "周副局长", "interferer_position": "副局长"} if linked else {}
        if kind == "proxy":
            extra.update(proxy_relation="aide", behind_name="某领导", behind_position="副局长")
        if channel in ("phone", "electronic"):
            extra["missing_evidence_reason"] = "测试数据。"
        record = submit(actor=actors[unit], occurred_at=occurred, channel=channel, interferer_kind=kind, late=late, categories=[categories[cat]], **extra)
        if conclusion:
            now = record.submitted_at + dt.timedelta(hours=1)
            services.record_receive(record=record, actor=jj, now=now)
            services.review_verify(record=record, conclusion=conclusion, findings="核实情况。", seriousness="general", actor=jj, now=now)
        made.append(record)
    # A record of the other bureau, in P2: never counted for jj.
    stranger = make_officer(org2["section"], "b2officer")
    submit(actor=stranger, occurred_at=local(2026, 4, 1, 10))
    return {"categories": categories, "records": made}


def expected(org, unit_key, period):
    start, end = period
    rows = [s for s in SPECS if s[0] == unit_key and start <= s[1].date() <= end]
    status = Counter("verified" if s[6] else "submitted" for s in rows)
    return {
        "total": len(rows),
        "status": dict(status),
        "channel": dict(Counter(s[2] for s in rows)),
        "kind": dict(Counter(s[3] for s in rows)),
        "late": sum(1 for s in rows if s[5]),
        "on_time": sum(1 for s in rows if not s[5]),
        "conclusion": dict(Counter(s[6] for s in rows if s[6])),
        "pending": sum(1 for s in rows if not s[6]),
        "linked": sum(1 for s in rows if s[4]),
        "categories": dict(Counter(s[7] for s in rows)),
    }


def figures(board_figures, key):
    return {f.params[key]: f.count for f in board_figures}


@pytest.mark.parametrize("unit_key", ["section", "other_section"])
@pytest.mark.parametrize("period", [P1, P2])
def test_figures_equal_independent_counts(client, org, org2, jj, jj_other, fixtures, unit_key, period):
    unit = org[unit_key]
    params = {"date_from": period[0].isoformat(), "date_to": period[1].isoformat(), "unit": unit.pk}
    want = expected(org, unit_key, period)

    client.force_login(jj)
    response = client.get(reverse("discipline:dashboard"), params)
    assert response.status_code == 200
    board = response.context["board"]
    assert board.total == want["total"]
    assert figures(board.by_status, "status") == want["status"]
    assert figures(board.by_channel, "channel") == want["channel"]
    assert figures(board.by_kind, "kind") == want["kind"]
    assert board.late_submitted == want["late"]
    assert (board.on_time, board.submitted) == (want["on_time"], want["total"])
    assert board.on_time_rate == (round(100 * want["on_time"] / want["total"], 1) if want["total"] else None)
    assert figures(board.by_conclusion, "conclusion") == {**want["conclusion"], **({"pending": want["pending"]} if want["pending"] else {})}
    level = figures(board.by_level, "level")
    assert level.get("division", 0) == want["linked"] and level.get("none", 0) == want["total"] - want["linked"]
    cats = fixtures["categories"]
    assert figures(board.by_category, "category") == {str(cats[i].pk): n for i, n in want["categories"].items()}
    assert figures(board.by_unit, "recorder_unit") == ({str(unit.pk): want["total"]} if want["total"] else {})
    assert board.overdue == 0 and board.due_week == 0  # the fixtures hold no unsubmitted record

    # Every bar links to a ledger listing exactly its count.
    for chart in response.context["charts"]:
        for bar in chart.bars:
            ledger = client.get(bar.href)
            assert ledger.status_code == 200
            assert ledger.context["count"] == bar.count, (chart.title, bar.label)

    client.force_login(jj_other)
    response = client.get(reverse("discipline:dashboard"), params)
    assert response.status_code == 200
    other = response.context["board"]
    # The unit is not theirs: the filter is ignored with a message, and only their own body's record
    # (B2, 2026-04-01, in P2) is counted; none of B1's.
    assert "所选单位无效" in response.content.decode()
    own = 1 if period == P2 else 0
    assert other.total == own and other.submitted == own
    assert figures(other.by_unit, "recorder_unit") == ({str(org2["section"].pk): 1} if own else {})
    assert sum(this + prev for _m, this, prev in other.trend) == (1 if period == P2 else 0)


def test_monthly_trend_against_previous_year(client, org, jj, fixtures):
    client.force_login(jj)
    response = client.get(reverse("discipline:dashboard"), {"date_from": "2026-01-01", "date_to": "2026-11-24", "unit": org["bureau"].pk})
    trend = {m: (this, prev) for m, this, prev in response.context["board"].trend}
    # 2026: March 2 (3-03, 3-17), April 1 (4-08), June 1 (6-30 23:30 Beijing), July 1 (7-01 00:10 Beijing).
    # 2025: March 1, April 1, May 1, July 1.
    assert trend[3] == (2, 1) and trend[4] == (1, 1) and trend[5] == (0, 1) and trend[6] == (1, 0) and trend[7] == (1, 1)
    assert sum(this for this, _prev in trend.values()) == 5 and sum(prev for _this, prev in trend.values()) == 4
    # The month bar links to the ledger of that month.
    month = next(m for m in response.context["trend"].months if m.month == 3)
    assert client.get(month.href).context["count"] == 2


def test_top_repeat_interferers(client, org, jj, leader, fixtures):
    client.force_login(jj)
    response = client.get(reverse("discipline:dashboard"), {"date_from": "2025-01-01", "date_to": "2026-11-24"})
    # The linked leader: founded (2025-03-10), founded (2026-03-03), partly (2026-03-17) = 3.
    assert [(p.pk, n) for p, n in response.context["board"].top_repeat] == [(leader.pk, 3)]
    inbox = client.get(reverse("discipline:ledger")).content.decode()
    assert "多次干预·3次" in inbox


def test_bad_dashboard_filters_are_reported_not_500(client, jj, fixtures):
    client.force_login(jj)
    response = client.get(reverse("discipline:dashboard"), {"date_from": "2026-02-31", "date_to": "2025-01-01", "unit": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "请输入有效的日期" in html and "所选单位无效" in html


def test_overdue_and_due_this_week_count_unsubmitted_records_of_supervised_units(client, org, org2, officer, jj, jj_other):
    """Found in review: these figures were structurally 0 (drafts are never routed)."""
    from datetime import timedelta

    from django.utils import timezone

    from conftest import record_data
    from records.record import services as record_services
    from tests.factories import make_officer

    now = timezone.now()
    record_services.record_create(data=record_data(occurred_at=now - timedelta(days=20)), actor=officer)  # overdue
    record_services.record_create(data=record_data(occurred_at=now - timedelta(days=25)), actor=officer)  # overdue
    record_services.record_create(data=record_data(occurred_at=now - timedelta(days=21), interferer_name=jj.person.name), actor=officer)  # about jj
    other = make_officer(org2["section"], "o2")
    record_services.record_create(data=record_data(occurred_at=now - timedelta(days=20)), actor=other)  # another body's
    client.force_login(jj)
    board = client.get(reverse("discipline:dashboard")).context["board"]
    assert board.overdue == 2
    assert reverse("records:overdue") in client.get(reverse("discipline:dashboard")).content.decode()
    client.force_login(jj_other)
    assert client.get(reverse("discipline:dashboard")).context["board"].overdue == 1
