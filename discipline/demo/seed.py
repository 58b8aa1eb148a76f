"""A small realistic organisation for demonstration: a bureau with sections, an enforcement
detachment, a discipline body, one user per role, a few cases and records in several states.
Idempotent: running it again changes nothing that exists and creates nothing twice. Lives in
discipline, the app that can see everything it builds (records, reviews, a campaign); the command
`seed_demo` (discipline/management/commands) only prints."""

import struct
import zlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from cases.audit import audit
from cases.models import Case, Person, Unit
from cases.roles import ADMINISTRATOR_ROLES
from discipline.common.bodies import body_group
from discipline.demo.vocabulary import DemoEvent
from discipline.faults import services as fault_services
from discipline.review import services as discipline_services
from records.models import BehaviourCategory, InterferenceRecord
from records.record import services as record_services

from .campaign import seed_demo_campaign

DEMO_PASSWORD = "Demo-2026-registry"

UNITS = [
    # code, name, kind, parent code
    ("YJJ", "市应急管理局", Unit.Kind.BUREAU, None),
    ("YJJ-JJZ", "市纪委监委驻市应急管理局纪检监察组", Unit.Kind.DISCIPLINE, "YJJ"),
    ("YJJ-FGK", "政策法规科", Unit.Kind.SECTION, "YJJ"),
    ("YJJ-WHK", "危险化学品安全监督管理科", Unit.Kind.SECTION, "YJJ"),
    ("YJJ-ZD", "应急管理综合行政执法支队", Unit.Kind.DETACHMENT, "YJJ"),
    ("YJJ-ZD1", "执法一大队", Unit.Kind.SECTION, "YJJ-ZD"),
    ("YJJ-ZD2", "执法二大队", Unit.Kind.SECTION, "YJJ-ZD"),
]

USERS = [
    # username, name, position, unit code, role, leading cadre, level
    ("zhangwei", "张伟", "执法一大队执法人员", "YJJ-ZD1", "officer", False, Person.Level.OTHER),
    ("liuyang", "刘洋", "执法二大队执法人员", "YJJ-ZD2", "officer", False, Person.Level.OTHER),
    ("wangfang", "王芳", "执法一大队大队长", "YJJ-ZD1", "section_head", True, Person.Level.SECTION),
    ("chenjun", "陈军", "局长", "YJJ", "principal", True, Person.Level.DIVISION),
    ("zhaolei", "赵磊", "纪检监察组干部", "YJJ-JJZ", "discipline", False, Person.Level.OTHER),
    ("admin", "系统管理员", "信息中心工程师", "YJJ", "admin", False, Person.Level.OTHER),
    # 三员分立 (issue 23): the other two administrators, each a different person.
    ("anquan", "周安", "信息中心安全保密管理员", "YJJ", "security_admin", False, Person.Level.OTHER),
    ("shenji", "吴审", "机关党委安全审计员", "YJJ", "auditor", False, Person.Level.OTHER),
]

LEADERS = [
    # name, position, unit code or None (other organ), level
    ("李建国", "副县长", None, Person.Level.DIVISION),
    ("周明", "市应急管理局副局长", "YJJ", Person.Level.DIVISION),
    ("孙丽", "危险化学品安全监督管理科科长", "YJJ-WHK", Person.Level.SECTION),
]

CASES = [
    ("应急罚〔2026〕101号", "某化工有限公司未按规定进行安全评价案", "YJJ-ZD1", Case.Stage.INVESTIGATION, "某化工有限公司"),
    ("应急罚〔2026〕102号", "某建材公司粉尘涉爆作业违规案", "YJJ-ZD1", Case.Stage.FILED, "某建材有限公司"),
    ("应急罚〔2026〕087号", "某加油站安全隐患逾期未整改案", "YJJ-ZD2", Case.Stage.DECISION, "某石化加油站"),
]


def _png() -> bytes:
    """A tiny valid PNG (a grey 8x8 square) standing in for a screenshot."""
    raw = b"".join(b"\x00" + b"\x80" * 8 for _ in range(8))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _wav(seconds: int = 1) -> bytes:
    """A silent 8 kHz mono WAV standing in for a phone-call recording."""
    frames = b"\x00\x00" * 8000 * seconds
    header = b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16)
    return header + b"data" + struct.pack("<I", len(frames)) + frames


