"""Fixtures of the discipline tests: a second bureau with its own discipline body, one user per role,
and helpers that create and submit records through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Person
from conftest import record_data
from discipline.common.bodies import body_group
from records.record import services as record_services
from tests.factories import PersonFactory, UnitFactory, make_officer


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Factories hash a password per user; the default hasher makes each one take a quarter second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org2(db):
    """Another bureau with its own discipline body and one section."""
    bureau = UnitFactory(code="B2", name="市交通运输局", kind="bureau", party_organization="中共市交通运输局党组")
    discipline = UnitFactory(code="B2-JJ", name="驻市交通运输局纪检监察组", kind="discipline", parent=bureau)
    bureau.discipline_body = discipline
    bureau.save()
    section = UnitFactory(code="B2-S1", name="交通执法支队", parent=bureau)
    return {"bureau": bureau, "discipline": discipline, "section": section}


@pytest.fixture
def principal(org):
    org["bureau"].party_organization = "中共市应急管理局党组"
    org["bureau"].save()
    user = make_officer(org["bureau"], "principal1", role="principal")
    Person.objects.filter(user=user).update(name="陈局长", position="局长", is_leading_cadre=True, level=Person.Level.DIVISION)
    user.person.refresh_from_db()
    return user


def make_discipline_user(body, username):
    user = make_officer(body, username, role="discipline")
    user.groups.add(body_group(body))
    return user


@pytest.fixture
def jj(org):
    """A discipline staff member of the bureau's discipline body."""
    return make_discipline_user(org["discipline"], "jj1")


@pytest.fixture
def jj_other(org2):
    """A discipline staff member of another bureau's body."""
    return make_discipline_user(org2["discipline"], "jj2")


@pytest.fixture
def admin_user(org):
    user = make_officer(org["bureau"], "admin1", role="admin")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def leader(org):
    """A deputy director of the bureau, registered in the people registry."""
    return PersonFactory(name="周副局长", position="副局长", unit=org["bureau"], is_leading_cadre=True, level=Person.Level.DIVISION)


@pytest.fixture
def outsider(org2):
    """A leader of another organ (other unit)."""
    return PersonFactory(name="李副县长", position="副县长", unit=org2["bureau"], is_leading_cadre=True, level=Person.Level.DIVISION)


@pytest.fixture
def submit(officer):
    """Create and submit a record; `occurred_at` defaults to an hour ago, submitted a minute later
    (on time); `late=True` submits two days after the due date with a reason."""

    def _submit(actor=None, late=False, also_report_higher=False, categories=(), **overrides):
        actor = actor or officer
        overrides.setdefault("occurred_at", timezone.now().replace(microsecond=0) - timedelta(hours=1))
        record = record_services.record_create(data=record_data(**overrides), categories=categories, actor=actor)
        now = record.due_at + timedelta(days=2) if late else overrides["occurred_at"] + timedelta(minutes=1)
        return record_services.record_submit(
            record=record, actor=actor, now=now, late_reason="外出执法，返回后补报。" if late else "", also_report_higher=also_report_higher
        )

    return _submit


@pytest.fixture
def city(org):
    """A city discipline commission above the bureau: the bureau's higher-level body."""
    city = UnitFactory(code="CITY", name="市政府", kind="bureau")
    city_jj = UnitFactory(code="CITY-JJ", name="市纪委监委", kind="discipline", parent=city)
    city.discipline_body = city_jj
    city.save()
    org["bureau"].parent = city
    org["bureau"].save()
    staff = make_officer(city_jj, "cityjj", role="discipline")
    staff.groups.add(body_group(city_jj))
    return {"unit": city, "body": city_jj, "staff": staff}
