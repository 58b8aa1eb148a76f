"""Project-wide pytest fixtures."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from records.record import services
from tests.factories import CaseFactory, UnitFactory, make_officer

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Each test stores evidence in its own temporary folder; the health check's floor of free space
    there is 1 KiB, whatever the machine's disk (the test of the floor sets its own)."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.HEALTH_MIN_FREE_BYTES = 1024


@pytest.fixture(autouse=True, scope="session")
def _flush_may_truncate_audit_events():
    """On PostgreSQL a trigger refuses TRUNCATE of the audit events (cases migration 0013), and
    Django's flush between transactional tests is a TRUNCATE: only the flush gets the transaction
    setting the trigger lets through. Production code never sets it."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET LOCAL registry.allow_truncate = 'on'", *statements] if statements else statements

    # SQLite's triggers (cases migration 0023) refuse DELETE of audit events, and its flush is DELETE:
    # the flush runs inside cases.audit_guard.flush_allowed(), which production code never enters.
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

    from cases.audit_guard import flush_allowed

    SQLiteOperations = SQLiteWrapper.ops_class
    original_execute = SQLiteOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with flush_allowed():
            return original_execute(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        patch.setattr(SQLiteOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture
def org(db):
    """A bureau with a discipline body, two sections and a case. An emergency-management bureau under
    赤峰 002 (its sections inherit it)."""
    bureau = UnitFactory(code="B1", name="市应急管理局", kind="bureau", governing_document="002")
    discipline = UnitFactory(code="B1-JJ", name="驻局纪检监察组", kind="discipline", parent=bureau)
    bureau.discipline_body = discipline
    bureau.save()
    section = UnitFactory(code="B1-S1", name="执法一大队", parent=bureau)
    other_section = UnitFactory(code="B1-S2", name="执法二大队", parent=bureau)
    case = CaseFactory(unit=section)
    return {"bureau": bureau, "discipline": discipline, "section": section, "other_section": other_section, "case": case}


@pytest.fixture
def officer(org):
    return make_officer(org["section"], "officer1")


@pytest.fixture
def other_officer(org):
    return make_officer(org["other_section"], "officer2")


def local(*args) -> datetime:
    """An aware Asia/Shanghai datetime."""
    return datetime(*args, tzinfo=SHANGHAI)


def record_data(**overrides):
    """Valid officer-entered fields for records.record.services.record_create."""
    data = {
        "case": None, "matter": "某企业安全隐患整改事项", "occurred_at": timezone.now().replace(microsecond=0), "place": "办公室",
        "channel": "oral", "interferer": None, "interferer_name": "李某", "interferer_position": "副县长", "interferer_unit": "某县政府",
        "interferer_kind": "leader", "proxy_relation": "", "behind_person": None, "behind_name": "", "behind_position": "",
        "letter_organization": "", "letter_number": "", "content": "要求从轻处罚。", "nature": "interference", "response": "refused",
        "response_note": "", "missing_evidence_reason": "",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def make_record(officer):
    def _make(actor=None, **overrides):
        return services.record_create(data=record_data(**overrides), actor=actor or officer)

    return _make


@pytest.fixture(autouse=True, scope="session")
def _celery_broker_for_tests():
    """Without REDIS_URL (a developer's machine), tests that ring the doorbell use Celery's in-memory
    broker instead of the embedded filesystem queue of `make run`."""
    import os

    from interference_registry.celery import app

    if not os.environ.get("REDIS_URL"):
        app.conf.broker_url = "memory://"
        app.conf.broker_transport = None  # the embedded broker's transport class would win over the URL
    yield


@pytest.fixture
def section_head(org):
    return make_officer(org["section"], "head1", role="section_head")


@pytest.fixture
def discipline_user(org):
    from django.contrib.auth.models import Group

    from cases.roles import discipline_group_name

    user = make_officer(org["discipline"], "jj1", role="discipline")
    user.groups.add(Group.objects.get_or_create(name=discipline_group_name(org["discipline"].code))[0])
    return user


@pytest.fixture
def admin_role_user(org):
    return make_officer(org["bureau"], "admin1", role="admin")


def _administrator(org, username: str, role: str):
    """An administrator as the product makes one: staff (the admin site), permissions from the role group."""
    user = make_officer(org["bureau"], username, role=role)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def security_admin_user(org):
    """安全保密管理员: grants roles and body memberships, unlocks accounts (三员分立, issue 23)."""
    return _administrator(org, "secadmin1", "security_admin")


@pytest.fixture
def auditor_user(org):
    """安全审计员: reads, searches and exports the audit trail (三员分立, issue 23)."""
    return _administrator(org, "auditor1", "auditor")


@pytest.fixture
def account_admin(admin_role_user):
    """The 系统管理员 as the product makes one: staff, with the model permissions of the admin role
    group (cases.roles.ROLE_PERMISSIONS)."""
    admin_role_user.is_staff = True
    admin_role_user.save(update_fields=["is_staff"])
    return admin_role_user


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Factories hash a password per user; the default hasher takes a quarter second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