def seed_demo() -> int:
    """Create what is missing of the demo organisation, its records and its campaign, in one
    transaction; returns the number of records created (0 on a second run)."""
    with transaction.atomic():
        units = _units()
        users = _users(units)
        leaders = _leaders(units)
        cases = _cases(units, users)
        created = _records(users, leaders, cases)
        seed_demo_campaign(users=users, units=units, now=timezone.now())
        if created:
            audit(type=DemoEvent.DEMO_SEEDED, actor=None, data={"records": created})
    return created


def _units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for code, name, kind, parent in UNITS:
        units[code], _ = Unit.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent": units.get(parent) if parent else None}
        )
    bureau = units["YJJ"]
    if bureau.discipline_body_id is None:
        bureau.discipline_body = units["YJJ-JJZ"]
        bureau.party_organization = "中共市应急管理局党组"
        bureau.save(update_fields=["discipline_body", "party_organization"])
    return units

def _users(units: dict[str, Unit]) -> dict[str, object]:
    User = get_user_model()
    users = {}
    for username, name, position, unit_code, role, leading, level in USERS:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": name, "email": f"{username}@example.gov.cn"})
        if created:
            user.set_password(DEMO_PASSWORD)
            # The three administrators work in the admin site; their model permissions come with their
            # role groups (cases.roles.ROLE_PERMISSIONS).
            user.is_staff = role in ADMINISTRATOR_ROLES
            user.save()
        user.groups.add(Group.objects.get(name=role))
        if role == "discipline":
            # Staff of a discipline body are members of its group; routing grants records to it.
            user.groups.add(body_group(units[unit_code]))
        Person.objects.get_or_create(
            user=user,
            defaults={"name": name, "position": position, "unit": units[unit_code], "is_leading_cadre": leading, "level": level},
        )
        users[username] = user
    return users

def _leaders(units: dict[str, Unit]) -> dict[str, Person]:
    leaders = {}
    for name, position, unit_code, level in LEADERS:
        leaders[name], _ = Person.objects.get_or_create(
            name=name,
            position=position,
            defaults={"unit": units.get(unit_code) if unit_code else None, "is_leading_cadre": True, "level": level},
        )
    return leaders

def _cases(units, users) -> dict[str, Case]:
    cases = {}
    today = timezone.localdate()
    for number, title, unit_code, stage, party in CASES:
        case, created = Case.objects.get_or_create(
            number=number, defaults={"title": title, "unit": units[unit_code], "stage": stage, "party": party, "opened_on": today - timedelta(days=40)}
        )
        if created:
            case.handling_officers.add(users["zhangwei"] if unit_code == "YJJ-ZD1" else users["liuyang"])
        cases[number] = case
    return cases

