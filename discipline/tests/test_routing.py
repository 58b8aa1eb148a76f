"""R-ROUTE (002 第五条; 000 第九条): every submitted record reaches the discipline body; the principal
leader gets it for instruction unless they are the interferer or the leader behind it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent
from conftest import record_data
from discipline.models import Instruction, Routing
from discipline.review.routing import record_route
from discipline.review.vocabulary import ReviewEvent
from records.models import InterferenceRecord
from records.record import services as record_services
from tests.factories import UnitFactory, make_officer

pytestmark = pytest.mark.django_db


def assert_reaches_body_only(client, record, principal, jj):
    assert set(Routing.objects.filter(record=record).values_list("role", flat=True)) <= {"discipline", "higher"}
    assert not Routing.objects.filter(record=record, user=principal).exists()
    client.force_login(principal)
    response = client.get(reverse("discipline:principal_inbox") + "?show=all")
    assert record.serial not in response.content.decode()
    assert client.get(reverse("records:detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("discipline:principal_instruct", args=[record.pk])).status_code == 404
    assert not InterferenceRecord.objects.visible_to(principal).filter(pk=record.pk).exists()
    client.force_login(jj)
    assert record.serial in client.get(reverse("discipline:inbox")).content.decode()
    assert client.get(reverse("records:detail", args=[record.pk])).status_code == 200
    assert client.get(reverse("discipline:case", args=[record.pk])).status_code == 200


def test_ordinary_record_reaches_principal_and_body(client, submit, principal, jj):
    record = submit()
    roles = sorted(Routing.objects.filter(record=record).values_list("role", flat=True))
    assert roles == ["discipline", "principal"]
    client.force_login(principal)
    assert record.serial in client.get(reverse("discipline:principal_inbox")).content.decode()
    assert client.get(reverse("records:detail", args=[record.pk])).status_code == 200
    response = client.post(reverse("discipline:principal_instruct", args=[record.pk]), {"text": "请纪检监察组依规核实处理。"})
    assert response.status_code == 302
    assert Instruction.objects.get(record=record).principal == principal
    assert record.serial not in client.get(reverse("discipline:principal_inbox")).content.decode()
    assert AuditEvent.objects.filter(type=ReviewEvent.INSTRUCTION_GIVEN, object_id=str(record.pk)).count() == 1
    client.force_login(jj)
    assert record.serial in client.get(reverse("discipline:inbox")).content.decode()


def test_principal_as_interferer(client, submit, principal, jj):
    record = submit(interferer=principal.person, interferer_name="陈局长", interferer_position="局长", interferer_kind="insider")
    assert_reaches_body_only(client, record, principal, jj)


def test_principal_as_interferer_by_written_name_only(client, submit, principal, jj):
    """Not linked to the registry, but the written name is the principal's: withheld (conservative)."""
    record = submit(interferer_name="陈 局长", interferer_position="局长", interferer_kind="leader")
    assert_reaches_body_only(client, record, principal, jj)


def test_principal_as_leader_behind_a_relative(client, submit, principal, jj):
    record = submit(
        interferer_name="陈某某", interferer_position="无", interferer_kind="proxy", proxy_relation="relative",
        behind_person=principal.person, behind_name="陈局长", behind_position="局长",
    )  # fmt: skip
    assert_reaches_body_only(client, record, principal, jj)


def test_principal_as_leader_behind_an_organisation_letter(client, submit, principal, jj):
    record = submit(
        channel="org_letter", missing_evidence_reason="来函原件已移交档案室。", interferer_name="市某协会", interferer_position="秘书处",
        interferer_kind="organisation", letter_organization="市某协会", letter_number="某协函〔2026〕5号",
        behind_person=principal.person, behind_name="陈局长", behind_position="局长",
    )  # fmt: skip
    assert_reaches_body_only(client, record, principal, jj)


def test_principal_behind_by_name_without_registry_link(client, submit, principal, jj):
    record = submit(interferer_name="王秘书", interferer_position="秘书", interferer_kind="proxy", proxy_relation="aide", behind_name="陈局长", behind_position="局长")
    assert_reaches_body_only(client, record, principal, jj)


@pytest.fixture
def city(org):
    """The city level above the bureau, with the city discipline commission (上一级纪委监委)."""
    city = UnitFactory(code="C", name="市委", kind="bureau")
    commission = UnitFactory(code="C-JW", name="市纪委监委", kind="discipline", parent=city)
    city.discipline_body = commission
    city.save()
    org["bureau"].parent = city
    org["bureau"].save()
    return {"city": city, "commission": commission}


def test_withheld_principal_sends_to_higher_body(submit, principal, city):
    record = submit(interferer=principal.person, interferer_name="陈局长", interferer_position="局长")
    routed = {(r.role, r.body_id) for r in Routing.objects.filter(record=record)}
    assert routed == {("discipline", record.recorder_unit.effective_discipline_body().pk), ("higher", city["commission"].pk)}
    event = AuditEvent.objects.get(type=ReviewEvent.RECORD_ROUTED, object_id=str(record.pk))
    assert event.data["principal_withheld"] is True and event.data["higher_body"] == "C-JW"


def test_officer_may_also_report_higher(submit, principal, city):
    record = submit(also_report_higher=True)
    assert sorted(Routing.objects.filter(record=record).values_list("role", flat=True)) == ["discipline", "higher", "principal"]


def test_without_higher_level_the_record_still_reaches_the_body(submit, principal, org):
    record = submit(also_report_higher=True)
    assert sorted(Routing.objects.filter(record=record).values_list("role", flat=True)) == ["discipline", "principal"]
    event = AuditEvent.objects.get(type=ReviewEvent.RECORD_ROUTED, object_id=str(record.pk))
    assert event.data["higher_unavailable"] is True


def test_principal_of_another_bureau_gets_nothing(client, submit, org2):
    other_principal = make_officer(org2["bureau"], "principal2", role="principal")
    record = submit()
    assert not Routing.objects.filter(user=other_principal).exists()
    client.force_login(other_principal)
    assert client.get(reverse("records:detail", args=[record.pk])).status_code == 404


def test_discipline_user_of_another_body_sees_nothing(client, submit, jj_other):
    record = submit()
    client.force_login(jj_other)
    assert client.get(reverse("records:detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("discipline:case", args=[record.pk])).status_code == 404
    assert record.serial not in client.get(reverse("discipline:inbox")).content.decode()


def test_unit_without_discipline_body_cannot_submit(db):
    lonely = UnitFactory(code="X1", name="无纪检机构单位")
    officer = make_officer(lonely, "lonely")
    record = record_services.record_create(data=record_data(occurred_at=timezone.now()), actor=officer)
    with pytest.raises(ValidationError) as error:
        record_services.record_submit(record=record, actor=officer, now=timezone.now())
    assert "尚未设置受理纪检监察机构" in error.value.messages[0]
    record.refresh_from_db()
    assert record.status == "draft"


def test_routing_twice_adds_nothing(submit, principal, officer):
    record = submit()
    before = Routing.objects.filter(record=record).count()
    record_route(record=record, actor=officer)
    assert Routing.objects.filter(record=record).count() == before


def test_instruction_needs_text_in_chinese(client, submit, principal):
    record = submit()
    client.force_login(principal)
    response = client.post(reverse("discipline:principal_instruct", args=[record.pk]), {"text": ""})
    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()
    assert not Instruction.objects.exists()
