"""The permission matrix for a viewer who is party to the record (issue 17 §2, conflict of interest).

Scenario: discipline staff member X of the bureau's body is the recorded interferer of a submitted
record. Everything derived from that record exists: its review, special report, handling and notice
letter (通报函), a sanction tied to it, a recording failure (不如实记录) linked to it and a retaliation
complaint filed on it. X works in the body that would handle all of it, so routing gave the record
to the higher-level body to handle as well (R-ROUTE, ``rules.route_addressees``).

Every URL of the project matrix (``test_matrix.MATRIX``) whose object is one of these answers X with
404 — GET and a POST with real form data alike, and the refused POST changes nothing — while X's
lists and exports leave them out, X is told nothing, and a colleague of the body who is not party and
the higher-level body's staff see them, are told, and can do the work.

Figures: the dashboard's and reports' counts leave out the records X is party to as well (they are
aggregates over the records the reader can open, ``figures.discipline_scope``), and so do the open
complaint count of the banner: every figure links to a list (the ledger, the complaints), and a
figure one higher than its list would tell X that something about them exists. A count that only
says "the body has work" is not content, but a count whose drill-down X cannot open is.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent, Person
from conftest import record_data
from discipline.accountability import services as accountability
from discipline.accountability.vocabulary import AccountabilityNotice
from discipline.models import NoticeLetter, RecordingFailure, RetaliationComplaint, Review, Routing, Sanction
from discipline.review import services
from discipline.tests.conftest import make_discipline_user
from discipline.tests.test_matrix import MATRIX, _text
from records.models import Evidence, InterferenceRecord, Notification
from records.notifications.sweep import reminder_sweep
from records.record import services as record_services
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

# URL arguments of the matrix naming a record or something derived from one, and those that do not
# (their objects are keyed to a person, a campaign, a job or nothing): a new kind of object in the
# matrix must be put in one or the other.
RECORD_DERIVED = {"record", "record_b", "evidence_b", "letter", "special", "sanction", "failure", "complaint"}
NOT_RECORD_KEYED = {
    "alert",  # a personnel action against a recorder: keyed to the person, never to a record
    "person", "report_job", "fault_case", "tolerance", "correction", "petition",
    "campaign", "campaign_unit", "campaign_finding", "rectification", "campaign_job", "help_role",
    "import_template", "import_job",  # an empty import template, an import job (issue 21)
    "role_request",  # a request for an account's roles (issue 23), decided by the 安全保密管理员
    # The API (issue 21) answers a page session 401 whatever the object; its party rule (the named
    # officer's visibility) is tested by caller in discipline/tests/test_api.py.
    "api_case", "api_record", "api_year", "api_system", "api_key",
}  # fmt: skip
DERIVED_URLS = sorted(name for name, (_method, key, _expected) in MATRIX.items() if key in RECORD_DERIVED)
# The lists, exports and the integrity file X may open (as any staff member of the body may).
# (Not the health endpoints: they show no record, and their state is the background side's.)
LIST_URLS = sorted(
    name
    for name, (method, key, expected) in MATRIX.items()
    if method == "get" and key in (None, "person") and expected["jj"] == 200 and not name.startswith("health_")
)

MARK_COMPLAINT = "调岗打压控告标记"
MARK_FAILURE = "隐瞒过问认定标记"
MARK_SANCTION = "处分依据标记"
# The banner's open-complaint count: a figure whose drill-down is the complaint list.
MARK_COUNT = "打击报复控告待办结"


def _form_data(world) -> dict[str, dict]:
    """Real form data for each page that takes a POST: what a member of the body would submit."""
    today = timezone.localdate().isoformat()
    return {
        "discipline:complaint": {"conclusion": "unfounded", "findings": "经核查，调岗有法定事由。"},
        "discipline:failure": {"subject": "officer", "kind": world["failure"].suggested_kinds[0], "decided_on": today, "deviation_reason": ""},
        "discipline:letter_update": {"sent_on": today, "acknowledged_on": today},
        "discipline:sanction_update": {"notified_on": today},
        "discipline:verify": {"conclusion": "founded", "findings": "属实。", "seriousness": "serious"},
        "discipline:handle": {"kind": "other_unit", "decision": "函告。", "addressee": "某党组", "cc": "某纪委", "letter_text": "正文。", "issued_on": today},
        "discipline:principal_instruct": {"text": "请严肃处理。"},
        "records:amend": {"text": "补充说明。", "reason": "遗漏。"},
        "records:edit": {"matter": "改动"},
        "records:submit": {},
        "discipline:complaint_create": {"respondent_name": "某领导", "occurred_on": today, "description": "打压。"},
    }


@pytest.fixture
def party_world(org, city, officer, jj, django_capture_on_commit_callbacks):
    """X (staff of the bureau's body) is the interferer of a record; everything derivable from it exists."""
    party = make_discipline_user(org["discipline"], "jjparty")
    Person.objects.filter(user=party).update(name="郑纪检", position="纪检监察组组员")
    party.person.refresh_from_db()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        evidence = record_services.evidence_stage(upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16), kind="electronic", actor=officer)
        record = record_services.record_create(
            data=record_data(
                interferer=party.person, interferer_name="郑纪检", interferer_position="纪检监察组组员", interferer_unit="驻局纪检监察组",
                occurred_at=now.replace(microsecond=0) - dt.timedelta(hours=1),
            ),
            evidence=[evidence],
            actor=officer,
        )  # fmt: skip
        record = record_services.record_submit(record=record, actor=officer, now=now)
        services.record_receive(record=record, actor=jj, now=now)
        review = services.review_verify(
            record=record, conclusion="founded", findings="属实。", seriousness="serious", affects_case=True, special=True, actor=jj, now=now
        )
        handling = services.handling_decide(
            record=record, kind="other_unit", decision="函告。", person=party.person,
            letter={"addressee": "中共某党组", "cc": "市纪委监委", "text": "正文。", "issued_on": timezone.localdate()}, actor=jj, now=now,
        )  # fmt: skip
        sanction = services.sanction_record(
            person=PersonFactory(name="某执法队长", unit=org["section"]), ground="other", kind="org_talk", decided_on=timezone.localdate(),
            legal_basis=MARK_SANCTION, record=record, body=org["discipline"], actor=jj, now=now,
        )  # fmt: skip
        failure = accountability.recording_failure_register(
            officer=officer.person, body=org["discipline"], kind="untruthful", source="petition", source_detail="举报。",
            facts=MARK_FAILURE, confirmed_on=timezone.localdate(), interferer_kind="insider", matter="某事项", record=record, actor=jj, now=now,
        )  # fmt: skip
        complaint = accountability.retaliation_complaint_file(
            record=record, respondent=None, respondent_name="某领导", occurred_on=timezone.localdate(), description=MARK_COMPLAINT,
            actor=officer, now=now,
        )  # fmt: skip
        reminder_sweep(now=now)  # whatever notices are owed for all this go out now
    record.refresh_from_db()
    args = {
        "record": [record.pk], "record_b": [record.pk], "evidence_b": [Evidence.objects.get(record=record).pk],
        "letter": [handling.letter.pk], "special": [review.special.pk], "sanction": [sanction.pk], "failure": [failure.pk],
        "complaint": [complaint.pk], "person": [officer.person.pk],
    }  # fmt: skip
    users = {"party": party, "colleague": jj, "higher": city["staff"]}
    return {"users": users, "args": args, "record": record, "failure": failure, "complaint": complaint, "sanction": sanction}


