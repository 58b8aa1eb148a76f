"""Issue 17 §1: no one grants themselves a role; every grant goes through cases.accounts, is audited
and told to the discipline body's staff; the admin's account form cannot grant; case deletion and
delete pages show no record serial."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.accounts import AccountChangeRefused, user_roles_set
from cases.models import AuditEvent
from cases.roles import discipline_group_name
from cases.vocabulary import AccountEvent
from records.models import Notification
from records.notifications.vocabulary import AccountNotice
from records.record import services as record_services
from tests.factories import make_officer

pytestmark = pytest.mark.django_db


def _groups(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def _change_form_post(user, **extra) -> dict:
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": "", "email": user.email,
        "is_active": "on", "is_staff": "on", "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2026-01-05", "initial-date_joined_1": "09:00:00",
    }  # fmt: skip
    data.update(extra)
    return data


def test_admin_cannot_give_themselves_discipline_access_through_the_account_form(client, account_admin, org, discipline_user, officer, make_record):
    """The escalation of the audit: the administrator adds their own account to `discipline` and the
    body's group and ticks superuser on /admin/auth/user/N/change/. Nothing changes, the routed record
    stays out of reach, and the attempt is in the audit trail."""
    record = make_record(occurred_at=timezone.now().replace(microsecond=0) - timedelta(hours=1))
    record_services.record_submit(record=record, actor=officer, now=timezone.now(), late_reason="", also_report_higher=False)
    client.force_login(discipline_user)
    assert client.get(reverse("discipline:case", args=[record.pk])).status_code == 200
    body_group = Group.objects.get(name=discipline_group_name(org["discipline"].code))
    before = _groups(account_admin)
    client.force_login(account_admin)
    response = client.post(
        reverse("admin:auth_user_change", args=[account_admin.pk]),
        _change_form_post(account_admin, groups=[Group.objects.get(name="discipline").pk, body_group.pk], is_superuser="on"),
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    # 三员分立: the 系统管理员 grants nothing, so the refusal says who does.
    assert "只有安全保密管理员可以变更角色" in page
    account_admin.refresh_from_db()
    assert _groups(account_admin) == before
    assert not account_admin.is_superuser
    refusal = AuditEvent.objects.get(type=AccountEvent.GRANT_REFUSED)
    assert (refusal.actor_id, refusal.object_id) == (account_admin.pk, str(account_admin.pk))
    assert sorted(refusal.data["attempted"]) == ["groups", "is_superuser"]
    client.force_login(account_admin)
    assert client.get(reverse("discipline:case", args=[record.pk])).status_code == 404


def test_the_security_administrator_cannot_grant_themselves_on_the_roles_page(client, security_admin_user, org):
    client.force_login(security_admin_user)
    response = client.post(
        reverse("admin:auth_user_roles", args=[security_admin_user.pk]), {"roles": ["security_admin", "discipline"], "bodies": [org["discipline"].pk]}
    )
    assert response.status_code == 200
    assert "不能为自己授予或撤销角色" in response.content.decode()
    assert _groups(security_admin_user) == {"security_admin"}
    assert AuditEvent.objects.filter(type=AccountEvent.GRANT_REFUSED, actor=security_admin_user).count() == 1
    assert not AuditEvent.objects.filter(type=AccountEvent.ROLE_GRANTED).exists()


def test_the_system_administrator_has_no_roles_page(client, account_admin, officer):
    client.force_login(account_admin)
    assert client.get(reverse("admin:auth_user_roles", args=[officer.pk])).status_code == 404
    response = client.post(reverse("admin:auth_user_roles", args=[officer.pk]), {"roles": ["officer", "discipline"]})
    assert response.status_code == 404
    assert _groups(officer) == {"officer"}


def test_a_grant_by_another_administrator_is_audited_and_told_to_the_body_staff(client, security_admin_user, org, discipline_user, django_capture_on_commit_callbacks):
    """The chain: administrator grants → the account holds the roles → one audit event → the body's
    existing staff see a notice on their notification page (not the grantee, not the actor)."""
    newcomer = make_officer(org["section"], "newcomer")
    client.force_login(security_admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:auth_user_roles", args=[newcomer.pk]), {"roles": ["officer", "discipline"], "bodies": [org["discipline"].pk]}
        )
    assert response.status_code == 302
    assert _groups(newcomer) == {"officer", "discipline", discipline_group_name(org["discipline"].code)}
    event = AuditEvent.objects.get(type=AccountEvent.ROLE_GRANTED)
    assert event.actor_id == security_admin_user.pk and event.object_id == str(newcomer.pk)
    assert event.data["added"] == sorted(["discipline", discipline_group_name(org["discipline"].code)])
    notices = Notification.objects.filter(kind=AccountNotice.ROLE_CHANGED)
    assert [notice.recipient_id for notice in notices] == [discipline_user.pk]
    client.force_login(discipline_user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "账户角色变更：newcomer" in page


def test_revoking_a_membership_is_audited_and_told(security_admin_user, org, discipline_user, django_capture_on_commit_callbacks):
    colleague = make_officer(org["discipline"], "jj2", role="discipline")
    body = discipline_group_name(org["discipline"].code)
    colleague.groups.add(Group.objects.get(name=body))
    with django_capture_on_commit_callbacks(execute=True):
        change = user_roles_set(user=colleague, group_names={"discipline"}, actor=security_admin_user)
    assert change.removed == (body,)
    assert _groups(colleague) == {"discipline"}
    assert AuditEvent.objects.filter(type=AccountEvent.ROLE_REVOKED, object_id=str(colleague.pk)).count() == 1
    assert Notification.objects.filter(kind=AccountNotice.ROLE_CHANGED, recipient=discipline_user).count() == 1


def test_only_account_administrators_change_roles(org, discipline_user, officer):
    with pytest.raises(AccountChangeRefused):
        user_roles_set(user=officer, group_names={"officer", "discipline"}, actor=discipline_user)
    assert _groups(officer) == {"officer"}
    assert AuditEvent.objects.filter(type=AccountEvent.GRANT_REFUSED, actor=discipline_user).count() == 1


@override_settings(ACCOUNT_SUPERUSER_EDITABLE=False)
def test_superuser_is_not_settable_when_production_forbids_it(client, security_admin_user, officer):
    client.force_login(security_admin_user)
    page = client.get(reverse("admin:auth_user_roles", args=[officer.pk])).content.decode()
    assert 'name="roles"' in page and 'name="is_superuser"' not in page
    with pytest.raises(AccountChangeRefused):
        user_roles_set(user=officer, group_names={"officer"}, is_superuser=True, actor=security_admin_user)
    officer.refresh_from_db()
    assert not officer.is_superuser


def test_production_settings_forbid_superuser_editing(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "test-only-" + "x" * 50)
    settings_production = importlib.import_module("interference_registry.settings_production")
    assert settings_production.ACCOUNT_SUPERUSER_EDITABLE is False


def test_a_case_with_records_cannot_be_deleted_and_no_delete_page_shows_serials(client, account_admin, org, make_record):
    record = make_record(case=org["case"])
    client.force_login(account_admin)
    change_page = client.get(reverse("admin:cases_case_change", args=[org["case"].pk])).content.decode()
    assert reverse("admin:cases_case_delete", args=[org["case"].pk]) not in change_page
    assert client.get(reverse("admin:cases_case_delete", args=[org["case"].pk])).status_code == 403
    for unit in (org["section"], org["bureau"]):
        page = client.get(reverse("admin:cases_unit_delete", args=[unit.pk])).content.decode()
        assert record.serial not in page and "某企业安全隐患整改事项" not in page
    listing = client.post(reverse("admin:cases_case_changelist"), {"action": "delete_selected", "_selected_action": [org["case"].pk]})
    assert record.serial not in listing.content.decode()
    assert org["case"].__class__.objects.filter(pk=org["case"].pk).exists()


def test_the_password_length_error_is_in_chinese(client, account_admin):
    client.force_login(account_admin)
    response = client.post(reverse("admin:auth_user_add"), {"username": "newbie", "password1": "abc", "password2": "abc", "usable_password": "true"})
    page = response.content.decode()
    assert "密码太短，至少需要 10 个字符。" in page
    assert "too short" not in page
