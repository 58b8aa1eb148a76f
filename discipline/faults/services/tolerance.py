"""Error tolerance and correction (004, R-TOL): applications, decisions, notices, correction tasks, extensions and
follow-ups. Each service runs in one transaction and writes its audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.models import Person
from cases.roles import Role, has_role
from cases.selectors import bureau_of
from discipline.common.bodies import body_codes_of, require_staff_of
from discipline.common.dates import not_after_today
from discipline.common.numbering import next_sequence
from discipline.faults import rules
from discipline.faults.models import CorrectionFollowUp, CorrectionTask, FaultCase, ToleranceApplication
from discipline.faults.services.common import catalogue_keys, lock_row, require_value
from discipline.faults.vocabulary import FaultEvent
from records.calendar.dates import local_date
from records.calendar.deadlines import period_end
from records.record.evidence import check_upload


def _assess(app: ToleranceApplication) -> rules.ToleranceAssessment:
    return rules.assess_tolerance(
        grounds=app.grounds, mitigations=app.mitigations,
        abused_or_failed_duty_causing_harm=app.abused_or_failed_duty_causing_harm, minor_and_low_harm=app.minor_and_low_harm,
    )  # fmt: skip



@transaction.atomic
def tolerance_apply(
    *,
    person: Person,
    applied_by: str,
    error: str,
    occurred_on: dt.date | None,
    error_kind: str,
    error_field: str = "",
    grounds: Iterable[str] = (),
    mitigations: Iterable[str] = (),
    abused_or_failed_duty_causing_harm: bool = False,
    minor_and_low_harm: bool = False,
    evidence=None,
    evidence_text: str = "",
    fault_case: FaultCase | None = None,
    actor,
    now: dt.datetime,
) -> ToleranceApplication:
    """004 第二十条: an application by the officer themself or by their unit (entered by the discipline
    body's staff or the section head of the officer's unit). The assessment is stored as made."""
    errors: list[str] = []
    body = person.unit.effective_discipline_body() if person.unit_id else None
    if body is None:
        raise ValidationError(_("该执法人员所在单位没有纪检监察机构。"))
    if applied_by == ToleranceApplication.AppliedBy.SELF:
        if getattr(actor, "pk", None) is None or person.user_id != actor.pk:
            errors.append(_("本人申请只能由执法人员本人提出。"))
    elif applied_by == ToleranceApplication.AppliedBy.UNIT:
        own = Person.objects.filter(user=actor).values_list("unit_id", flat=True).first()
        if body.code not in body_codes_of(actor) and not (has_role(actor, Role.SECTION_HEAD) and own == person.unit_id):
            errors.append(_("单位申请只能由该人员所在单位负责人或纪检监察机构工作人员提出。"))
    else:
        errors.append(_("请选择申请方式。"))
    require_value(error, _("执法错误情况"), errors)
    require_value(occurred_on, _("发生日期"), errors)
    not_after_today(occurred_on, _("发生日期"), now, errors)
    if error_kind not in rules.FAULT_TYPES:
        errors.append(_("请选择错误类别。"))
    grounds = catalogue_keys(grounds, {**rules.DUTY_FULFILLED, **rules.TOLERANCE_GROUNDS}, _("容错情形"), errors)
    mitigations = catalogue_keys(mitigations, rules.MITIGATION, _("从轻减轻情形"), errors)
    if not grounds:
        errors.append(_("请至少选择一项第十五条或第十六条规定的情形。"))
    if not evidence and not evidence_text.strip():
        errors.append(_("请上传证明材料或填写证明材料说明。"))
    checked = None
    if evidence:
        # The checks of record evidence: type from the bytes, size limit, hash for the audit chain.
        try:
            checked = check_upload(evidence)
        except ValidationError as error:
            errors.extend(error.messages)
    if fault_case is not None and (fault_case.body_id != body.pk or not fault_case.participants.filter(person=person).exists()):
        errors.append(_("所选过错案件与该执法人员无关。"))
    if errors:
        raise ValidationError(errors)
    app = ToleranceApplication(
        person=person, body=body, applied_by=applied_by, applicant=actor, fault_case=fault_case, error=error.strip(),
        occurred_on=occurred_on, error_kind=error_kind, error_field=error_field.strip(), grounds=grounds, mitigations=mitigations,
        abused_or_failed_duty_causing_harm=abused_or_failed_duty_causing_harm, minor_and_low_harm=minor_and_low_harm,
        evidence_text=evidence_text.strip(), created_at=now,
    )  # fmt: skip
    assessment = _assess(app)
    app.assessed_eligible, app.assessment_reason, app.light_measures_applicable = (
        assessment.eligible,
        assessment.reason,
        assessment.light_measures_applicable,
    )
    if checked is not None:
        app.evidence = evidence
        app.evidence_sha256, app.evidence_size, app.evidence_content_type = checked
    app.save()
    audit(
        type=FaultEvent.TOLERANCE_APPLIED,
        actor=actor,
        obj=app,
        data={"person": person.pk, "applied_by": applied_by, "eligible": assessment.eligible},
    )
    if checked is not None:
        # Its own event, like a record's evidence upload: the chain vouches for the file's hash.
        audit(
            type=FaultEvent.TOLERANCE_EVIDENCE_UPLOADED,
            actor=actor,
            obj=app,
            data={"sha256": app.evidence_sha256, "size": app.evidence_size, "content_type": app.evidence_content_type, "file": app.evidence.name},
        )
    return app



@transaction.atomic
def tolerance_decide(
    *,
    application: ToleranceApplication,
    grant: bool,
    decision: str,
    decided_on: dt.date | None,
    measures: Iterable[str] = (),
    actor,
    now: dt.datetime,
) -> ToleranceApplication:
    """004 第二十条: the party group's conclusion, entered by the discipline body. 第十九条 overrides
    every ground: an excluded application cannot be granted. Notice is due within 7 日."""
    app = lock_row(ToleranceApplication, application.pk)
    require_staff_of(app.body, actor)
    errors: list[str] = []
    if app.status != ToleranceApplication.Status.PENDING:
        errors.append(_("该申请已作出认定。"))
    assessment = _assess(app)
    if grant and not assessment.eligible:
        errors.append(_("不能予以容错：%(reason)s。") % {"reason": assessment.reason})
    measures = catalogue_keys(measures, rules.LIGHT_MEASURES, _("处理方式"), errors)
    if measures and not assessment.light_measures_applicable:
        errors.append(_("第十八条的处理方式仅适用于情节轻微、危害较小且具有从轻减轻情形的。"))
    require_value(decision, _("认定结论"), errors)
    require_value(decided_on, _("认定日期"), errors)
    not_after_today(decided_on, _("认定日期"), now, errors)
    if decided_on and decided_on < local_date(app.created_at):
        errors.append(_("认定日期不能早于申请日期。"))
    if errors:
        raise ValidationError(errors)
    app.status = ToleranceApplication.Status.GRANTED if grant else ToleranceApplication.Status.REFUSED
    app.decision, app.decided_on, app.decided_by, app.measures = decision.strip(), decided_on, actor, measures
    app.notice_due = period_end(decided_on, rules.TOLERANCE_NOTICE_DAYS)
    app.decision_issuer, app.decision_year = bureau_of(app.person.unit), decided_on.year
    app.decision_seq = next_sequence(
        issuer=app.decision_issuer, year=decided_on.year, numbered=ToleranceApplication.objects, issuer_field="decision_issuer",
        year_field="decision_year", sequence_field="decision_seq",
    )  # fmt: skip
    app.decision_number = rules.tolerance_decision_number(decided_on.year, app.decision_seq)
    app.save(
        update_fields=[
            "status", "decision", "decided_on", "decided_by", "measures", "notice_due", "decision_issuer", "decision_year", "decision_seq",
            "decision_number",
        ]
    )  # fmt: skip
    audit(
        type=FaultEvent.TOLERANCE_DECIDED,
        actor=actor,
        obj=app,
        data={"status": app.status, "measures": measures, "notice_due": app.notice_due.isoformat(), "number": app.decision_number},
    )
    return app



@transaction.atomic
def tolerance_notify(
    *, application: ToleranceApplication, notified_on: dt.date | None, publicity_scope: str, actor, now: dt.datetime
) -> ToleranceApplication:
    """004 第二十条: the units and the person were told; publicity "一般应在一定范围内公开"."""
    app = lock_row(ToleranceApplication, application.pk)
    require_staff_of(app.body, actor)
    errors: list[str] = []
    if app.decided_on is None:
        errors.append(_("尚未作出认定。"))
    elif app.notified_on is not None:
        errors.append(_("已登记告知。"))
    require_value(notified_on, _("告知日期"), errors)
    require_value(publicity_scope, _("公开范围"), errors)
    not_after_today(notified_on, _("告知日期"), now, errors)
    if notified_on and app.decided_on and notified_on < app.decided_on:
        errors.append(_("告知日期不能早于认定日期。"))
    if errors:
        raise ValidationError(errors)
    app.notified_on, app.publicity_scope = notified_on, publicity_scope.strip()
    app.save(update_fields=["notified_on", "publicity_scope"])
    audit(
        type=FaultEvent.TOLERANCE_NOTIFIED,
        actor=actor,
        obj=app,
        data={"notified_on": notified_on.isoformat(), "late": notified_on > app.notice_due},
    )
    return app



@transaction.atomic
def correction_create(
    *,
    application: ToleranceApplication,
    reason: str,
    requirement: str,
    deadline: dt.date | None,
    responsible: Person | None,
    actor,
    now: dt.datetime,
) -> CorrectionTask:
    app = lock_row(ToleranceApplication, application.pk)
    require_staff_of(app.body, actor)
    errors: list[str] = []
    if app.status != ToleranceApplication.Status.GRANTED:
        errors.append(_("纠错程序随容错免责决定启动，该申请尚未予以容错。"))
    require_value(reason, _("纠错事由"), errors)
    require_value(requirement, _("纠错要求"), errors)
    require_value(deadline, _("整改期限"), errors)
    if responsible is None:
        errors.append(_("请选择纠错责任人。"))
    if deadline and deadline < local_date(now):
        errors.append(_("整改期限不能早于今天。"))
    if errors:
        raise ValidationError(errors)
    task = CorrectionTask.objects.create(
        application=app,
        reason=reason.strip(),
        requirement=requirement.strip(),
        deadline=deadline,
        responsible=responsible,
        created_by=actor,
        created_at=now,
    )
    audit(type=FaultEvent.CORRECTION_CREATED, actor=actor, obj=task, data={"application": app.pk, "deadline": deadline.isoformat()})
    return task



def _lock_task(task: CorrectionTask) -> CorrectionTask:
    return CorrectionTask.objects.select_for_update(of=("self",)).select_related("application__body").get(pk=task.pk)



@transaction.atomic
def correction_extension_request(*, task: CorrectionTask, reason: str, until: dt.date | None, actor, now: dt.datetime) -> CorrectionTask:
    """004 第二十三条 "因特殊情况难以在规定时间内完成的，可以申请适当延长整改期限"."""
    task = _lock_task(task)
    if task.application.body.code not in body_codes_of(actor) and task.responsible.user_id != getattr(actor, "pk", None):
        raise ValidationError(_("只有纠错责任人或纪检监察机构工作人员可以申请延期。"))
    errors: list[str] = []
    if task.completed_on is not None:
        errors.append(_("纠错整改已完成。"))
    elif task.extension_status == CorrectionTask.Extension.PENDING:
        errors.append(_("已有待审批的延期申请。"))
    require_value(reason, _("延期理由"), errors)
    require_value(until, _("申请延至日期"), errors)
    if until and until <= task.deadline:
        errors.append(_("申请延至的日期应晚于现整改期限。"))
    if errors:
        raise ValidationError(errors)
    task.extension_status, task.extension_reason, task.extension_until = CorrectionTask.Extension.PENDING, reason.strip(), until
    task.extension_requested_on, task.extension_decision, task.extension_decided_on = local_date(now), "", None
    task.save(
        update_fields=[
            "extension_status",
            "extension_reason",
            "extension_until",
            "extension_requested_on",
            "extension_decision",
            "extension_decided_on",
        ]
    )
    audit(type=FaultEvent.CORRECTION_EXTENSION_REQUESTED, actor=actor, obj=task, data={"until": until.isoformat()})
    return task



@transaction.atomic
def correction_extension_decide(*, task: CorrectionTask, approve: bool, decision: str, actor, now: dt.datetime) -> CorrectionTask:
    task = _lock_task(task)
    require_staff_of(task.application.body, actor)
    errors: list[str] = []
    if task.extension_status != CorrectionTask.Extension.PENDING:
        errors.append(_("没有待审批的延期申请。"))
    require_value(decision, _("审批意见"), errors)
    if errors:
        raise ValidationError(errors)
    task.extension_status = CorrectionTask.Extension.APPROVED if approve else CorrectionTask.Extension.REFUSED
    task.extension_decision, task.extension_decided_on = decision.strip(), local_date(now)
    old = task.deadline
    if approve:
        task.deadline = task.extension_until
    task.save(update_fields=["extension_status", "extension_decision", "extension_decided_on", "deadline"])
    audit(
        type=FaultEvent.CORRECTION_EXTENSION_DECIDED,
        actor=actor,
        obj=task,
        data={"approved": approve, "before": old.isoformat(), "after": task.deadline.isoformat()},
    )
    return task



@transaction.atomic
def correction_complete(*, task: CorrectionTask, completed_on: dt.date | None, note: str, actor, now: dt.datetime) -> CorrectionTask:
    task = _lock_task(task)
    require_staff_of(task.application.body, actor)
    errors: list[str] = []
    if task.completed_on is not None:
        errors.append(_("纠错整改已完成。"))
    require_value(completed_on, _("完成日期"), errors)
    require_value(note, _("整改完成情况"), errors)
    not_after_today(completed_on, _("完成日期"), now, errors)
    if errors:
        raise ValidationError(errors)
    task.completed_on, task.completion_note = completed_on, note.strip()
    task.save(update_fields=["completed_on", "completion_note"])
    audit(
        type=FaultEvent.CORRECTION_COMPLETED,
        actor=actor,
        obj=task,
        data={"completed_on": completed_on.isoformat(), "late": completed_on > task.deadline},
    )
    return task



@transaction.atomic
def correction_follow_up(*, task: CorrectionTask, on: dt.date | None, note: str, actor, now: dt.datetime) -> CorrectionFollowUp:
    task = _lock_task(task)
    require_staff_of(task.application.body, actor)
    errors: list[str] = []
    require_value(on, _("跟踪日期"), errors)
    require_value(note, _("整改情况"), errors)
    not_after_today(on, _("跟踪日期"), now, errors)
    if errors:
        raise ValidationError(errors)
    entry = CorrectionFollowUp.objects.create(task=task, on=on, note=note.strip(), by=actor, created_at=now)
    audit(type=FaultEvent.CORRECTION_FOLLOWED_UP, actor=actor, obj=task, data={"follow_up": entry.pk, "on": on.isoformat()})
    return entry
