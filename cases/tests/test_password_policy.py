"""Password history, first-sign-in and periodic change, lockout notices (等保 2.0 level 3,
GB/T 22239-2019 8.1.4.1 a/b; issue 23)."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from cases.accounts import account_create, account_password_set
from cases.models import AuditEvent, PasswordHistory, Person
from cases.password_policy import SESSION_KEY, password_change, password_state_remember
from cases.passwords import password_change_reason
from cases.vocabulary import AccountEvent, IdentityEvent
from records.notifications.models import Notification
from records.notifications.vocabulary import AccountNotice

pytestmark = pytest.mark.django_db

GOOD = "Test-password-123"  # the factories' password


def _passwords(n: int) -> list[str]:
    return [f"Neue-Kennung-{i}x" for i in range(1, n + 1)]


# -- the rule -----------------------------------------------------------------------------------------

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("set_at", "temporary", "max_age", "expected"),
    [
        (NOW, True, 90, "initial"),  # an administrator's password, however new
        (NOW - dt.timedelta(days=89, hours=23), False, 90, None),
        (NOW - dt.timedelta(days=90), False, 90, "expired"),  # the 90th day after it was set
        (NOW - dt.timedelta(days=400), False, 0, None),  # 0: no expiry
        (None, False, 90, None),  # unknown age is not counted as expired
        (NOW - dt.timedelta(days=400), True, 0, "initial"),
    ],
)
def test_reason_rule(set_at, temporary, max_age, expected):
    assert password_change_reason(set_at=set_at, temporary=temporary, now=NOW, max_age_days=max_age) == expected


# -- history ------------------------------------------------------------------------------------------


def test_the_last_five_are_refused_the_sixth_last_is_allowed(officer, settings):
    assert settings.PASSWORD_HISTORY_COUNT == 5
    first, second, *rest = _passwords(6)
    for password in (first, second, *rest):
        password_change(user=officer, password=password, actor=officer)
    # The current one is the 6th set; the last five are 2nd..6th.
    with pytest.raises(ValidationError) as refused, translation.override("zh-hans"):
        password_validation.validate_password(second, officer)
    assert "新密码不能与最近 5 次使用过的密码相同。" in refused.value.messages
    with pytest.raises(ValidationError):
        password_validation.validate_password(rest[-1], officer)  # the current one
    password_validation.validate_password(first, officer)  # the 6th-last: allowed again
    password_change(user=officer, password=first, actor=officer)
    # Hashes only, and no more than the check needs.
    rows = list(PasswordHistory.objects.filter(user=officer).values_list("password", flat=True))
    assert len(rows) == 5 and all(first not in row for row in rows)


def test_a_password_from_before_the_history_still_counts(officer):
    # The factory's password was set without the services: no history row, yet it is the current one.
    assert not PasswordHistory.objects.filter(user=officer).exists()
    with pytest.raises(ValidationError):
        password_validation.validate_password(GOOD, officer)


def test_the_page_refuses_a_reused_password_in_chinese(client, officer):
    client.force_login(officer)
    first, second = _passwords(2)
    for old, new in ((GOOD, first), (first, second)):
        response = client.post(reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new})
        assert response.status_code == 302
    response = client.post(reverse("password_change"), {"old_password": second, "new_password1": first, "new_password2": first})
    assert response.status_code == 200
    assert "新密码不能与最近 5 次使用过的密码相同。" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(second)
    wrong = client.post(
        reverse("password_change"), {"old_password": "nope", "new_password1": "Xx-ganz-neu-99", "new_password2": "Xx-ganz-neu-99"}
    )
    assert "当前密码不正确。" in wrong.content.decode()


def test_the_holders_change_is_audited_without_the_value(client, officer):
    client.force_login(officer)
    (new,) = _passwords(1)
    client.post(reverse("password_change"), {"old_password": GOOD, "new_password1": new, "new_password2": new})
    event = AuditEvent.objects.get(type=IdentityEvent.PASSWORD_CHANGED)
    assert event.actor == officer and new not in str(event.data)
    # Still signed in after the change (the session's hash was updated).
    assert client.get(reverse("records:list")).status_code == 200


# -- first sign-in and age ----------------------------------------------------------------------------


def test_an_account_made_with_an_initial_password_changes_it_at_first_sign_in(client, account_admin, org):
    person = Person(name="新同志", unit=org["section"], position="科员")
    user = account_create(
        username="newbie", email="", password="Anfang-Kennwort-1", person=person, group_names={"officer"}, actor=account_admin
    )
    assert PasswordHistory.objects.get(user=user).temporary
    response = client.post(reverse("login"), {"username": "newbie", "password": "Anfang-Kennwort-1"})
    assert response.status_code == 302
    response = client.get(reverse("records:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("password_change") + "?next=")
    page = client.get(response["Location"])
    assert "首次登录须修改" in page.content.decode()
    # Only the password page, logout, static files, the language switch and health pass.
    assert client.get(reverse("notifications:list")).status_code == 302
    assert client.get("/admin/").status_code == 302
    assert client.get(reverse("health_live")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "zh-hans"}).status_code == 302
    (new,) = _passwords(1)
    done = client.post(response["Location"], {"old_password": "Anfang-Kennwort-1", "new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == reverse("records:list")
    assert client.get(reverse("records:list")).status_code == 200
    assert not PasswordHistory.objects.filter(user=user).first().temporary


def test_an_administrators_reset_makes_the_holder_change_it(client, officer, account_admin):
    account_password_set(user=officer, password="Zurueck-Gesetzt-7", actor=account_admin)
    client.force_login(officer)
    assert client.get(reverse("records:list"))["Location"].startswith(reverse("password_change"))


def test_the_password_expires_after_ninety_days(client, officer, settings):
    assert settings.PASSWORD_MAX_AGE_DAYS == 90
    (new,) = _passwords(1)
    start = timezone.now()
    password_change(user=officer, password=new, actor=officer)
    with time_machine.travel(start + dt.timedelta(days=89, hours=23), tick=False):
        client.force_login(officer)
        assert client.get(reverse("records:list")).status_code == 200
    client.logout()
    with time_machine.travel(start + dt.timedelta(days=90, minutes=1), tick=False):
        client.force_login(officer)
        response = client.get(reverse("records:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("password_change"))
        assert "已超过规定的使用期限" in client.get(response["Location"]).content.decode()
    settings.PASSWORD_MAX_AGE_DAYS = 0
    client.logout()
    with time_machine.travel(start + dt.timedelta(days=400), tick=False):
        client.force_login(officer)
        assert client.get(reverse("records:list")).status_code == 200


def test_accounts_without_a_local_password_are_never_asked(officer, account_admin, rf):
    account_password_set(user=officer, password="Zurueck-Gesetzt-7", actor=account_admin)
    officer.set_unusable_password()  # as for a directory account
    request = rf.get("/")
    request.session = {}
    assert password_state_remember(request, officer) == ""
    assert request.session[SESSION_KEY] == ""
    # Signed in through the directory: its password is the directory's, whatever the local row says.
    officer.set_password("Zurueck-Gesetzt-7")
    request.session = {"_auth_user_backend": "cases.directory.DirectoryBackend"}
    assert password_state_remember(request, officer) == ""


def test_a_page_costs_no_query_for_the_check(client, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)  # worked out here, at sign-in
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("notifications:list")).status_code == 200
    assert not [q for q in queries.captured_queries if "passwordhistory" in q["sql"]]


# -- lockout notices ----------------------------------------------------------------------------------


def _fail(client, username, times):
    for _ in range(times):
        client.post(reverse("login"), {"username": username, "password": "wrong-password"})


def test_a_lockout_is_told_to_the_holder_and_the_security_administrators_who_unlock_it(
    client, officer, security_admin_user, settings, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission

    with django_capture_on_commit_callbacks(execute=True):
        _fail(client, officer.username, settings.AXES_FAILURE_LIMIT + 2)  # locked, then refused twice more
    # Audited once, with who, when and from where.
    (event,) = AuditEvent.objects.filter(type=IdentityEvent.LOCKED_OUT)
    assert event.data["username"] == officer.username and event.data["ip"] == "127.0.0.1" and event.data["user"] == officer.pk
    # The holder is told, once.
    (own,) = Notification.objects.filter(recipient=officer, kind=AccountNotice.LOCKED_OUT)
    assert "已被锁定" in own.title and "127.0.0.1" in own.body and "安全保密管理员" in own.body
    # So is every security administrator, with the address, the time and the lockout list.
    (told,) = Notification.objects.filter(recipient=security_admin_user, kind=AccountNotice.LOCKED_OUT)
    assert officer.username in told.title and "127.0.0.1" in told.body and "officer1姓名" in told.body
    assert timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M") in told.body
    assert told.link.startswith(reverse("admin:axes_accessattempt_changelist"))
    # The security administrator sees it in their notices and unlocks from the list.
    security_admin_user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="axes", codename__in=["view_accessattempt", "delete_accessattempt"])
    )
    client.force_login(security_admin_user)
    assert officer.username in client.get(reverse("notifications:list")).content.decode()
    listing = client.get(told.link)
    assert listing.status_code == 200 and officer.username in listing.content.decode()
    ids = list(AccessAttempt.objects.filter(username=officer.username).values_list("pk", flat=True))
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"), {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(type=AccountEvent.ACCOUNT_UNLOCKED, actor=security_admin_user).count() == len(ids)
    client.logout()
    assert client.post(reverse("login"), {"username": officer.username, "password": GOOD}).status_code == 302
    # A later lockout is a new one, told again.
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        _fail(client, officer.username, settings.AXES_FAILURE_LIMIT)
    assert Notification.objects.filter(recipient=officer, kind=AccountNotice.LOCKED_OUT).count() == 2


def test_a_lockout_of_a_name_without_an_account_is_told_to_the_security_administrators(
    client, security_admin_user, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _fail(client, "guessed-name", settings.AXES_FAILURE_LIMIT)
    (told,) = Notification.objects.filter(kind=AccountNotice.LOCKED_OUT)
    assert told.recipient == security_admin_user and "guessed-name" in told.title


@pytest.mark.django_db(transaction=True)  # real commits: the listeners run inside the sign-in request
def test_a_failing_notice_never_fails_the_sign_in_page(client, officer, settings, monkeypatch):
    from cases.lockout import lockout_listeners

    def broken(lockout):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(lockout_listeners, "_callables", [broken])
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": officer.username, "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": officer.username, "password": "wrong-password"})
    assert response.status_code == 429  # the lockout page, not a server error
    assert AuditEvent.objects.filter(type=IdentityEvent.LOCKED_OUT).count() == 1


def test_the_admins_own_password_change_goes_to_the_audited_page(client, account_admin):
    client.force_login(account_admin)
    response = client.get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
