"""Benchmark data in bulk (DESIGN §6 `generate_load --records N`): a province → city → county tree of
about 3,000 units with a discipline body (and its staff) and a principal per bureau, officers and
leaders, cases, and N records over ten years (the latest year holding 10%, 1% still unsubmitted
drafts, skewed categories and channels, ~5% of leaders repeat interferers, seasonal months), routed
and granted as the services would (guardian direct-FK rows for the recorder, the principal and the
body's staff group), with receipt, verification, handling and sanctions for the share that got that
far. Deterministic for a seed and a `--today`.

On PostgreSQL the records and everything hanging off them are written with COPY in batches (2,000,000
records in minutes); elsewhere with bulk_create. No per-row service calls and no audit events: the
benchmark data is not evidence. Lives in discipline, the app that can see everything it builds; the
command `generate_load` (discipline/management/commands) parses the arguments and runs `LoadGenerator`.
"""

import datetime as dt
import io
import random
import time
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import OutputWrapper
from django.core.management.color import no_style
from django.db import connection, models, transaction

from cases.encryption.fields import EncryptedTextField
from cases.models import Case, Person, Unit
from cases.roles import Role, discipline_group_name
from discipline.models import Handling, Review, Routing, Sanction
from discipline.reports.figures.cells import rebuild_cells
from discipline.review import rules as discipline_rules
from records.calendar.workdays import WorkCalendar
from records.models import BehaviourCategory, InterferenceRecord, RecordGroupObjectPermission, RecordUserObjectPermission
from records.record.rules import norm_name

BEIJING = ZoneInfo("Asia/Shanghai")
BATCH = 5000
CITIES, COUNTIES_PER_CITY, SECTIONS_PER_BUREAU = 15, 13, 12
OFFICERS_PER_SECTION, LEADERS_PER_BUREAU, CASES_PER_SECTION = 3, 5, 20
CHANNELS = (("phone", 40), ("oral", 25), ("electronic", 20), ("meeting", 8), ("paper", 4), ("org_letter", 3))
KINDS = (("leader", 55), ("insider", 25), ("proxy", 10), ("superior_staff", 7), ("other", 3))
# Interference clusters around case decisions late in the year and before holidays.
MONTH_WEIGHTS = (6, 5, 8, 8, 9, 9, 8, 8, 9, 8, 10, 12)
DRAFT_SHARE, LATEST_YEAR_SHARE, REPEATER_SHARE, REPEATER_RECORDS = 0.01, 0.10, 0.05, 0.30
# How far a submitted record got: older records are mostly closed, the latest year's are in progress.
STATUS_OLD = (("submitted", 2), ("received", 3), ("verified", 5), ("handled", 5), ("closed", 85))
STATUS_LATEST = (("submitted", 20), ("received", 20), ("verified", 20), ("handled", 5), ("closed", 35))
CONCLUSIONS = (("founded", 20), ("partly", 15), ("unfounded", 25), ("normal_duty", 40))
SANCTION_SHARE = 0.3  # of handled substantiated records
SANCTION_KINDS = ("org_talk", "org_criticism", "org_circulated_criticism", "party_warning", "gov_warning", "gov_demerit")


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([k for k, _ in pairs], weights=[w for _, w in pairs])[0]


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)


