"""Services of enforcement-fault accountability (R-FAULT, 002 第五至十二条), error tolerance and
correction (R-TOL, 004 第十五至二十四条) and petitions about officers (R-PETITION, 004 第二十五条).

Each runs in one transaction and writes one audit event. Keyword-only, ``actor`` last (with ``now``
passed in). The pure rules are in ``discipline.faults.rules``; deadlines use ``period_end``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.formats import cn_date
from cases.models import Case, Person, Unit
from discipline.common.bodies import require_staff_of, supervised_unit_ids
from discipline.common.dates import not_after_today
from discipline.common.numbering import next_sequence
from discipline.faults import rules
from discipline.faults.models import FaultCase, FaultParticipant
from discipline.faults.services.common import catalogue_keys, lock_row, require_value
from discipline.faults.vocabulary import FaultEvent
from records.calendar.deadlines import period_end

# --- error counts (004 第二十一条: a tolerated error is not an enforcement error) -------------------


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
    require_staff_of(body, actor)
    errors: list[str] = []
    if unit is None or unit.pk not in supervised_unit_ids([body]):
        errors.append(_("请选择本机构受理的执法单位。"))
    require_value(act, _("过错行政执法行为"), errors)
    require_value(occurred_on, _("过错发生日期"), errors)
    not_after_today(occurred_on, _("过错发生日期"), now, errors)
    fault_types = catalogue_keys(fault_types, rules.FAULT_TYPES, _("过错情形"), errors)
    if not fault_types:
        errors.append(_("请至少选择一项第五条规定的过错情形。"))
    no_liability = catalogue_keys(no_liability, rules.NO_LIABILITY, _("第六条情形"), errors)
    lighter = catalogue_keys(lighter, rules.LIGHTER, _("第七条情形"), errors)
    heavier = catalogue_keys(heavier, rules.HEAVIER, _("第八条情形"), errors)
    people = [(p, r) for p, r in participants if p is not None]
    if not people:
        errors.append(_("请至少填写一名相关人员及其角色。"))
    if any(r not in FaultParticipant.Role.values for _p, r in people):
        errors.append(_("相关人员的角色无效。"))
    if len({(p.pk, r) for p, r in people}) != len(people):
        errors.append(_("同一人员在同一角色中重复填写。"))
    if approved and approval_required is False:
        approval_required = True
    case_errors = []
    if case is not None and unit is not None and case.unit_id != unit.pk:
        case_errors.append(_("所选执法案件不属于该执法单位。"))
    if errors or case_errors:
        # The case's error names its field, so the form shows it next to the case picker.
        raise ValidationError({**({NON_FIELD_ERRORS: errors} if errors else {}), "case": case_errors} if case_errors else errors)
    facts_obj = rules.FaultFacts(
        misreported=misreported, approval_required=approval_required, approved=approved, head_consented=head_consented,
        changed_by_superior=changed_by_superior, no_liability=tuple(no_liability),
    )  # fmt: skip
    allocation = rules.allocate_responsibility(facts_obj)
    fault_case = FaultCase.objects.create(
        body=body, unit=unit, case=case, act=act.strip(), occurred_on=occurred_on, fault_types=fault_types,
        error_field=error_field.strip(), no_liability=no_liability, lighter=lighter, heavier=heavier,
        misreported=misreported, approval_required=approval_required, approved=approved, head_consented=head_consented,
        changed_by_superior=changed_by_superior, suggestion_basis=allocation.basis, suggestion_determined=allocation.determined,
        adjustment=rules.adjustment(lighter=lighter, heavier=heavier), facts=facts.strip(), created_by=actor, created_at=now,
    )  # fmt: skip
    FaultParticipant.objects.bulk_create(
        [FaultParticipant(case=fault_case, person=p, role=r, suggested_share=allocation.shares.get(r, rules.NONE)) for p, r in people]
    )
    audit(
        type=FaultEvent.FAULT_CASE_OPENED, actor=actor, obj=fault_case,
        data={"fault_types": fault_types, "basis": allocation.basis, "shares": {f"{p.pk}:{r}": allocation.shares.get(r) for p, r in people}},
    )  # fmt: skip
    return fault_case


@transaction.atomic
def fault_share_confirm(*, participant: FaultParticipant, share: str, reason: str = "", actor, now: dt.datetime) -> FaultParticipant:
    """Staff confirm the suggested share or override it with a reason; the suggestion stays."""
    participant = FaultParticipant.objects.select_for_update(of=("self",)).select_related("case__body").get(pk=participant.pk)
    require_staff_of(participant.case.body, actor)
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
        type=FaultEvent.FAULT_SHARE_CONFIRMED, actor=actor, obj=participant.case,
        data={"participant": participant.pk, "suggested": participant.suggested_share, "confirmed": share, "overridden": participant.overridden},
    )  # fmt: skip
    return participant


@transaction.atomic
def fault_case_decide(*, fault_case: FaultCase, decision: str, decided_on: dt.date | None, actor, now: dt.datetime) -> FaultCase:
    """002 第十条: the decision; the written notice is due within 10 日 (第十一条)."""
    fault_case = lock_row(FaultCase, fault_case.pk)
    require_staff_of(fault_case.body, actor)
    errors: list[str] = []
    if fault_case.decided_on is not None:
        errors.append(_("处理决定已作出。"))
    require_value(decision, _("处理决定"), errors)
    require_value(decided_on, _("决定日期"), errors)
    not_after_today(decided_on, _("决定日期"), now, errors)
    if decided_on and decided_on < fault_case.occurred_on:
        errors.append(_("决定日期不能早于过错发生日期。"))
    if fault_case.participants.filter(confirmed_share="").exists():
        errors.append(_("请先认定每名相关人员的责任。"))
    if errors:
        raise ValidationError(errors)
    fault_case.decision, fault_case.decided_on, fault_case.decided_by = decision.strip(), decided_on, actor
    fault_case.notice_due = period_end(decided_on, rules.DECISION_NOTICE_DAYS)
    fault_case.status = FaultCase.Status.DECIDED
    fault_case.decision_year = decided_on.year
    fault_case.decision_seq = next_sequence(
        issuer=fault_case.body, year=decided_on.year, numbered=FaultCase.objects, issuer_field="body", year_field="decision_year",
        sequence_field="decision_seq",
    )  # fmt: skip
    fault_case.decision_number = rules.fault_decision_number(decided_on.year, fault_case.decision_seq)
    fault_case.save(
        update_fields=["decision", "decided_on", "decided_by", "notice_due", "status", "decision_year", "decision_seq", "decision_number"]
    )
    audit(
        type=FaultEvent.FAULT_DECIDED,
        actor=actor,
        obj=fault_case,
        data={"decided_on": decided_on.isoformat(), "notice_due": fault_case.notice_due.isoformat(), "number": fault_case.decision_number},
    )
    return fault_case


@transaction.atomic
def fault_case_serve(*, fault_case: FaultCase, served_on: dt.date | None, actor, now: dt.datetime) -> FaultCase:
    """002 第十一条: the written decision was served (a late service is recorded, and shown as late)."""
    fault_case = lock_row(FaultCase, fault_case.pk)
    require_staff_of(fault_case.body, actor)
    errors: list[str] = []
    if fault_case.decided_on is None:
        errors.append(_("尚未作出处理决定。"))
    elif fault_case.served_on is not None:
        errors.append(_("处理决定已书面通知。"))
    require_value(served_on, _("书面通知日期"), errors)
    not_after_today(served_on, _("书面通知日期"), now, errors)
    if served_on and fault_case.decided_on and served_on < fault_case.decided_on:
        errors.append(_("书面通知日期不能早于决定日期。"))
    if errors:
        raise ValidationError(errors)
    fault_case.served_on, fault_case.status = served_on, FaultCase.Status.SERVED
    fault_case.save(update_fields=["served_on", "status"])
    audit(
        type=FaultEvent.FAULT_SERVED,
        actor=actor,
        obj=fault_case,
        data={"served_on": served_on.isoformat(), "late": served_on > fault_case.notice_due},
    )
    return fault_case


@transaction.atomic
def fault_case_receive(*, fault_case: FaultCase, received_on: dt.date | None, actor, now: dt.datetime) -> FaultCase:
    """002 第十二条: the day the person received the notice starts the 30 日 review window."""
    fault_case = lock_row(FaultCase, fault_case.pk)
    require_staff_of(fault_case.body, actor)
    errors: list[str] = []
    if fault_case.served_on is None:
        errors.append(_("请先登记书面通知日期。"))
    elif fault_case.received_on is not None:
        errors.append(_("已登记接到通知日期。"))
    require_value(received_on, _("接到通知日期"), errors)
    not_after_today(received_on, _("接到通知日期"), now, errors)
    if received_on and fault_case.served_on and received_on < fault_case.served_on:
        errors.append(_("接到通知日期不能早于书面通知日期。"))
    if errors:
        raise ValidationError(errors)
    fault_case.received_on = received_on
    fault_case.review_due = period_end(received_on, rules.REVIEW_REQUEST_DAYS)
    fault_case.save(update_fields=["received_on", "review_due"])
    audit(
        type=FaultEvent.FAULT_RECEIVED,
        actor=actor,
        obj=fault_case,
        data={"received_on": received_on.isoformat(), "review_due": fault_case.review_due.isoformat()},
    )
    return fault_case


@transaction.atomic
def fault_review_request(*, fault_case: FaultCase, requested_on: dt.date | None, reason: str, actor, now: dt.datetime) -> FaultCase:
    """002 第十二条: a review request, refused after the 30 日 window."""
    fault_case = lock_row(FaultCase, fault_case.pk)
    require_staff_of(fault_case.body, actor)
    errors: list[str] = []
    require_value(requested_on, _("复核申请日期"), errors)
    require_value(reason, _("复核申请理由"), errors)
    not_after_today(requested_on, _("复核申请日期"), now, errors)
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
    audit(type=FaultEvent.FAULT_REVIEW_REQUESTED, actor=actor, obj=fault_case, data={"requested_on": requested_on.isoformat()})
    return fault_case


def _outcome_checks(outcome: str, text: str, on: dt.date | None, after: dt.date | None, now: dt.datetime, errors: list) -> None:
    if outcome not in FaultCase.Outcome.values:
        errors.append(_("请选择处理结果。"))
    require_value(text, _("处理意见"), errors)
    require_value(on, _("决定日期"), errors)
    not_after_today(on, _("决定日期"), now, errors)
    if on and after and on < after:
        errors.append(_("决定日期不能早于申请日期。"))


@transaction.atomic
def fault_review_decide(
    *, fault_case: FaultCase, outcome: str, text: str, decided_on: dt.date | None, actor, now: dt.datetime
) -> FaultCase:
    fault_case = lock_row(FaultCase, fault_case.pk)
    require_staff_of(fault_case.body, actor)
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
    audit(type=FaultEvent.FAULT_REVIEW_DECIDED, actor=actor, obj=fault_case, data={"outcome": outcome})
    return fault_case


@transaction.atomic
def fault_appeal_record(
    *, fault_case: FaultCase, filed_on: dt.date | None, appeal_to: str, text: str, actor, now: dt.datetime
) -> FaultCase:
    """002 第十二条 "对处理决定不服的个人也可以向有关部门提出申诉"."""
    fault_case = lock_row(FaultCase, fault_case.pk)
    require_staff_of(fault_case.body, actor)
    errors: list[str] = []
    if fault_case.decided_on is None:
        errors.append(_("尚未作出处理决定。"))
    elif fault_case.appeal_filed_on is not None:
        errors.append(_("已登记申诉。"))
    require_value(filed_on, _("申诉日期"), errors)
    require_value(appeal_to, _("申诉受理部门"), errors)
    require_value(text, _("申诉理由"), errors)
    not_after_today(filed_on, _("申诉日期"), now, errors)
    if filed_on and fault_case.decided_on and filed_on < fault_case.decided_on:
        errors.append(_("申诉日期不能早于决定日期。"))
    if errors:
        raise ValidationError(errors)
    fault_case.appeal_filed_on, fault_case.appeal_to, fault_case.appeal_text = filed_on, appeal_to.strip(), text.strip()
    fault_case.save(update_fields=["appeal_filed_on", "appeal_to", "appeal_text"])
    audit(type=FaultEvent.FAULT_APPEAL_RECORDED, actor=actor, obj=fault_case, data={"filed_on": filed_on.isoformat()})
    return fault_case


@transaction.atomic
def fault_appeal_decide(
    *, fault_case: FaultCase, outcome: str, text: str, decided_on: dt.date | None, actor, now: dt.datetime
) -> FaultCase:
    fault_case = lock_row(FaultCase, fault_case.pk)
    require_staff_of(fault_case.body, actor)
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
    audit(type=FaultEvent.FAULT_APPEAL_DECIDED, actor=actor, obj=fault_case, data={"outcome": outcome})
    return fault_case


# --- error tolerance (004 第十五至二十一条) -----------------------------------------------------------


# --- correction (004 第二十二至二十四条) --------------------------------------------------------------


# --- petitions (004 第二十五条) ---------------------------------------------------------------------


