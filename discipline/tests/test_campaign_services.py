"""Services of self-inspection campaigns (R-CAMPAIGN, 003 §三): creation with the document's
timetable, answers refused after the self-check closes unless the lead reopens it (audited with a
reason), problems become findings, rectification with evidence and verification in the cross-check,
and the rectification reminders of the sweep (each fired once)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import AuditEvent
from conftest import local
from discipline.campaigns import rules as cr
from discipline.campaigns import services as svc
from discipline.campaigns.vocabulary import CampaignEvent, CampaignNotice
from discipline.models import CampaignFinding, CampaignQuestion, Rectification
from records.models import Notification
from records.notifications.sweep import reminder_sweep
from tests.factories import make_officer

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 proof of rectification"


def make_campaign(org, lead, *, now=None, units=None):
    """A 2026 campaign of the bureau on the document's timetable from 1 June: the two sections check
    each other."""
    s1, s2 = org["section"], org["other_section"]
    return svc.campaign_create(
        title="2026年规范行政执法专项行动", year=2026, body=org["bureau"], leads=[lead],
        units=units or [(s1, s2), (s2, s1)], timetable=cr.default_timetable(2026, dt.date(2026, 6, 1)),
        actor=lead, now=now or local(2026, 6, 1, 9),
    )  # fmt: skip


def part_of(campaign, unit):
    return campaign.units.get(unit=unit)


def first_questions(n):
    return list(CampaignQuestion.objects.filter(active=True).order_by("area__number", "number")[:n])


def make_item(part, officer, *, deadline, now, problem_q=None, actor=None):
    """A problem answer (→ finding) and one rectification item for `officer`."""
    q = problem_q or first_questions(1)[0]
    svc.campaign_answers_save(part=part, answers={q.pk: (cr.PROBLEM, "现场检查文书未注明认定依据")}, actor=actor or officer, now=now)
    finding = CampaignFinding.objects.get(part=part, answer__question=q)
    return svc.rectification_create(
        finding=finding, measure="补正文书并开展培训", responsible=officer.person, deadline=deadline, actor=actor or officer, now=now
    )


@pytest.fixture
def campaign(org, jj):
    return make_campaign(org, jj)


def test_checklist_is_seeded_with_the_six_areas():
    from discipline.models import CampaignArea

    assert [a.title for a in CampaignArea.objects.order_by("number")] == [
        "现场检查和调查取证", "听证", "自由裁量权", "行政处罚过程", "行政强制", "日常执法监察行为",
    ]  # fmt: skip
    # 003 §三 asks 4, 3, 3, 3, 2 and 2 questions in the six areas.
    counts = [CampaignArea.objects.get(number=n).questions.count() for n in range(1, 7)]
    assert counts == [4, 3, 3, 3, 2, 2]


def test_create_with_the_documents_timetable_and_mechanisms(org, jj, officer):
    c = svc.campaign_create(
        title="专项行动", year=2026, body=org["bureau"], leads=[jj], units=[(org["section"], None)], timetable=None,
        actor=jj, now=local(2026, 3, 2, 10),
    )  # fmt: skip
    assert (c.selfcheck_start, c.selfcheck_end, c.crosscheck_start, c.summary_end) == (
        dt.date(2026, 3, 2), dt.date(2026, 8, 31), dt.date(2026, 9, 1), dt.date(2026, 12, 31),
    )  # fmt: skip
    assert sorted(c.mechanisms.values_list("key", flat=True)) == ["m1", "m2", "m3", "m4", "m5", "m6"]
    assert AuditEvent.objects.filter(type=CampaignEvent.CAMPAIGN_CREATED, object_id=str(c.pk)).count() == 1
    with pytest.raises(ValidationError, match="只有管理员或纪检监察人员"):
        svc.campaign_create(
            title="x", year=2026, body=org["bureau"], leads=[jj], units=[(org["section"], None)], timetable=None,
            actor=officer, now=local(2026, 3, 2, 10),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="已过8月底"):
        svc.campaign_create(
            title="x", year=2026, body=org["bureau"], leads=[jj], units=[(org["section"], None)], timetable=None,
            actor=jj, now=local(2026, 9, 2, 10),
        )  # fmt: skip


def test_answer_refused_after_the_selfcheck_closes_until_the_lead_reopens(campaign, org, jj, officer, section_head):
    part = part_of(campaign, org["section"])
    q1, q2 = first_questions(2)
    svc.campaign_answers_save(part=part, answers={q1.pk: (cr.OK, "")}, actor=officer, now=local(2026, 8, 31, 23, 59))
    with pytest.raises(ValidationError, match="自查自纠阶段未开始或已结束"):
        svc.campaign_answers_save(part=part, answers={q2.pk: (cr.OK, "")}, actor=officer, now=local(2026, 9, 1, 0, 0))
    # Only the lead group reopens, with a reason.
    with pytest.raises(ValidationError, match="只有领导小组成员"):
        svc.campaign_reopen(campaign=campaign, part=part, until=dt.date(2026, 9, 10), reason="补报", actor=section_head, now=local(2026, 9, 2, 9))
    with pytest.raises(ValidationError, match="请填写重新开放理由"):
        svc.campaign_reopen(campaign=campaign, part=part, until=dt.date(2026, 9, 10), reason=" ", actor=jj, now=local(2026, 9, 2, 9))
    svc.campaign_reopen(campaign=campaign, part=part, until=dt.date(2026, 9, 10), reason="该队外出执法，申请补报", actor=jj, now=local(2026, 9, 2, 9))
    event = AuditEvent.objects.get(type=CampaignEvent.CAMPAIGN_REOPENED)
    assert event.data["reason"] == "该队外出执法，申请补报" and event.actor == jj
    svc.campaign_answers_save(part=part, answers={q2.pk: (cr.NA, "")}, actor=officer, now=local(2026, 9, 10, 18))
    assert part.answers.count() == 2
    with pytest.raises(ValidationError, match="自查自纠阶段未开始或已结束"):
        svc.campaign_answers_save(part=part, answers={q2.pk: (cr.OK, "")}, actor=officer, now=local(2026, 9, 11, 9))
    # The reopening was for this unit only.
    other = part_of(campaign, org["other_section"])
    other_officer = make_officer(org["other_section"], "o2b")
    with pytest.raises(ValidationError, match="自查自纠阶段未开始或已结束"):
        svc.campaign_answers_save(part=other, answers={q2.pk: (cr.OK, "")}, actor=other_officer, now=local(2026, 9, 5, 9))


def test_only_the_units_people_answer(campaign, org, other_officer):
    part = part_of(campaign, org["section"])
    with pytest.raises(ValidationError, match="只有参加单位的人员"):
        svc.campaign_answers_save(part=part, answers={first_questions(1)[0].pk: (cr.OK, "")}, actor=other_officer, now=local(2026, 6, 2, 9))


def test_problem_answer_becomes_a_finding_and_needs_a_note(campaign, org, officer):
    part = part_of(campaign, org["section"])
    q = first_questions(1)[0]
    with pytest.raises(ValidationError, match="请说明存在的问题"):
        svc.campaign_answers_save(part=part, answers={q.pk: (cr.PROBLEM, "")}, actor=officer, now=local(2026, 6, 2, 9))
    svc.campaign_answers_save(part=part, answers={q.pk: (cr.PROBLEM, "未出示证件")}, actor=officer, now=local(2026, 6, 2, 9))
    finding = CampaignFinding.objects.get(part=part)
    assert (finding.area_id, finding.description, finding.source) == (q.area_id, "未出示证件", "self")
    svc.campaign_answers_save(part=part, answers={q.pk: (cr.OK, "")}, actor=officer, now=local(2026, 6, 3, 9))
    assert not CampaignFinding.objects.filter(part=part).exists()
    make_item(part, officer, deadline=dt.date(2026, 7, 31), now=local(2026, 6, 4, 9), problem_q=q)
    with pytest.raises(ValidationError, match="已登记整改事项"):
        svc.campaign_answers_save(part=part, answers={q.pk: (cr.OK, "")}, actor=officer, now=local(2026, 6, 5, 9))


def test_submit_needs_every_question(campaign, org, officer):
    part = part_of(campaign, org["section"])
    with pytest.raises(ValidationError, match="还有17项排查事项未填报"):
        svc.campaign_selfcheck_submit(part=part, actor=officer, now=local(2026, 6, 2, 9))
    answers = {q.pk: (cr.OK, "") for q in CampaignQuestion.objects.filter(active=True)}
    svc.campaign_answers_save(part=part, answers=answers, actor=officer, now=local(2026, 6, 2, 9))
    part = svc.campaign_selfcheck_submit(part=part, actor=officer, now=local(2026, 6, 2, 10))
    assert part.selfcheck_submitted_at == local(2026, 6, 2, 10)


def test_rectification_complete_with_evidence_and_verify_in_the_crosscheck(campaign, org, jj, officer, other_officer):
    part = part_of(campaign, org["section"])
    item = make_item(part, officer, deadline=dt.date(2026, 8, 20), now=local(2026, 6, 2, 9))
    with pytest.raises(ValidationError, match="请上传整改佐证材料"):
        svc.rectification_complete(item=item, completed_on=dt.date(2026, 8, 1), note="已补正", actor=officer, now=local(2026, 8, 1, 9))
    with pytest.raises(ValidationError, match="文件类型不受支持"):
        svc.rectification_complete(
            item=item, completed_on=dt.date(2026, 8, 1), note="已补正", evidence=SimpleUploadedFile("a.exe", b"MZ\x90\x00\x03\x00\x00\x00\xff\xff"),
            actor=officer, now=local(2026, 8, 1, 9),
        )  # fmt: skip
    item = svc.rectification_complete(
        item=item, completed_on=dt.date(2026, 8, 1), note="已补正", evidence=SimpleUploadedFile("整改报告.pdf", PDF),
        actor=officer, now=local(2026, 8, 1, 9),
    )  # fmt: skip
    import hashlib

    assert item.evidence_sha256 == hashlib.sha256(PDF).hexdigest() and item.evidence.read() == PDF
    # Verification in the cross-check only, by the checking unit (the other section) or the lead.
    with pytest.raises(ValidationError, match="互查督查阶段"):
        svc.rectification_verify(item=item, passed=True, note="", actor=other_officer, now=local(2026, 8, 2, 9))
    with pytest.raises(ValidationError, match="只有互查单位或领导小组"):
        svc.rectification_verify(item=item, passed=True, note="", actor=officer, now=local(2026, 9, 2, 9))
    with pytest.raises(ValidationError, match="请填写验收意见"):
        svc.rectification_verify(item=item, passed=False, note="", actor=other_officer, now=local(2026, 9, 2, 9))
    item = svc.rectification_verify(item=item, passed=False, note="文书仍缺认定依据", actor=other_officer, now=local(2026, 9, 2, 9))
    assert item.completed_on is None and item.verification == "failed"  # reopened
    item = svc.rectification_complete(item=item, completed_on=dt.date(2026, 9, 3), note="再次补正", actor=officer, now=local(2026, 9, 3, 9))
    item = svc.rectification_verify(item=item, passed=True, note="", actor=jj, now=local(2026, 9, 4, 9))
    assert item.verification == "passed" and item.completed_on == dt.date(2026, 9, 3)
    types = list(AuditEvent.objects.filter(object_type="discipline.rectification").values_list("type", flat=True))
    assert types.count("rectification.completed") == 2 and types.count("rectification.verified") == 2


def test_crosscheck_finding_by_the_checking_unit(campaign, org, other_officer, officer):
    part = part_of(campaign, org["section"])
    from discipline.models import CampaignArea

    area = CampaignArea.objects.get(number=5)
    with pytest.raises(ValidationError):
        svc.campaign_finding_add(part=part, area=area, description="强制措施未按时解除", actor=other_officer, now=local(2026, 8, 1, 9))
    f = svc.campaign_finding_add(part=part, area=area, description="强制措施未按时解除", actor=other_officer, now=local(2026, 9, 15, 9))
    assert f.source == "cross"
    with pytest.raises(ValidationError):
        svc.campaign_finding_add(part=part, area=area, description="自查补充", actor=officer, now=local(2026, 9, 15, 9))


def test_rectification_reminders_fire_once_each(campaign, org, jj, officer, section_head):
    part = part_of(campaign, org["section"])
    item = make_item(part, officer, deadline=dt.date(2026, 11, 27), now=local(2026, 6, 2, 9))

    def sent(now):
        return reminder_sweep(now=now)["campaign_reminders"]

    assert sent(local(2026, 11, 25, 8, 59)) == 0
    assert sent(local(2026, 11, 25, 9, 0)) == 1  # the responsible officer, three working days before
    assert sent(local(2026, 11, 25, 9, 5)) == 0
    assert sent(local(2026, 11, 27, 23, 59)) == 0
    assert Notification.objects.filter(kind=CampaignNotice.CAMPAIGN_DEADLINE).get().recipient == officer
    assert sent(local(2026, 11, 28, 0, 0)) == 2  # the unit's head and the campaign lead
    assert sent(local(2026, 11, 28, 0, 5)) == 0
    assert sent(local(2026, 12, 1, 9)) == 0
    overdue = Notification.objects.filter(kind=CampaignNotice.CAMPAIGN_OVERDUE)
    assert sorted(n.recipient.username for n in overdue) == sorted([section_head.username, jj.username])
    assert Rectification.objects.get(pk=item.pk).notice_step == "overdue"
    # A completed item owes nothing.
    other = make_item(part, officer, deadline=dt.date(2026, 12, 4), now=local(2026, 8, 1, 9), problem_q=first_questions(2)[1])
    svc.rectification_complete(
        item=other, completed_on=dt.date(2026, 11, 30), note="完成", evidence=SimpleUploadedFile("p.pdf", PDF), actor=officer,
        now=local(2026, 11, 30, 9),
    )  # fmt: skip
    assert sent(local(2026, 12, 5, 9)) == 0


def test_a_failed_verification_escalates_again(campaign, org, jj, officer, other_officer, section_head):
    """An item escalated as overdue, then completed late and failed at verification, is open again
    and past its deadline: the next sweep escalates it a second time, telling the person responsible
    as well; each failed round is escalated once, and a passed item owes nothing."""
    part = part_of(campaign, org["section"])
    item = make_item(part, officer, deadline=dt.date(2026, 9, 10), now=local(2026, 6, 2, 9))
    overdue = Notification.objects.filter(kind=CampaignNotice.CAMPAIGN_OVERDUE)

    def sent(now):
        return reminder_sweep(now=now)["campaign_reminders"]

    assert sent(local(2026, 9, 11, 0, 0)) == 2  # Friday 11 September: the head and the lead
    assert sent(local(2026, 9, 11, 0, 5)) == 0
    item = svc.rectification_complete(
        item=item, completed_on=dt.date(2026, 9, 14), note="已补正", evidence=SimpleUploadedFile("p.pdf", PDF),
        actor=officer, now=local(2026, 9, 14, 9),
    )  # fmt: skip
    assert sent(local(2026, 9, 14, 10)) == 0  # completed: nothing owed
    svc.rectification_verify(item=item, passed=False, note="文书仍缺认定依据", actor=other_officer, now=local(2026, 9, 15, 9))
    assert sent(local(2026, 9, 15, 10)) == 3  # second escalation, the person responsible among them
    second = overdue.filter(title__contains="验收未通过")
    assert sorted(n.recipient.username for n in second) == sorted([officer.username, section_head.username, jj.username])
    assert sent(local(2026, 9, 15, 10, 5)) == 0 and sent(local(2026, 9, 16, 9)) == 0
    item = Rectification.objects.get(pk=item.pk)
    item = svc.rectification_complete(item=item, completed_on=dt.date(2026, 9, 16), note="再次补正", actor=officer, now=local(2026, 9, 16, 9))
    svc.rectification_verify(item=item, passed=False, note="仍未整改到位", actor=other_officer, now=local(2026, 9, 17, 9))
    assert sent(local(2026, 9, 17, 10)) == 3  # a third round for the second failure
    item = Rectification.objects.get(pk=item.pk)
    item = svc.rectification_complete(item=item, completed_on=dt.date(2026, 9, 18), note="整改到位", actor=officer, now=local(2026, 9, 18, 9))
    svc.rectification_verify(item=item, passed=True, note="", actor=other_officer, now=local(2026, 9, 18, 10))
    assert sent(local(2026, 9, 21, 9)) == 0
    assert overdue.count() == 8


def test_mechanisms_and_report_request(campaign, org, jj, officer):
    with pytest.raises(ValidationError, match="只有领导小组"):
        svc.campaign_mechanisms_update(campaign=campaign, states={"m1": (True, "")}, actor=officer, now=local(2026, 11, 2, 9))
    svc.campaign_mechanisms_update(campaign=campaign, states={"m1": (True, "已印发执法依据清单"), "m3": (True, "")}, actor=jj, now=local(2026, 11, 2, 9))
    assert sorted(campaign.mechanisms.filter(established=True).values_list("key", flat=True)) == ["m1", "m3"]
    with pytest.raises(ValidationError, match="总结阶段自2026年11月1日开始"):
        svc.campaign_report_request(campaign=campaign, actor=jj, now=local(2026, 10, 31, 9))
    job = svc.campaign_report_request(campaign=campaign, actor=jj, now=local(2026, 11, 2, 9))
    assert job.kind == "campaign" and job.campaign == campaign


def test_reopening_for_all_units_and_not_while_open(campaign, org, jj, other_officer):
    with pytest.raises(ValidationError, match="尚未结束，无需重新开放"):
        svc.campaign_reopen(campaign=campaign, part=None, until=dt.date(2026, 9, 10), reason="补报", actor=jj, now=local(2026, 8, 31, 9))
    with pytest.raises(ValidationError, match="不能早于今天"):
        svc.campaign_reopen(campaign=campaign, part=None, until=dt.date(2026, 9, 1), reason="补报", actor=jj, now=local(2026, 9, 2, 9))
    svc.campaign_reopen(campaign=campaign, part=None, until=dt.date(2026, 9, 10), reason="全局补报", actor=jj, now=local(2026, 9, 2, 9))
    other = part_of(campaign, org["other_section"])
    q = first_questions(1)[0]
    svc.campaign_answers_save(part=other, answers={q.pk: (cr.OK, "")}, actor=other_officer, now=local(2026, 9, 3, 9))
    assert other.answers.get().result == cr.OK


def test_a_deactivated_question_is_not_asked(campaign, org, officer):
    part = part_of(campaign, org["section"])
    retired = first_questions(1)[0]
    CampaignQuestion.objects.filter(pk=retired.pk).update(active=False)
    with pytest.raises(ValidationError, match="有无效的排查事项"):
        svc.campaign_answers_save(part=part, answers={retired.pk: (cr.OK, "")}, actor=officer, now=local(2026, 6, 2, 9))
    answers = {q.pk: (cr.OK, "") for q in CampaignQuestion.objects.filter(active=True)}
    svc.campaign_answers_save(part=part, answers=answers, actor=officer, now=local(2026, 6, 2, 9))
    assert svc.campaign_selfcheck_submit(part=part, actor=officer, now=local(2026, 6, 2, 10)).selfcheck_submitted_at is not None
    assert len(answers) == 16


def test_migration_reopens_the_notices_of_items_that_failed_before(campaign, org, officer):
    """Items that failed verification before the re-escalation existed are owed their notices again;
    an open item never verified keeps its mark."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("discipline.migrations.0012_reopen_failed_rectifications")
    part = part_of(campaign, org["section"])
    failed = make_item(part, officer, deadline=dt.date(2026, 9, 10), now=local(2026, 6, 2, 9))
    plain = make_item(part, officer, deadline=dt.date(2026, 9, 10), now=local(2026, 6, 2, 9), problem_q=first_questions(2)[1])
    Rectification.objects.filter(pk=failed.pk).update(verification="failed", notice_step="overdue")
    Rectification.objects.filter(pk=plain.pk).update(notice_step="overdue")
    migration.forwards(apps, None)
    assert Rectification.objects.get(pk=failed.pk).notice_step == ""
    assert Rectification.objects.get(pk=plain.pk).notice_step == "overdue"
