"""Pages of self-inspection campaigns (R-CAMPAIGN): the dashboard shows progress per unit and area
and lists overdue items; the list and dashboard run a number of queries that does not grow with
units or items; the checklist keeps its input on error and refuses after the self-check closes;
the lead reopens from the dashboard; evidence is downloaded through an access-checked view."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import AuditEvent
from conftest import local
from discipline.campaigns import rules as cr
from discipline.campaigns import services as svc
from discipline.campaigns.vocabulary import CampaignEvent
from discipline.models import Campaign, CampaignAnswer, CampaignQuestion
from discipline.tests.test_campaign_services import make_campaign, make_item, part_of
from tests.factories import UnitFactory, make_officer

pytestmark = pytest.mark.django_db

JUNE = local(2026, 6, 10, 9)
NOV = local(2026, 11, 20, 10)


def build(org, jj, n: int, tag: str) -> Campaign:
    """A campaign of n new units, each with n problem answers and one item each, every deadline in
    July (overdue by November) and one of them completed."""
    units = [UnitFactory(code=f"B1-{tag}{i}", name=f"执法{tag}{i}中队", parent=org["bureau"]) for i in range(n)]
    c = make_campaign(org, jj, units=[(u, units[(i + 1) % n]) for i, u in enumerate(units)])
    questions = list(CampaignQuestion.objects.order_by("area__number", "number")[:n])
    for i, u in enumerate(units):
        who = make_officer(u, f"{tag}{i}")
        part = part_of(c, u)
        for j in range(n):
            item = make_item(part, who, deadline=dt.date(2026, 7, 1 + j), now=JUNE, problem_q=questions[j])
        svc.rectification_complete(
            item=item, completed_on=dt.date(2026, 6, 30), note="完成", evidence=SimpleUploadedFile("e.pdf", b"%PDF-1.4 e"), actor=who,
            now=local(2026, 6, 30, 9),
        )  # fmt: skip
    return c


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_and_list_queries_do_not_grow(client, org, jj):
    small = build(org, jj, 2, "S")
    with time_machine.travel(NOV, tick=False):
        client.force_login(jj)
        list_small = _count(client, reverse("discipline:campaigns"))
        dash_small = _count(client, reverse("discipline:campaign", args=[small.pk]))
    big = build(org, jj, 5, "B")
    with time_machine.travel(NOV, tick=False):
        client.force_login(jj)
        assert _count(client, reverse("discipline:campaign", args=[big.pk])) == dash_small
        assert _count(client, reverse("discipline:campaigns")) == list_small
        page = client.get(reverse("discipline:campaign", args=[big.pk])).content.decode()
    # 5 units × 5 items, 4 of each unit's open and past their July deadlines.
    assert page.count('class="table-danger"') == 20
    assert "执法B0中队" in page and "80.0%" not in page and "20.0%" in page
    # Per area: the five questions answered by each of the five units are area 1's four and area 2's first.
    assert ">20/20<" in page and ">5/15<" in page and ">0/15<" in page


def test_unit_page_and_list_queries_do_not_grow(client, org, jj):
    c = build(org, jj, 2, "S")
    member = make_officer(org["section"], "m1")
    c2 = build(org, jj, 4, "B")
    part_small, part_big = c.units.first(), c2.units.first()
    with time_machine.travel(NOV, tick=False):
        client.force_login(jj)
        assert _count(client, reverse("discipline:campaign_unit", args=[part_small.pk])) == _count(
            client, reverse("discipline:campaign_unit", args=[part_big.pk])
        )
    # The officer's own open items on the list page.
    with time_machine.travel(NOV, tick=False):
        client.force_login(member)
        base = _count(client, reverse("discipline:campaigns"))
    other = make_campaign(org, jj)
    for k, q in enumerate(CampaignQuestion.objects.order_by("area__number", "number")[:3]):
        make_item(part_of(other, org["section"]), member, deadline=dt.date(2026, 12, 1 + k), now=JUNE, problem_q=q)
    with time_machine.travel(NOV, tick=False):
        client.force_login(member)
        assert _count(client, reverse("discipline:campaigns")) == base
        page = client.get(reverse("discipline:campaigns")).content.decode()
    assert "我负责的整改事项" in page and page.count(reverse("discipline:rectification", args=[0])[:-2]) >= 3


def test_checklist_keeps_input_on_error_and_closes_after_the_phase(client, org, jj, officer):
    c = make_campaign(org, jj)
    part = part_of(c, org["section"])
    q1, q2 = CampaignQuestion.objects.order_by("area__number", "number")[:2]
    url = reverse("discipline:campaign_unit", args=[part.pk])
    with time_machine.travel(local(2026, 8, 31, 20), tick=False):
        client.force_login(officer)
        response = client.post(url, {"action": "answers", f"r_{q1.pk}": cr.OK, f"r_{q2.pk}": cr.PROBLEM, f"n_{q2.pk}": ""})
        assert response.status_code == 400
        body = response.content.decode()
        assert "请说明存在的问题" in body
        assert f'id="r_{q2.pk}_problem" value="problem" checked' in body and f'id="r_{q1.pk}_ok" value="ok" checked' in body
        assert not CampaignAnswer.objects.exists()
        response = client.post(url, {"action": "answers", f"r_{q1.pk}": cr.OK, f"r_{q2.pk}": cr.PROBLEM, f"n_{q2.pk}": "文书不全"})
        assert response.status_code == 302 and CampaignAnswer.objects.count() == 2
    with time_machine.travel(local(2026, 9, 1, 9), tick=False):
        client.force_login(officer)  # sessions last 30 minutes
        page = client.get(url).content.decode()
        assert "自查自纠阶段未开始或已于2026年8月31日截止" in page and f'name="r_{q1.pk}"' not in page
        response = client.post(url, {"action": "answers", f"r_{q1.pk}": cr.PROBLEM, f"n_{q1.pk}": "补充"})
        assert response.status_code == 400 and CampaignAnswer.objects.get(question=q1).result == cr.OK
        # The lead reopens from the dashboard, with a reason.
        client.force_login(jj)
        dash = reverse("discipline:campaign", args=[c.pk])
        response = client.post(reverse("discipline:campaign_reopen", args=[c.pk]), {"part": part.pk, "until": "2026-09-05", "reason": ""})
        assert response.status_code == 400 and "请填写重新开放理由" in response.content.decode()
        response = client.post(reverse("discipline:campaign_reopen", args=[c.pk]), {"part": part.pk, "until": "2026-09-05", "reason": "补报"})
        assert response.status_code == 302 and response["Location"] == dash
        client.force_login(officer)
        assert client.post(url, {"action": "answers", f"r_{q1.pk}": cr.PROBLEM, f"n_{q1.pk}": "补充"}).status_code == 302
    assert CampaignAnswer.objects.get(question=q1).result == cr.PROBLEM


def test_rectification_pages_and_evidence_download(client, org, jj, officer, other_officer):
    c = make_campaign(org, jj)
    part = part_of(c, org["section"])
    with time_machine.travel(JUNE, tick=False):
        item = make_item(part, officer, deadline=dt.date(2026, 8, 20), now=JUNE)
        client.force_login(officer)
        url = reverse("discipline:rectification", args=[item.pk])
        response = client.post(url, {"action": "complete", "completed_on": "2026-06-10", "note": "已整改"})
        assert response.status_code == 400 and "请上传整改佐证材料" in response.content.decode() and "已整改" in response.content.decode()
        evidence = SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 report")
        response = client.post(url, {"action": "complete", "completed_on": "2026-06-10", "note": "已整改", "evidence": evidence})
        assert response.status_code == 302
    download = reverse("discipline:rectification_evidence", args=[item.pk])
    client.force_login(officer)
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 report"
    assert response["X-Content-Type-Options"] == "nosniff" and "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(type=CampaignEvent.RECTIFICATION_EVIDENCE_DOWNLOADED, actor=officer).count() == 1
    # The checking unit verifies in the cross-check.
    with time_machine.travel(local(2026, 9, 2, 9), tick=False):
        client.force_login(other_officer)
        assert client.post(url, {"action": "verify", "passed": "1", "note": ""}).status_code == 302
    item.refresh_from_db()
    assert item.verification == "passed" and item.verified_by == other_officer
    # A unit outside the campaign sees nothing.
    stranger = make_officer(UnitFactory(code="B1-S9", name="执法九大队", parent=org["bureau"]), "stranger")
    client.force_login(stranger)
    assert client.get(download).status_code == 404 and client.get(url).status_code == 404


def test_create_page(client, org, jj, section_head):
    url = reverse("discipline:campaign_create")
    with time_machine.travel(local(2026, 3, 2, 9), tick=False):
        client.force_login(jj)
        page = client.get(url).content.decode()
        assert 'value="2026-08-31"' in page and 'value="2026-09-01"' in page  # the document's timetable by default
        data = {
            "title": "2026年专项行动", "year": "2026", "body": org["bureau"].pk, "leads": [jj.pk, section_head.pk],
            "units": [org["section"].pk, org["other_section"].pk], "cross": "rotate",
            "selfcheck_start": "2026-03-02", "selfcheck_end": "2026-08-31", "crosscheck_start": "2026-08-31", "crosscheck_end": "2026-11-30",
            "summary_start": "2026-11-01", "summary_end": "2026-12-31",
        }  # fmt: skip
        response = client.post(url, data)
        assert response.status_code == 200 and "互查督查应在自查自纠截止之后开始" in response.content.decode()
        assert "2026年专项行动" in response.content.decode() and not Campaign.objects.exists()
        response = client.post(url, {**data, "crosscheck_start": "2026-09-01"})
    c = Campaign.objects.get()
    assert response["Location"] == reverse("discipline:campaign", args=[c.pk])
    with time_machine.travel(local(2026, 11, 24, 9), tick=False):
        client.force_login(jj)
        page = client.get(url).content.decode()
    # After 31 August the form proposes next year's campaign on the document's timetable.
    assert 'value="2027-01-01"' in page and 'value="2027-08-31"' in page and 'value="2027"' in page
    assert {(p.unit_id, p.checker_id) for p in c.units.all()} == {
        (org["section"].pk, org["other_section"].pk), (org["other_section"].pk, org["section"].pk),
    }  # fmt: skip


def test_checklist_is_editable_in_the_admin_and_audited(client, admin_user):
    from django.contrib.auth.models import Permission

    admin_user.user_permissions.add(*Permission.objects.filter(content_type__app_label="discipline", codename__endswith="campaignquestion"))
    q = CampaignQuestion.objects.order_by("area__number", "number").first()
    client.force_login(admin_user)
    url = reverse("admin:discipline_campaignquestion_change", args=[q.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"area": q.area_id, "number": q.number, "text": "执法主体是否合法，执法证件是否有效", "active": "on"})
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.text == "执法主体是否合法，执法证件是否有效"
    event = AuditEvent.objects.get(type=CampaignEvent.CAMPAIGN_CHECKLIST_CHANGED)
    assert event.actor == admin_user and event.data["fields"] == ["text"]


def test_report_progress_is_polled_on_the_dashboard(client, org, jj):
    """The lead asks for the summary report; the dashboard shows the job's progress box, polled
    through the campaign's status endpoint, which gives the download link once the job is done."""
    from django.core.files.base import ContentFile

    from discipline.models import ReportJob

    c = make_campaign(org, jj)
    dash = reverse("discipline:campaign", args=[c.pk])
    client.force_login(jj)
    with time_machine.travel(NOV, tick=False):
        assert client.post(reverse("discipline:campaign_report", args=[c.pk])).status_code == 302
        job = ReportJob.objects.get(campaign=c)
        status_url = reverse("discipline:campaign_report_status", args=[job.pk])
        page = client.get(dash).content.decode()
        assert f'data-status-url="{status_url}"' in page and "js/report-progress.js" in page
        data = client.get(status_url).json()
        assert data["status"] == "queued" and data["download"] == "" and data["progress"] == 0
        job.status, job.progress = ReportJob.Status.DONE, 100
        job.file.save("c.pdf", ContentFile(b"%PDF-1.4 c"), save=True)
        data = client.get(status_url).json()
        assert data["status"] == "done" and data["download"] == reverse("discipline:campaign_report_download", args=[job.pk])
        page = client.get(dash).content.decode()
        assert "data-status-url" not in page and reverse("discipline:campaign_report_download", args=[job.pk]) in page
