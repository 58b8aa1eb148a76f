"""The project's permission matrix (NetBox-style): every URL of the project × every role, with the
expected answer. Adding a URL without putting it here fails `test_every_url_is_in_the_matrix`.

Roles: anonymous; the officer who recorded; another officer; the recorder's section head; the
principal; a second principal who is the interferer of the record (conflict of interest); discipline
staff of the receiving body; of another body; the three administrators of 三员分立 (system,
security, audit; none reads record content).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases import accounts as account_services
from cases import worker
from cases.api import services as api_services
from cases.models import ImportJob, Person
from conftest import record_data
from discipline.tests.accountability_matrix import accountability_args, accountability_matrix
from discipline.tests.campaign_matrix import campaign_args, campaign_matrix
from discipline.tests.fault_matrix import fault_args, fault_matrix
from discipline.tests.identity_matrix import identity_matrix
from discipline.tests.report_matrix import report_args, report_matrix
from discipline.tests.test_permissions import build_workflow
from discipline.tests.ui_matrix import ui_args, ui_matrix
from records.models import Evidence
from records.record import services as record_services
from tests.factories import make_officer

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous", "officer", "other_officer", "section_head", "principal", "principal_interferer", "jj", "jj_other", "admin", "security_admin", "auditor",
]  # fmt: skip
ANON = {"anonymous": 302}


def everyone(code):
    return dict.fromkeys(ROLES, code)


def only(code, *roles, others=404):
    return {**dict.fromkeys(ROLES, others), **ANON, **dict.fromkeys(roles, code)}


# A record routed to the principal and the body (the "world" record, interferer from another organ),
# and record B whose interferer is the second principal: B is what the records pages open.
RECORD_B_READERS = ("officer", "principal", "jj")
MATRIX = {
    # name: (method, args key, expected per role)
    "home": ("get", None, everyone(302)),
    "login": ("get", None, everyone(200)),
    "logout": ("post", None, everyone(302)),
    "set_language": ("post", None, everyone(302)),
    "records:list": ("get", None, {**everyone(200), **ANON}),
    "records:create": ("get", None, {**everyone(200), **ANON}),
    "records:detail": ("get", "record_b", only(200, *RECORD_B_READERS)),
    "records:edit": ("get", "record_b", only(302, "principal", "jj", others=404) | {"officer": 302}),  # submitted: refused
    "records:submit": ("get", "record_b", only(302, "principal", "jj") | {"officer": 302}),
    "records:amend": ("post", "record_b", only(302, "principal", "jj") | {"officer": 302}),
    "records:evidence": ("get", "evidence_b", only(200, *RECORD_B_READERS)),
    "records:overdue": ("get", None, only(200, "jj", "jj_other")),
    "discipline:principal_inbox": ("get", None, only(200, "principal", "principal_interferer")),
    # The second principal joined after the world record was routed: it was never theirs.
    "discipline:principal_instruct": ("get", "record", only(200, "principal")),
    "discipline:inbox": ("get", None, only(200, "jj", "jj_other")),
    "discipline:case": ("get", "record", only(200, "jj")),
    "discipline:receive": ("post", "record", only(302, "jj")),
    "discipline:verify": ("get", "record", only(200, "jj")),
    "discipline:special": ("post", "record", only(302, "jj")),
    "discipline:handle": ("get", "record", only(200, "jj")),
    "discipline:letter_update": ("post", "letter", only(302, "jj")),
    "discipline:letter_pdf": ("get", "letter", only(200, "jj")),
    "discipline:special_pdf": ("get", "special", only(200, "jj")),
    # The world record was handled with a letter, so it has no internal notice: 404 for all
    # (test_document_numbers opens an own-unit one as its body's staff and as another body's).
    "discipline:circular_pdf": ("get", "record", only(200)),
    # 批量导入 (issue 21): administrators only; an empty upload is refused on the form (200), a
    # confirmation without a valid token goes back to the upload page (302) and writes nothing.
    "onboarding:index": ("get", None, only(200, "admin")),
    "onboarding:confirm": ("post", None, only(302, "admin")),
    "onboarding:template": ("get", "import_template", only(200, "admin")),
    # An import job (a finished one of the administrator's): administrators follow it, nobody else.
    "onboarding:job": ("get", "import_job", only(200, "admin")),
    "onboarding:job_status": ("get", "import_job", only(200, "admin")),
    # An empty decision is refused with the case page shown again (200), to the acting staff only.
    "discipline:special_decide": ("post", "special", only(200, "jj")),
    "discipline:sanctions": ("get", None, only(200, "jj", "jj_other")),
    "discipline:sanction_create": ("get", None, only(200, "jj", "jj_other")),
    "discipline:sanction_update": ("get", "sanction", only(200, "jj")),
    "discipline:person": ("get", "person", only(200, "jj", "jj_other")),
    "discipline:ledger": ("get", None, only(200, "jj", "jj_other")),
    "discipline:dashboard": ("get", None, only(200, "jj", "jj_other")),
    "notifications:list": ("get", None, {**everyone(200), **ANON}),
    "notifications:read": ("post", None, {**everyone(302), **ANON}),
    "calendar:index": ("get", None, only(200, "admin")),
    "system_status": ("get", None, only(200, "admin")),
    # Health (issue 22): load balancers and monitors call these without signing in; ready is 200 as
    # the world's worker and beat have just answered (cases.tests.test_health covers the 503s).
    "health_live": ("get", None, everyone(200)),
    "health_ready": ("get", None, everyone(200)),
    "calendar:day": ("post", None, only(200, "admin")),  # an empty form: shown again with its errors
    # The chain's state: discipline staff and the 安全审计员 (issue 23) verify it and export its head.
    "audit:status": ("get", None, only(200, "jj", "jj_other", "auditor")),
    "audit:verify": ("post", None, only(302, "jj", "jj_other", "auditor")),
    "audit:head": ("get", None, only(200, "jj", "jj_other", "auditor")),
    # The 安全审计员's trail (issue 23): auditors only.
    "audit:trail": ("get", None, only(200, "auditor")),
    "audit:trail_export": ("get", None, only(200, "auditor")),
    "otp_verify": ("get", None, {**everyone(200), **ANON}),
    # The API (issue 21) takes a calling system's key and nothing else: a page session, signed in or
    # not, gets 401 at every endpoint (discipline/tests/test_api.py has its matrix by caller scope).
    # Its documentation pages are for signed-in staff.
    "api:case": ("get", "api_case", everyone(401)),
    "api:records": ("post", None, everyone(401)),
    "api:record": ("get", "api_record", everyone(401)),
    "api:record_submit": ("post", "api_record", everyone(401)),
    "api:record_changes": ("get", None, everyone(401)),
    "api:calendar": ("get", "api_year", everyone(401)),
    "api:reporting_due": ("get", None, everyone(401)),
    "api:period_end": ("get", None, everyone(401)),
    "api:schema": ("get", None, {**everyone(200), **ANON}),
    "api:docs": ("get", None, {**everyone(200), **ANON}),
    "api:redoc": ("get", None, {**everyone(200), **ANON}),
    # 接口接入: administrators only (a rotation shows the new key on the page: 200).
    "api_systems:index": ("get", None, only(200, "admin")),
    "api_systems:rotate": ("post", "api_system", only(200, "admin")),
    "api_systems:toggle": ("post", "api_system", only(302, "admin")),
    "api_systems:revoke": ("post", "api_key", only(302, "admin")),
    # 三员分立 (issue 23): role requests are decided by the 安全保密管理员 alone (an empty decision
    # goes back to the list, 302, and decides nothing).
    "accounts:role_requests": ("get", None, only(200, "security_admin")),
    "accounts:role_request_decide": ("post", "role_request", only(302, "security_admin")),
}
# Accountability (issue 6): failures, personnel actions, alerts, complaints, zero report.
MATRIX.update(accountability_matrix(only, everyone, ANON))
# Fault accountability, tolerance and correction, petitions (issue 8).
MATRIX.update(fault_matrix(only))
# Reports and exports (issue 7).
MATRIX.update(report_matrix(only))
# Self-inspection campaigns (issue 9).
MATRIX.update(campaign_matrix(only, everyone, ANON))
# Quick capture and help pages (issue 11).
MATRIX.update(ui_matrix(everyone, ANON))
# Passwords and the second factor (issue 23).
MATRIX.update(identity_matrix(only, everyone, ANON))


def _names(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin has its own permission model
            yield from _names(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    assert set(_names(get_resolver())) == set(MATRIX)


@pytest.fixture
def world(org, org2, officer, other_officer, principal, jj, jj_other, admin_user, security_admin_user, auditor_user, outsider, submit):
    flow = build_workflow(org, jj, outsider, submit)
    record, review, sanction, letter = flow["record"], flow["review"], flow["sanction"], flow["letter"]
    section_head = make_officer(org["section"], "head9", role="section_head")
    second = make_officer(org["bureau"], "principal2", role="principal")
    Person.objects.filter(user=second).update(name="吴副书记", position="党组副书记", is_leading_cadre=True)
    second.person.refresh_from_db()
    evidence = record_services.evidence_stage(upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16), kind="electronic", actor=officer)
    record_b = record_services.record_create(
        data=record_data(interferer=second.person, interferer_name="吴副书记", interferer_position="党组副书记"),
        evidence=[evidence],
        actor=officer,
    )
    record_b = record_services.record_submit(record=record_b, actor=officer, now=timezone.now())
    users = {
        "anonymous": None, "officer": officer, "other_officer": other_officer, "section_head": section_head, "principal": principal,
        "principal_interferer": second, "jj": jj, "jj_other": jj_other, "admin": admin_user,
        "security_admin": security_admin_user, "auditor": auditor_user,
    }  # fmt: skip
    args = {
        "record": [record.pk], "record_b": [record_b.pk], "evidence_b": [Evidence.objects.get(record=record_b).pk],
        "letter": [letter.pk], "special": [review.special.pk], "sanction": [sanction.pk], "person": [outsider.pk],
        "import_template": ["units.xlsx"], "api_case": [org["case"].number], "api_year": [2026],
        "import_job": [
            ImportJob.objects.create(
                requested_by=admin_user, token="0" * 32, files={"units": {"name": "units.csv", "sha256": "0" * 64}}, status="done",
                counts={"units": {"rows": 1, "new": 1, "updated": 0, "unchanged": 0}}, finished_at=timezone.now(),
            ).pk
        ],
    }  # fmt: skip
    args["role_request"] = [account_services.role_request_save(user=section_head, group_names={"discipline"}, actor=admin_user).pk]
    system, issued = api_services.api_system_save(code="mx-system", name="办案系统", units=[org["bureau"]], actor=admin_user)
    args.update({"api_system": [system.code], "api_key": [issued.key.prefix], "api_record": [record_b.pk]})
    args.update(accountability_args(org=org, officer=officer, jj=jj, admin=admin_user, record=record))
    args.update(fault_args(org=org, officer=officer, jj=jj))
    args.update(report_args(jj=jj))
    args.update(campaign_args(org=org, officer=officer, jj=jj))
    args.update(ui_args())
    for pulse in (worker.WORKER, worker.REMINDER_SWEEP, worker.REPORT_SWEEP):
        worker.record_pulse(pulse, now=timezone.now())
    return {"users": users, "args": args, "record_b": record_b}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(client, world, name, role):
    method, args_key, expected = MATRIX[name]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = reverse(name, args=world["args"][args_key] if args_key else [])
    response = getattr(client, method)(url, {})
    assert response.status_code == expected[role], (name, role, response.status_code)
    if response.status_code == 302 and role == "anonymous" and name not in ("home", "login", "logout", "set_language"):
        assert response["Location"].startswith(reverse("login"))


def _text(response) -> str:
    """A page's text; for an Excel export, every cell of every sheet."""
    if response.streaming:  # a file download
        return b"".join(response.streaming_content).decode(errors="replace")
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        from io import BytesIO

        from openpyxl import load_workbook

        book = load_workbook(BytesIO(response.content))
        return "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    return response.content.decode()


@pytest.mark.parametrize("role", ["principal_interferer", "jj_other", "admin", "security_admin", "auditor", "section_head", "other_officer"])
def test_record_b_leaks_nowhere(client, world, role):
    """Conflict of interest and need-to-know: record B's serial appears on no page these roles open."""
    client.force_login(world["users"][role])
    serial = world["record_b"].serial
    for name, (method, args_key, expected) in MATRIX.items():
        if method != "get" or expected[role] != 200 or name in ("logout",):
            continue
        url = reverse(name, args=world["args"][args_key] if args_key else [])
        assert serial not in _text(client.get(url)), (name, role)
