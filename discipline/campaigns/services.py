"""Services of self-inspection campaigns (R-CAMPAIGN, 003 《安全生產行政執法實施意見》 §二至§四).

Each runs in one transaction and writes one audit event; keyword-only, ``actor`` last with ``now``
passed in. The phase rules are in ``discipline.campaigns.rules``; who may act is decided with the
predicates of ``discipline.campaigns.access``."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.formats import cn_date
from cases.models import Person, Unit
from cases.selectors import unit_subtree_ids
from discipline.campaigns import rules
from discipline.campaigns.access import answer_allowed, is_checker, is_lead, is_manager, is_unit_member, may_create
from discipline.campaigns.models import (
    Campaign,
    CampaignAnswer,
    CampaignArea,
    CampaignFinding,
    CampaignMechanism,
    CampaignQuestion,
    CampaignReopening,
    CampaignUnit,
    Rectification,
)
from discipline.campaigns.vocabulary import CampaignEvent
from discipline.reports.models import ReportJob
from discipline.reports.vocabulary import ReportEvent
from records.calendar.dates import local_date
from records.record.evidence import digest, is_allowed

EVIDENCE_MAX_BYTES = 50 * 1024 * 1024


def _closed_error() -> ValidationError:
    return ValidationError(_("自查自纠阶段未开始或已结束，需由领导小组重新开放后方可填报。"))


@transaction.atomic
def campaign_create(
    *,
    title: str,
    year: int,
    body: Unit,
    leads: list,
    units: list[tuple[Unit, Unit | None]],
    timetable: rules.Timetable | None,
    actor,
    now: dt.datetime,
) -> Campaign:
    """Create a campaign with its timetable (the document's own by default), the units taking part
    with their checking units, the lead group, and the six mechanisms of §四 (not yet established)."""
    if not may_create(actor):
        raise ValidationError(_("只有管理员或纪检监察人员可以创建专项行动。"))
    errors = []
    if not title.strip():
        errors.append(_("请填写专项行动名称。"))
    if not 2000 <= year <= 2100:
        errors.append(_("年度应在2000至2100之间。"))
    if not leads:
        errors.append(_("请选择领导小组成员。"))
    if not units:
        errors.append(_("请选择参加单位。"))
    unit_ids = [u.pk for u, _c in units]
    if len(set(unit_ids)) != len(unit_ids):
        errors.append(_("参加单位不能重复。"))
    if any(c is not None and c.pk == u.pk for u, c in units):
        errors.append(_("互查单位不能是被检查单位本身。"))
    if timetable is None and not errors:
        start = max(local_date(now), dt.date(year, 1, 1))
        if start > dt.date(year, 8, 31):
            errors.append(_("已过8月底，不能使用文件规定的默认时间安排，请填写各阶段日期。"))
        else:
            timetable = rules.default_timetable(year, start)
    if timetable is not None:
        errors += rules.timetable_errors(timetable)
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        title=title.strip(), year=year, body=body, created_by=actor, created_at=now,
        selfcheck_start=timetable.selfcheck[0], selfcheck_end=timetable.selfcheck[1],
        crosscheck_start=timetable.crosscheck[0], crosscheck_end=timetable.crosscheck[1],
        summary_start=timetable.summary[0], summary_end=timetable.summary[1],
    )  # fmt: skip
    campaign.leads.set(leads)
    CampaignUnit.objects.bulk_create([CampaignUnit(campaign=campaign, unit=u, checker=c) for u, c in units])
    CampaignMechanism.objects.bulk_create([CampaignMechanism(campaign=campaign, key=k) for k in rules.MECHANISMS])
    audit(
        type=CampaignEvent.CAMPAIGN_CREATED,
        actor=actor,
        obj=campaign,
        data={"title": campaign.title, "units": unit_ids, "leads": [u.pk for u in leads], "selfcheck_end": str(timetable.selfcheck[1])},
    )
    return campaign


def _lock_part(part: CampaignUnit) -> CampaignUnit:
    return CampaignUnit.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=part.pk)


@transaction.atomic
def campaign_answers_save(*, part: CampaignUnit, answers: dict[int, tuple[str, str]], actor, now: dt.datetime) -> list[CampaignAnswer]:
    """Save the unit's answers {question id: (result, note)}: allowed to the unit's people while the
    self-check phase is open or reopened by the lead. An answer "存在问题" becomes a finding of the
    question's area (its description is the note); changing it back is refused once the finding
    has rectification items."""
    part = _lock_part(part)
    if not is_unit_member(part, actor):
        raise ValidationError(_("只有参加单位的人员可以填报本单位的自查情况。"))
    if not answer_allowed(part, local_date(now)):
        raise _closed_error()
    questions = {q.pk: q for q in CampaignQuestion.objects.filter(pk__in=answers, active=True).select_related("area")}
    errors = []
    if set(answers) - set(questions):
        errors.append(_("有无效的排查事项。"))
    for qid, (result, note) in answers.items():
        if result not in (rules.OK, rules.PROBLEM, rules.NA):
            errors.append(_("自查结果无效。"))
        elif result == rules.PROBLEM and not note.strip() and qid in questions:
            errors.append(_("第%(n)s项选择“存在问题”的，请说明存在的问题。") % {"n": f"{questions[qid].area.number}.{questions[qid].number}"})
    existing = {a.question_id: a for a in CampaignAnswer.objects.filter(part=part, question_id__in=answers).select_related("finding")}
    for qid, (result, _note) in answers.items():
        old = existing.get(qid)
        finding = getattr(old, "finding", None) if old else None
        if finding is not None and result != rules.PROBLEM and finding.rectifications.exists():
            errors.append(_("第%(n)s项的问题已登记整改事项，不能改为无问题。") % {"n": f"{questions[qid].area.number}.{questions[qid].number}"})
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    saved, changed = [], []
    for qid, (result, note) in answers.items():
        old = existing.get(qid)
        if old is not None and old.result == result and old.note == note.strip():
            saved.append(old)
            continue
        answer, _created = CampaignAnswer.objects.update_or_create(
            part=part, question_id=qid, defaults={"result": result, "note": note.strip(), "answered_by": actor, "answered_at": now}
        )
        finding = CampaignFinding.objects.filter(answer=answer).first()
        if result == rules.PROBLEM:
            if finding is None:
                CampaignFinding.objects.create(
                    part=part, area=questions[qid].area, answer=answer, source=CampaignFinding.Source.SELF, description=answer.note,
                    created_by=actor, created_at=now,
                )  # fmt: skip
            elif finding.description != answer.note:
                finding.description = answer.note
                finding.save(update_fields=["description"])
        elif finding is not None:
            finding.delete()
        saved.append(answer)
        changed.append({"q": qid, "r": result})
    if changed:
        audit(type=CampaignEvent.CAMPAIGN_ANSWERED, actor=actor, obj=part, data={"answers": changed})
    return saved


@transaction.atomic
def campaign_selfcheck_submit(*, part: CampaignUnit, actor, now: dt.datetime) -> CampaignUnit:
    """The unit reports its self-check as complete: every active question answered."""
    part = _lock_part(part)
    if not is_unit_member(part, actor):
        raise ValidationError(_("只有参加单位的人员可以报送本单位的自查情况。"))
    if not answer_allowed(part, local_date(now)):
        raise _closed_error()
    missing = CampaignQuestion.objects.filter(active=True).exclude(answers__part=part).count()
    if missing:
        raise ValidationError(_("还有%(n)s项排查事项未填报。") % {"n": missing})
    part.selfcheck_submitted_at = now
    part.save(update_fields=["selfcheck_submitted_at"])
    audit(type=CampaignEvent.CAMPAIGN_SELFCHECK_SUBMITTED, actor=actor, obj=part, data={})
    return part


@transaction.atomic
def campaign_reopen(
    *, campaign: Campaign, part: CampaignUnit | None, until: dt.date | None, reason: str, actor, now: dt.datetime
) -> CampaignReopening:
    """The lead group reopens the closed self-check, for one unit or all, until a date, with a reason."""
    if not is_lead(campaign, actor):
        raise ValidationError(_("只有领导小组成员可以重新开放自查。"))
    today = local_date(now)
    errors = []
    if not reason.strip():
        errors.append(_("请填写重新开放理由。"))
    if until is None:
        errors.append(_("请填写重新开放截止日期。"))
    elif until < today:
        errors.append(_("重新开放截止日期不能早于今天。"))
    if today <= campaign.selfcheck_end:
        errors.append(_("自查自纠阶段尚未结束，无需重新开放。"))
    if part is not None and part.campaign_id != campaign.pk:
        errors.append(_("所选单位未参加该专项行动。"))
    if errors:
        raise ValidationError(errors)
    reopening = CampaignReopening.objects.create(campaign=campaign, part=part, until=until, reason=reason.strip(), by=actor, at=now)
    audit(
        type=CampaignEvent.CAMPAIGN_REOPENED,
        actor=actor,
        obj=campaign,
        data={"part": part.pk if part else None, "until": str(until), "reason": reopening.reason},
    )
    return reopening


@transaction.atomic
def campaign_finding_add(*, part: CampaignUnit, area: CampaignArea, description: str, actor, now: dt.datetime) -> CampaignFinding:
    """A problem outside the checklist answers: by the unit itself during its self-check, or by the
    checking unit or the managers during the cross-check (互查督查)."""
    part = _lock_part(part)
    today = local_date(now)
    if not description.strip():
        raise ValidationError(_("请填写问题描述。"))
    if is_unit_member(part, actor) and answer_allowed(part, today):
        source = CampaignFinding.Source.SELF
    elif (is_checker(part, actor) or is_manager(part.campaign, actor)) and rules.is_open(part.campaign.timetable().crosscheck, today):
        source = CampaignFinding.Source.CROSS
    else:
        raise ValidationError(_("本单位在自查自纠阶段、互查单位和领导小组在互查督查阶段可以登记问题。"))
    finding = CampaignFinding.objects.create(
        part=part, area=area, source=source, description=description.strip(), created_by=actor, created_at=now
    )
    audit(type=CampaignEvent.CAMPAIGN_FINDING_ADDED, actor=actor, obj=finding, data={"part": part.pk, "area": area.number, "source": source})
    return finding


def responsible_people(part: CampaignUnit):
    """Who may be made responsible for a rectification item: the people of the unit and below."""
    return Person.objects.filter(unit_id__in=unit_subtree_ids(part.unit)).order_by("name")


@transaction.atomic
def rectification_create(
    *, finding: CampaignFinding, measure: str, responsible: Person | None, deadline: dt.date | None, actor, now: dt.datetime
) -> Rectification:
    """A rectification item with the person responsible and the deadline (003 §三 "落实整改责任和整改
    时限"), entered by the unit or the managers."""
    part = finding.part
    if not (is_unit_member(part, actor) or is_manager(part.campaign, actor)):
        raise ValidationError(_("只有参加单位或领导小组可以登记整改事项。"))
    errors = []
    if not measure.strip():
        errors.append(_("请填写整改措施。"))
    if responsible is None:
        errors.append(_("请选择整改责任人。"))
    elif not responsible_people(part).filter(pk=responsible.pk).exists():
        errors.append(_("整改责任人应为参加单位的人员。"))
    if deadline is None:
        errors.append(_("请填写整改时限。"))
    elif deadline < local_date(now):
        errors.append(_("整改时限不能早于今天。"))
    if errors:
        raise ValidationError(errors)
    item = Rectification.objects.create(
        finding=finding, measure=measure.strip(), responsible=responsible, deadline=deadline, created_by=actor, created_at=now
    )
    audit(
        type=CampaignEvent.RECTIFICATION_CREATED,
        actor=actor,
        obj=item,
        data={"finding": finding.pk, "responsible": responsible.pk, "deadline": str(deadline)},
    )
    return item


def _lock_item(item: Rectification) -> Rectification:
    return Rectification.objects.select_for_update(of=("self",)).select_related("finding__part__campaign", "responsible").get(pk=item.pk)


@transaction.atomic
def rectification_complete(
    *, item: Rectification, completed_on: dt.date | None, note: str, evidence=None, actor, now: dt.datetime
) -> Rectification:
    """The responsible person or the unit reports the item complete, with a note and a file of
    evidence (stored in private storage with its SHA-256; type decided from the bytes)."""
    item = _lock_item(item)
    part = item.finding.part
    if not (is_unit_member(part, actor) or item.responsible.user_id == actor.pk):
        raise ValidationError(_("只有整改责任人或参加单位可以报告整改完成。"))
    errors = []
    if item.completed_on is not None:
        errors.append(_("该整改事项已报告完成。"))
    if completed_on is None:
        errors.append(_("请填写完成日期。"))
    elif completed_on > local_date(now):
        errors.append(_("完成日期不能晚于今天。"))
    elif completed_on < local_date(item.created_at):
        errors.append(_("完成日期不能早于整改事项登记日期。"))
    if not note.strip():
        errors.append(_("请填写整改完成情况。"))
    sha = ""
    if evidence is None and not item.evidence:
        errors.append(_("请上传整改佐证材料。"))
    elif evidence is not None:
        sha, size, content_type = digest(evidence)
        if size > EVIDENCE_MAX_BYTES:
            errors.append(_("佐证材料不能超过50MB。"))
        elif not is_allowed(content_type):
            errors.append(_("佐证材料的文件类型不受支持（请上传PDF、图片、文档、录音或视频）。"))
    if errors:
        raise ValidationError(errors)
    if evidence is not None:
        item.evidence_name = (evidence.name or "evidence").rsplit("/", 1)[-1][:200]
        item.evidence.save(item.evidence_name, evidence, save=False)
        item.evidence_sha256 = sha
    item.completed_on, item.completion_note = completed_on, note.strip()
    item.verification, item.verification_note, item.verified_by, item.verified_at = "", "", None, None
    item.save()
    audit(
        type=CampaignEvent.RECTIFICATION_COMPLETED,
        actor=actor,
        obj=item,
        data={"completed_on": str(completed_on), "sha256": item.evidence_sha256, "late": rules.completed_late(item.deadline, completed_on)},
    )
    return item


@transaction.atomic
def rectification_verify(*, item: Rectification, passed: bool, note: str, actor, now: dt.datetime) -> Rectification:
    """The checking unit (or the managers) verifies a completed item in the cross-check phase. A
    failed verification reopens the item: its deadline runs again, it counts as open and the sweep
    reminds and escalates it again."""
    item = _lock_item(item)
    part = item.finding.part
    if not (is_checker(part, actor) or is_manager(part.campaign, actor)):
        raise ValidationError(_("只有互查单位或领导小组可以验收整改。"))
    errors = []
    if not rules.verification_allowed(part.campaign.timetable(), local_date(now)):
        errors.append(_("整改验收在互查督查阶段进行。"))
    if item.completed_on is None:
        errors.append(_("该整改事项尚未报告完成。"))
    if not passed and not note.strip():
        errors.append(_("验收未通过的，请填写验收意见。"))
    if errors:
        raise ValidationError(errors)
    item.verification = Rectification.Verification.PASSED if passed else Rectification.Verification.FAILED
    item.verification_note, item.verified_by, item.verified_at = note.strip(), actor, now
    if not passed:
        # Reopened: open again against its deadline, and owed its notices again, so an escalated item
        # that fails verification is escalated a second time (the sweep keys that round by verified_at).
        item.completed_on, item.notice_step = None, ""
    item.save(update_fields=["verification", "verification_note", "verified_by", "verified_at", "completed_on", "notice_step"])
    audit(type=CampaignEvent.RECTIFICATION_VERIFIED, actor=actor, obj=item, data={"passed": passed, "note": item.verification_note})
    return item


@transaction.atomic
def campaign_mechanisms_update(*, campaign: Campaign, states: dict[str, tuple[bool, str]], actor, now: dt.datetime) -> list:
    """Record which long-term mechanisms of 003 §四 the campaign established, with how."""
    if not is_manager(campaign, actor):
        raise ValidationError(_("只有领导小组可以登记长效机制建立情况。"))
    if set(states) - set(rules.MECHANISMS):
        raise ValidationError(_("有无效的长效机制。"))
    rows = list(CampaignMechanism.objects.select_for_update().filter(campaign=campaign, key__in=states))
    changed = []
    for row in rows:
        established, note = states[row.key]
        if row.established != established or row.note != note.strip():
            row.established, row.note, row.updated_by, row.updated_at = established, note.strip(), actor, now
            row.save(update_fields=["established", "note", "updated_by", "updated_at"])
            changed.append({"key": row.key, "established": established})
    if changed:
        audit(type=CampaignEvent.CAMPAIGN_MECHANISMS_UPDATED, actor=actor, obj=campaign, data={"changed": changed})
    return rows


@transaction.atomic
def campaign_report_request(*, campaign: Campaign, actor, now: dt.datetime) -> ReportJob:
    """Ask for the campaign's summary report (PDF, rendered by the report task) from the summary
    phase on (003 §三 "11-12月总结专项行动开展情况")."""
    from discipline.reports.jobs import ring_after_commit

    if not is_manager(campaign, actor):
        raise ValidationError(_("只有领导小组可以生成专项行动总结报告。"))
    if local_date(now) < campaign.summary_start:
        raise ValidationError(_("总结阶段自%(d)s开始，届时可生成总结报告。") % {"d": cn_date(campaign.summary_start)})
    job = ReportJob.objects.create(
        kind=ReportJob.Kind.CAMPAIGN, year=campaign.year, campaign=campaign, requested_by=actor, created_at=now,
        number=f"专项〔{campaign.year}〕{campaign.pk}号",
    )  # fmt: skip
    audit(type=ReportEvent.REPORT_REQUESTED, actor=actor, obj=job, data={"report": "campaign", "campaign": campaign.pk})
    ring_after_commit(job.pk)
    return job


@transaction.atomic
def campaign_checklist_save(*, item, changed: list[str], actor):
    """Save a checklist area or question as an administrator edited it (003 §三's checklist, seeded
    by a migration): one audit event with the fields changed."""
    created = item.pk is None
    item.save()
    audit(
        type=CampaignEvent.CAMPAIGN_CHECKLIST_CHANGED,
        actor=actor,
        obj=item,
        data={"action": "added" if created else "changed", "fields": sorted(changed)},
    )
    return item


@transaction.atomic
def campaign_checklist_delete(*, item, actor) -> None:
    """Delete an unused checklist item (one with answers is protected and deactivated instead)."""
    audit(type=CampaignEvent.CAMPAIGN_CHECKLIST_CHANGED, actor=actor, obj=item, data={"action": "deleted", "text": str(item)})
    item.delete()
