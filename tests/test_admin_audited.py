"""Issue 18: every model admin save and delete goes through a service that writes its audit event.

Structural: every model registered in the admin either lets no one write (read-only) or is listed in
WRITES below with real POST data for each write it allows; each write leaves exactly one audit event
naming the object. Registering a new writable admin without a service and a row here fails the build."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import AuditEvent, Case, Person, Unit
from cases.vocabulary import AccountEvent, OrganisationEvent
from discipline.models import CampaignArea, CampaignQuestion
from records.models import BehaviourCategory, HolidayOverride
from records.notifications.vocabulary import NotificationEvent
from tests.factories import CaseFactory, PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _unit():
    return UnitFactory(code="AUD-U", name="审计测试单位")


def _person():
    return PersonFactory(name="审计测试人员", unit=UnitFactory(code="AUD-P"))


def _case():
    return CaseFactory(number="审计〔2026〕1号", unit=UnitFactory(code="AUD-C"))


def _user():
    return get_user_model().objects.create_user("audit-target", "t@example.gov.cn", "Audit-2026-registry")


def _override():
    return HolidayOverride.objects.create(date=dt.date(2031, 5, 6), is_working_day=True, note="调休")


def _category():
    return BehaviourCategory.objects.create(code="AUD1", name="审计测试类别", sources="测试")


def _area():
    return CampaignArea.objects.create(number=90, title="审计测试领域")


def _question():
    return CampaignQuestion.objects.create(area=CampaignArea.objects.create(number=91, title="领域"), number=1, text="事项")


def _device():
    return TOTPDevice.objects.create(user=_user(), name="default", confirmed=True)


def _attempt():
    from axes.models import AccessAttempt

    return AccessAttempt.objects.create(username="locked", ip_address="10.0.0.9", failures_since_start=5, get_data="", post_data="")


def _unit_data(obj):
    return {"name": "改名单位", "code": obj.code if obj else "AUD-NEW", "kind": "section", "party_organization": ""}


def _person_data(obj):
    return {"name": "改名人员", "position": "科员", "level": "other", "unit": obj.unit_id if obj else UnitFactory(code="AUD-PN").pk}


def _case_data(obj):
    return {
        "number": obj.number if obj else "审计〔2026〕2号", "title": "改名案件", "unit": obj.unit_id if obj else UnitFactory(code="AUD-CN").pk,
        "stage": "clue", "party": "", "opened_on": "2026-11-02",
    }  # fmt: skip


def _user_data(obj):
    if obj is None:
        return {"username": "audit-new", "password1": "Audit-2026-registry", "password2": "Audit-2026-registry", "usable_password": "true"}
    return {
        "username": obj.username, "first_name": "改名", "last_name": "", "email": obj.email, "is_active": "on",
        "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00", "initial-date_joined_0": "2026-01-05", "initial-date_joined_1": "09:00:00",
    }  # fmt: skip


def _override_data(obj):
    return {"date": "2031-05-06" if obj else "2031-05-07", "is_working_day": "", "note": "放假", "source": "国办发明电〔2030〕1号"}


def _category_data(obj):
    return {"code": obj.code if obj else "AUD2", "name": "改名类别", "description": "", "sources": "测试", "order": "5", "is_active": "on"}


def _area_data(obj):
    return {"number": obj.number if obj else "92", "title": "改名领域"}


def _question_data(obj):
    area = obj.area_id if obj else CampaignArea.objects.create(number=93, title="领域").pk
    return {"area": area, "number": obj.number if obj else "1", "text": "改名事项", "active": "on"}


# model label → (make an existing object, POST data for add (obj None) / change, writes allowed)
WRITES = {
    "cases.unit": (_unit, _unit_data, {"add", "change", "delete"}),
    "cases.person": (_person, _person_data, {"add", "change", "delete"}),
    "cases.case": (_case, _case_data, {"add", "change", "delete"}),
    "auth.user": (_user, _user_data, {"add", "change", "delete"}),
    "records.holidayoverride": (_override, _override_data, {"add", "change", "delete"}),
    "records.behaviourcategory": (_category, _category_data, {"add", "change"}),
    "discipline.campaignarea": (_area, _area_data, {"add", "change", "delete"}),
    "discipline.campaignquestion": (_question, _question_data, {"add", "change", "delete"}),
    "otp_totp.totpdevice": (_device, None, {"delete"}),
    "axes.accessattempt": (_attempt, None, {"delete"}),
}


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("root", "root@example.gov.cn", "Root-2026-registry")


def _allowed(model_admin, request) -> set[str]:
    allowed = set()
    if model_admin.has_add_permission(request):
        allowed.add("add")
    if model_admin.has_change_permission(request):
        allowed.add("change")
    if model_admin.has_delete_permission(request):
        allowed.add("delete")
    return allowed


def test_every_writable_admin_is_covered_and_nothing_else_writes(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    writable = {model._meta.label_lower: _allowed(model_admin, request) for model, model_admin in admin.site._registry.items()}
    writable = {label: ops for label, ops in writable.items() if ops}
    assert writable == {label: ops for label, (_make, _data, ops) in WRITES.items()}


CASES = [(label, op) for label, (_make, _data, ops) in WRITES.items() for op in sorted(ops)]


@pytest.mark.parametrize(("label", "op"), CASES)
def test_an_admin_write_leaves_one_audit_event_naming_the_object(client, superuser, label, op):
    make, data, _ops = WRITES[label]
    app_label, model_name = label.split(".")
    client.force_login(superuser)
    obj = None if op == "add" else make()
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    if op == "add":
        response = client.post(reverse(f"admin:{app_label}_{model_name}_add"), data(None))
    elif op == "change":
        response = client.post(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]), data(obj))
    else:
        response = client.post(reverse(f"admin:{app_label}_{model_name}_delete", args=[obj.pk]), {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    events = list(AuditEvent.objects.exclude(pk__in=before).exclude(type=NotificationEvent.NOTICE_SENT))
    assert len(events) == 1, [event.type for event in events]
    model = admin.site._registry and next(m for m in admin.site._registry if m._meta.label_lower == label)
    if op == "add":
        obj = model.objects.order_by("-pk").first()
    assert (events[0].object_type, events[0].object_id, events[0].actor_id) == (label, str(obj.pk), superuser.pk)
    if op == "delete":
        assert not model.objects.filter(pk=obj.pk).exists()


def test_a_person_edit_still_refreshes_the_figure_cells(client, superuser, monkeypatch, officer, make_record):
    """discipline fills cases.services.person_changed (it used to override the person admin): the
    cells of the unit-month of a submitted record naming the person are rebuilt."""
    from discipline.reports.figures import cells as figures
    from records.record import services as record_services

    person = _person()
    occurred = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    record = make_record(interferer=person, occurred_at=occurred)
    record_services.record_submit(record=record, actor=officer, now=timezone.now(), late_reason="", also_report_higher=False)
    calls = []
    monkeypatch.setattr(figures, "refresh_cells", lambda **kwargs: calls.append(kwargs))
    client.force_login(superuser)
    data = _person_data(person) | {"level": "division"}
    assert client.post(reverse("admin:cases_person_change", args=[person.pk]), data).status_code == 302
    person.refresh_from_db()
    assert person.level == "division"
    assert calls == [{"unit_id": record.recorder_unit_id, "month": figures.month_of(record.occurred_at)}]
    event = AuditEvent.objects.get(type=OrganisationEvent.PERSON_SAVED)
    assert event.data["changed"]["level"] == "division"


def test_unit_and_case_events_carry_the_new_values(client, superuser):
    body = UnitFactory(code="AUD-JJ", kind=Unit.Kind.DISCIPLINE)
    unit = _unit()
    client.force_login(superuser)
    client.post(reverse("admin:cases_unit_change", args=[unit.pk]), _unit_data(unit) | {"discipline_body": body.pk})
    assert AuditEvent.objects.get(type=OrganisationEvent.UNIT_SAVED).data["changed"]["discipline_body"] == body.pk
    case = _case()
    officer = get_user_model().objects.create_user("handler", "", "Handler-2026-registry")
    client.post(reverse("admin:cases_case_change", args=[case.pk]), _case_data(case) | {"handling_officers": [officer.pk]})
    assert list(Case.objects.get(pk=case.pk).handling_officers.values_list("pk", flat=True)) == [officer.pk]
    assert AuditEvent.objects.get(type=OrganisationEvent.CASE_SAVED).data["changed"]["handling_officers"] == [officer.pk]
    assert Person.objects.count() == 0


def test_an_administrators_password_reset_is_audited(client, superuser):
    target = _user()
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    response = client.post(url, {"password1": "Reset-2026-registry", "password2": "Reset-2026-registry", "usable_password": "true"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password("Reset-2026-registry")
    assert AuditEvent.objects.filter(type=AccountEvent.ACCOUNT_PASSWORD_SET, object_id=str(target.pk)).count() == 1
