"""The client's address behind reverse proxies (issue 22): the rule, the audit trail and the login
lockout (django-axes) all reading the same address, and a forged X-Forwarded-For believed by none."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from cases.models import AuditEvent
from cases.rules import client_address, normalised_address
from records.record.vocabulary import RecordEvent

PROXY = "127.0.0.1"  # nginx on the same machine: REMOTE_ADDR of every request it passes on


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "proxies", "expected"),
    [
        # No trusted proxy: the peer is the client, and a header is nobody's word.
        ("10.0.0.5", "", 0, "10.0.0.5"),
        ("10.0.0.5", "1.2.3.4", 0, "10.0.0.5"),
        # One proxy: the address it appended (the rightmost) is the client.
        (PROXY, "10.0.0.5", 1, "10.0.0.5"),
        (PROXY, " 10.0.0.5 ", 1, "10.0.0.5"),
        # Spoofing: the client sent "1.2.3.4" itself; nginx appended the real address after it.
        (PROXY, "1.2.3.4, 10.0.0.5", 1, "10.0.0.5"),
        (PROXY, "1.2.3.4,10.0.0.5", 1, "10.0.0.5"),
        (PROXY, "evil, 1.2.3.4, 10.0.0.5", 1, "10.0.0.5"),
        # Two proxies (a load balancer, then nginx): the second from the right is what the outer one saw.
        ("10.9.0.2", "10.0.0.5, 10.9.0.1", 2, "10.0.0.5"),
        ("10.9.0.2", "1.2.3.4, 10.0.0.5, 10.9.0.1", 2, "10.0.0.5"),
        # A header shorter than the chain (a request that bypassed a proxy): the peer.
        (PROXY, "", 1, PROXY),
        (PROXY, "   ", 1, PROXY),
        ("10.9.0.2", "10.9.0.1", 2, "10.9.0.2"),
        # No address where the client's should be: the peer, never the garbage.
        (PROXY, "unknown", 1, PROXY),
        (PROXY, "10.0.0.5, not-an-ip", 1, PROXY),
        (PROXY, "10.0.0.5, ", 1, PROXY),
        (PROXY, "10.0.0.5:4431", 1, PROXY),
        (PROXY, "999.1.1.1", 1, PROXY),
        # IPv6, bracketed IPv6, IPv4 mapped into IPv6: the canonical form.
        ("::1", "2001:db8::1", 1, "2001:db8::1"),
        ("::1", "[2001:DB8:0::1]", 1, "2001:db8::1"),
        (PROXY, "::ffff:10.0.0.5", 1, "10.0.0.5"),
        # A negative count is no proxy.
        ("10.0.0.5", "1.2.3.4", -1, "10.0.0.5"),
    ],
)
def test_client_address(remote_addr, forwarded_for, proxies, expected):
    assert client_address(remote_addr=remote_addr, forwarded_for=forwarded_for, trusted_proxies=proxies) == expected


@pytest.mark.parametrize(("text", "expected"), [("10.0.0.5", "10.0.0.5"), ("", ""), ("localhost", ""), ("[::1]", "::1"), ("::FFFF:1.2.3.4", "1.2.3.4")])
def test_normalised_address(text, expected):
    assert normalised_address(text) == expected


def _through_proxy(client, url, *, client_addr, forwarded_for=None, **kwargs):
    """A request as nginx passes it on: from the proxy's address, X-Forwarded-For ending in the
    address the client connected from (`$proxy_add_x_forwarded_for`: what the client sent, then that)."""
    header = f"{forwarded_for}, {client_addr}" if forwarded_for else client_addr
    method = client.post if kwargs.get("data") is not None else client.get
    return method(url, kwargs.get("data"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)


@pytest.mark.django_db
def test_audit_events_carry_the_client_address_behind_a_proxy(client, officer, make_record, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    record = make_record()
    client.force_login(officer)
    url = reverse("records:detail", args=[record.pk])
    response = _through_proxy(client, url, client_addr="10.20.30.40", forwarded_for="1.2.3.4")
    event = AuditEvent.objects.get(type=RecordEvent.RECORD_VIEWED)
    assert event.ip == "10.20.30.40" and event.request_id == response["X-Request-ID"]
    # Without a trusted proxy configured, the same request is recorded as coming from the proxy.
    settings.TRUSTED_PROXY_COUNT = 0
    _through_proxy(client, url, client_addr="10.20.30.40")
    assert AuditEvent.objects.filter(type=RecordEvent.RECORD_VIEWED).latest("pk").ip == PROXY


def _sign_in(client, user, password, *, client_addr, forwarded_for=None):
    client.logout()
    return _through_proxy(client, reverse("login"), client_addr=client_addr, forwarded_for=forwarded_for, data={"username": user.username, "password": password})


@pytest.mark.django_db
def test_a_lockout_behind_the_proxy_holds_only_the_failing_address(client, officer, other_officer, settings):
    """Someone at 10.0.0.66 guesses the officer's password until locked out; the officer at their own
    desk (10.0.0.7) and a colleague still sign in, though all three come through the same nginx."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        response = _sign_in(client, officer, "wrong-password", client_addr="10.0.0.66")
    assert response.status_code == 429
    assert _sign_in(client, officer, "Test-password-123", client_addr="10.0.0.66").status_code == 429
    assert AccessAttempt.objects.get(username=officer.username).ip_address == "10.0.0.66"
    # The officer, from their own address: signed in.
    assert _sign_in(client, officer, "Test-password-123", client_addr="10.0.0.7").status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)
    assert _sign_in(client, other_officer, "Test-password-123", client_addr="10.0.0.8").status_code == 302
    # With no trusted proxy, every sign-in looks as if it came from nginx: one lockout holds everyone.
    settings.TRUSTED_PROXY_COUNT = 0
    for _ in range(3):
        _sign_in(client, other_officer, "wrong-password", client_addr="10.0.0.66")
    assert _sign_in(client, other_officer, "Test-password-123", client_addr="10.0.0.8").status_code == 429


@pytest.mark.django_db
def test_a_forged_header_moves_no_lockout(client, officer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    # The guesser claims to be the officer's desk (10.0.0.7): the lockout still falls on their own address.
    for _ in range(3):
        response = _sign_in(client, officer, "wrong-password", client_addr="10.0.0.66", forwarded_for="10.0.0.7")
    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.66"]
    assert _sign_in(client, officer, "Test-password-123", client_addr="10.0.0.7").status_code == 302
    # Nor does a forged header get the locked-out address out of its lockout.
    assert _sign_in(client, officer, "Test-password-123", client_addr="10.0.0.66", forwarded_for="1.2.3.4").status_code == 429