class RowWriter:
    """Rows per model with explicit primary keys, written in the order the models were registered:
    COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, tables: list[tuple[type[models.Model], list[str]]]):
        self.tables = tables
        self.rows: dict[type[models.Model], list[tuple]] = {model: [] for model, _ in tables}
        self.copy = connection.vendor == "postgresql"
        self.next_id = {model: (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1 for model, _ in tables}

    def new_id(self, model) -> int:
        pk = self.next_id[model]
        self.next_id[model] = pk + 1
        return pk

    def add(self, model, row: tuple) -> None:
        self.rows[model].append(row)

    def flush(self) -> None:
        for model, fields in self.tables:
            rows = self.rows[model]
            if not rows:
                continue
            if self.copy:
                self._skip_fk_triggers()
                buffer = io.StringIO()
                # COPY bypasses the fields: encrypted columns (cases.encryption) are sealed here.
                sealed = [i for i, f in enumerate(fields) if isinstance(model._meta.get_field(f), EncryptedTextField)]
                for i in sealed:
                    seal = model._meta.get_field(fields[i]).get_prep_value
                    rows = [(*row[:i], seal(row[i]), *row[i + 1 :]) for row in rows]
                buffer.writelines("\t".join(map(_copy_text, row)) + "\n" for row in rows)
                buffer.seek(0)
                columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
                with connection.cursor() as cursor:
                    cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN", buffer)
            else:
                model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows])
            self.rows[model].clear()

    def _skip_fk_triggers(self) -> None:
        """The rows are consistent by construction: when the role may, skip the per-row foreign-key
        triggers for this transaction (they would queue one check per row; COPY then takes about half the time)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")

    def finish(self) -> None:
        self.flush()
        sql = connection.ops.sequence_reset_sql(no_style(), [model for model, _ in self.tables])
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)


def _record_columns() -> tuple[list[str], list]:
    """Every concrete column of the record with the value a form would leave it at."""
    names, defaults = [], []
    for field in InterferenceRecord._meta.concrete_fields:
        names.append(field.attname)
        if field.has_default():
            defaults.append(field.get_default())
        elif field.null:
            defaults.append(None)
        else:
            defaults.append("")
    return names, defaults


