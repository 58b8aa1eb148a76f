"""The import of an organisation (issue 21): the only writer of bulk units, people and cases.

One call reads the files given (units, accounts, people, cases, in that order: each may refer to the
ones before it), imports them inside one transaction and keeps the result only when every row of every file is
valid and it is not a dry run: all or nothing. A dry run goes through the same steps, so it reports
exactly what a confirmed import would do (new, changed, unchanged rows, and every row's problems in
Chinese with its row number and column), and then rolls back. A kept import is one audit event with
each file's name, SHA-256 and counts."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _

from cases.accounts import AccountChangeRefused, may_grant_roles, role_request_save, user_roles_set
from cases.audit import audit
from cases.models import Case, Person, Unit
from cases.onboarding.resources import LABELS, RESOURCES, AccountResource, OrgResource, UnitResource, UnitTreeResource, split_names
from cases.roles import Role, discipline_group_name
from cases.services import person_changed
from cases.vocabulary import OrganisationEvent

ROW_COLUMN = "__row"  # the row of the file a data row came from, kept through re-ordering
FORMATS = {".xlsx": "xlsx", ".csv": "csv"}


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the office sees the file: the header is row 1
    column: str
    message: str


@dataclass
class TableResult:
    kind: str
    file_name: str
    sha256: str
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])


@dataclass
class ImportResult:
    tables: list[TableResult]
    dry_run: bool
    kept: bool = False

    @property
    def ok(self) -> bool:
        return not any(table.problems for table in self.tables)

    def counts(self) -> dict[str, dict[str, int]]:
        return {t.kind: {"rows": t.rows, "new": t.new, "updated": t.updated, "unchanged": t.unchanged} for t in self.tables}


def read_table(name: str, content: bytes) -> tablib.Dataset:
    """A file as a dataset: .xlsx (first sheet) or .csv (UTF-8, with or without BOM, or GB18030 as
    Excel saves it in China). ValidationError in Chinese for anything else."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError(_("“%(name)s”：只能导入 .xlsx 或 .csv 文件。") % {"name": name})
    try:
        if suffix == ".csv":
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = content.decode("gb18030")
            return tablib.Dataset().load(text, format="csv")
        return tablib.Dataset().load(content, format="xlsx")
    except ValidationError:
        raise
    except Exception as error:  # tablib and openpyxl raise many kinds on a broken file
        raise ValidationError(_("“%(name)s”无法读取：%(error)s") % {"name": name, "error": type(error).__name__}) from error


def _numbered(dataset: tablib.Dataset) -> tablib.Dataset:
    """The dataset with each row's file row number in ROW_COLUMN (header = row 1), empty rows dropped."""
    numbered = tablib.Dataset(headers=[*(dataset.headers or []), ROW_COLUMN])
    for index, row in enumerate(dataset, start=2):
        if any(str(value).strip() for value in row if value is not None):
            numbered.append([*row, index])
    return numbered


def parents_first(dataset: tablib.Dataset) -> tablib.Dataset:
    """Units ordered so that a parent in the same file comes before its children (discipline bodies may
    point down the tree and are set in a second pass); a cycle is left in file order, and its rows fail
    with “找不到上级单位”."""
    code_column, parent_column = UnitResource.column_of("code"), UnitResource.column_of("parent")
    rows = list(dataset.dict)

    def text(row, column):
        return str(row.get(column) or "").strip()

    codes = {text(row, code_column) for row in rows}
    placed: set[str] = set()
    ordered: list[dict] = []
    pending = rows
    while pending:
        ready = [row for row in pending if text(row, parent_column) not in codes or text(row, parent_column) in placed]
        if not ready:
            ordered.extend(pending)
            break
        ordered.extend(ready)
        placed |= {text(row, code_column) for row in ready}
        ready_ids = {id(row) for row in ready}
        pending = [row for row in pending if id(row) not in ready_ids]
    result = tablib.Dataset(headers=dataset.headers)
    for row in ordered:
        result.append([row.get(header) for header in dataset.headers])
    return result


def _problems(resource_class: type[OrgResource], dataset: tablib.Dataset, result) -> list[RowProblem]:
    """Every problem of an import result, with the file's row number and the column as headed."""
    problems = []

    def file_row(number: int) -> int:
        return int(dataset[number - 1][dataset.headers.index(ROW_COLUMN)])

    for invalid in result.invalid_rows:
        for attribute, messages in invalid.error_dict.items():
            column = "" if attribute == "__all__" else resource_class.column_of(attribute)
            problems.extend(RowProblem(file_row(invalid.number), column, str(message)) for message in messages)
    row_errors = [(number, error.error) for number, errors in result.row_errors() for error in errors]
    refused = any(isinstance(error, IntegrityError) for _number, error in row_errors)
    for number, error in row_errors:
        if isinstance(error, IntegrityError):
            # The database's own constraints (one person per account) are not checked row by row
            # (validate_instance): a row that breaks one fails when it is saved, with the database's
            # message in English.
            problems.append(RowProblem(file_row(number), "", _("与系统中已有的数据冲突（例如系统账号已对应其他人员），数据库拒绝写入此行。")))
        elif isinstance(error, DatabaseError):
            # After a refused row Django takes no further query in the file's savepoint (a
            # TransactionManagementError): the rows after it fail for that reason only, and are not
            # listed as problems of their own.
            if not refused:
                problems.append(RowProblem(file_row(number), "", _("数据库拒绝写入此行。")))
        else:
            problems.append(RowProblem(file_row(number), "", str(error)))
    if result.base_errors:
        problems.extend(RowProblem(0, "", str(error.error)) for error in result.base_errors)
    return sorted(problems, key=lambda p: (p.row, p.column))


