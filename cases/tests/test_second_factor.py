"""Optional second factor (django-otp TOTP) for the roles listed in OTP_REQUIRED_ROLES."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_off_by_default(client, discipline_user):
    client.force_login(discipline_user)
    assert client.get(reverse("records:list")).status_code == 200


def test_required_role_sets_up_and_confirms_a_code(client, settings, discipline_user, officer):
    settings.OTP_REQUIRED_ROLES = ["discipline", "admin"]
    client.force_login(officer)
    assert client.get(reverse("records:list")).status_code == 200  # officers are not asked
    client.force_login(discipline_user)
    response = client.get(reverse("records:overdue"))
    assert response.status_code == 302 and response["Location"].startswith("/otp/?next=")
    page = client.get(response["Location"])
    assert "扫描下方二维码" in page.content.decode() and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=discipline_user)
    wrong = client.post(response["Location"], {"token": "000000" if _code(device) != "000000" else "111111"})
    assert "验证码不正确" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp throttles after a failure; a person waits a second or two
    ok = client.post(response["Location"], {"token": _code(device)})
    assert ok.status_code == 302 and ok["Location"] == reverse("records:overdue")
    assert client.get(reverse("records:overdue")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_next_cannot_leave_the_site(client, settings, discipline_user):
    settings.OTP_REQUIRED_ROLES = ["discipline"]
    client.force_login(discipline_user)
    client.get("/otp/")
    device = TOTPDevice.objects.get(user=discipline_user)
    response = client.post("/otp/?next=https://evil.example/", {"token": _code(device)})
    assert response["Location"] == "/"
