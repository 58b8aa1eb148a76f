"""Backup codes of the second factor, the security administrator's audited reset, and the production
default of OTP_REQUIRED_ROLES (issue 23)."""

import importlib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import AuditEvent
from cases.second_factor import SecondFactorResetRefused, backup_codes_generate, second_factor_reset
from cases.vocabulary import IdentityEvent
from records.notifications.models import Notification
from records.notifications.vocabulary import AccountNotice

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def enrolled(settings, discipline_user):
    """Discipline staff who must use a second factor and have set up an authenticator."""
    settings.OTP_REQUIRED_ROLES = ["discipline", "security_admin"]
    device = TOTPDevice.objects.create(user=discipline_user, name="default", confirmed=True)
    return discipline_user, device


def _sign_in_with_totp(client, user, device):
    client.force_login(user)
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post("/otp/", {"token": _code(device)}).status_code == 302


def test_codes_are_made_once_shown_and_stored_as_digests(client, enrolled):
    user, device = enrolled
    client.force_login(user)
    # Not before the second factor of this session.
    assert client.get(reverse("second_factor_backup_codes"))["Location"].startswith("/otp/")
    _sign_in_with_totp(client, user, device)
    assert "生成10个备用验证码" in client.get(reverse("second_factor_backup_codes")).content.decode()
    page = client.post(reverse("second_factor_backup_codes")).content.decode()
    codes = [a + b for a, b in re.findall(r"<li>(\d{4}) (\d{4})</li>", page)]
    assert len(set(codes)) == 10 and "只显示这一次" in page
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    event = AuditEvent.objects.get(type=IdentityEvent.BACKUP_CODES_GENERATED)
    assert event.actor == user and event.data["count"] == 10 and not any(code in str(event.data) for code in codes)
    # Shown once: the page afterwards gives only their number.
    again = client.get(reverse("second_factor_backup_codes")).content.decode()
    assert "10 个未使用" in again and codes[0][:4] + " " + codes[0][4:] not in again


def test_a_backup_code_signs_in_once_and_its_use_is_audited(client, enrolled):
    user, _device = enrolled
    code = backup_codes_generate(user=user, actor=user)[3]
    client.force_login(user)
    assert client.get(reverse("records:overdue"))["Location"].startswith("/otp/")
    response = client.post(f"/otp/?next={reverse('records:overdue')}", {"token": f"{code[:4]} {code[4:]}"})
    assert response.status_code == 302 and response["Location"] == reverse("records:overdue")
    assert client.get(reverse("records:overdue")).status_code == 200
    used = AuditEvent.objects.get(type=IdentityEvent.BACKUP_CODE_USED)
    assert used.actor == user and used.data["left"] == 9
    # Spent: the same code does not open another session.
    client.logout()
    client.force_login(user)
    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    refused = client.post("/otp/", {"token": code})
    assert refused.status_code == 200 and "验证码不正确" in refused.content.decode()
    assert AuditEvent.objects.filter(type=IdentityEvent.BACKUP_CODE_USED).count() == 1


def test_the_security_administrator_resets_a_second_factor(client, enrolled, security_admin_user, django_capture_on_commit_callbacks):
    user, device = enrolled
    backup_codes_generate(user=user, actor=user)
    # The security administrator passes their own second factor first (required for the role here).
    own = TOTPDevice.objects.create(user=security_admin_user, name="default", confirmed=True)
    _sign_in_with_totp(client, security_admin_user, own)
    page = client.get(reverse("second_factor_reset"), {"q": user.username}).content.decode()
    assert user.username in page
    holder = Client()
    _sign_in_with_totp(holder, user, device)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("second_factor_reset"), {"user": user.pk})
    assert response.status_code == 302
    told = client.get(response["Location"]).content.decode()
    assert f"已重置账户 {user.username} 的双重验证，并退出其 1 个已登录的会话" in told
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(type=IdentityEvent.SECOND_FACTOR_RESET)
    assert event.actor == security_admin_user and event.data["user"] == user.pk and len(event.data["devices"]) == 2
    # The holder is told, and at the next sign-in sets up a new authenticator.
    notice = Notification.objects.get(recipient=user, kind=AccountNotice.SECOND_FACTOR_RESET)
    assert "重置" in notice.title
    client.logout()
    client.force_login(user)
    setup = client.get(client.get(reverse("records:overdue"))["Location"]).content.decode()
    assert "扫描下方二维码" in setup


def test_a_reset_ends_the_holders_open_sessions_and_no_one_elses(enrolled, security_admin_user, officer):
    # The phone was taken while its holder was signed in: the session opened with it must end too.
    user, device = enrolled
    holder, other_holder, administrator = Client(), Client(), Client()
    _sign_in_with_totp(holder, user, device)
    other_holder.force_login(user)  # a second browser of the same account, password only
    bystander = Client()
    bystander.force_login(officer)
    administrator.force_login(security_admin_user)
    assert holder.get(reverse("records:overdue")).status_code == 200
    second_factor_reset(user=user, actor=security_admin_user)
    event = AuditEvent.objects.get(type=IdentityEvent.SECOND_FACTOR_RESET)
    assert event.data["sessions_ended"] == 2
    for ended in (holder, other_holder):
        response = ended.get(reverse("records:overdue"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # Other accounts stay signed in, the security administrator among them.
    assert bystander.session["_auth_user_id"] == str(officer.pk)
    assert administrator.session["_auth_user_id"] == str(security_admin_user.pk)
    assert bystander.get(reverse("records:list")).status_code == 200


def test_a_reset_of_ones_own_second_factor_is_refused_and_audited(client, settings, security_admin_user):
    settings.OTP_REQUIRED_ROLES = []
    TOTPDevice.objects.create(user=security_admin_user, name="default", confirmed=True)
    with pytest.raises(SecondFactorResetRefused) as refused:
        second_factor_reset(user=security_admin_user, actor=security_admin_user)
    assert "不能重置本人的双重验证" in refused.value.message
    assert TOTPDevice.objects.filter(user=security_admin_user).exists()
    assert AuditEvent.objects.get(type=IdentityEvent.SECOND_FACTOR_RESET_REFUSED).actor == security_admin_user
    # The page says so too, and changes nothing.
    client.force_login(security_admin_user)
    response = client.post(reverse("second_factor_reset"), {"user": security_admin_user.pk}, follow=True)
    assert "不能重置本人的双重验证" in response.content.decode()
    assert TOTPDevice.objects.filter(user=security_admin_user).exists()


def test_only_the_security_administrator_resets(client, discipline_user, admin_role_user):
    TOTPDevice.objects.create(user=discipline_user, name="default", confirmed=True)
    with pytest.raises(SecondFactorResetRefused) as refused:
        second_factor_reset(user=discipline_user, actor=admin_role_user)
    assert "只有安全保密管理员" in refused.value.message
    assert TOTPDevice.objects.filter(user=discipline_user).exists()
    client.force_login(admin_role_user)
    assert client.get(reverse("second_factor_reset")).status_code == 404
    assert client.post(reverse("second_factor_reset"), {"user": discipline_user.pk}).status_code == 404


def test_production_asks_the_administrators_and_discipline_staff_for_a_second_factor(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.delenv("OTP_REQUIRED_ROLES", raising=False)
    production = importlib.reload(importlib.import_module("interference_registry.settings_production"))
    assert set(production.OTP_REQUIRED_ROLES) == {"admin", "security_admin", "auditor", "discipline"}
    monkeypatch.setenv("OTP_REQUIRED_ROLES", "discipline")
    production = importlib.reload(production)
    assert production.OTP_REQUIRED_ROLES == ["discipline"]