def _records(users, leaders, cases) -> int:
    officer = users["zhangwei"]
    if InterferenceRecord.objects.filter(recorder=officer).exists():
        return 0
    now = timezone.now()
    cat = {c.code: c for c in BehaviourCategory.objects.all()}
    common = {"place": "", "interferer_unit": "", "proxy_relation": "", "behind_person": None, "behind_name": "", "behind_position": "",
              "letter_organization": "", "letter_number": "", "response_note": "", "missing_evidence_reason": "", "matter": "", "case": None, "interferer": None}  # fmt: skip

    def make(actor, **fields):
        data = {**common, **fields.pop("data")}
        files = fields.pop("files", [])
        staged = [
            record_services.evidence_stage(upload=SimpleUploadedFile(name, content), kind=kind, actor=actor) for name, content, kind in files
        ]
        return record_services.record_create(data=data, categories=fields.pop("categories", []), evidence=staged, actor=actor)

    # 1. A phone call from a county leader, yesterday, still a draft: due in a few working days.
    make(
        officer,
        data={
            "case": cases["应急罚〔2026〕101号"], "occurred_at": now - timedelta(days=1, hours=2), "channel": "phone",
            "interferer": leaders["李建国"], "interferer_name": "李建国", "interferer_position": "副县长", "interferer_unit": "某县人民政府",
            "interferer_kind": "leader", "content": "来电称该企业是县里重点招商项目，要求“罚款降到最低档、不要立案调查”，并询问案件进展。",
            "nature": "interference", "response": "refused", "response_note": "当即告知将依法依程序办理。",
        },
        categories=[cat["C01"], cat["C05"]],
        files=[("通话录音.wav", _wav(), "recording")],
    )
    # 2. An aide on behalf of the deputy director, ten days ago, never submitted: overdue.
    make(
        officer,
        data={
            "case": cases["应急罚〔2026〕102号"], "occurred_at": now - timedelta(days=10), "channel": "oral", "place": "支队办公楼三楼",
            "interferer_name": "钱秘书", "interferer_position": "局办公室工作人员", "interferer_kind": "proxy", "proxy_relation": "aide",
            "behind_person": leaders["周明"], "behind_name": "周明", "behind_position": "市应急管理局副局长",
            "content": "称受周副局长委托，询问能否“先不下达处罚决定，等企业整改完再说”。",
            "nature": "interference", "response": "told_procedure",
        },
        categories=[cat["C04"]],
    )
    # 3. A WeChat message from a section chief, submitted on time.
    third = make(
        officer,
        data={
            "case": cases["应急罚〔2026〕101号"], "occurred_at": now - timedelta(days=6), "channel": "electronic",
            "interferer": leaders["孙丽"], "interferer_name": "孙丽", "interferer_position": "危险化学品安全监督管理科科长",
            "interferer_unit": "市应急管理局", "interferer_kind": "insider",
            "content": "微信询问案件调查进展和拟处罚金额，要求把调查笔录发给她看。", "nature": "interference", "response": "refused",
        },
        categories=[cat["C05"]],
        files=[("微信截图.png", _png(), "electronic")],
    )
    record_services.record_submit(record=third, actor=officer, now=third.occurred_at + timedelta(days=1))
    # ...received, verified and handled by the discipline group: 孙丽 is of the bureau itself, so the
    # handling is an internal notice (通报) with a recorded decision not to disclose publicly.
    staff = users["zhaolei"]
    discipline_services.record_receive(record=third, actor=staff, now=third.occurred_at + timedelta(days=2))
    discipline_services.review_verify(
        record=third, conclusion="founded", findings="经调取微信聊天记录并与孙丽谈话核实，情况属实。", seriousness="general",
        actor=staff, now=third.occurred_at + timedelta(days=4),
    )  # fmt: skip
    discipline_services.handling_decide(
        record=third, kind="own_unit", decision="对孙丽进行谈话提醒，责令作出书面检查。", person=leaders["孙丽"],
        internal_notice="在局机关内部通报。", internal_notice_on=(third.occurred_at + timedelta(days=5)).date(),
        public_disclosure=False, disclosure_reason="情节一般，未造成后果，不予公开。", actor=staff, now=third.occurred_at + timedelta(days=5),
    )  # fmt: skip
    # 4. A legitimate written inquiry by the supervising leader (依程序过问), submitted late with a
    #    reason, then amended.
    fourth = make(
        users["liuyang"],
        data={
            "case": cases["应急罚〔2026〕087号"], "occurred_at": now - timedelta(days=20), "channel": "oral",
            "interferer_name": "陈军", "interferer_position": "局长", "interferer_unit": "市应急管理局", "interferer_kind": "leader",
            "content": "在局务会后口头了解案件办理进度，要求依法依规按期办结。", "nature": "procedural", "response": "other",
            "response_note": "如实汇报进度，按工作记录登记（十堰000第四条）。",
        },
    )
    record_services.record_submit(
        record=fourth, late_reason="外出执法检查一周，返回后补报。", actor=users["liuyang"], now=fourth.due_at + timedelta(days=2)
    )
    record_services.record_amend(record=fourth, text="局长同时要求法规科做好法制审核。", reason="补记当时遗漏的内容。", actor=users["liuyang"])
    discipline_services.record_receive(record=fourth, actor=staff, now=fourth.due_at + timedelta(days=3))
    _documents(users, leaders, cases, now)
    return 5


