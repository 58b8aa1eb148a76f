"""Benchmark data in bulk (DESIGN §6 `generate_load --records N`): a province → city → county tree of
about 3,000 units with a discipline body per bureau, officers, leaders and principals, cases, and N
records over ten years (the latest year holding 10%, 1% still unsubmitted drafts, skewed categories
and channels, ~5% of leaders repeat interferers, seasonal months), routed and granted as the services
would, with reviews for most submitted records. Deterministic for a seed.

Rows are written with bulk_create in batches; no per-row service calls, so it takes minutes, not
hours, for millions of records. It writes no audit events: the benchmark data is not evidence.
"""

import datetime as dt
import random
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from cases.models import Case, Person, Unit
from cases.roles import discipline_group_name
from discipline.models import Routing
from records.models import BehaviourCategory, InterferenceRecord, RecordGroupObjectPermission, RecordUserObjectPermission
from records.workdays import WorkCalendar

BEIJING = ZoneInfo("Asia/Shanghai")
BATCH = 5000
CITIES, COUNTIES_PER_CITY, SECTIONS_PER_BUREAU = 15, 13, 12
OFFICERS_PER_SECTION, LEADERS_PER_BUREAU, CASES_PER_SECTION = 3, 5, 20
CHANNELS = (("phone", 40), ("oral", 25), ("electronic", 20), ("meeting", 8), ("paper", 4), ("org_letter", 3))
KINDS = (("leader", 55), ("insider", 25), ("proxy", 10), ("superior_staff", 7), ("other", 3))
# Interference clusters around case decisions late in the year and before holidays.
MONTH_WEIGHTS = (6, 5, 8, 8, 9, 9, 8, 8, 9, 8, 10, 12)


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([k for k, _ in pairs], weights=[w for _, w in pairs])[0]


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Command(BaseCommand):
    help = "生成基准测试数据：约3000个单位、人员、案件和N条记录（可复现）。"

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--years", type=int, default=10)

    def handle(self, *args, records: int, seed: int, years: int, **options):
        # Separate generators for the organisation and the records: a second run that reuses the
        # organisation produces the same record stream. Not for cryptography: benchmark data.
        rng = random.Random(seed)  # noqa: S311
        with transaction.atomic():
            bureaus, sections = self._units(seed)
            officers, leaders = self._people(rng, bureaus, sections)
            cases = self._cases(rng, sections, officers)
        # About 5% of leaders interfere again and again.
        leaders.sort(key=lambda p: p.pk)
        repeaters = random.Random(seed + 1).sample(leaders, max(1, len(leaders) // 20))  # noqa: S311
        self.stdout.write(f"单位 {Unit.objects.count()}，人员 {Person.objects.count()}，案件 {len(cases)}")
        made = self._records(random.Random(seed + 2), records, years, sections, officers, leaders, repeaters, cases)  # noqa: S311
        self.stdout.write(self.style.SUCCESS(f"已生成记录 {made} 条"))

    # --- organisation ---------------------------------------------------------------------------

    def _units(self, seed: int) -> tuple[list[Unit], list[Unit]]:
        prefix = f"L{seed}"
        if Unit.objects.filter(code=f"{prefix}-P").exists():
            bureaus = list(Unit.objects.filter(code__startswith=prefix, kind=Unit.Kind.BUREAU))
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

    def _people(self, rng: random.Random, bureaus: list[Unit], sections: list[Unit]):
        User = get_user_model()
        officer_group = Group.objects.get_or_create(name="officer")[0]
        if Person.objects.filter(unit__in=sections, user__isnull=False).exists():
            officers = {}
            for person in Person.objects.filter(unit__in=sections, user__isnull=False).select_related("user").order_by("pk"):
                officers.setdefault(person.unit_id, []).append(person.user)
            leaders = list(Person.objects.filter(unit__in=bureaus, is_leading_cadre=True, user__isnull=True))
            return officers, leaders
        users = User.objects.bulk_create(
            [User(username=f"{s.code}-o{i}", password="!") for s in sections for i in range(OFFICERS_PER_SECTION)]  # noqa: S106 - unusable
        )
        User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=officer_group.pk) for u in users])
        by_section = {}
        people = []
        for index, user in enumerate(users):
            section = sections[index // OFFICERS_PER_SECTION]
            by_section.setdefault(section.pk, []).append(user)
            people.append(Person(name=f"执法员{index}", position="执法人员", unit=section, user=user))
        for batch in _batches(people):
            Person.objects.bulk_create(batch)
        levels = [Person.Level.DIVISION, Person.Level.SECTION, Person.Level.BUREAU]
        leaders = Person.objects.bulk_create(
            [
                Person(name=f"领导{b.pk}-{i}", position=rng.choice(["副局长", "局长", "副县长", "科长"]), unit=b, is_leading_cadre=True,
                       level=rng.choice(levels))  # fmt: skip
                for b in bureaus
                for i in range(LEADERS_PER_BUREAU)
            ]
        )
        return by_section, leaders

    def _cases(self, rng: random.Random, sections: list[Unit], officers: dict) -> list[Case]:
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
        year = last_year if rng.random() < 0.10 else last_year - 1 - rng.randrange(years - 1)
        month = rng.choices(range(1, 13), weights=MONTH_WEIGHTS)[0]
        day = rng.randint(1, 28)
        return dt.datetime(year, month, day, rng.randint(8, 20), rng.randrange(60), tzinfo=BEIJING)

    def _records(self, rng, total, years, sections, officers, leaders, repeaters, cases) -> int:
        today = dt.datetime.now(BEIJING)
        last_year = today.year
        calendar = WorkCalendar.load(dt.date(last_year - years, 1, 1), dt.date(last_year + 1, 3, 31))
        due_cache: dict[dt.date, dt.datetime] = {}
        categories = list(BehaviourCategory.objects.values_list("pk", flat=True))
        view = Permission.objects.get(codename="view_interferencerecord")
        groups = dict(Group.objects.filter(name__startswith="discipline:").values_list("name", "pk"))
        body_unit = dict(Unit.objects.filter(pk__in=[s.pk for s in sections]).values_list("pk", "parent__discipline_body_id"))
        body_code = dict(Unit.objects.filter(pk__in=set(body_unit.values())).values_list("pk", "code"))
        body_of_section = {pk: discipline_group_name(body_code[body]) for pk, body in body_unit.items()}
        cases_by_unit: dict[int, list[int]] = {}
        for case in cases:
            cases_by_unit.setdefault(case.unit_id, []).append(case.pk)
        start = InterferenceRecord.objects.count()
        made = 0
        while made < total:
            size = min(BATCH, total - made)
            rows = []
            for i in range(size):
                section = sections[rng.randrange(len(sections))]
                recorder = rng.choice(officers[section.pk])
                occurred = self._occurred(rng, years, last_year)
                if occurred > today:
                    occurred = today - dt.timedelta(days=rng.randint(1, 30))
                day = occurred.date()
                if day not in due_cache:
                    due_day = calendar.add_working_days(day, 3)
                    due_cache[day] = dt.datetime.combine(due_day, dt.time(23, 59, 59), tzinfo=BEIJING)
                due = due_cache[day]
                leader = rng.choice(repeaters) if rng.random() < 0.3 else rng.choice(leaders)
                draft = rng.random() < 0.01
                submitted = None if draft else min(due + dt.timedelta(days=rng.choice([-2, -1, -1, 0, 0, 1, 5])), today)
                n = start + made + i
                rows.append(
                    InterferenceRecord(
                        serial=f"G{n:09d}", case_id=rng.choice(cases_by_unit[section.pk]), recorder=recorder, recorder_unit=section,
                        occurred_at=occurred, channel=_weighted(rng, CHANNELS), interferer=leader, interferer_name=leader.name,
                        interferer_position=leader.position, interferer_kind=_weighted(rng, KINDS),
                        content="要求从轻处理。", nature="interference" if rng.random() < 0.7 else "procedural",
                        response=rng.choice(["refused", "told_procedure"]),
                        status="draft" if draft else rng.choice(["submitted", "received", "verified", "closed"]),
                        due_at=due, submitted_at=submitted, next_notice_at=today if draft else None,
                    )  # fmt: skip
                )
            with transaction.atomic():
                created = InterferenceRecord.objects.bulk_create(rows)
                through = InterferenceRecord.categories.through
                through.objects.bulk_create(
                    [
                        through(interferencerecord_id=r.pk, behaviourcategory_id=c)
                        for r in created
                        for c in {rng.choices(categories, weights=range(len(categories), 0, -1))[0] for _ in range(rng.randint(1, 2))}
                    ]
                )
                RecordUserObjectPermission.objects.bulk_create(
                    [RecordUserObjectPermission(user_id=r.recorder_id, permission=view, content_object=r) for r in created]
                )
                Routing.objects.bulk_create(
                    [Routing(record=r, role=Routing.Role.DISCIPLINE, body_id=body_unit[r.recorder_unit_id]) for r in created if r.status != "draft"]
                )
                RecordGroupObjectPermission.objects.bulk_create(
                    [
                        RecordGroupObjectPermission(group_id=groups[body_of_section[r.recorder_unit_id]], permission=view, content_object=r)
                        for r in created
                        if r.status != "draft"
                    ]
                )
            made += size
            if made % 100_000 < BATCH:
                self.stdout.write(f"  … {made}")
        return made
