"""三员分立 (issue 23; GB/T 22239-2019 8.1.4.1 c, 8.1.10.2): the 系统管理员, the 安全保密管理员 and the
安全审计员 each do their own work and none of the others'; nobody grants to themselves and no account
combines two of the three, refused by the service and again by the database; production allows no
superuser but the break-glass account, whose sign-in the auditors hear of."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.accounts import AccountChangeRefused, role_permissions_sync, role_request_decide, role_request_save, user_roles_set
from cases.models import AuditEvent, RoleRequest
from cases.vocabulary import AccountEvent
from records.models import Notification
from records.notifications.vocabulary import AuditorNotice
from tests.factories import make_officer

pytestmark = pytest.mark.django_db


def _groups(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


# (URL name, args key, answer per administrator): what each of the three may open.
ADMIN_SITE = [
    ("admin:cases_unit_changelist", None, {"admin": 200, "security_admin": 403, "auditor": 403}),
    ("admin:cases_person_changelist", None, {"admin": 200, "security_admin": 403, "auditor": 403}),
    ("admin:auth_user_add", None, {"admin": 200, "security_admin": 403, "auditor": 403}),
    ("admin:auth_user_changelist", None, {"admin": 200, "security_admin": 200, "auditor": 200}),
    ("admin:auth_user_roles", "account", {"admin": 404, "security_admin": 200, "auditor": 404}),
    ("admin:auth_user_create_with_person", None, {"admin": 200, "security_admin": 404, "auditor": 404}),
    ("admin:records_holidayoverride_changelist", None, {"admin": 200, "security_admin": 403, "auditor": 403}),
    ("admin:cases_auditevent_changelist", None, {"admin": 403, "security_admin": 403, "auditor": 200}),
    ("admin:axes_accesslog_changelist", None, {"admin": 403, "security_admin": 403, "auditor": 200}),
    ("admin:axes_accessattempt_changelist", None, {"admin": 403, "security_admin": 200, "auditor": 200}),
    ("admin:otp_totp_totpdevice_changelist", None, {"admin": 403, "security_admin": 200, "auditor": 403}),
    ("accounts:role_requests", None, {"admin": 404, "security_admin": 200, "auditor": 404}),
    ("calendar:index", None, {"admin": 200, "security_admin": 404, "auditor": 404}),
    ("onboarding:index", None, {"admin": 200, "security_admin": 404, "auditor": 404}),
]


@pytest.fixture
def administrators(account_admin, security_admin_user, auditor_user):
    return {"admin": account_admin, "security_admin": security_admin_user, "auditor": auditor_user}


@pytest.mark.parametrize(("name", "args_key", "expected"), ADMIN_SITE, ids=[row[0] for row in ADMIN_SITE])
@pytest.mark.parametrize("role", ["admin", "security_admin", "auditor"])
def test_each_administrator_opens_their_own_pages_only(client, administrators, officer, name, args_key, expected, role):
    client.force_login(administrators[role])
    url = reverse(name, args=[officer.pk] if args_key == "account" else [])
    assert client.get(url).status_code == expected[role]


def test_the_system_administrator_keeps_accounts_but_grants_nothing(client, account_admin, officer):
    client.force_login(account_admin)
    before = _groups(officer)
    with pytest.raises(AccountChangeRefused, match="只有安全保密管理员"):
        user_roles_set(user=officer, group_names=before | {"discipline"}, actor=account_admin)
    assert _groups(officer) == before
    assert AuditEvent.objects.filter(type=AccountEvent.GRANT_REFUSED, actor=account_admin).count() == 1


def test_the_security_administrator_grants_but_does_not_edit_accounts_or_read_the_audit_trail(client, security_admin_user, officer):
    client.force_login(security_admin_user)
    response = client.post(reverse("admin:auth_user_change", args=[officer.pk]), {"username": "renamed", "first_name": "改名", "is_active": "on"})
    assert response.status_code == 403
    officer.refresh_from_db()
    assert officer.username != "renamed"
    user_roles_set(user=officer, group_names={"officer", "section_head"}, actor=security_admin_user)
    assert _groups(officer) == {"officer", "section_head"}


def test_the_auditor_changes_nothing(client, auditor_user, officer):
    client.force_login(auditor_user)
    assert client.post(reverse("admin:auth_user_change", args=[officer.pk]), {"username": "renamed", "is_active": "on"}).status_code == 403
    with pytest.raises(AccountChangeRefused):
        user_roles_set(user=officer, group_names={"officer", "discipline"}, actor=auditor_user)
    events = AuditEvent.objects.count()
    assert client.post(reverse("accounts:role_request_decide", args=[1]), {"decision": "approve"}).status_code == 404
    assert AuditEvent.objects.count() == events


def test_the_auditor_reads_every_administrators_actions_including_their_own(client, account_admin, security_admin_user, auditor_user, officer):
    role_request_save(user=officer, group_names={"section_head"}, actor=account_admin)
    role_request_decide(role_request=RoleRequest.objects.get(user=officer), approve=True, actor=security_admin_user)
    client.force_login(auditor_user)
    listing = client.get(reverse("admin:cases_auditevent_changelist"))
    actors = {event.actor_id for event in listing.context["cl"].result_list}
    assert {account_admin.pk, security_admin_user.pk} <= actors
    # Their own refused attempt is there too.
    with pytest.raises(AccountChangeRefused):
        user_roles_set(user=officer, group_names={"officer"}, actor=auditor_user)
    listing = client.get(reverse("admin:cases_auditevent_changelist"))
    assert auditor_user.pk in {event.actor_id for event in listing.context["cl"].result_list}


def test_a_grant_to_oneself_is_refused_by_the_service_and_by_the_database(security_admin_user, account_admin):
    with pytest.raises(AccountChangeRefused, match="不能为自己"):
        user_roles_set(user=security_admin_user, group_names={"security_admin", "discipline"}, actor=security_admin_user)
    assert _groups(security_admin_user) == {"security_admin"}
    # Past the service: the grant's audit event names its maker as its object, and the database refuses.
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(type=AccountEvent.ROLE_GRANTED, actor=security_admin_user, object_type="auth.user", object_id=str(security_admin_user.pk))
    # A role request asked for or decided by the account it names.
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleRequest.objects.create(user=account_admin, group_names=["discipline"], requested_by=account_admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleRequest.objects.create(user=security_admin_user, group_names=["discipline"], requested_by=account_admin, decided_by=security_admin_user)
    with pytest.raises(AccountChangeRefused, match="不能为自己申请"):
        role_request_save(user=account_admin, group_names={"discipline"}, actor=account_admin)


def test_two_administrators_roles_on_one_account_are_refused_by_the_service_and_by_the_database(security_admin_user, account_admin, auditor_user):
    for extra in ("security_admin", "auditor"):
        with pytest.raises(AccountChangeRefused, match="三员分立"):
            user_roles_set(user=account_admin, group_names={"admin", extra}, actor=security_admin_user)
    assert _groups(account_admin) == {"admin"}
    with pytest.raises(AccountChangeRefused, match="三员分立"):
        role_request_save(user=auditor_user, group_names={"admin"}, actor=account_admin)
    # Past the service, straight into the memberships: the database refuses.
    with pytest.raises(IntegrityError), transaction.atomic():
        account_admin.groups.add(Group.objects.get(name="auditor"))
    assert _groups(account_admin) == {"admin"}
    # A business role beside an administrator's is allowed (a 纪检监察 member who is also the auditor).
    user_roles_set(user=auditor_user, group_names={"auditor", "discipline"}, actor=security_admin_user)
    assert _groups(auditor_user) == {"auditor", "discipline"}


def test_an_approval_is_checked_again_when_decided(account_admin, security_admin_user, officer):
    """A request made while allowed, decided after the account took another administrator's role:
    the approval is refused and the request stays pending."""
    role_request_save(user=officer, group_names={"admin"}, actor=account_admin)
    user_roles_set(user=officer, group_names={"officer", "auditor"}, actor=security_admin_user)
    request = RoleRequest.objects.get(user=officer)
    with pytest.raises(AccountChangeRefused, match="三员分立"):
        role_request_decide(role_request=request, approve=True, actor=security_admin_user)
    request.refresh_from_db()
    assert request.status == RoleRequest.Status.PENDING and _groups(officer) == {"officer", "auditor"}


def test_the_administrators_permissions_follow_their_role_groups(account_admin):
    group = Group.objects.get(name="admin")
    view_audit = Permission.objects.get(content_type__app_label="cases", codename="view_auditevent")
    change_unit = Permission.objects.get(content_type__app_label="cases", codename="change_unit")
    group.permissions.add(view_audit)
    group.permissions.remove(change_unit)
    changes = role_permissions_sync()
    assert changes == {"admin": ["+cases.change_unit", "-cases.view_auditevent"]}
    assert AuditEvent.objects.filter(type=AccountEvent.ROLE_PERMISSIONS_SYNCED).latest("pk").data == {"changes": changes}
    assert role_permissions_sync() == {}
    account_admin = get_user_model().objects.get(pk=account_admin.pk)  # a fresh permission cache
    assert account_admin.has_perm("cases.change_unit") and not account_admin.has_perm("cases.view_auditevent")


def test_production_allows_no_superuser_but_the_break_glass_account(settings, org):
    settings.SUPERUSERS_ALLOWED = False
    settings.BREAK_GLASS_USERNAME = "break-glass"
    User = get_user_model()
    User.objects.create_superuser("break-glass", password="Registry-2026-Glass!")
    assert not [error for error in run_checks(databases=["default"]) if error.id == "registry.E040"]
    User.objects.create_superuser("root", password="Registry-2026-Root!")
    [error] = [error for error in run_checks(databases=["default"]) if error.id == "registry.E040"]
    assert "root" in error.msg and "break-glass" not in error.msg
    with pytest.raises(CommandError, match="只允许创建应急账号 break-glass"):
        call_command("createsuperuser", "--noinput", "--username", "another", "--email", "a@example.gov.cn")
    assert not User.objects.filter(username="another").exists()
    settings.BREAK_GLASS_USERNAME = ""
    with pytest.raises(CommandError, match="未设置应急账号"):
        call_command("createsuperuser", "--noinput", "--username", "another", "--email", "a@example.gov.cn")


def test_createsuperuser_is_audited(settings, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Registry-2026-Glass!")
    call_command("createsuperuser", "--noinput", "--username", "break-glass", "--email", "b@example.gov.cn")
    user = get_user_model().objects.get(username="break-glass")
    assert AuditEvent.objects.get(type=AccountEvent.SUPERUSER_CREATED).object_id == str(user.pk)


def test_the_break_glass_sign_in_is_told_to_every_auditor(client, settings, org, auditor_user, django_capture_on_commit_callbacks):
    settings.BREAK_GLASS_USERNAME = "break-glass"
    get_user_model().objects.create_superuser("break-glass", password="Registry-2026-Glass!")
    second_auditor = make_officer(org["bureau"], "auditor2", role="auditor")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("login"), {"username": "break-glass", "password": "Registry-2026-Glass!"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(type=AccountEvent.BREAK_GLASS_SIGNED_IN)
    assert event.data["break_glass"] is True and event.data["ip"] == "127.0.0.1"
    told = Notification.objects.filter(kind=AuditorNotice.AUDITOR_ALERT)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([auditor_user.pk, second_auditor.pk])
    assert "127.0.0.1" in told[0].body and told[0].link.startswith(reverse("audit:trail"))
    client.force_login(auditor_user)
    assert "应急账号登录：break-glass" in client.get(reverse("notifications:list")).content.decode()
    # The link opens the trail filtered to such sign-ins, the event there.
    trail = client.get(told[0].link).content.decode()
    assert "break-glass" in trail


def test_an_ordinary_sign_in_alerts_nobody(client, officer, django_capture_on_commit_callbacks):
    officer.set_password("Registry-2026-Officer!")
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("login"), {"username": officer.username, "password": "Registry-2026-Officer!"}).status_code == 302
    assert not AuditEvent.objects.filter(type=AccountEvent.BREAK_GLASS_SIGNED_IN).exists()


def test_only_the_security_administrator_unlocks_an_account(account_admin, security_admin_user):
    from axes.models import AccessAttempt

    from cases.accounts import account_unlock

    attempt = AccessAttempt.objects.create(username="zhangsan", ip_address="10.0.0.9", failures_since_start=5, get_data="", post_data="")
    with pytest.raises(AccountChangeRefused, match="只有安全保密管理员"):
        account_unlock(attempts=[attempt], actor=account_admin)
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert AuditEvent.objects.filter(type=AccountEvent.GRANT_REFUSED, actor=account_admin).count() == 1
    assert account_unlock(attempts=[attempt], actor=security_admin_user) == 1
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert AuditEvent.objects.get(type=AccountEvent.ACCOUNT_UNLOCKED).actor == security_admin_user
