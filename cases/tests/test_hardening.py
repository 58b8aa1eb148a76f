"""Hardening: login lockout, security headers, CSP without inline scripts, session expiry."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_locks_after_repeated_failures(client, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": officer.username, "password": "wrong-password"})
        assert response.status_code == 200
        assert "请输入一个正确的" in response.content.decode()  # Django's own Chinese message
    response = client.post(reverse("login"), {"username": officer.username, "password": "wrong-password"})
    assert response.status_code == 429
    # Locked: even the right password is refused now.
    response = client.post(reverse("login"), {"username": officer.username, "password": "Test-password-123"})
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_good_password_logs_in_and_resets(client, officer):
    response = client.post(reverse("login"), {"username": officer.username, "password": "Test-password-123"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_security_headers(client, officer):
    client.force_login(officer)
    response = client.get(reverse("records:list"))
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(response["X-Request-ID"]) == 32


def test_no_inline_script_in_pages(client, officer, make_record):
    record = make_record()
    client.force_login(officer)
    for url in [reverse("records:list"), reverse("records:create"), reverse("records:detail", args=[record.pk]), reverse("login")]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<script type" not in html
        # Offline intranet: no asset from another origin.
        assert not re.search(r'(src|href)="(https?:)?//', html)


@pytest.mark.django_db
def test_sessions_expire_after_thirty_minutes_of_inactivity(client, officer):
    """Each request keeps the session alive for 30 minutes, written at most once a minute
    (cases.middleware.SessionIdleRefreshMiddleware): a request within the minute writes nothing,
    a later one moves the expiry on, and 30 minutes without a request end the session."""
    import datetime as dt

    import time_machine
    from django.contrib.sessions.models import Session

    from conftest import local

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    url = reverse("records:list")
    with time_machine.travel(local(2026, 11, 24, 9, 0), tick=False):
        client.force_login(officer)
        assert client.get(url).status_code == 200
    key = client.session.session_key

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    first = expiry()
    assert first == local(2026, 11, 24, 9, 30)
    with time_machine.travel(local(2026, 11, 24, 9, 0, 30), tick=False):
        assert client.get(url).status_code == 200
    assert expiry() == first  # within the minute: no write
    with time_machine.travel(local(2026, 11, 24, 9, 20), tick=False):
        assert client.get(url).status_code == 200
    assert expiry() == local(2026, 11, 24, 9, 50)  # moved on by the request at 09:20
    with time_machine.travel(local(2026, 11, 24, 9, 49), tick=False):
        assert client.get(url).status_code == 200  # still alive after 29 idle minutes
    with time_machine.travel(local(2026, 11, 24, 9, 49) + dt.timedelta(minutes=31), tick=False):
        response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
