"""Issue 19: the Django admin speaks Chinese under the product's name, shows role groups by their
Chinese names, and creates a user with their person record, unit and roles on one page, through
cases.accounts (audited, one transaction), with Chinese errors next to the fields; who may open the
page and what a refused POST leaves (nothing)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from cases import accounts
from cases.accounts import AccountChangeRefused, account_create, role_request_decide
from cases.models import AuditEvent, Person, RoleRequest
from cases.roles import discipline_group_name
from cases.vocabulary import AccountEvent, OrganisationEvent
from records.models import Notification
from records.notifications.vocabulary import AccountNotice
from tests.factories import make_officer

pytestmark = pytest.mark.django_db
URL = "admin:auth_user_create_with_person"


def _post(org, **extra) -> dict:
    data = {
        "username": "liming", "name": "李明", "position": "执法大队队员", "level": "section", "unit": org["section"].pk,
        "email": "liming@example.gov.cn", "roles": ["officer"], "password1": "Registry-2026-liming", "password2": "Registry-2026-liming",
    }  # fmt: skip
    data.update(extra)
    return data


def _snapshot() -> tuple[int, int, int, int]:
    return (get_user_model().objects.count(), Person.objects.count(), Group.objects.count(), AuditEvent.objects.exclude(type=AccountEvent.GRANT_REFUSED).count())


def test_the_admin_carries_the_products_name_in_chinese(client, account_admin):
    client.force_login(account_admin)
    html = client.get(reverse("admin:index")).content.decode()
    assert "<title>系统管理 | 干预过问记录系统</title>" in html
    assert "干预过问记录系统 · 系统管理" in html
    assert "Django administration" not in html and "Site administration" not in html


def test_role_groups_are_listed_and_filtered_by_their_chinese_names(client, account_admin, org, officer, discipline_user):
    client.force_login(account_admin)
    users = client.get(reverse("admin:auth_user_changelist")).content.decode()
    filter_html = users[users.index('id="changelist-filter"') :]
    for label in ["执法人员", "科室负责人", "主要领导", "纪检监察", "系统管理员", "安全保密管理员", "安全审计员", f"{org['discipline'].name}工作人员"]:
        assert label in filter_html
    assert "?role=officer" in filter_html and ">officer<" not in filter_html
    listed = client.get(reverse("admin:auth_user_changelist"), {"role": "discipline"}).context["cl"].result_list
    assert list(listed) == [discipline_user]
    assert "执法人员" in users  # the role summary column
    groups = client.get(reverse("admin:auth_group_changelist")).content.decode()
    assert "执法人员" in groups and f"{org['discipline'].name}工作人员" in groups
    # Listed only: a group's permissions are not granted here.
    officer_group = Group.objects.get(name="officer")
    response = client.post(reverse("admin:auth_group_change", args=[officer_group.pk]), {"name": "x", "permissions": [Permission.objects.first().pk]})
    assert response.status_code == 403
    assert Group.objects.get(pk=officer_group.pk).name == "officer" and not officer_group.permissions.exists()


def test_one_page_creates_the_user_and_asks_for_the_roles_which_the_security_administrator_grants(
    client, account_admin, security_admin_user, org, discipline_user, django_capture_on_commit_callbacks
):
    """三员分立 hand-off: the 系统管理员 creates the account, its person and unit; the roles become a
    request; every 安全保密管理员 is told and finds it on their landing page; they approve; the grant
    is audited as theirs, the body's staff and the requester are told."""
    client.force_login(account_admin)
    assert "新建用户（人员、单位、角色）" in client.get(reverse("admin:auth_user_changelist")).content.decode()
    page = client.get(reverse(URL))
    assert page.status_code == 200 and "所在单位" in page.content.decode()
    body = org["discipline"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(URL), _post(org, roles=["officer", "discipline"], bodies=[body.pk], unit=body.pk))
    user = get_user_model().objects.get(username="liming")
    assert response.status_code == 302 and response["Location"] == reverse("admin:auth_user_change", args=[user.pk])
    assert user.check_password("Registry-2026-liming") and user.first_name == "李明" and not user.is_staff
    assert set(user.groups.values_list("name", flat=True)) == set()  # nothing granted yet
    person = user.person
    assert (person.name, person.position, person.level, person.unit) == ("李明", "执法大队队员", "section", body)
    events = AuditEvent.objects.filter(actor=account_admin).order_by("pk")
    assert [event.type for event in events] == [AccountEvent.ACCOUNT_SAVED, OrganisationEvent.PERSON_SAVED, AccountEvent.ROLE_REQUESTED]
    request = RoleRequest.objects.get(user=user)
    assert request.status == RoleRequest.Status.PENDING and set(request.group_names) == {"officer", "discipline", discipline_group_name(body.code)}
    told = Notification.objects.get(kind=AccountNotice.ROLE_REQUESTED)
    assert told.recipient == security_admin_user and told.link == reverse("accounts:role_requests")

    client.force_login(security_admin_user)
    landing = client.get(reverse("home"))
    assert landing["Location"] == reverse("accounts:role_requests")
    inbox = client.get(landing["Location"]).content.decode()
    assert "liming" in inbox and "李明" in inbox and f"{body.name}工作人员" in inbox and "纪检监察" in inbox
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(reverse("accounts:role_request_decide", args=[request.pk]), {"decision": "approve", "note": "经局党组会研究同意"})
    assert decided.status_code == 302
    assert set(user.groups.values_list("name", flat=True)) == {"officer", "discipline", discipline_group_name(body.code)}
    grant = AuditEvent.objects.get(type=AccountEvent.ROLE_GRANTED)
    assert grant.actor == security_admin_user and grant.object_id == str(user.pk)
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_note) == (RoleRequest.Status.APPROVED, security_admin_user, "经局党组会研究同意")
    # The body's staff are told, as for any grant; the 系统管理员 hears the decision.
    assert list(Notification.objects.filter(kind=AccountNotice.ROLE_CHANGED).values_list("recipient", flat=True)) == [discipline_user.pk]
    assert list(Notification.objects.filter(kind=AccountNotice.ROLE_REQUEST_DECIDED).values_list("recipient", flat=True)) == [account_admin.pk]
    assert "没有待审批的角色申请" in client.get(reverse("accounts:role_requests")).content.decode()


