"""Entries of the self-inspection campaign URLs (issue 9) for the project permission matrix
(``discipline/tests/test_matrix.py``), taken with two lines as issue 8 did:

    MATRIX.update(campaign_matrix(only, everyone, ANON))
    args.update(campaign_args(org=org, officer=officer, jj=jj))

The campaign is the bureau's, led and created by `jj`; the officer's section takes part and is
checked by the other officer's section. The section head (of the officer's section) is one of the
unit's people."""

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from discipline.campaigns import rules as cr
from discipline.campaigns import services as svc
from discipline.models import CampaignFinding, CampaignQuestion, ReportJob
from discipline.tests.report_matrix import blank_pdf
from records.calendar.dates import local_date

UNIT_READERS = ("jj", "officer", "section_head", "other_officer")


def campaign_matrix(only, everyone, anon) -> dict:
    return {
        "discipline:campaigns": ("get", None, {**everyone(200), **anon}),
        "discipline:campaign_create": ("get", None, only(200, "jj", "jj_other", "admin")),
        "discipline:campaign": ("get", "campaign", only(200, "jj")),
        # POST without a form: the lead sees the form's errors (400); the empty mechanisms form saves.
        "discipline:campaign_reopen": ("post", "campaign", only(400, "jj")),
        "discipline:campaign_mechanisms": ("post", "campaign", only(302, "jj")),
        "discipline:campaign_report": ("post", "campaign", only(302, "jj")),
        "discipline:campaign_report_download": ("get", "campaign_job", only(200, "jj")),
        "discipline:campaign_report_status": ("get", "campaign_job", only(200, "jj")),
        "discipline:campaign_unit": ("get", "campaign_unit", only(200, *UNIT_READERS)),
        "discipline:campaign_finding": ("get", "campaign_finding", only(200, *UNIT_READERS)),
        "discipline:rectification": ("get", "rectification", only(200, *UNIT_READERS)),
        "discipline:rectification_evidence": ("get", "rectification", only(200, *UNIT_READERS)),
    }


def campaign_args(*, org, officer, jj) -> dict:
    now = timezone.now()
    today = local_date(now)
    day = dt.timedelta(days=1)
    timetable = cr.Timetable((today - day, today + day), (today + 2 * day, today + 30 * day), (today + 2 * day, today + 60 * day))
    campaign = svc.campaign_create(
        title="规范行政执法专项行动", year=today.year, body=org["bureau"], leads=[jj],
        units=[(org["section"], org["other_section"]), (org["other_section"], org["section"])], timetable=timetable, actor=jj, now=now,
    )  # fmt: skip
    part = campaign.units.get(unit=org["section"])
    q = CampaignQuestion.objects.filter(active=True).order_by("area__number", "number").first()
    svc.campaign_answers_save(part=part, answers={q.pk: (cr.PROBLEM, "未出示执法证件")}, actor=officer, now=now)
    finding = CampaignFinding.objects.get(part=part)
    item = svc.rectification_create(
        finding=finding, measure="开展执法证件使用培训", responsible=officer.person, deadline=today + 5 * day, actor=officer, now=now
    )
    svc.rectification_complete(
        item=item, completed_on=today, note="已培训", evidence=SimpleUploadedFile("培训记录.pdf", b"%PDF-1.4 training"), actor=officer, now=now
    )
    job = ReportJob.objects.create(
        kind=ReportJob.Kind.CAMPAIGN, year=today.year, campaign=campaign, requested_by=jj, status=ReportJob.Status.DONE, created_at=now
    )
    job.file.save("campaign.pdf", ContentFile(blank_pdf()), save=True)
    return {"campaign": [campaign.pk], "campaign_unit": [part.pk], "campaign_finding": [finding.pk], "rectification": [item.pk], "campaign_job": [job.pk]}