def duplicate_keys(resource_class: type[OrgResource], dataset: tablib.Dataset) -> list[RowProblem]:
    """A natural key (单位代码, 人员编号, 案件编号) given twice in one file: each repeat is a problem."""
    [key] = resource_class._meta.import_id_fields
    column = resource_class.column_of(key)
    seen: dict[str, int] = {}
    problems = []
    for row in dataset.dict:
        value, number = str(row.get(column) or "").strip(), int(row[ROW_COLUMN])
        if value and value in seen:
            problems.append(RowProblem(number, column, _("与第%(n)s行重复") % {"n": seen[value]}))
        else:
            seen[value] = number
    return problems


# What an import job is told as rows go by: (table kind, rows of that table done, its rows, percent of
# the whole import done).
ProgressReport = Callable[[str, int, int, int], None]


class _Progress:
    """Counts the rows of every pass of every file as the resources import them, and tells ``report``
    after each (the caller decides how often to pass it on). The units file is read twice."""

    def __init__(self, report: ProgressReport | None, datasets: dict[str, tablib.Dataset]):
        self.report = report
        self.total = sum(dataset.height * (2 if kind == "units" else 1) for kind, dataset in datasets.items()) or 1
        self.done = 0
        self.kind, self.table_done, self.table_steps, self.table_rows = "", 0, 1, 0

    def start(self, kind: str, rows: int) -> None:
        self.kind, self.table_done, self.table_rows = kind, 0, rows
        self.table_steps = max(rows * (2 if kind == "units" else 1), 1)
        self.tell()

    def row(self) -> None:
        self.done += 1
        self.table_done += 1
        self.tell()

    def tell(self) -> None:
        if self.report is not None:
            rows_done = min(self.table_rows, self.table_done * self.table_rows // self.table_steps)
            self.report(self.kind, rows_done, self.table_rows, min(99, self.done * 100 // self.total))


def _import(resource: OrgResource, dataset: tablib.Dataset, progress: _Progress):
    resource.on_row = progress.row
    return resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=False)


def _count(table: TableResult, passes: list) -> None:
    """New, changed and unchanged rows over the passes of one file: a row is new if the first pass
    created it, changed if any pass changed it, else unchanged."""
    kinds: dict[int, set[str]] = {}
    for result in passes:
        for number, row in enumerate(result.rows, start=1):
            kinds.setdefault(number, set()).add(row.import_type)
    first = {number: row.import_type for number, row in enumerate(passes[0].rows, start=1)}
    table.new = sum(1 for number in kinds if first.get(number) == "new")
    table.updated = sum(1 for number, types in kinds.items() if first.get(number) != "new" and "update" in types)
    table.unchanged = sum(1 for number, types in kinds.items() if types == {"skip"})


def _grant_roles(links: list[dict], table: TableResult, actor) -> list[RowProblem]:
    """The 角色 and 纪检监察机构代码 of each imported account. Imported by a 安全保密管理员 (or a
    superuser), through ``user_roles_set``: its groups become exactly those listed, each change
    audited and told like a grant on the accounts page. Imported by a 系统管理员, who grants nothing
    (三员分立), the roles it lacks become a role request for a 安全保密管理员 to decide. A grant the
    actor may not make (to themselves, two administrators' roles) is a problem of its row."""
    roles_column, bodies_column = AccountResource.column_of("roles"), AccountResource.column_of("bodies")
    # "管理员" is how files exported before the three administrators were split name the system administrator.
    labels = {str(role.label): role.value for role in Role} | {role.value: role.value for role in Role} | {"管理员": Role.ADMIN.value}
    users = get_user_model().objects.in_bulk([link["user_id"] for link in links])
    codes = set(Unit.objects.values_list("code", flat=True))
    problems = []
    for link in links:
        row, number = link["row"], int(link["row"][ROW_COLUMN])
        names, bodies = split_names(row.get(roles_column)), split_names(row.get(bodies_column))
        unknown = [n for n in names if n not in labels]
        if unknown:
            problems.append(RowProblem(number, roles_column, _("没有这个角色：%(r)s（可选：%(c)s）") % {"r": "、".join(unknown), "c": "、".join(str(r.label) for r in Role)}))
        missing = [code for code in bodies if code not in codes]
        if missing:
            problems.append(RowProblem(number, bodies_column, _("找不到单位：%(c)s") % {"c": "、".join(missing)}))
        if unknown or missing:
            continue
        wanted = {labels[n] for n in names} | {discipline_group_name(code) for code in bodies}
        if actor is None:
            problems.append(RowProblem(number, roles_column, _("授予角色须由管理员操作（命令行请用 --actor 指定系统管理员或安全保密管理员账号）")))
            continue
        try:
            if may_grant_roles(actor):
                change = user_roles_set(user=users[link["user_id"]], group_names=wanted, actor=actor)
            else:
                role_request_save(user=users[link["user_id"]], group_names=wanted, actor=actor)
                change = None  # granted only when a 安全保密管理员 approves
        except AccountChangeRefused as refusal:
            problems.append(RowProblem(number, roles_column, str(refusal)))
            continue
        if change is not None and link["type"] == "skip":  # the account's fields were unchanged, its roles not
            table.updated += 1
            table.unchanged -= 1
    return problems


def _missing_columns(resource_class: type[OrgResource], dataset: tablib.Dataset) -> list[RowProblem]:
    expected = resource_class().get_export_headers()
    headers = set(dataset.headers or [])
    return [RowProblem(1, column, _("缺少此列")) for column in expected if column not in headers]


def org_import(*, files: dict[str, tuple[str, bytes]], dry_run: bool, actor, progress: ProgressReport | None = None) -> ImportResult:
    """Import ``files`` (kind → (file name, content); kinds: units, accounts, people, cases). See the
    module. Accounts' roles are granted by ``actor`` (an account administrator), each grant audited.
    ``progress`` is told after every row (the import job shows it while the transaction is open)."""
    unknown = set(files) - set(RESOURCES)
    if unknown or not files:
        raise ValidationError(_("请选择要导入的文件（单位、账号、人员、案件）。"))
    tables: list[TableResult] = []
    changed_people: list[tuple[object, set]] = []
    # Every file is read before any is imported, so the progress knows the whole import's rows.
    datasets = {kind: read_table(*files[kind]) for kind in RESOURCES if kind in files}
    tracker = _Progress(progress, datasets)
    with transaction.atomic():
        for kind, resource_class in RESOURCES.items():
            if kind not in files:
                continue
            name, content = files[kind]
            dataset = datasets[kind]
            table = TableResult(kind=kind, file_name=name, sha256=hashlib.sha256(content).hexdigest())
            tables.append(table)
            table.problems = _missing_columns(resource_class, dataset)
            if table.problems:
                continue
            dataset = _numbered(dataset)
            table.rows = len(dataset)
            table.problems = duplicate_keys(resource_class, dataset)
            if table.problems:
                continue
            tracker.start(kind, table.rows)
            # A savepoint per file: after a row the database refuses (see _problems) Django takes no
            # further query until the atomic block it failed in is left, which rolls back to here, so
            # the next files are still checked (and reported) instead of failing on every query.
            with transaction.atomic():
                if kind == "units":
                    dataset = parents_first(dataset)
                    # The tree first, then the discipline bodies (which may name units further down the file).
                    passes = [_import(UnitTreeResource(), dataset, tracker), _import(UnitResource(), dataset, tracker)]
                else:
                    resource = resource_class()
                    passes = [_import(resource, dataset, tracker)]
                    changed_people.extend(getattr(resource, "changed", []))
            _count(table, passes)
            table.problems = sorted(
                {problem for result in passes for problem in _problems(resource_class, dataset, result)}, key=lambda p: (p.row, p.column)
            )
            if kind == "accounts" and not table.problems:
                table.problems = _grant_roles(resource.links, table, actor)
        outcome = ImportResult(tables=tables, dry_run=dry_run)
        if dry_run or not outcome.ok:
            transaction.set_rollback(True)
            return outcome
        for person, user_ids in changed_people:
            person_changed.run(person_id=person.pk, user_ids=user_ids)
        audit(
            type=OrganisationEvent.ORG_IMPORTED,
            actor=actor,
            data={"files": {t.kind: {"name": t.file_name, "sha256": t.sha256} for t in tables}, "counts": outcome.counts()},
        )
        outcome.kept = True
    return outcome


def template_dataset(kind: str) -> tablib.Dataset:
    """An empty table with the Chinese headers of ``kind``, for the downloadable templates."""
    return tablib.Dataset(headers=RESOURCES[kind]().get_export_headers())


def export_dataset(kind: str, queryset=None) -> tablib.Dataset:
    """The rows of ``kind`` as an import would read them back (the round trip the benchmark measures)."""
    resource = RESOURCES[kind]()
    if queryset is None:
        queryset = EXPORT_QUERYSETS[kind]()
    return resource.export(queryset=queryset)


# What an export reads, with the references it renders loaded in the same few queries.
EXPORT_QUERYSETS = {
    "units": lambda: Unit.objects.select_related("parent", "discipline_body").order_by("code"),
    "accounts": lambda: get_user_model().objects.prefetch_related("groups").order_by("username"),
    "people": lambda: Person.objects.select_related("unit", "user").order_by("number", "pk"),
    "cases": lambda: Case.objects.select_related("unit").prefetch_related("handling_officers").order_by("number"),
}