def _state(record: InterferenceRecord) -> tuple:
    """Everything a POST about the record could change: its own row and every derived row, the
    audit log (every change writes an event) and the notices."""
    return (
        list(InterferenceRecord.objects.filter(pk=record.pk).values()),
        list(Review.objects.filter(record=record).values()),
        list(NoticeLetter.objects.filter(handling__record=record).values()),
        list(Sanction.objects.order_by("pk").values()),
        list(RecordingFailure.objects.filter(record=record).values()),
        list(RetaliationComplaint.objects.filter(record=record).values()),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def test_every_object_of_the_matrix_is_classified():
    """A new kind of object in the matrix must say whether it derives from a record (then X's 404 on
    it is checked below) or not."""
    keys = {key for _method, key, _expected in MATRIX.values() if key}
    assert keys == RECORD_DERIVED | NOT_RECORD_KEYED
    assert {"discipline:complaint", "discipline:failure", "discipline:letter_pdf", "discipline:sanction_update"} <= set(DERIVED_URLS)


def test_routing_gave_the_record_to_the_higher_body_to_handle(party_world, org, city):
    roles = dict(Routing.objects.filter(record=party_world["record"]).values_list("body__code", "role"))
    assert roles == {org["discipline"].code: "discipline", city["body"].code: "discipline"}


@pytest.mark.parametrize("name", DERIVED_URLS)
def test_the_party_gets_404_and_changes_nothing(client, party_world, name):
    method, key, expected = MATRIX[name]
    url = reverse(name, args=party_world["args"][key])
    data = _form_data(party_world)
    client.force_login(party_world["users"]["party"])
    if method == "get":
        assert client.get(url).status_code == 404, name
    if method == "post" or name in data:
        before = _state(party_world["record"])
        assert client.post(url, data.get(name, {})).status_code == 404, name
        assert _state(party_world["record"]) == before, name
    # A member of the body who is not party, and the higher-level body that handles the record with
    # it, open the same URL as the body's staff do in the project matrix.
    for role in ("colleague", "higher"):
        client.force_login(party_world["users"][role])
        assert getattr(client, method)(url, {}).status_code == expected["jj"], (name, role)


@pytest.mark.parametrize("role", ["colleague", "higher"])
@pytest.mark.parametrize("name", ["discipline:complaint", "discipline:failure"])
def test_the_others_see_the_work_and_can_do_it(client, party_world, role, name):
    """The conclude and decide forms, POSTed with the data X was refused with, do their work for a
    member of the body who is not party and for the higher-level body that handles the record."""
    key = MATRIX[name][1]
    url = reverse(name, args=party_world["args"][key])
    client.force_login(party_world["users"][role])
    page = client.get(url)
    assert page.status_code == 200
    assert (MARK_COMPLAINT if name == "discipline:complaint" else MARK_FAILURE) in page.content.decode()
    assert client.post(url, _form_data(party_world)[name]).status_code == 302
    if name == "discipline:complaint":
        party_world["complaint"].refresh_from_db()
        assert party_world["complaint"].concluded_by == party_world["users"][role]
    else:
        party_world["failure"].refresh_from_db()
        assert party_world["failure"].officer_sanction is not None


def test_the_party_is_told_nothing_and_the_others_are_told(party_world):
    complaint = party_world["complaint"]
    assert not Notification.objects.filter(recipient=party_world["users"]["party"]).exists()
    for role in ("colleague", "higher"):
        told = Notification.objects.filter(recipient=party_world["users"][role], kind=AccountabilityNotice.RETALIATION_COMPLAINT, key=str(complaint.pk))
        assert told.count() == 1, role


def test_the_party_lists_and_exports_leave_it_all_out(client, party_world):
    """X's lists, exports, integrity files and counts show none of it; the same pages show all of it
    to a colleague who is not party, and the complaint and the failure to the higher-level body."""
    args = party_world["args"]
    # The lists link each object's page; the texts only its page shows are checked there.
    links = [reverse(name, args=args[MATRIX[name][1]]) for name in ("discipline:complaint", "discipline:failure", "discipline:sanction_update")]
    listed = [party_world["record"].serial, *links, MARK_SANCTION, MARK_COUNT]
    seen = {}
    for role, user in party_world["users"].items():
        client.force_login(user)
        texts = []
        for name in LIST_URLS:
            key = MATRIX[name][1]
            response = client.get(reverse(name, args=args[key] if key else []))
            if role == "higher" and response.status_code == 404:
                continue  # a page of the recorder's unit (their integrity file) is not the higher body's
            assert response.status_code == 200, (role, name)
            texts.append((name, _text(response)))
        seen[role] = texts
    for name, text in seen["party"]:
        assert [mark for mark in [*listed, MARK_COMPLAINT, MARK_FAILURE] if mark in text] == [], name
    for role in ("colleague", "higher"):
        text = "\n".join(text for _name, text in seen[role])
        assert [mark for mark in listed if mark not in text] == [], role
