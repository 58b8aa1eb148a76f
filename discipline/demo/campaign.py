"""A demo self-inspection campaign for ``seed_demo`` (R-CAMPAIGN), made through the services with
dates around today: the self-check closed ten days ago, the cross-check and the summary are open;
one unit submitted its checklist; one rectification item is verified, one overdue, one due soon."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from discipline.campaigns import rules as campaign_rules
from discipline.campaigns import services as campaign_services
from discipline.models import Campaign, CampaignArea, CampaignFinding, CampaignQuestion
from records.calendar.dates import BEIJING, local_date

TITLE = "规范安全生产行政执法专项行动（演示）"


def _at(d: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day, hour, tzinfo=BEIJING)


def seed_demo_campaign(*, users: dict, units: dict, now: dt.datetime) -> Campaign | None:
    """Create the demo campaign once (None when it exists)."""
    if Campaign.objects.filter(title=TITLE).exists():
        return None
    today = local_date(now)
    day = dt.timedelta(days=1)
    lead, principal = users["zhaolei"], users["chenjun"]
    head, officer, other = users["wangfang"], users["zhangwei"], users["liuyang"]
    zd1, zd2, whk = units["YJJ-ZD1"], units["YJJ-ZD2"], units["YJJ-WHK"]
    timetable = campaign_rules.Timetable(
        (today - 60 * day, today - 10 * day), (today - 9 * day, today + 30 * day), (today - 5 * day, today + 60 * day)
    )
    c = campaign_services.campaign_create(
        title=TITLE, year=today.year, body=units["YJJ"], leads=[lead, principal], units=[(zd1, zd2), (zd2, zd1), (whk, zd1)],
        timetable=timetable, actor=lead, now=_at(today - 60 * day),
    )  # fmt: skip
    p1, p2 = c.units.get(unit=zd1), c.units.get(unit=zd2)
    questions = list(CampaignQuestion.objects.filter(active=True).order_by("area__number", "number"))
    by_code = {f"{q.area.number}.{q.number}": q for q in questions}
    answered = _at(today - 40 * day)
    answers = {q.pk: (campaign_rules.OK, "") for q in questions}
    answers[by_code["1.2"].pk] = (campaign_rules.PROBLEM, "部分执法人员现场检查时未主动出示执法证件")
    answers[by_code["4.3"].pk] = (campaign_rules.PROBLEM, "2起处罚案件执行完毕后超过规定时间未办理结案")
    campaign_services.campaign_answers_save(part=p1, answers=answers, actor=head, now=answered)
    campaign_services.campaign_selfcheck_submit(part=p1, actor=head, now=answered)
    campaign_services.campaign_answers_save(
        part=p2, answers={by_code["3.2"].pk: (campaign_rules.PROBLEM, "裁量结果未向当事人说明理由")}, actor=other, now=answered
    )

    def finding(part, code):
        return CampaignFinding.objects.get(part=part, answer__question=by_code[code])

    done = campaign_services.rectification_create(
        finding=finding(p1, "1.2"), measure="组织执法证件使用专题培训，现场检查全程记录出示证件情况", responsible=officer.person,
        deadline=today - 15 * day, actor=head, now=answered,
    )  # fmt: skip
    campaign_services.rectification_complete(
        item=done, completed_on=today - 20 * day, note="已完成培训，全员签到", evidence=SimpleUploadedFile("培训签到表.pdf", b"%PDF-1.4 demo"),
        actor=officer, now=_at(today - 20 * day),
    )  # fmt: skip
    campaign_services.rectification_verify(
        item=done, passed=True, note="抽查10份检查记录，均已出示证件", actor=other, now=_at(today - 2 * day)
    )
    campaign_services.rectification_create(
        finding=finding(p1, "4.3"), measure="清理超期未结案件，建立结案台账", responsible=head.person, deadline=today - 3 * day, actor=head,
        now=answered,
    )  # fmt: skip
    campaign_services.rectification_create(
        finding=finding(p2, "3.2"),
        measure="修订裁量说明理由文书模板",
        responsible=other.person,
        deadline=today + 2 * day,
        actor=other,
        now=answered,
    )
    campaign_services.campaign_finding_add(
        part=p1,
        area=CampaignArea.objects.get(number=5),
        description="1起查封措施超过法定期限未作出处理决定",
        actor=other,
        now=_at(today - day),
    )
    campaign_services.campaign_mechanisms_update(
        campaign=c, states={"m1": (True, "印发执法依据清单"), "m2": (True, "细化裁量基准")}, actor=lead, now=now
    )
    return c
