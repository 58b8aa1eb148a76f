"""Stored normalised names (issue 10): `interferer_norm` / `behind_norm` hold `rules.norm_name` of the
written names, set by every service that writes them, and the conflict-of-interest rule compares them:
`exclude_parties` and `of_party` split every set of records into two parts with one shared condition."""

import importlib
import sys
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from conftest import record_data
from records.models import InterferenceRecord
from records.record import services
from records.record.rules import norm_name
from tests.factories import PersonFactory, UserFactory, make_officer

pytestmark = pytest.mark.django_db

# Every white-space character Python's str.split() knows, ASCII and not (U+2003 em space, U+3000
# ideographic space, U+00A0 no-break space...).
ALL_WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


def stored(record) -> tuple[str, str]:
    return tuple(InterferenceRecord.objects.filter(pk=record.pk).values_list("interferer_norm", "behind_norm").get())


def test_norm_name_removes_every_kind_of_white_space():
    assert len(ALL_WHITESPACE) == 29
    assert norm_name(f"王{ALL_WHITESPACE}刚") == "王刚"
    assert norm_name(" 王　刚\u2003") == "王刚"
    assert norm_name("") == ""


def test_the_columns_follow_create_edit_quick_capture_and_amendment(officer):
    record = services.record_create(
        data=record_data(interferer_kind="proxy", proxy_relation="aide", interferer_name="钱 秘书", behind_name="周\u3000明", behind_position="副局长"),
        actor=officer,
    )
    assert stored(record) == ("钱秘书", "周明")

    edited = services.record_update_draft(
        record=record,
        data=record_data(interferer_name="孙\u2003丽", interferer_kind="leader", behind_name=""),
        actor=officer,
    )
    assert (edited.interferer_norm, edited.behind_norm) == ("孙丽", "")
    assert stored(record) == ("孙丽", "")

    quick = services.record_quick_capture(
        interferer_name="李\u00a0建 国", interferer_position="副县长", occurred_at=timezone.now(), channel="phone", content="要求从轻。", actor=officer
    )
    assert stored(quick) == ("李建国", "")

    submitted = services.record_create(data=record_data(interferer_name="陈 军", missing_evidence_reason="当面口头过问，未能录音。"), actor=officer)
    services.record_submit(record=submitted, actor=officer, now=timezone.now())
    services.record_amend(record=submitted, text="补记：还提到了另一家企业。", reason="补记遗漏。", actor=officer)
    assert stored(submitted) == ("陈军", "")


@pytest.fixture
def records_about(officer, org):
    """A person 王刚 (with a user) and records about them by link, by written name and behind an aide,
    beside records about someone else."""
    user = UserFactory(username="wanggang")
    person = PersonFactory(user=user, unit=org["bureau"], name="王刚")
    make = lambda **kw: services.record_create(data=record_data(**kw), actor=officer)  # noqa: E731
    about = {
        "link": make(interferer=person, interferer_name="王刚"),
        "written": make(interferer_name="王\u2003刚"),
        "behind_link": make(interferer_kind="proxy", proxy_relation="aide", interferer_name="秘书甲", behind_person=person, behind_name="王刚"),
        "behind_written": make(interferer_kind="proxy", proxy_relation="relative", interferer_name="亲属乙", behind_name=" 王　刚 "),
    }
    other = PersonFactory(name="王刚强")
    others = {
        "other": make(interferer_name="李某"),
        # A registry link to someone else wins over a written name that happens to match.
        "linked_elsewhere": make(interferer=other, interferer_name="王刚"),
        "prefix": make(interferer_name="王刚强"),
    }
    return user, about, others


def test_of_party_is_exactly_what_exclude_parties_leaves_out(records_about):
    user, about, others = records_about
    every = set(InterferenceRecord.objects.values_list("pk", flat=True))
    party = set(InterferenceRecord.objects.of_party(user).values_list("pk", flat=True))
    rest = set(InterferenceRecord.objects.exclude_parties(user).values_list("pk", flat=True))
    assert party == {r.pk for r in about.values()}
    assert rest == {r.pk for r in others.values()}
    assert party | rest == every and not party & rest


def test_without_a_person_nothing_is_about_the_user(records_about):
    stranger = UserFactory(username="noperson")
    assert InterferenceRecord.objects.of_party(stranger).count() == 0
    assert InterferenceRecord.objects.exclude_parties(stranger).count() == InterferenceRecord.objects.count() == 7


def test_a_person_without_a_name_matches_by_link_only(officer, org):
    user = UserFactory(username="noname")
    person = PersonFactory(user=user, unit=org["bureau"], name=" ")
    linked = services.record_create(data=record_data(interferer=person, interferer_name="某人"), actor=officer)
    blank_behind = services.record_create(data=record_data(interferer_name="某甲"), actor=officer)  # behind_norm ""
    assert list(InterferenceRecord.objects.of_party(user)) == [linked]
    assert list(InterferenceRecord.objects.exclude_parties(user)) == [blank_behind]


def test_the_recorder_who_names_themselves_does_not_see_the_record(client, org):
    """The one visibility rule holds on the officer's own list too: the exclusion applies to everyone."""
    officer = make_officer(org["section"], "selfnamed")
    officer.person.name = "张伟"
    officer.person.save()
    hidden = services.record_create(data=record_data(interferer_name="张 伟"), actor=officer)
    shown = services.record_create(data=record_data(interferer_name="李某"), actor=officer)
    client.force_login(officer)
    page = client.get("/records/").content.decode()
    assert shown.serial in page and hidden.serial not in page


def test_the_migration_fills_existing_rows_exactly_as_norm_name(officer):
    names = [f"王{ALL_WHITESPACE}刚", " 周 明 ", "李\u3000某", "单名", ALL_WHITESPACE]
    made = [services.record_create(data=record_data(interferer_name=n, behind_name=n[::-1]), actor=officer) for n in names]
    InterferenceRecord.objects.update(interferer_norm="", behind_norm="stale")
    migration = importlib.import_module("records.migrations.0010_stored_normalised_names")
    # What the function uses of a schema editor (SQLite refuses a real one inside a test transaction).
    migration.backfill(apps, SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name))
    for record, name in zip(made, names, strict=True):
        assert stored(record) == (norm_name(name), norm_name(name[::-1]))
    assert migration.WHITESPACE == ALL_WHITESPACE
