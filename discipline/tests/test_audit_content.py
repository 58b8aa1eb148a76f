"""Issue 17 §4: review conclusions, handling decisions and sanctions are vouched for in the audit
chain by content hashes, like submitted records: changing one in the database, or adding one
without its event, is detected by the audit verification (records.audit_check, filled in by
DisciplineConfig.ready())."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.audit import audit_verify
from discipline.models import Handling, Review, Sanction
from discipline.review import services
from records.calendar.dates import local_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(submit, jj, leader):
    """A record received, verified and handled in the unit, with a sanction entered and updated."""
    record = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长", interferer_kind="insider")
    now = timezone.now()
    services.record_receive(record=record, actor=jj, now=now)
    services.review_verify(record=record, conclusion="founded", findings="经核实，情况属实。", seriousness="general", actor=jj, now=now)
    handling = services.handling_decide(
        record=record, kind="own_unit", person=leader, decision="对周副局长进行诫勉谈话。", internal_notice="在全局范围内通报。",
        internal_notice_on=local_date(now), disclosure_reason="情节一般，不向社会公开。", actor=jj, now=now,
    )  # fmt: skip
    decided = local_date(now) - dt.timedelta(days=2)
    sanction = services.sanction_record(person=leader, ground="interference", kind="org_talk", decided_on=decided, record=record, body=jj.person.unit, actor=jj, now=now)
    services.sanction_update(sanction=sanction, notified_on=decided, review_requested_on=None, actor=jj, now=now)
    return {"record": record, "handling": handling, "sanction": sanction}


def test_untouched_conclusion_decision_and_sanction_verify(closed):
    result = audit_verify(actor=None)
    assert result.ok, result.problems


@pytest.mark.parametrize(
    ("tamper", "finding"),
    [
        (lambda c: Review.objects.filter(record=c["record"]).update(conclusion="unfounded"), "的核实结论与审计链记载不符"),
        (lambda c: Handling.objects.filter(pk=c["handling"].pk).update(decision="不予处理。"), "的处理决定（ID {handling}）与审计链记载不符"),
        (lambda c: Sanction.objects.filter(pk=c["sanction"].pk).update(kind="party_warning"), "处理处分登记（ID {sanction}）与审计链记载不符"),
        (lambda c: Sanction.objects.filter(pk=c["sanction"].pk).update(notified_on=None), "处理处分登记（ID {sanction}）与审计链记载不符"),
    ],
    ids=["review-conclusion", "handling-decision", "sanction-kind", "sanction-update"],
)
def test_changing_discipline_content_in_the_database_is_detected(closed, tamper, finding):
    tamper(closed)
    problems = audit_verify(actor=None).problems
    expected = finding.format(handling=closed["handling"].pk, sanction=closed["sanction"].pk)
    assert any(expected in p for p in problems), problems


def test_a_sanction_entered_without_its_event_is_detected(closed, jj, leader):
    forged = Sanction.objects.create(
        person=leader, body=jj.person.unit, group=Sanction.Group.ORGANISATIONAL, kind="org_talk", legal_basis="伪造", decided_on=local_date(timezone.now()),
        created_by=jj,
    )  # fmt: skip
    problems = audit_verify(actor=None).problems
    assert any(f"处理处分登记（ID {forged.pk}）在审计链中没有对应事件" in p for p in problems), problems