class LoadGenerator:
    """Writes the load; progress goes to `stdout` (a command's OutputWrapper) styled by `style`."""

    def __init__(self, *, stdout: OutputWrapper, style):
        self.stdout = stdout
        self.style = style

    def run(self, *, records: int, seed: int, years: int, today: dt.date | None) -> None:
        # Separate generators for the organisation and the records: a second run that reuses the
        # organisation produces the same record stream. Not for cryptography: benchmark data.
        rng = random.Random(seed)  # noqa: S311
        with transaction.atomic():
            bureaus, sections = self._units(seed)
            people = self._people(rng, bureaus, sections)
            cases = self._cases(rng, sections)
        leaders = sorted(people["leaders"], key=lambda p: p.pk)
        repeaters = random.Random(seed + 1).sample(leaders, max(1, int(len(leaders) * REPEATER_SHARE)))  # noqa: S311
        self.stdout.write(f"单位 {Unit.objects.count()}，人员 {Person.objects.count()}，案件 {len(cases)}")
        now = (
            dt.datetime.combine(today, dt.time(12, 0), tzinfo=BEIJING) if today else dt.datetime.now(BEIJING).replace(microsecond=0)
        )
        made = self._records(random.Random(seed + 2), records, years, now, sections, people, leaders, repeaters, cases)  # noqa: S311
        self.stdout.write(self.style.SUCCESS(f"已生成记录 {made} 条"))
        # The figure cells are derived from the records; bulk-written records bypass the services
        # that keep them, so they are rebuilt once here (discipline.figures).
        started = time.monotonic()
        cells = rebuild_cells()
        self.stdout.write(f"统计单元 {cells} 个（{time.monotonic() - started:.0f} 秒）")

    # --- organisation ---------------------------------------------------------------------------

    def _units(self, seed: int) -> tuple[list[Unit], list[Unit]]:
        prefix = f"L{seed}"
        if Unit.objects.filter(code=f"{prefix}-P").exists():
            bureaus = list(Unit.objects.filter(code__startswith=prefix, kind=Unit.Kind.BUREAU).order_by("pk"))
            sections = list(Unit.objects.filter(code__startswith=prefix, kind=Unit.Kind.SECTION).order_by("pk"))
            return bureaus, sections
        province = Unit.objects.create(code=f"{prefix}-P", name="省应急管理厅", kind=Unit.Kind.BUREAU)
        bureaus = [province]
        cities = Unit.objects.bulk_create(
            [Unit(code=f"{prefix}-C{c:02d}", name=f"第{c}市应急管理局", kind=Unit.Kind.BUREAU, parent=province) for c in range(1, CITIES + 1)]
        )
        bureaus += cities
        counties = Unit.objects.bulk_create(
            [
                Unit(code=f"{city.code}-X{x:02d}", name=f"{city.name}第{x}县应急管理局", kind=Unit.Kind.BUREAU, parent=city)
                for city in cities
                for x in range(1, COUNTIES_PER_CITY + 1)
            ]
        )
        bureaus += counties
        bodies = Unit.objects.bulk_create(
            [Unit(code=f"{b.code}-JJ", name=f"{b.name}纪检组", kind=Unit.Kind.DISCIPLINE, parent=b) for b in bureaus]
        )
        for bureau, body in zip(bureaus, bodies, strict=True):
            bureau.discipline_body = body
            bureau.party_organization = f"中共{bureau.name}党组"
        Unit.objects.bulk_update(bureaus, ["discipline_body", "party_organization"])
        sections = Unit.objects.bulk_create(
            [
                Unit(code=f"{b.code}-S{s:02d}", name=f"{b.name}执法{s}科", kind=Unit.Kind.SECTION, parent=b)
                for b in bureaus
                for s in range(1, SECTIONS_PER_BUREAU + 1)
            ]
        )
        Group.objects.bulk_create([Group(name=discipline_group_name(body.code)) for body in bodies], ignore_conflicts=True)
        return bureaus, sections

    def _people(self, rng: random.Random, bureaus: list[Unit], sections: list[Unit]) -> dict:
        """Officers per section; per bureau leaders (the interferers), a principal and one member of
        its discipline body's staff group."""
        User = get_user_model()
        roles = {role: Group.objects.get_or_create(name=role.value)[0] for role in (Role.OFFICER, Role.PRINCIPAL, Role.DISCIPLINE)}
        body_groups = dict(Group.objects.filter(name__startswith="discipline:").values_list("name", "pk"))
        if not Person.objects.filter(unit__in=sections, user__isnull=False).exists():
            self._make_people(rng, User, roles, body_groups, bureaus, sections)
        officers: dict[int, list[int]] = {}
        for person in Person.objects.filter(unit__in=sections, user__isnull=False).order_by("pk").only("unit_id", "user_id"):
            officers.setdefault(person.unit_id, []).append(person.user_id)
        principals = dict(
            Person.objects.filter(unit__in=bureaus, user__groups=roles[Role.PRINCIPAL]).order_by("pk").values_list("unit_id", "user_id")
        )
        staff = dict(
            Person.objects.filter(unit__parent__in=bureaus, unit__kind=Unit.Kind.DISCIPLINE, user__isnull=False)
            .order_by("pk")
            .values_list("unit__parent_id", "user_id")
        )
        leaders = list(Person.objects.filter(unit__in=bureaus, is_leading_cadre=True, user__isnull=True).only("pk", "name", "position", "unit_id"))
        return {"officers": officers, "principals": principals, "staff": staff, "leaders": leaders}

    def _make_people(self, rng, User, roles, body_groups, bureaus, sections) -> None:
        users = User.objects.bulk_create(
            [User(username=f"{s.code}-o{i}", password="!") for s in sections for i in range(OFFICERS_PER_SECTION)]  # noqa: S106 - unusable
            + [User(username=f"{b.code}-zz", password="!") for b in bureaus]  # noqa: S106
            + [User(username=f"{b.code}-jj", password="!") for b in bureaus]  # noqa: S106
        )
        officers = users[: len(sections) * OFFICERS_PER_SECTION]
        principals = users[len(officers) : len(officers) + len(bureaus)]
        staff = users[len(officers) + len(bureaus) :]
        through = User.groups.through
        memberships = [through(user_id=u.pk, group_id=roles[Role.OFFICER].pk) for u in officers]
        memberships += [through(user_id=u.pk, group_id=roles[Role.PRINCIPAL].pk) for u in principals]
        for bureau, user in zip(bureaus, staff, strict=True):
            memberships.append(through(user_id=user.pk, group_id=roles[Role.DISCIPLINE].pk))
            memberships.append(through(user_id=user.pk, group_id=body_groups[discipline_group_name(f"{bureau.code}-JJ")]))
        for batch in _batches(memberships):
            through.objects.bulk_create(batch)
        people = [
            Person(number=f"ZF{index:06d}", name=f"执法员{index}", position="执法人员", unit=sections[index // OFFICERS_PER_SECTION], user=user)
            for index, user in enumerate(officers)
        ]
        people += [
            Person(number=f"JZ{b.pk:06d}", name=f"局长{b.pk}", position="局长", unit=b, user=u, is_leading_cadre=True, level=Person.Level.BUREAU)
            for b, u in zip(bureaus, principals, strict=True)
        ]
        people += [
            Person(number=f"JJ{b.pk:06d}", name=f"纪检员{b.pk}", position="纪检组干部", unit_id=b.discipline_body_id, user=u)
            for b, u in zip(bureaus, staff, strict=True)
        ]
        for batch in _batches(people):
            Person.objects.bulk_create(batch)
        levels = [Person.Level.DIVISION, Person.Level.SECTION, Person.Level.BUREAU]
        Person.objects.bulk_create(
            [
                Person(number=f"LD{b.pk:06d}-{i}", name=f"领导{b.pk}-{i}", position=rng.choice(["副局长", "局长", "副县长", "科长"]), unit=b,
                       is_leading_cadre=True, level=rng.choice(levels))  # fmt: skip
                for b in bureaus
                for i in range(LEADERS_PER_BUREAU)
            ]
        )

    def _cases(self, rng: random.Random, sections: list[Unit]) -> list[Case]:
        existing = list(Case.objects.filter(unit__in=sections).only("pk", "unit_id").order_by("pk"))
        if existing:
            return existing
        cases = [
            Case(number=f"{s.code}-{n:03d}", title=f"{s.name}案件{n}", unit=s, stage=rng.choice(list(Case.Stage.values)),
                 opened_on=dt.date(2026, 1, 1) - dt.timedelta(days=rng.randrange(3650)))  # fmt: skip
            for s in sections
            for n in range(CASES_PER_SECTION)
        ]
        made = []
        for batch in _batches(cases):
            made += Case.objects.bulk_create(batch)
        return made

    # --- records --------------------------------------------------------------------------------

    def _occurred(self, rng: random.Random, years: int, last_year: int) -> dt.datetime:
        year = last_year if rng.random() < LATEST_YEAR_SHARE else last_year - 1 - rng.randrange(years - 1)
        month = rng.choices(range(1, 13), weights=MONTH_WEIGHTS)[0]
        day = rng.randint(1, 28)
        return dt.datetime(year, month, day, rng.randint(8, 20), rng.randrange(60), tzinfo=BEIJING)

    def _records(self, rng, total, years, now, sections, people, leaders, repeaters, cases) -> int:
        last_year = now.year
        calendar = WorkCalendar.load(dt.date(last_year - years, 1, 1), dt.date(last_year + 1, 3, 31))
        due_cache: dict[dt.date, dt.datetime] = {}
        # Drafts owe their next reminder at 09:00 of the next working day: today's notices went out.
        next_day = calendar.add_working_days(now.date(), 1)
        next_notice = dt.datetime.combine(next_day, dt.time(9, 0), tzinfo=BEIJING)
        categories = list(BehaviourCategory.objects.order_by("order", "pk").values_list("pk", flat=True))
        category_weights = list(range(len(categories), 0, -1))
        perms = dict(Permission.objects.filter(content_type__app_label="records", content_type__model="interferencerecord").values_list("codename", "pk"))
        view, change = perms["view_interferencerecord"], perms["change_interferencerecord"]
        groups = dict(Group.objects.filter(name__startswith="discipline:").values_list("name", "pk"))
        unit_info = {
            pk: (bureau, body, code)
            for pk, bureau, body, code in Unit.objects.filter(pk__in=[s.pk for s in sections]).values_list(
                "pk", "parent_id", "parent__discipline_body_id", "parent__discipline_body__code"
            )
        }
        cases_by_unit: dict[int, list[int]] = {}
        for case in cases:
            cases_by_unit.setdefault(case.unit_id, []).append(case.pk)
        officers, principals, staff = people["officers"], people["principals"], people["staff"]
        names, defaults = _record_columns()
        index = {name: i for i, name in enumerate(names)}
        through = InterferenceRecord.categories.through
        writer = RowWriter(
            [
                (InterferenceRecord, names),
                (through, ["id", "interferencerecord_id", "behaviourcategory_id"]),
                (RecordUserObjectPermission, ["id", "permission_id", "user_id", "content_object_id"]),
                (RecordGroupObjectPermission, ["id", "permission_id", "group_id", "content_object_id"]),
                (Routing, ["id", "record_id", "role", "body_id", "user_id", "created_at"]),
                (Review, ["id", "record_id", "body_id", "received_at", "received_by_id", "conclusion", "findings", "seriousness",
                          "affects_case", "special_report", "verified_at", "verified_by_id"]),  # fmt: skip
                (Handling, ["id", "record_id", "kind", "person_id", "decision", "internal_notice", "internal_notice_on",
                            "notice_decided_by", "notice_approved_by", "notice_approved_on", "notice_number",
                            "public_disclosure", "disclosure_reason", "decided_at", "decided_by_id"]),  # fmt: skip
                (Sanction, ["id", "person_id", "record_id", "body_id", "group", "kind", "ground", "legal_basis", "decided_on", "notified_on",
                            "review_deadline", "review_requested_on", "review_note", "created_by_id", "created_at"]),  # fmt: skip
            ]
        )
        start = InterferenceRecord.objects.count()
        made = 0
        while made < total:
            size = min(BATCH, total - made)
            for i in range(size):
                section = sections[rng.randrange(len(sections))]
                bureau_id, body_id, body_code = unit_info[section.pk]
                recorder = rng.choice(officers[section.pk])
                occurred = self._occurred(rng, years, last_year)
                if occurred > now:
                    occurred = now - dt.timedelta(days=rng.randint(1, 30))
                day = occurred.date()
                if day not in due_cache:
                    due_day = calendar.add_working_days(day, 3)
                    due_cache[day] = dt.datetime.combine(due_day, dt.time(23, 59, 59), tzinfo=BEIJING)
                due = due_cache[day]
                leader = rng.choice(repeaters) if rng.random() < REPEATER_RECORDS else rng.choice(leaders)
                draft = rng.random() < DRAFT_SHARE
                submitted = None if draft else min(due + dt.timedelta(days=rng.choice([-2, -1, -1, 0, 0, 1, 5])), now)
                if draft:
                    status = "draft"
                else:
                    status = _weighted(rng, STATUS_LATEST if occurred.year == last_year else STATUS_OLD)
                pk = writer.new_id(InterferenceRecord)
                row = list(defaults)
                for name, value in (
                    ("id", pk), ("serial", f"G{start + made + i:09d}"), ("case_id", rng.choice(cases_by_unit[section.pk])),
                    ("recorder_id", recorder), ("recorder_unit_id", section.pk), ("occurred_at", occurred),
                    ("channel", _weighted(rng, CHANNELS)), ("interferer_id", leader.pk), ("interferer_name", leader.name),
                    ("interferer_norm", norm_name(leader.name)),
                    ("interferer_position", leader.position), ("interferer_kind", _weighted(rng, KINDS)),
                    ("content", "要求从轻处理。"), ("nature", "interference" if rng.random() < 0.7 else "procedural"),
                    ("response", rng.choice(["refused", "told_procedure"])), ("status", status), ("due_at", due),
                    ("submitted_at", submitted), ("next_notice_at", next_notice if draft else None),
                    ("created_at", occurred), ("updated_at", submitted or occurred),
                ):  # fmt: skip
                    row[index[name]] = value
                writer.add(InterferenceRecord, tuple(row))
                for category in {rng.choices(categories, weights=category_weights)[0] for _ in range(rng.randint(1, 2))}:
                    writer.add(through, (writer.new_id(through), pk, category))
                writer.add(RecordUserObjectPermission, (writer.new_id(RecordUserObjectPermission), view, recorder, pk))
                writer.add(RecordUserObjectPermission, (writer.new_id(RecordUserObjectPermission), change, recorder, pk))
                if draft:
                    continue
                # Routing (R-ROUTE): the body of the recorder's unit and the bureau's principal.
                writer.add(Routing, (writer.new_id(Routing), pk, Routing.Role.DISCIPLINE, body_id, None, submitted))
                writer.add(RecordGroupObjectPermission, (writer.new_id(RecordGroupObjectPermission), view, groups[discipline_group_name(body_code)], pk))
                principal = principals.get(bureau_id)
                if principal is not None:
                    writer.add(Routing, (writer.new_id(Routing), pk, Routing.Role.PRINCIPAL, None, principal, submitted))
                    writer.add(RecordUserObjectPermission, (writer.new_id(RecordUserObjectPermission), view, principal, pk))
                if status != "submitted":
                    self._review(rng, writer, pk, status, submitted, now, body_id, staff[bureau_id], leader, bureau_id)
            with transaction.atomic():
                writer.flush()
            made += size
            if made % 100_000 < BATCH:
                self.stdout.write(f"  … {made}")
        writer.finish()
        return made

    def _review(self, rng, writer, pk, status, submitted, now, body_id, staff_user, leader, bureau_id) -> None:
        """Receipt, verification, handling and sanctions as far as `status` says the record got."""
        received = min(submitted + dt.timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 8)), now)
        verified = status in ("verified", "handled", "closed")
        conclusion = _weighted(rng, CONCLUSIONS) if verified else ""
        substantiated = conclusion in discipline_rules.SUBSTANTIATED
        verified_at = min(received + dt.timedelta(days=rng.randint(5, 40)), now) if verified else None
        writer.add(
            Review,
            (writer.new_id(Review), pk, body_id, received, staff_user, conclusion, "经核实。" if verified else "",
             rng.choice(["minor", "general", "serious"]) if substantiated else "", False, False, verified_at,
             staff_user if verified else None),
        )  # fmt: skip
        if status not in ("handled", "closed"):
            return
        decided = min(verified_at + dt.timedelta(days=rng.randint(3, 30)), now)
        if not substantiated:
            kind = Handling.Kind.NO_ACTION
        else:
            kind = Handling.Kind.OWN_UNIT if leader.unit_id == bureau_id else Handling.Kind.OTHER_UNIT
        own = kind == Handling.Kind.OWN_UNIT
        writer.add(
            Handling,
            (writer.new_id(Handling), pk, kind, leader.pk if substantiated else None, "予以批评教育。" if substantiated else "不予处理。",
             "予以通报。" if own else "", decided.date() if own else None,
             "局党委" if own else "", "上级党委" if own else "", decided.date() if own else None, "", False, "涉及个人信息，不予公开。" if own else "",
             decided, staff_user),
        )  # fmt: skip
        if substantiated and rng.random() < SANCTION_SHARE:
            sanction = rng.choice(SANCTION_KINDS)
            group, _label, basis = discipline_rules.SANCTION_TYPES[sanction]
            on = decided.date()
            writer.add(
                Sanction,
                # A sanction of the interferer: no review window counted (that is 002's, for enforcement faults).
                (writer.new_id(Sanction), leader.pk, pk, body_id, group, sanction, discipline_rules.GROUND_INTERFERENCE, basis, on,
                 on + dt.timedelta(days=2), None, None, "", staff_user, decided),
            )  # fmt: skip
