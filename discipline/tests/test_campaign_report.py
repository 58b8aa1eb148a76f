"""The campaign summary report (R-CAMPAIGN, 003 §三 总结, §四 长效机制): its figures equal counts
computed here from the fixtures, read back from the PDF text; overdue items are listed; the CJK font
is embedded; the report goes through the report job machinery."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import local
from discipline.campaigns import rules as cr
from discipline.campaigns import services as svc
from discipline.campaigns.report import build_campaign_report
from discipline.models import CampaignArea, CampaignFinding, CampaignQuestion, Rectification, ReportJob
from discipline.reports.jobs import report_job_run
from discipline.tests.test_campaign_services import make_campaign
from discipline.tests.test_reports import figure, pdf_text
from discipline.tests.test_workflow import _pdf_fonts
from tests.factories import UnitFactory, make_officer

pytestmark = pytest.mark.django_db

NOW = local(2026, 11, 20, 10)  # summary phase (from 1 November), cross-check still open
PDF = b"%PDF-1.4 evidence"


def q(area, number):
    return CampaignQuestion.objects.get(area__number=area, number=number)


@pytest.fixture
def campaign(org, jj, officer, other_officer):
    third = UnitFactory(code="B1-S3", name="执法三大队", parent=org["bureau"])
    third_officer = make_officer(third, "officer3")
    c = make_campaign(org, jj, units=[(org["section"], org["other_section"]), (org["other_section"], third), (third, org["section"])])
    s1, s2, s3 = (c.units.get(unit=u) for u in (org["section"], org["other_section"], third))
    june = local(2026, 6, 10, 9)
    svc.campaign_answers_save(
        part=s1, actor=officer, now=june,
        answers={q(1, 1).pk: (cr.PROBLEM, "主体资格未公示"), q(1, 2).pk: (cr.PROBLEM, "未出示证件"), q(4, 3).pk: (cr.PROBLEM, "结案超期"),
                 q(2, 1).pk: (cr.OK, ""), q(3, 1).pk: (cr.NA, "")},
    )  # fmt: skip
    svc.campaign_answers_save(part=s2, actor=other_officer, now=june, answers={q(6, 1).pk: (cr.PROBLEM, "态度粗暴")})
    svc.campaign_answers_save(part=s3, actor=third_officer, now=june, answers={x.pk: (cr.OK, "") for x in CampaignQuestion.objects.all()})
    svc.campaign_selfcheck_submit(part=s3, actor=third_officer, now=june)
    svc.campaign_finding_add(part=s2, area=CampaignArea.objects.get(number=5), description="强制措施超期", actor=third_officer, now=local(2026, 9, 15, 9))

    def item(part, question, deadline, who):
        finding = CampaignFinding.objects.get(part=part, answer__question=question)
        return svc.rectification_create(finding=finding, measure=f"整改{question.pk}-{deadline}", responsible=who.person, deadline=deadline, actor=who, now=june)

    def done(it, on, who):
        svc.rectification_complete(item=it, completed_on=on, note="已完成", evidence=SimpleUploadedFile("e.pdf", PDF), actor=who, now=local(on.year, on.month, on.day, 18))

    a = item(s1, q(1, 1), dt.date(2026, 7, 31), officer)
    done(a, dt.date(2026, 7, 20), officer)
    svc.rectification_verify(item=a, passed=True, note="", actor=other_officer, now=local(2026, 9, 10, 9))
    item(s1, q(1, 1), dt.date(2026, 10, 31), officer)  # open, overdue
    item(s1, q(1, 2), dt.date(2026, 12, 15), officer)  # open, not yet due
    d = item(s1, q(4, 3), dt.date(2026, 8, 15), officer)
    done(d, dt.date(2026, 9, 1), officer)  # late
    item(s2, q(6, 1), dt.date(2026, 9, 30), other_officer)  # open, overdue
    svc.campaign_mechanisms_update(campaign=c, states={"m1": (True, "印发执法依据清单"), "m4": (True, "")}, actor=jj, now=NOW)
    return c


def test_report_figures_equal_independent_counts(campaign):
    pdf, _figures = build_campaign_report(campaign, now=NOW)
    text, pages = pdf_text(pdf)
    today = dt.date(2026, 11, 20)
    items = Rectification.objects.filter(finding__part__campaign=campaign)
    findings = CampaignFinding.objects.filter(part__campaign=campaign)
    total, completed = items.count(), items.filter(completed_on__isnull=False).count()
    overdue = [i for i in items if i.completed_on is None and i.deadline < today]
    expected = {
        "参加单位": campaign.units.count(),
        "已报送自查情况的单位": campaign.units.filter(selfcheck_submitted_at__isnull=False).count(),
        "排查发现问题": findings.count(),
        "整改事项": total,
        "已完成整改": completed,
        "验收通过": items.filter(verification="passed").count(),
        "逾期未完成": len(overdue),
    }
    assert expected == {"参加单位": 3, "已报送自查情况的单位": 1, "排查发现问题": 5, "整改事项": 5, "已完成整改": 2, "验收通过": 1, "逾期未完成": 2}
    for label, value in expected.items():
        assert figure(text, label) == value, label
    assert f"整改完成率 {completed * 100 / total:.1f}%" in text  # 40.0%
    # By area: findings per area.
    for area in CampaignArea.objects.all():
        n = findings.filter(area=area).count()
        line = next(x for x in text.splitlines() if x.startswith(f"{area.number}. {area.title} "))
        assert int(line.split(" ")[2]) == n, (area.title, line)
    # By unit: findings, items, completed, overdue.
    for part in campaign.units.select_related("unit"):
        line = next(x for x in text.splitlines() if x.startswith(part.unit.name + " "))
        cols = line.split(" ")
        mine = items.filter(finding__part=part)
        assert cols[2:6] == [
            str(findings.filter(part=part).count()), str(mine.count()), str(mine.filter(completed_on__isnull=False).count()),
            str(sum(1 for i in mine if i in overdue)),
        ], line  # fmt: skip
    # The overdue items are listed with their deadline; the open one not yet due is not.
    for i in overdue:
        assert f"{i.deadline.year}年{i.deadline.month}月{i.deadline.day}日" in text
    assert "2026年12月15日" not in text
    # §四 mechanisms: 2 of 6 established.
    flat = text.replace("\n", "")
    assert "已建立2项，共6项" in flat and "印发执法依据清单" in flat
    assert pages >= 2
    fonts = _pdf_fonts(pdf)
    assert fonts and all(embedded for _n, embedded in fonts) and any("CJK" in n for n, _e in fonts)


def test_report_job_renders_the_campaign_report(campaign, jj):
    job = svc.campaign_report_request(campaign=campaign, actor=jj, now=NOW)
    assert report_job_run(job.pk, now_fn=lambda: NOW) == ReportJob.Status.DONE
    job.refresh_from_db()
    text, _pages = pdf_text(job.file.read())
    assert campaign.title in text and "逾期未完成 2" in text


def test_the_report_stays_chinese_when_asked_for_in_english(campaign, jj):
    """A job run in-process while English is active (an eager run from an English page) still gives
    the Chinese document: the mechanisms keep their Chinese names."""
    from django.utils import translation

    job = svc.campaign_report_request(campaign=campaign, actor=jj, now=NOW)
    with translation.override("en"):
        assert report_job_run(job.pk, now_fn=lambda: NOW) == ReportJob.Status.DONE
    job.refresh_from_db()
    text, _pages = pdf_text(job.file.read())
    assert "拓宽执法监督渠道" in text and "逾期未完成 2" in text
