"""Bulk onboarding (issue 21): a generated province exported to .xlsx and imported back, a changed
copy upserted by natural key, the same file again changing nothing, a broken file's row problems in
Chinese with row numbers and columns and nothing written, and the 批量导入 page's preview and
confirmation by an administrator."""

import hashlib
import re
from io import StringIO

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import AuditEvent, Case, ImportJob, Person, Unit
from cases.onboarding import services
from cases.vocabulary import OrganisationEvent
from tests.factories import make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    """The messages are checked in Chinese, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def administrator(org):
    return make_officer(org["bureau"], "admin1", role="admin")

UNIT_HEADERS = ["单位代码", "单位名称", "单位类型", "上级单位代码", "受理纪检监察机构代码", "所在党组织", "适用制度"]


def _xlsx(kind: str) -> tuple[str, bytes]:
    return f"{kind}.xlsx", services.export_dataset(kind).export("xlsx")


def _csv(rows: list[list[str]], headers=UNIT_HEADERS) -> tuple[str, bytes]:
    return "units.csv", tablib.Dataset(*rows, headers=headers).export("csv").encode("utf-8-sig")


def test_a_generated_province_round_trips_and_a_changed_copy_is_upserted(django_assert_max_num_queries):
    call_command("generate_load", records=200, seed=11, today=timezone.localdate(), stdout=StringIO())
    counts = (Unit.objects.count(), Person.objects.count(), Case.objects.count())
    # Exported in chunks, not pages (1,015 queries when the cases were paged with OFFSET, 29 now).
    with django_assert_max_num_queries(40):
        files = {kind: _xlsx(kind) for kind in ("units", "people", "cases")}
    # Thousands of rows naming their units and accounts, in a number of queries that does not grow
    # with them (21 when measured; 9,000 with a lookup per reference).
    with django_assert_max_num_queries(30):
        again = services.org_import(files=files, dry_run=False, actor=None)
    assert again.ok and again.kept
    assert [(t.kind, t.rows, t.new, t.updated, t.unchanged) for t in again.tables] == [
        ("units", counts[0], 0, 0, counts[0]), ("people", counts[1], 0, 0, counts[1]), ("cases", counts[2], 0, 0, counts[2]),
    ]  # fmt: skip
    # A copy with one unit renamed, one person promoted and two new people: upserted by code and number.
    people = services.export_dataset("people")
    rows = [list(row) for row in people]
    rows[0][people.headers.index("职级")] = "县处级"
    some_unit = rows[0][people.headers.index("所在单位代码")]
    rows += [["NEW-1", "新同志甲", "执法人员", "其他", "否", some_unit, ""], ["NEW-2", "新同志乙", "科长", "乡科级", "是", some_unit, ""]]
    changed = tablib.Dataset(*rows, headers=people.headers)
    result = services.org_import(files={"people": ("people.xlsx", changed.export("xlsx"))}, dry_run=False, actor=None)
    [table] = result.tables
    assert (table.new, table.updated, table.unchanged) == (2, 1, counts[1] - 1)
    assert Person.objects.get(number=rows[0][0]).level == Person.Level.DIVISION
    assert Person.objects.count() == counts[1] + 2
    # The same file again changes nothing.
    [table] = services.org_import(files={"people": ("people.xlsx", changed.export("xlsx"))}, dry_run=False, actor=None).tables
    assert (table.new, table.updated, table.unchanged) == (0, 0, counts[1] + 2)
    events = AuditEvent.objects.filter(type=OrganisationEvent.ORG_IMPORTED).order_by("pk")
    assert events.count() == 3
    assert events.last().data["counts"]["people"] == {"rows": counts[1] + 2, "new": 0, "updated": 0, "unchanged": counts[1] + 2}


def test_a_broken_file_lists_every_problem_by_row_and_column_and_writes_nothing(org):
    name, content = _csv(
        [
            ["X2", "二级单位", "科室", "X1", "", "", ""],  # its parent comes later in the file: read parents first
            ["X1", "新局", "局机关", "", "", "中共新局党组", "001"],
            ["X3", "坏单位", "不存在的类型", "NOPE", "", "", ""],
            ["", "", "", "", "", "", ""],  # an empty line is skipped, not an error
            ["X4", "", "科室", "X1", "", "", ""],
            ["X5", "适用", "科室", "X1", "", "", "某某"],
        ]
    )
    before = Unit.objects.count()
    result = services.org_import(files={"units": (name, content)}, dry_run=False, actor=None)
    assert not result.ok and not result.kept
    problems = [(p.row, p.column, p.message) for p in result.tables[0].problems]
    assert problems == [
        (4, "上级单位代码", "找不到上级单位“NOPE”"),
        (4, "单位类型", "“不存在的类型”不是可选值，应为：局机关、科室、执法支队/大队、县区分局、纪检监察机构"),
        (6, "单位名称", "此字段不能为空。"),
        (7, "适用制度", f"“某某”不是可选值，应为：{'、'.join(str(label) for _code, label in Unit._meta.get_field('governing_document').choices)}"),
    ]
    assert Unit.objects.count() == before  # all or nothing: X1 and X2 were valid, and are not written
    assert not AuditEvent.objects.filter(type=OrganisationEvent.ORG_IMPORTED).exists()


def test_a_missing_column_and_a_wrong_file_type_are_refused_in_chinese(org):
    result = services.org_import(files={"units": _csv([["X1", "新局"]], headers=["单位代码", "单位名称"])}, dry_run=True, actor=None)
    assert [(p.row, p.column, p.message) for p in result.tables[0].problems][:2] == [(1, "单位类型", "缺少此列"), (1, "上级单位代码", "缺少此列")]
    with pytest.raises(Exception, match="只能导入 .xlsx 或 .csv 文件"):
        services.org_import(files={"units": ("units.pdf", b"%PDF")}, dry_run=True, actor=None)


def test_the_command_dry_runs_imports_and_writes_templates(org, tmp_path):
    call_command("import_org", templates=tmp_path / "t", stdout=StringIO())
    assert tablib.Dataset().load((tmp_path / "t" / "units.xlsx").read_bytes(), format="xlsx").headers == UNIT_HEADERS
    path = tmp_path / "units.csv"
    path.write_bytes(_csv([["X1", "新局", "局机关", "", "", "", ""]])[1])
    out = StringIO()
    call_command("import_org", units=path, dry_run=True, stdout=out)
    assert "新增1" in out.getvalue() and "试导入完成，未写入。" in out.getvalue()
    assert not Unit.objects.filter(code="X1").exists()
    call_command("import_org", units=path, stdout=StringIO())
    assert Unit.objects.get(code="X1").kind == Unit.Kind.BUREAU
    path.write_bytes(_csv([["X9", "", "科室", "", "", "", ""]])[1])
    with pytest.raises(CommandError, match="有错误，未导入任何数据"):
        call_command("import_org", units=path, stdout=StringIO())


def test_the_page_previews_then_imports_for_an_administrator(client, administrator, officer, org, django_capture_on_commit_callbacks, monkeypatch):
    from cases.onboarding import jobs

    monkeypatch.setattr(jobs, "_ring", lambda job_id, **options: None)  # the worker's doorbell: the run is called below
    name, content = _csv([["X1", "新局", "局机关", "", "", "", ""], ["X2", "一科", "科室", "X1", "", "", ""]])
    client.force_login(administrator)
    page = client.get(reverse("onboarding:index")).content.decode()
    assert reverse("onboarding:template", args=["units.xlsx"]) in page
    template = client.get(reverse("onboarding:template", args=["units.csv"]))
    assert template.content.decode("utf-8").lstrip("\ufeff").splitlines()[0] == ",".join(UNIT_HEADERS)
    preview = client.post(reverse("onboarding:index"), {"units": SimpleUploadedFile(name, content)})
    text = preview.content.decode()
    assert preview.status_code == 200 and "所有行均无问题" in text
    assert not Unit.objects.filter(code__in=["X1", "X2"]).exists()  # a dry run writes nothing
    token = re.search(r'name="token" value="([0-9a-f]+)"', text).group(1)
    # Nobody else can confirm this upload: not another role, not another administrator.
    client.force_login(officer)
    assert client.post(reverse("onboarding:confirm"), {"token": token}).status_code == 404
    client.force_login(make_officer(org["bureau"], "admin2", role="admin"))
    client.post(reverse("onboarding:confirm"), {"token": token})
    assert not ImportJob.objects.exists()
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("onboarding:confirm"), {"token": token})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("onboarding:job", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        jobs.import_job_run(job.pk, now_fn=timezone.now)  # what the worker does
    assert Unit.objects.get(code="X2").parent.code == "X1"
    event = AuditEvent.objects.get(type=OrganisationEvent.ORG_IMPORTED)
    assert event.actor == administrator and event.data["files"]["units"]["sha256"] == hashlib.sha256(content).hexdigest()
    # The token is used up: confirming again leads to the finished job, which imports nothing more.
    again = client.post(reverse("onboarding:confirm"), {"token": token}, follow=True)
    assert "导入已完成" in again.content.decode()
    assert AuditEvent.objects.filter(type=OrganisationEvent.ORG_IMPORTED).count() == 1


def test_a_broken_upload_shows_its_problems_and_offers_no_confirmation(client, administrator, org):
    client.force_login(administrator)
    name, content = _csv([["X1", "", "局机关", "", "", "", ""]])
    text = client.post(reverse("onboarding:index"), {"units": SimpleUploadedFile(name, content)}).content.decode()
    assert "第2行" in text and "单位名称" in text and "此字段不能为空。" in text
    assert 'name="token"' not in text
    text = client.post(reverse("onboarding:index"), {}).content.decode()
    assert "请至少选择一个文件" in text


def test_a_key_twice_in_one_file_is_a_problem_and_nothing_is_written(org):
    result = services.org_import(
        files={"units": _csv([["X1", "新局", "局机关", "", "", "", ""], ["X1", "又一个新局", "局机关", "", "", "", ""]])}, dry_run=False, actor=None
    )
    assert [(p.row, p.column, p.message) for p in result.tables[0].problems] == [(3, "单位代码", "与第2行重复")]
    assert not Unit.objects.filter(code="X1").exists()


def test_a_bureau_whose_discipline_body_is_its_own_child_imports_in_either_order(org):
    """The discipline body usually sits under the bureau it supervises: a cycle in one pass, two passes here."""
    rows = [["JJ9", "驻局纪检组", "纪检监察机构", "B9", "", "", ""], ["B9", "某局", "局机关", "", "JJ9", "", "002"]]
    [table] = services.org_import(files={"units": _csv(rows)}, dry_run=False, actor=None).tables
    assert (table.new, table.problems) == (2, [])
    bureau = Unit.objects.get(code="B9")
    assert bureau.discipline_body.code == "JJ9" and bureau.discipline_body.parent == bureau


ACCOUNT_HEADERS = ["账号", "姓名", "电子邮箱", "启用", "角色", "纪检监察机构代码"]


def test_accounts_are_imported_with_their_roles_asked_for_and_granted_by_the_security_administrator(
    org, account_admin, security_admin_user, django_capture_on_commit_callbacks
):
    """三员分立: the 系统管理员's import makes the accounts and asks for their roles (one request per
    account, told to the 安全保密管理员); the grant happens when the request is approved; the same file
    again asks for nothing; an added role is asked for alone. Imported by a 安全保密管理员 (the CLI's
    --actor), the roles are granted exactly as listed."""
    from django.contrib.auth import get_user_model

    from cases.accounts import role_request_decide
    from cases.models import RoleRequest
    from cases.roles import discipline_group_name
    from cases.vocabulary import AccountEvent
    from records.models import Notification
    from records.notifications.vocabulary import AccountNotice

    rows = [["zf001", "张三", "zf001@example.gov.cn", "是", "执法人员", ""], ["jj001", "李四", "", "是", "纪检监察", org["discipline"].code]]
    files = {"accounts": ("accounts.csv", tablib.Dataset(*rows, headers=ACCOUNT_HEADERS).export("csv").encode())}
    with django_capture_on_commit_callbacks(execute=True):
        [table] = services.org_import(files=files, dry_run=False, actor=account_admin).tables
    assert (table.new, table.problems) == (2, [])
    jj = get_user_model().objects.get(username="jj001")
    assert not jj.groups.exists() and not jj.has_usable_password()
    requests = {request.user.username: set(request.group_names) for request in RoleRequest.objects.filter(status=RoleRequest.Status.PENDING)}
    assert requests == {"zf001": {"officer"}, "jj001": {"discipline", discipline_group_name(org["discipline"].code)}}
    assert Notification.objects.filter(kind=AccountNotice.ROLE_REQUESTED, recipient=security_admin_user).count() == 2
    for request in RoleRequest.objects.filter(status=RoleRequest.Status.PENDING):
        role_request_decide(role_request=request, approve=True, actor=security_admin_user)
    assert set(jj.groups.values_list("name", flat=True)) == {"discipline", discipline_group_name(org["discipline"].code)}
    assert AuditEvent.objects.filter(type=AccountEvent.ROLE_GRANTED, object_id=str(jj.pk), actor=security_admin_user).count() == 1
    # The same file again: nothing changes and nothing is asked for.
    [table] = services.org_import(files=files, dry_run=False, actor=account_admin).tables
    assert (table.new, table.updated, table.unchanged) == (0, 0, 2)
    assert not RoleRequest.objects.filter(status=RoleRequest.Status.PENDING).exists()
    rows[0][4] = "执法人员;科室负责人"
    files = {"accounts": ("accounts.csv", tablib.Dataset(*rows, headers=ACCOUNT_HEADERS).export("csv").encode())}
    services.org_import(files=files, dry_run=False, actor=account_admin)
    assert list(RoleRequest.objects.filter(status=RoleRequest.Status.PENDING).values_list("group_names", flat=True)) == [["section_head"]]
    # The security administrator's import grants exactly what the file lists.
    [table] = services.org_import(files=files, dry_run=False, actor=security_admin_user).tables
    assert (table.new, table.updated, table.unchanged) == (0, 1, 1)
    assert set(get_user_model().objects.get(username="zf001").groups.values_list("name", flat=True)) == {"officer", "section_head"}


def test_an_unknown_role_a_missing_body_and_a_self_grant_are_row_problems(org, account_admin):
    rows = [
        ["zf002", "王五", "", "是", "局长", ""],
        ["zf003", "赵六", "", "是", "纪检监察", "NOPE"],
        [account_admin.username, "管理员", "", "是", "系统管理员;纪检监察", ""],
        ["zf004", "钱七", "", "是", "系统管理员;安全审计员", ""],
    ]
    files = {"accounts": ("accounts.csv", tablib.Dataset(*rows, headers=ACCOUNT_HEADERS).export("csv").encode())}
    result = services.org_import(files=files, dry_run=False, actor=account_admin)
    problems = [(p.row, p.column, p.message[:12]) for p in result.tables[0].problems]
    assert problems[:2] == [(2, "角色", "没有这个角色：局长（可选"), (3, "纪检监察机构代码", "找不到单位：NOPE")]
    assert problems[2][:2] == (4, "角色")  # a grant to oneself is refused by the account service
    assert problems[3] == (5, "角色", "系统管理员、安全保密管理")  # 三员分立: two administrators' roles on one account
    assert not result.kept and not Person.objects.filter(user__username="zf002").exists()


PEOPLE_HEADERS = ["人员编号", "姓名", "职务", "职级", "领导干部", "所在单位代码", "系统账号"]


def test_a_row_the_database_refuses_is_a_chinese_problem_and_the_next_files_are_still_checked(client, administrator, org):
    """One person per account is the database's constraint, not checked row by row: the row fails when
    saved, and PostgreSQL then refuses every statement until the file's savepoint is rolled back."""
    from tests.factories import UserFactory

    Person.objects.create(name="另一人", unit=org["section"], user=UserFactory(username="spare1", roles=["officer"]))
    people = tablib.Dataset(["P-1", "新同志", "科员", "其他", "否", org["section"].code, "spare1"], headers=PEOPLE_HEADERS)
    client.force_login(administrator)
    response = client.post(
        reverse("onboarding:index"),
        {
            "people": SimpleUploadedFile("people.csv", people.export("csv").encode("utf-8-sig")),
            "cases": SimpleUploadedFile("cases.xlsx", services.export_dataset("cases").export("xlsx")),
        },
    )
    text = response.content.decode()
    assert response.status_code == 200 and "与系统中已有的数据冲突（例如系统账号已对应其他人员）" in text and "duplicate key" not in text
    cases_row = re.search(r'<tr data-table="cases">(.*?)</tr>', text).group(1)
    assert re.findall(r'<td class="text-end">(\d+)</td>', cases_row) == ["1", "0", "0", "1", "0"]  # read after the refused row
