"""Services of enforcement-fault accountability (R-FAULT, 002 第五至十二条), error tolerance and
correction (R-TOL, 004 第十五至二十四条) and petitions about officers (R-PETITION, 004 第二十五条).

Each runs in one transaction and writes one audit event. Keyword-only, ``actor`` last (with ``now``
passed in). The pure rules are in ``discipline.fault_rules``; deadlines use ``period_end``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.formats import cn_date
from cases.models import AuditEvent, Case, Person, Unit
from cases.roles import Role, has_role
from records.calendar.dates import local_date
from records.calendar.deadlines import period_end
from records.record.evidence import check_upload

from . import fault_rules as fr
from .bodies import body_codes_of, supervised_unit_ids
from .models import CorrectionFollowUp, CorrectionTask, FaultCase, FaultParticipant, Petition, ToleranceApplication


def _staff_of(body: Unit | None, actor) -> None:
    if body is None or body.code not in body_codes_of(actor):
        raise ValidationError(_("您不是该纪检监察机构的工作人员。"))


def _not_future(value: dt.date | None, label: str, now: dt.datetime, errors: list) -> None:
    if value is not None and value > local_date(now):
        errors.append(_("%(label)s不能晚于今天。") % {"label": label})


def _required(value, label: str, errors: list) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(_("请填写%(label)s。") % {"label": label})


def _catalogue(keys: Iterable[str], catalogue: dict, label: str, errors: list) -> list[str]:
    keys = list(dict.fromkeys(keys))
    if set(keys) - set(catalogue):
        errors.append(_("%(label)s中有无效的选项。") % {"label": label})
    return [k for k in catalogue if k in keys]


def _lock(model, pk):
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


# --- error counts (004 第二十一条: a tolerated error is not an enforcement error) -------------------


def tolerated_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}tolerance_applications__status": ToleranceApplication.Status.GRANTED})


def enforcement_errors(qs: QuerySet | None = None) -> QuerySet:
    """Fault cases counted as enforcement errors: every fault case except those linked to a granted
    tolerance application (004 第二十一条 "不作为执法错误认定")."""
    qs = FaultCase.objects.all() if qs is None else qs
    granted = ToleranceApplication.objects.filter(status=ToleranceApplication.Status.GRANTED, fault_case__isnull=False)
    return qs.exclude(pk__in=granted.values("fault_case_id"))


def error_count_of(person: Person) -> int:
    """Enforcement errors a person is responsible for (a share other than none), tolerated excluded."""
    involved = FaultParticipant.objects.filter(person=person).exclude(confirmed_share=fr.NONE)
    involved = involved.exclude(confirmed_share="", suggested_share=fr.NONE)
    return enforcement_errors().filter(pk__in=involved.values("case_id")).count()


def recurring_for_body(body: Unit, *, today: dt.date, threshold: int | None = None) -> dict:
    """004 第二十四条: kinds and fields of enforcement errors recurring in the units of `body` within
    12 months (tolerated errors excluded), with the cases behind each flag."""
    cases = list(
        enforcement_errors(FaultCase.objects.filter(body=body, occurred_on__gt=today - fr.RECURRENCE_WINDOW, occurred_on__lte=today))
        .only("pk", "occurred_on", "fault_types", "error_field", "act")
        .order_by("occurred_on", "pk")
    )
    # 004 第二十四条 names no number: the threshold is a setting (RECURRING_ERROR_THRESHOLD, default 3).
    threshold = threshold or settings.RECURRING_ERROR_THRESHOLD
    flags = fr.recurring_errors(((c.occurred_on, c.error_kind, c.error_field) for c in cases), today=today, threshold=threshold)
    out = {}
    for (dim, value), n in sorted(flags.items()):
        label = fr.FAULT_TYPES.get(value, value) if dim == "kind" else _("执法领域：%(f)s") % {"f": value}
        listed = [c for c in cases if (c.error_kind if dim == "kind" else c.error_field) == value]
        out[(dim, value)] = {"label": label, "count": n, "cases": listed}
    return out


# --- fault cases (002) -----------------------------------------------------------------------------


@transaction.atomic
def fault_case_open(
    *,
    body: Unit,
    unit: Unit | None,
    act: str,
    occurred_on: dt.date | None,
    fault_types: Iterable[str],
    participants: Iterable[tuple[Person, str]],
    misreported: bool = False,
    approval_required: bool = False,
    approved: bool = False,
    head_consented: bool = False,
    changed_by_superior: bool = False,
    no_liability: Iterable[str] = (),
    lighter: Iterable[str] = (),
    heavier: Iterable[str] = (),
    case: Case | None = None,
    error_field: str = "",
    facts: str = "",
    actor,
    now: dt.datetime,
) -> FaultCase:
    """Register a confirmed enforcement fault and store the 第九条 allocation suggested from the facts
    (第六条 circumstances remove liability first) for each person in their role."""
    _staff_of(body, actor)
    errors: list[str] = []
    if unit is None or unit.pk not in supervised_unit_ids([body]):
        errors.append(_("请选择本机构受理的执法单位。"))
    _required(act, _("过错行政执法行为"), errors)
    _required(occurred_on, _("过错发生日期"), errors)
    _not_future(occurred_on, _("过错发生日期"), now, errors)
    fault_types = _catalogue(fault_types, fr.FAULT_TYPES, _("过错情形"), errors)
    if not fault_types:
        errors.append(_("请至少选择一项第五条规定的过错情形。"))
    no_liability = _catalogue(no_liability, fr.NO_LIABILITY, _("第六条情形"), errors)
    lighter = _catalogue(lighter, fr.LIGHTER, _("第七条情形"), errors)
    heavier = _catalogue(heavier, fr.HEAVIER, _("第八条情形"), errors)
    people = [(p, r) for p, r in participants if p is not None]
    if not people:
        errors.append(_("请至少填写一名相关人员及其角色。"))
    if any(r not in FaultParticipant.Role.values for _p, r in people):
        errors.append(_("相关人员的角色无效。"))
    if len({(p.pk, r) for p, r in people}) != len(people):
        errors.append(_("同一人员在同一角色中重复填写。"))
    if approved and approval_required is False:
        approval_required = True
    if case is not None and unit is not None and case.unit_id != unit.pk:
        errors.append(_("所选执法案件不属于该执法单位。"))
    if errors:
        raise ValidationError(errors)
    facts_obj = fr.FaultFacts(
        misreported=misreported, approval_required=approval_required, approved=approved, head_consented=head_consented,
        changed_by_superior=changed_by_superior, no_liability=tuple(no_liability),
    )  # fmt: skip
    allocation = fr.allocate_responsibility(facts_obj)
    fault_case = FaultCase.objects.create(
        body=body, unit=unit, case=case, act=act.strip(), occurred_on=occurred_on, fault_types=fault_types,
        error_field=error_field.strip(), no_liability=no_liability, lighter=lighter, heavier=heavier,
        misreported=misreported, approval_required=approval_required, approved=approved, head_consented=head_consented,
        changed_by_superior=changed_by_superior, suggestion_basis=allocation.basis, suggestion_determined=allocation.determined,
        adjustment=fr.adjustment(lighter=lighter, heavier=heavier), facts=facts.strip(), created_by=actor, created_at=now,
    )  # fmt: skip
    FaultParticipant.objects.bulk_create(
        [FaultParticipant(case=fault_case, person=p, role=r, suggested_share=allocation.shares.get(r, fr.NONE)) for p, r in people]
    )
    audit(
        type=AuditEvent.Type.FAULT_CASE_OPENED, actor=actor, obj=fault_case,
        data={"fault_types": fault_types, "basis": allocation.basis, "shares": {f"{p.pk}:{r}": allocation.shares.get(r) for p, r in people}},
    )  # fmt: skip
    return fault_case


@transaction.atomic
def fault_share_confirm(*, participant: FaultParticipant, share: str, reason: str = "", actor, now: dt.datetime) -> FaultParticipant:
    """Staff confirm the suggested share or override it with a reason; the suggestion stays."""
    participant = FaultParticipant.objects.select_for_update(of=("self",)).select_related("case__body").get(pk=participant.pk)
    _staff_of(participant.case.body, actor)
    errors: list[str] = []
    if participant.case.decided_on is not None:
        errors.append(_("处理决定已作出，不能再修改责任认定。"))
    if share not in {c for c, _l in FaultParticipant._meta.get_field("confirmed_share").choices}:
        errors.append(_("请选择认定的责任。"))
    elif share != participant.suggested_share and not reason.strip():
        errors.append(_("认定的责任与第九条建议不一致的，请填写理由。"))
    if errors:
        raise ValidationError(errors)
    participant.confirmed_share = share
    participant.override_reason = reason.strip() if share != participant.suggested_share else ""
    participant.confirmed_by, participant.confirmed_at = actor, now
    participant.save(update_fields=["confirmed_share", "override_reason", "confirmed_by", "confirmed_at"])
    audit(
        type=AuditEvent.Type.FAULT_SHARE_CONFIRMED, actor=actor, obj=participant.case,
        data={"participant": participant.pk, "suggested": participant.suggested_share, "confirmed": share, "overridden": participant.overridden},
    )  # fmt: skip
    return participant


@transaction.atomic
def fault_case_decide(*, fault_case: FaultCase, decision: str, decided_on: dt.date | None, actor, now: dt.datetime) -> FaultCase:
    """002 第十条: the decision; the written notice is due within 10 日 (第十一条)."""
    fault_case = _lock(FaultCase, fault_case.pk)
    _staff_of(fault_case.body, actor)
    errors: list[str] = []
    if fault_case.decided_on is not None:
        errors.append(_("处理决定已作出。"))
    _required(decision, _("处理决定"), errors)
    _required(decided_on, _("决定日期"), errors)
    _not_future(decided_on, _("决定日期"), now, errors)
    if decided_on and decided_on < fault_case.occurred_on:
        errors.append(_("决定日期不能早于过错发生日期。"))
    if fault_case.participants.filter(confirmed_share="").exists():
        errors.append(_("请先认定每名相关人员的责任。"))
    if errors:
        raise ValidationError(errors)
    fault_case.decision, fault_case.decided_on, fault_case.decided_by = decision.strip(), decided_on, actor
    fault_case.notice_due = period_end(decided_on, fr.DECISION_NOTICE_DAYS)
    fault_case.status = FaultCase.Status.DECIDED
    fault_case.save(update_fields=["decision", "decided_on", "decided_by", "notice_due", "status"])
    audit(
        type=AuditEvent.Type.FAULT_DECIDED,
        actor=actor,
        obj=fault_case,
        data={"decided_on": decided_on.isoformat(), "notice_due": fault_case.notice_due.isoformat()},
    )
    return fault_case


@transaction.atomic
def fault_case_serve(*, fault_case: FaultCase, served_on: dt.date | None, actor, now: dt.datetime) -> FaultCase:
    """002 第十一条: the written decision was served (a late service is recorded, and shown as late)."""
    fault_case = _lock(FaultCase, fault_case.pk)
    _staff_of(fault_case.body, actor)
    errors: list[str] = []
    if fault_case.decided_on is None:
        errors.append(_("尚未作出处理决定。"))
    elif fault_case.served_on is not None:
        errors.append(_("处理决定已书面通知。"))
    _required(served_on, _("书面通知日期"), errors)
    _not_future(served_on, _("书面通知日期"), now, errors)
    if served_on and fault_case.decided_on and served_on < fault_case.decided_on:
        errors.append(_("书面通知日期不能早于决定日期。"))
    if errors:
        raise ValidationError(errors)
    fault_case.served_on, fault_case.status = served_on, FaultCase.Status.SERVED
    fault_case.save(update_fields=["served_on", "status"])
    audit(
        type=AuditEvent.Type.FAULT_SERVED,
        actor=actor,
        obj=fault_case,
        data={"served_on": served_on.isoformat(), "late": served_on > fault_case.notice_due},
    )
    return fault_case


@transaction.atomic
def fault_case_receive(*, fault_case: FaultCase, received_on: dt.date | None, actor, now: dt.datetime) -> FaultCase:
    """002 第十二条: the day the person received the notice starts the 30 日 review window."""
    fault_case = _lock(FaultCase, fault_case.pk)
    _staff_of(fault_case.body, actor)
    errors: list[str] = []
    if fault_case.served_on is None:
        errors.append(_("请先登记书面通知日期。"))
    elif fault_case.received_on is not None:
        errors.append(_("已登记接到通知日期。"))
    _required(received_on, _("接到通知日期"), errors)
    _not_future(received_on, _("接到通知日期"), now, errors)
    if received_on and fault_case.served_on and received_on < fault_case.served_on:
        errors.append(_("接到通知日期不能早于书面通知日期。"))
    if errors:
        raise ValidationError(errors)
    fault_case.received_on = received_on
    fault_case.review_due = period_end(received_on, fr.REVIEW_REQUEST_DAYS)
    fault_case.save(update_fields=["received_on", "review_due"])
    audit(
        type=AuditEvent.Type.FAULT_RECEIVED,
        actor=actor,
        obj=fault_case,
        data={"received_on": received_on.isoformat(), "review_due": fault_case.review_due.isoformat()},
    )
    return fault_case


@transaction.atomic
def fault_review_request(*, fault_case: FaultCase, requested_on: dt.date | None, reason: str, actor, now: dt.datetime) -> FaultCase:
    """002 第十二条: a review request, refused after the 30 日 window."""
    fault_case = _lock(FaultCase, fault_case.pk)
    _staff_of(fault_case.body, actor)
    errors: list[str] = []
    _required(requested_on, _("复核申请日期"), errors)
    _required(reason, _("复核申请理由"), errors)
    _not_future(requested_on, _("复核申请日期"), now, errors)
    if fault_case.received_on is None:
        errors.append(_("请先登记本人接到决定通知的日期。"))
    elif fault_case.review_requested_on is not None:
        errors.append(_("已登记复核申请。"))
    elif requested_on and requested_on < fault_case.received_on:
        errors.append(_("复核申请日期不能早于接到通知日期。"))
    elif requested_on and requested_on > fault_case.review_due:
        errors.append(
            _("复核申请已超过期限：应在接到决定通知之日起30日内（%(due)s前）提出（第十二条）。") % {"due": cn_date(fault_case.review_due)}
        )
    if errors:
        raise ValidationError(errors)
    fault_case.review_requested_on, fault_case.review_request = requested_on, reason.strip()
    fault_case.status = FaultCase.Status.REVIEW
    fault_case.save(update_fields=["review_requested_on", "review_request", "status"])
    audit(type=AuditEvent.Type.FAULT_REVIEW_REQUESTED, actor=actor, obj=fault_case, data={"requested_on": requested_on.isoformat()})
    return fault_case


def _outcome_checks(outcome: str, text: str, on: dt.date | None, after: dt.date | None, now: dt.datetime, errors: list) -> None:
    if outcome not in FaultCase.Outcome.values:
        errors.append(_("请选择处理结果。"))
    _required(text, _("处理意见"), errors)
    _required(on, _("决定日期"), errors)
    _not_future(on, _("决定日期"), now, errors)
    if on and after and on < after:
        errors.append(_("决定日期不能早于申请日期。"))


@transaction.atomic
def fault_review_decide(
    *, fault_case: FaultCase, outcome: str, text: str, decided_on: dt.date | None, actor, now: dt.datetime
) -> FaultCase:
    fault_case = _lock(FaultCase, fault_case.pk)
    _staff_of(fault_case.body, actor)
    errors: list[str] = []
    if fault_case.review_requested_on is None:
        errors.append(_("没有复核申请。"))
    elif fault_case.review_outcome:
        errors.append(_("复核决定已登记。"))
    _outcome_checks(outcome, text, decided_on, fault_case.review_requested_on, now, errors)
    if errors:
        raise ValidationError(errors)
    fault_case.review_outcome, fault_case.review_outcome_text, fault_case.review_decided_on = outcome, text.strip(), decided_on
    fault_case.status = FaultCase.Status.CLOSED
    fault_case.save(update_fields=["review_outcome", "review_outcome_text", "review_decided_on", "status"])
    audit(type=AuditEvent.Type.FAULT_REVIEW_DECIDED, actor=actor, obj=fault_case, data={"outcome": outcome})
    return fault_case


@transaction.atomic
def fault_appeal_record(
    *, fault_case: FaultCase, filed_on: dt.date | None, appeal_to: str, text: str, actor, now: dt.datetime
) -> FaultCase:
    """002 第十二条 "对处理决定不服的个人也可以向有关部门提出申诉"."""
    fault_case = _lock(FaultCase, fault_case.pk)
    _staff_of(fault_case.body, actor)
    errors: list[str] = []
    if fault_case.decided_on is None:
        errors.append(_("尚未作出处理决定。"))
    elif fault_case.appeal_filed_on is not None:
        errors.append(_("已登记申诉。"))
    _required(filed_on, _("申诉日期"), errors)
    _required(appeal_to, _("申诉受理部门"), errors)
    _required(text, _("申诉理由"), errors)
    _not_future(filed_on, _("申诉日期"), now, errors)
    if filed_on and fault_case.decided_on and filed_on < fault_case.decided_on:
        errors.append(_("申诉日期不能早于决定日期。"))
    if errors:
        raise ValidationError(errors)
    fault_case.appeal_filed_on, fault_case.appeal_to, fault_case.appeal_text = filed_on, appeal_to.strip(), text.strip()
    fault_case.save(update_fields=["appeal_filed_on", "appeal_to", "appeal_text"])
    audit(type=AuditEvent.Type.FAULT_APPEAL_RECORDED, actor=actor, obj=fault_case, data={"filed_on": filed_on.isoformat()})
    return fault_case


@transaction.atomic
def fault_appeal_decide(
    *, fault_case: FaultCase, outcome: str, text: str, decided_on: dt.date | None, actor, now: dt.datetime
) -> FaultCase:
    fault_case = _lock(FaultCase, fault_case.pk)
    _staff_of(fault_case.body, actor)
    errors: list[str] = []
    if fault_case.appeal_filed_on is None:
        errors.append(_("没有申诉。"))
    elif fault_case.appeal_outcome:
        errors.append(_("申诉处理结果已登记。"))
    _outcome_checks(outcome, text, decided_on, fault_case.appeal_filed_on, now, errors)
    if errors:
        raise ValidationError(errors)
    fault_case.appeal_outcome, fault_case.appeal_outcome_text, fault_case.appeal_decided_on = outcome, text.strip(), decided_on
    fault_case.save(update_fields=["appeal_outcome", "appeal_outcome_text", "appeal_decided_on"])
    audit(type=AuditEvent.Type.FAULT_APPEAL_DECIDED, actor=actor, obj=fault_case, data={"outcome": outcome})
    return fault_case


# --- error tolerance (004 第十五至二十一条) -----------------------------------------------------------


def _assess(app: ToleranceApplication) -> fr.ToleranceAssessment:
    return fr.assess_tolerance(
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
    _required(error, _("执法错误情况"), errors)
    _required(occurred_on, _("发生日期"), errors)
    _not_future(occurred_on, _("发生日期"), now, errors)
    if error_kind not in fr.FAULT_TYPES:
        errors.append(_("请选择错误类别。"))
    grounds = _catalogue(grounds, {**fr.DUTY_FULFILLED, **fr.TOLERANCE_GROUNDS}, _("容错情形"), errors)
    mitigations = _catalogue(mitigations, fr.MITIGATION, _("从轻减轻情形"), errors)
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
        type=AuditEvent.Type.TOLERANCE_APPLIED,
        actor=actor,
        obj=app,
        data={"person": person.pk, "applied_by": applied_by, "eligible": assessment.eligible},
    )
    if checked is not None:
        # Its own event, like a record's evidence upload: the chain vouches for the file's hash.
        audit(
            type=AuditEvent.Type.TOLERANCE_EVIDENCE_UPLOADED,
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
    app = _lock(ToleranceApplication, application.pk)
    _staff_of(app.body, actor)
    errors: list[str] = []
    if app.status != ToleranceApplication.Status.PENDING:
        errors.append(_("该申请已作出认定。"))
    assessment = _assess(app)
    if grant and not assessment.eligible:
        errors.append(_("不能予以容错：%(reason)s。") % {"reason": assessment.reason})
    measures = _catalogue(measures, fr.LIGHT_MEASURES, _("处理方式"), errors)
    if measures and not assessment.light_measures_applicable:
        errors.append(_("第十八条的处理方式仅适用于情节轻微、危害较小且具有从轻减轻情形的。"))
    _required(decision, _("认定结论"), errors)
    _required(decided_on, _("认定日期"), errors)
    _not_future(decided_on, _("认定日期"), now, errors)
    if decided_on and decided_on < local_date(app.created_at):
        errors.append(_("认定日期不能早于申请日期。"))
    if errors:
        raise ValidationError(errors)
    app.status = ToleranceApplication.Status.GRANTED if grant else ToleranceApplication.Status.REFUSED
    app.decision, app.decided_on, app.decided_by, app.measures = decision.strip(), decided_on, actor, measures
    app.notice_due = period_end(decided_on, fr.TOLERANCE_NOTICE_DAYS)
    app.save(update_fields=["status", "decision", "decided_on", "decided_by", "measures", "notice_due"])
    audit(
        type=AuditEvent.Type.TOLERANCE_DECIDED,
        actor=actor,
        obj=app,
        data={"status": app.status, "measures": measures, "notice_due": app.notice_due.isoformat()},
    )
    return app


@transaction.atomic
def tolerance_notify(
    *, application: ToleranceApplication, notified_on: dt.date | None, publicity_scope: str, actor, now: dt.datetime
) -> ToleranceApplication:
    """004 第二十条: the units and the person were told; publicity "一般应在一定范围内公开"."""
    app = _lock(ToleranceApplication, application.pk)
    _staff_of(app.body, actor)
    errors: list[str] = []
    if app.decided_on is None:
        errors.append(_("尚未作出认定。"))
    elif app.notified_on is not None:
        errors.append(_("已登记告知。"))
    _required(notified_on, _("告知日期"), errors)
    _required(publicity_scope, _("公开范围"), errors)
    _not_future(notified_on, _("告知日期"), now, errors)
    if notified_on and app.decided_on and notified_on < app.decided_on:
        errors.append(_("告知日期不能早于认定日期。"))
    if errors:
        raise ValidationError(errors)
    app.notified_on, app.publicity_scope = notified_on, publicity_scope.strip()
    app.save(update_fields=["notified_on", "publicity_scope"])
    audit(
        type=AuditEvent.Type.TOLERANCE_NOTIFIED,
        actor=actor,
        obj=app,
        data={"notified_on": notified_on.isoformat(), "late": notified_on > app.notice_due},
    )
    return app


# --- correction (004 第二十二至二十四条) --------------------------------------------------------------


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
    app = _lock(ToleranceApplication, application.pk)
    _staff_of(app.body, actor)
    errors: list[str] = []
    if app.status != ToleranceApplication.Status.GRANTED:
        errors.append(_("纠错程序随容错免责决定启动，该申请尚未予以容错。"))
    _required(reason, _("纠错事由"), errors)
    _required(requirement, _("纠错要求"), errors)
    _required(deadline, _("整改期限"), errors)
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
    audit(type=AuditEvent.Type.CORRECTION_CREATED, actor=actor, obj=task, data={"application": app.pk, "deadline": deadline.isoformat()})
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
    _required(reason, _("延期理由"), errors)
    _required(until, _("申请延至日期"), errors)
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
    audit(type=AuditEvent.Type.CORRECTION_EXTENSION_REQUESTED, actor=actor, obj=task, data={"until": until.isoformat()})
    return task


@transaction.atomic
def correction_extension_decide(*, task: CorrectionTask, approve: bool, decision: str, actor, now: dt.datetime) -> CorrectionTask:
    task = _lock_task(task)
    _staff_of(task.application.body, actor)
    errors: list[str] = []
    if task.extension_status != CorrectionTask.Extension.PENDING:
        errors.append(_("没有待审批的延期申请。"))
    _required(decision, _("审批意见"), errors)
    if errors:
        raise ValidationError(errors)
    task.extension_status = CorrectionTask.Extension.APPROVED if approve else CorrectionTask.Extension.REFUSED
    task.extension_decision, task.extension_decided_on = decision.strip(), local_date(now)
    old = task.deadline
    if approve:
        task.deadline = task.extension_until
    task.save(update_fields=["extension_status", "extension_decision", "extension_decided_on", "deadline"])
    audit(
        type=AuditEvent.Type.CORRECTION_EXTENSION_DECIDED,
        actor=actor,
        obj=task,
        data={"approved": approve, "before": old.isoformat(), "after": task.deadline.isoformat()},
    )
    return task


@transaction.atomic
def correction_complete(*, task: CorrectionTask, completed_on: dt.date | None, note: str, actor, now: dt.datetime) -> CorrectionTask:
    task = _lock_task(task)
    _staff_of(task.application.body, actor)
    errors: list[str] = []
    if task.completed_on is not None:
        errors.append(_("纠错整改已完成。"))
    _required(completed_on, _("完成日期"), errors)
    _required(note, _("整改完成情况"), errors)
    _not_future(completed_on, _("完成日期"), now, errors)
    if errors:
        raise ValidationError(errors)
    task.completed_on, task.completion_note = completed_on, note.strip()
    task.save(update_fields=["completed_on", "completion_note"])
    audit(
        type=AuditEvent.Type.CORRECTION_COMPLETED,
        actor=actor,
        obj=task,
        data={"completed_on": completed_on.isoformat(), "late": completed_on > task.deadline},
    )
    return task


@transaction.atomic
def correction_follow_up(*, task: CorrectionTask, on: dt.date | None, note: str, actor, now: dt.datetime) -> CorrectionFollowUp:
    task = _lock_task(task)
    _staff_of(task.application.body, actor)
    errors: list[str] = []
    _required(on, _("跟踪日期"), errors)
    _required(note, _("整改情况"), errors)
    _not_future(on, _("跟踪日期"), now, errors)
    if errors:
        raise ValidationError(errors)
    entry = CorrectionFollowUp.objects.create(task=task, on=on, note=note.strip(), by=actor, created_at=now)
    audit(type=AuditEvent.Type.CORRECTION_FOLLOWED_UP, actor=actor, obj=task, data={"follow_up": entry.pk, "on": on.isoformat()})
    return entry


# --- petitions (004 第二十五条) ---------------------------------------------------------------------

ANSWERABLE = {Petition.Finding.UNFOUNDED, Petition.Finding.NO_EVIDENCE, Petition.Finding.TOLERATED}


@transaction.atomic
def petition_register(
    *, body: Unit, subject: Person | None, real_name: bool, petitioner_name: str = "", petitioner_contact: str = "",
    received_on: dt.date | None, allegation: str, actor, now: dt.datetime,
) -> Petition:  # fmt: skip
    _staff_of(body, actor)
    errors: list[str] = []
    if subject is None or subject.unit_id is None or subject.unit_id not in supervised_unit_ids([body]):
        errors.append(_("请选择本机构受理单位的被反映人。"))
    if real_name and not petitioner_name.strip():
        errors.append(_("实名举报请填写举报人姓名。"))
    _required(received_on, _("收到日期"), errors)
    _not_future(received_on, _("收到日期"), now, errors)
    _required(allegation, _("反映问题"), errors)
    if errors:
        raise ValidationError(errors)
    petition = Petition.objects.create(
        body=body, subject=subject, real_name=real_name, petitioner_name=petitioner_name.strip() if real_name else "",
        petitioner_contact=petitioner_contact.strip() if real_name else "", received_on=received_on, allegation=allegation.strip(),
        created_by=actor, created_at=now,
    )  # fmt: skip
    audit(type=AuditEvent.Type.PETITION_REGISTERED, actor=actor, obj=petition, data={"subject": subject.pk, "real_name": real_name})
    return petition


@transaction.atomic
def petition_find(
    *, petition: Petition, finding: str, text: str, found_on: dt.date | None, malicious: bool = False,
    tolerance: ToleranceApplication | None = None, actor, now: dt.datetime,
) -> Petition:  # fmt: skip
    petition = _lock(Petition, petition.pk)
    _staff_of(petition.body, actor)
    errors: list[str] = []
    if petition.finding:
        errors.append(_("查处结论已登记。"))
    if finding not in {Petition.Finding.FOUNDED, *ANSWERABLE}:
        errors.append(_("请选择查处结论。"))
    _required(text, _("调查情况"), errors)
    _required(found_on, _("结论日期"), errors)
    _not_future(found_on, _("结论日期"), now, errors)
    if found_on and found_on < petition.received_on:
        errors.append(_("结论日期不能早于收到日期。"))
    if finding == Petition.Finding.TOLERATED:
        if tolerance is None or tolerance.person_id != petition.subject_id or tolerance.status != ToleranceApplication.Status.GRANTED:
            errors.append(_("容错免责的，请选择对被反映人予以容错的认定。"))
    else:
        tolerance = None
    if malicious and finding not in {Petition.Finding.UNFOUNDED, Petition.Finding.NO_EVIDENCE}:
        errors.append(_("只有经查不属实或查无实据的，才能认定为恶意中伤、诬告陷害。"))
    if errors:
        raise ValidationError(errors)
    petition.finding, petition.finding_text, petition.found_on = finding, text.strip(), found_on
    petition.malicious, petition.tolerance = malicious, tolerance
    petition.save(update_fields=["finding", "finding_text", "found_on", "malicious", "tolerance"])
    audit(type=AuditEvent.Type.PETITION_FOUND, actor=actor, obj=petition, data={"finding": finding, "malicious": malicious})
    return petition


@transaction.atomic
def petition_answer(*, petition: Petition, on: dt.date | None, content: str, scope: str = "", actor, now: dt.datetime) -> Petition:
    """004 第二十五条: feedback to a real-name petitioner; for an anonymous one, an explanation within
    a scope."""
    petition = _lock(Petition, petition.pk)
    _staff_of(petition.body, actor)
    errors: list[str] = []
    if petition.finding not in ANSWERABLE:
        errors.append(_("只有经查不属实、查无实据或容错免责的，才登记反馈或说明情况。"))
    elif petition.feedback_on or petition.explained_on:
        errors.append(_("已登记反馈或说明。"))
    _required(on, _("日期"), errors)
    _required(content, _("反馈或说明内容"), errors)
    _not_future(on, _("日期"), now, errors)
    if not petition.real_name and not scope.strip():
        errors.append(_("匿名举报请填写说明情况的范围。"))
    if errors:
        raise ValidationError(errors)
    if petition.real_name:
        petition.feedback_on, petition.feedback = on, content.strip()
    else:
        petition.explained_on, petition.explanation, petition.explanation_scope = on, content.strip(), scope.strip()
    petition.save(update_fields=["feedback_on", "feedback", "explained_on", "explanation", "explanation_scope"])
    audit(type=AuditEvent.Type.PETITION_ANSWERED, actor=actor, obj=petition, data={"real_name": petition.real_name, "on": on.isoformat()})
    return petition


@transaction.atomic
def petition_clear_name(
    *, petition: Petition, cleared_on: dt.date | None, how: str, where: str, text: str = "", actor, now: dt.datetime
) -> Petition:
    """004 第二十五条: 澄清正名 for an officer maliciously or falsely accused."""
    petition = _lock(Petition, petition.pk)
    _staff_of(petition.body, actor)
    errors: list[str] = []
    if not petition.malicious:
        errors.append(_("只有经查受到恶意中伤、诬告陷害的，才登记澄清正名。"))
    elif petition.cleared_on is not None:
        errors.append(_("已登记澄清正名。"))
    _required(cleared_on, _("澄清正名日期"), errors)
    _required(how, _("澄清方式"), errors)
    _required(where, _("澄清范围"), errors)
    _not_future(cleared_on, _("澄清正名日期"), now, errors)
    if errors:
        raise ValidationError(errors)
    petition.cleared_on, petition.cleared_how, petition.cleared_where, petition.cleared_text = (
        cleared_on,
        how.strip(),
        where.strip(),
        text.strip(),
    )
    petition.save(update_fields=["cleared_on", "cleared_how", "cleared_where", "cleared_text"])
    audit(type=AuditEvent.Type.PETITION_NAME_CLEARED, actor=actor, obj=petition, data={"on": cleared_on.isoformat()})
    return petition