def _documents(users, leaders, cases, now) -> None:
    """What makes each document the product issues (issue 20, ``sample_documents``): a notice letter to
    another organ's party committee, a special report, a decided fault case and a tolerance decision."""
    officer, staff = users["zhangwei"], users["zhaolei"]
    # 5. The deputy county head's call (record 1's interferer again), verified as serious: a special
    #    report to the bureau's party committee, and a notice letter to the county's party committee.
    fifth = record_services.record_create(
        data={
            "case": cases["应急罚〔2026〕101号"], "matter": "", "occurred_at": now - timedelta(days=12), "place": "执法一大队办公室",
            "channel": "phone", "interferer": leaders["李建国"], "interferer_name": "李建国", "interferer_position": "副县长",
            "interferer_unit": "某县人民政府", "interferer_kind": "leader", "proxy_relation": "", "behind_person": None, "behind_name": "",
            "behind_position": "", "letter_organization": "", "letter_number": "", "content": "再次来电要求撤销立案，称企业是县里的纳税大户。",
            "nature": "interference", "response": "refused", "response_note": "", "missing_evidence_reason": "已制作电话记录。",
        },
        evidence=[], actor=officer,
    )  # fmt: skip
    record_services.record_submit(record=fifth, actor=officer, now=fifth.occurred_at + timedelta(days=1))
    discipline_services.record_receive(record=fifth, actor=staff, now=fifth.occurred_at + timedelta(days=2))
    review = discipline_services.review_verify(
        record=fifth, conclusion="founded", findings="经调取通话记录并与李建国谈话核实，两次来电要求撤销立案，情况属实。", seriousness="serious",
        affects_case=True, special=True, actor=staff, now=fifth.occurred_at + timedelta(days=4),
    )  # fmt: skip
    body = staff.person.unit
    issued = (fifth.occurred_at + timedelta(days=6)).date()
    discipline_services.handling_decide(
        record=fifth, kind="other_unit", decision="向其所在党组织通报，请按照干部管理权限作出处理。", person=leaders["李建国"],
        letter={
            "addressee": "中共某县委员会", "cc": "中共某县纪律检查委员会、某县监察委员会", "issued_on": issued,
            "text": discipline_services.default_letter_text(fifth, review, body),
        },
        actor=staff, now=fifth.occurred_at + timedelta(days=6),
    )  # fmt: skip
    # A fault of the first team, decided, and a tolerance application decided in the officer's favour.
    today = timezone.localdate(now)
    fc = fault_services.fault_case_open(
        body=body, unit=officer.person.unit, case=cases["应急罚〔2026〕102号"], act="未经法制审核作出罚款决定", occurred_on=today - timedelta(days=30),
        fault_types=["procedure"], participants=[(officer.person, "handler"), (users["wangfang"].person, "section_head")],
        approval_required=True, head_consented=True, actor=staff, now=now,
    )  # fmt: skip
    for participant in fc.participants.all():
        fault_services.fault_share_confirm(participant=participant, share=participant.suggested_share, actor=staff, now=now)
    fault_services.fault_case_decide(
        fault_case=fc, decision="对王芳同志给予批评教育，责令执法一大队完善法制审核流程。", decided_on=today - timedelta(days=3), actor=staff, now=now
    )
    app = fault_services.tolerance_apply(
        person=users["liuyang"].person, applied_by="self", error="在新出台的检查标准试行期间，对一处隐患的定性与后来的解释不一致。",
        occurred_on=today - timedelta(days=40), error_kind="procedure", grounds=["16-5"], evidence_text="试行期间的检查方案和请示记录。",
        actor=users["liuyang"], now=now,
    )  # fmt: skip
    fault_services.tolerance_decide(
        application=app, grant=True, decision="经局党组研究，对刘洋同志予以容错免责，不作为执法错误认定。", decided_on=today,
        actor=staff, now=now,
    )  # fmt: skip