def test_a_refused_request_grants_nothing_and_is_told_to_who_asked(client, account_admin, security_admin_user, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = account_create(
            username="zhao", email="", password=None, person=Person(name="赵某", unit=org["section"]), group_names={"principal"}, actor=account_admin
        )
    request = RoleRequest.objects.get(user=user)
    client.force_login(security_admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:role_request_decide", args=[request.pk]), {"decision": "refuse", "note": "非主要领导"})
    assert not user.groups.exists()
    notice = Notification.objects.get(kind=AccountNotice.ROLE_REQUEST_DECIDED)
    assert notice.recipient == account_admin and "未获批准" in notice.title and "非主要领导" in notice.body
    # Decided once: a second decision is refused in Chinese, nothing changes.
    client.post(reverse("accounts:role_request_decide", args=[request.pk]), {"decision": "approve"})
    assert not user.groups.exists()


def test_an_administrator_is_made_staff_by_the_grant_and_a_blank_password_means_directory_sign_in(client, account_admin, security_admin_user, org):
    client.force_login(account_admin)
    response = client.post(reverse(URL), _post(org, username="wangfang", roles=["admin"], password1="", password2=""))
    assert response.status_code == 302
    user = get_user_model().objects.get(username="wangfang")
    assert not user.has_usable_password() and not user.is_superuser and not user.is_staff
    role_request_decide(role_request=RoleRequest.objects.get(user=user), approve=True, actor=security_admin_user)
    user.refresh_from_db()
    assert user.is_staff and set(user.groups.values_list("name", flat=True)) == {"admin"}


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"username": "admin1"}, "username", "用户名“admin1”已被使用"),
        ({"unit": ""}, "unit", "这个字段是必填项"),
        ({"roles": []}, "roles", "请至少选择一个角色"),
        ({"password2": "Registry-2026-other"}, "password2", "两次输入的密码不一致"),
        ({"password1": "short", "password2": "short"}, "password1", "密码太短，至少需要 10 个字符"),
        # 等保 level 3 complexity (issue 23): letters and digits only are two kinds.
        ({"password1": "registry2026x", "password2": "registry2026x"}, "password1", "密码须包含大写字母、小写字母、数字和其他符号中的至少 3 类"),
        ({"bodies": "BODY"}, "bodies", "须同时选择“纪检监察”角色"),
        ({"roles": ["root"]}, "roles", "不在可用的选项中"),
        ({"name": ""}, "name", "这个字段是必填项"),
    ],
)
def test_bad_input_gets_a_chinese_error_next_to_the_field_and_creates_nothing(client, account_admin, org, extra, field, message):
    if extra.get("bodies") == "BODY":
        extra = {"bodies": [org["discipline"].pk]}
    client.force_login(account_admin)
    before = _snapshot()
    response = client.post(reverse(URL), _post(org, **extra))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and any(message in error for error in errors[field]), errors
    assert message in response.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("officer", 302), ("staff_without_account_rights", 404), ("account_admin", 200), ("superuser", 200)],
)
def test_who_may_open_the_page_and_a_refused_post_changes_nothing(client, org, account_admin, who, expected):
    users = {
        "officer": make_officer(org["section"], "officer9"),
        "staff_without_account_rights": get_user_model().objects.create_user("staff9", password="Registry-2026-staff", is_staff=True),
        "account_admin": account_admin,
        "superuser": get_user_model().objects.create_superuser("root9", password="Registry-2026-root"),
    }
    if who != "anonymous":
        client.force_login(users[who])
    assert client.get(reverse(URL)).status_code == expected
    before = _snapshot()
    response = client.post(reverse(URL), _post(org))
    assert response.status_code == (302 if expected == 200 else expected)
    if expected != 200:
        assert _snapshot() == before and not get_user_model().objects.filter(username="liming").exists()
        if expected == 302:
            assert reverse("admin:login") in response["Location"]


def test_the_service_refuses_a_non_administrator_and_audits_the_attempt(org, officer):
    before = _snapshot()
    with pytest.raises(AccountChangeRefused) as refusal:
        account_create(username="x1", email="", password=None, person=Person(name="某人", unit=org["section"]), group_names={"admin"}, actor=officer)
    assert "只有系统管理员可以新建账号" in refusal.value.message
    assert _snapshot() == before
    event = AuditEvent.objects.get(type=AccountEvent.GRANT_REFUSED)
    assert event.actor == officer and event.data["attempted"] == {"create": "x1", "added": ["admin"]}


def test_a_failure_half_way_leaves_no_account_and_no_person(client, account_admin, org, monkeypatch):
    """One transaction: when the role request fails after the account and the person were saved, neither stays."""

    def broken(**kwargs):
        raise RuntimeError("request failed")

    monkeypatch.setattr(accounts, "role_request_save", broken)
    before = _snapshot()
    with pytest.raises(RuntimeError):
        account_create(username="half", email="", password=None, person=Person(name="某人", unit=org["section"]), group_names={"officer"}, actor=account_admin)
    assert _snapshot() == before
