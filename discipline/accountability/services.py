"""Services of accountability (R-FAIL, R-PROTECT): recording failures and their decisions, personnel
actions against protected recorders and their alerts, retaliation complaints. Each runs in one
transaction and writes one audit event; notices go out after commit. Keyword-only, ``actor`` last
(with ``now`` passed in); the pure decisions are in ``discipline.accountability.rules``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.models import Case, Person, Unit
from cases.roles import Role, has_role
from cases.selectors import discipline_staff, governing_document
from discipline.accountability import rules
from discipline.accountability.access import complaints_visible_to, failures_visible_to
from discipline.accountability.models import PersonnelAction, RecordingFailure, RetaliationAlert, RetaliationComplaint
from discipline.accountability.selectors import records_made_by
from discipline.accountability.vocabulary import AccountabilityEvent, AccountabilityNotice
from discipline.common.bodies import body_codes_of, require_staff_of, supervised_unit_ids
from discipline.common.dates import not_after_today
from discipline.review.access import derived_recipients, routed_records
from discipline.review.models import Sanction
from records.models import InterferenceRecord
from records.record.rules import is_party_to


@transaction.atomic
def recording_failure_register(
    *,
    officer: Person,
    body: Unit,
    kind: str,
    source: str,
    source_detail: str,
    facts: str,
    confirmed_on: dt.date,
    interferer_kind: str = "",
    regime: str = "",
    case: Case | None = None,
    matter: str = "",
    record: InterferenceRecord | None = None,
    instigated: bool = False,
    supervisor: Person | None = None,
    actor,
    now: dt.datetime,
) -> RecordingFailure:
    """Register a confirmed failure to record or to record truthfully (R-FAIL) and store the rule's
    suggestion for it: the officer's ordinal is counted under a lock on their Person row, so two
    registrations at once cannot both be "the first". An empty ``regime`` takes the default of the
    officer's unit's governing document for ``interferer_kind`` (``rules.default_regime``); with no
    document on the unit or above it, staff must choose one."""
    require_staff_of(body, actor)
    errors: list[str] = []
    if officer.unit_id is None or officer.unit_id not in supervised_unit_ids([body]):
        errors.append(_("该执法人员不属于本机构受理的单位。"))
    if kind not in RecordingFailure.Kind.values:
        errors.append(_("请选择情形（不记录或不如实记录）。"))
    if source not in RecordingFailure.Source.values:
        errors.append(_("请选择发现途径。"))
    field_errors: dict[str, list[str]] = {}
    regime = regime or rules.default_regime(document=governing_document(officer.unit), interferer_kind=interferer_kind)
    if not regime:
        field_errors["regime"] = [_("该执法人员所在单位及其上级单位均未设置适用制度，请选择适用制度。")]
    elif regime not in RecordingFailure.Regime.values:
        field_errors["regime"] = [_("请选择适用制度。")]
    if not source_detail.strip():
        errors.append(_("请填写发现经过。"))
    if not facts.strip():
        errors.append(_("请填写认定事实。"))
    if case is None and not matter.strip():
        errors.append(_("请选择涉及案件或填写涉及事项。"))
    if confirmed_on is None:
        errors.append(_("请填写认定日期。"))
    not_after_today(confirmed_on, _("认定日期"), now, errors)
    if instigated and supervisor is None:
        errors.append(_("系主管领导授意的，请选择授意的主管领导。"))
    if supervisor is not None and supervisor.pk == officer.pk:
        errors.append(_("授意的主管领导不能是执法人员本人。"))
    if record is not None and not routed_records(actor).filter(pk=record.pk).exists():
        errors.append(_("所选记录不存在。"))
    elif kind == RecordingFailure.Kind.UNTRUTHFUL and record is not None and record.recorder_id != officer.user_id:
        errors.append(_("所选记录不是该执法人员登记的。"))
    if kind == RecordingFailure.Kind.NOT_RECORDED:
        record = None
    if field_errors:
        raise ValidationError(field_errors | ({NON_FIELD_ERRORS: errors} if errors else {}))
    if errors:
        raise ValidationError(errors)
    Person.objects.select_for_update(of=("self",)).filter(pk=officer.pk).order_by().values_list("pk", flat=True).first()
    ordinal = RecordingFailure.objects.filter(officer=officer).count() + 1
    suggestion = rules.failure_suggestion(regime=regime, ordinal=ordinal, instigated=instigated)
    failure = RecordingFailure.objects.create(
        officer=officer, body=body, kind=kind, regime=regime, interferer_kind=interferer_kind, source=source,
        source_detail=source_detail.strip(), case=case, matter=matter.strip(), record=record, facts=facts.strip(),
        confirmed_on=confirmed_on, instigated=instigated, supervisor=supervisor if instigated else None, ordinal=ordinal,
        suggested_outcome=suggestion.outcome, suggested_kinds=list(suggestion.sanction_kinds), suggestion_basis=suggestion.basis,
        supervisor_suggestion=suggestion.supervisor, created_by=actor, created_at=now,
    )  # fmt: skip
    audit(
        type=AccountabilityEvent.FAILURE_REGISTERED,
        actor=actor,
        obj=failure,
        data={"officer": officer.pk, "ordinal": ordinal, "regime": regime, "suggested": suggestion.outcome, "instigated": instigated},
    )
    return failure


@transaction.atomic
def recording_failure_decide(
    *,
    failure: RecordingFailure,
    subject: str,
    kind: str,
    decided_on: dt.date,
    legal_basis: str = "",
    notified_on: dt.date | None = None,
    deviation_reason: str = "",
    actor,
    now: dt.datetime,
) -> Sanction:
    """Decide the outcome for the officer (``subject="officer"``) or the instigating supervisor
    (``"supervisor"``) through the sanctions register (``services.sanction_record``) and link it to the
    failure. A kind the suggestion did not name needs a reason; the suggestion itself is kept."""
    from discipline.review.routing import acting_body
    from discipline.review.sanctions import sanction_record

    failure = RecordingFailure.objects.select_for_update(of=("self",)).select_related("body", "officer", "supervisor", "record").get(pk=failure.pk)
    if not failures_visible_to(actor).filter(pk=failure.pk).exists():
        raise ValidationError(_("您不是该纪检监察机构的工作人员。"))
    # The higher-level body deciding on a record it handles enters the sanction in its own register.
    body = failure.body if failure.body.code in body_codes_of(actor) else acting_body(failure.record, actor)
    if subject not in ("officer", "supervisor"):
        raise ValidationError(_("请选择处理对象。"))
    if subject == "supervisor" and not failure.instigated:
        raise ValidationError(_("本次不记录或不如实记录并非主管领导授意，无需处理主管领导。"))
    field = "officer_sanction" if subject == "officer" else "supervisor_sanction"
    if getattr(failure, f"{field}_id"):
        raise ValidationError(_("已作出处理决定，不能重复登记。"))
    suggested = failure.suggested_kinds if subject == "officer" else rules.DISCIPLINE_KINDS
    if kind in dict(Sanction.Kind.choices) and not rules.decision_follows(suggested, kind) and not deviation_reason.strip():
        raise ValidationError(_("所选处理处分种类与系统建议不一致，请说明理由。"))
    basis = legal_basis.strip() or (failure.suggestion_basis if subject == "officer" else failure.supervisor_suggestion)
    person = failure.officer if subject == "officer" else failure.supervisor
    sanction = sanction_record(
        person=person, kind=kind, ground=Sanction.Ground.FAILURE, decided_on=decided_on, legal_basis=basis[:300], notified_on=notified_on,
        record=failure.record, body=body, actor=actor, now=now,
    )  # fmt: skip
    setattr(failure, field, sanction)
    if deviation_reason.strip():
        failure.deviation_reason = (failure.deviation_reason + "\n" if failure.deviation_reason else "") + deviation_reason.strip()
    failure.save(update_fields=[field, "deviation_reason"])
    audit(
        type=AccountabilityEvent.FAILURE_DECIDED,
        actor=actor,
        obj=failure,
        data={"subject": subject, "sanction": sanction.pk, "kind": kind, "follows_suggestion": kind in suggested},
    )
    return sanction


def _notify_alert(alert_id: int) -> None:
    from records.notifications.services import notification_send

    alert = RetaliationAlert.objects.select_related("action__person__unit", "body").get(pk=alert_id)
    action = alert.action
    for staff in discipline_staff(alert.body):
        notification_send(
            recipient=staff, kind=AccountabilityNotice.RETALIATION_ALERT, key=str(alert.pk),
            title=_("受保护的记录人%(name)s被%(kind)s，请审查") % {"name": action.person.name, "kind": action.get_kind_display()},
            body=_("%(unit)s %(name)s 曾如实记录干预过问情况，受法律和组织保护（十堰000第七条）。管理员录入了对其“%(kind)s”的人事处理，请审查是否有法定事由、是否经法定程序，并作出审查结论。") % {
                "unit": action.person.unit.name if action.person.unit_id else "", "name": action.person.name, "kind": action.get_kind_display()},
            link=reverse("discipline:alert", args=[alert.pk]),
        )  # fmt: skip


@transaction.atomic
def personnel_action_enter(
    *,
    person: Person,
    kind: str,
    effective_on: dt.date,
    legal_ground: str,
    procedure: str,
    document_number: str = "",
    description: str = "",
    actor,
    now: dt.datetime,
) -> PersonnelAction:
    """Enter a personnel action (R-PROTECT). Its legal ground and procedure are required for every
    person, so that the form does not tell an administrator who has made records; against a protected
    recorder (``rules.alert_owed``) exactly one RetaliationAlert is raised for the
    discipline body of the person's unit, and its staff are told after commit."""
    if not has_role(actor, Role.ADMIN):
        raise ValidationError(_("只有管理员可以录入人事处理。"))
    errors: list[str] = []
    if kind not in PersonnelAction.Kind.values:
        errors.append(_("请选择人事处理种类。"))
    if kind == PersonnelAction.Kind.OTHER and not description.strip():
        errors.append(_("“其他不利处理”请写明具体处理内容。"))
    if effective_on is None:
        errors.append(_("请填写决定日期。"))
    not_after_today(effective_on, _("决定日期"), now, errors)
    if not legal_ground.strip():
        errors.append(_("请写明法定事由及依据（非因法定事由，不得免职、调离、辞退或者作出降级、撤职、开除等处分）。"))
    if not procedure.strip():
        errors.append(_("请写明履行的法定程序（非经法定程序，不得免职、调离、辞退或者作出降级、撤职、开除等处分）。"))
    body = person.unit.effective_discipline_body() if person.unit_id else None
    if body is None:
        errors.append(_("该人员所在单位尚未设置受理纪检监察机构，请先设置。"))
    if errors:
        raise ValidationError(errors)
    Person.objects.select_for_update(of=("self",)).filter(pk=person.pk).order_by().values_list("pk", flat=True).first()
    protected = rules.alert_owed(action_kind=kind, records_made=records_made_by(person))
    action = PersonnelAction.objects.create(
        person=person, kind=kind, effective_on=effective_on, legal_ground=legal_ground.strip(), procedure=procedure.strip(),
        document_number=document_number.strip(), protected_recorder=protected, entered_by=actor, entered_at=now,
        description=description.strip() if kind == PersonnelAction.Kind.OTHER else "",
    )  # fmt: skip
    alert = RetaliationAlert.objects.create(action=action, body=body, raised_at=now) if protected else None
    audit(
        type=AccountabilityEvent.PERSONNEL_ACTION_ENTERED,
        actor=actor,
        obj=action,
        data={"person": person.pk, "kind": kind, "alert": alert.pk if alert else None},
    )
    if alert is not None:
        transaction.on_commit(lambda: _notify_alert(alert.pk))
    return action


@transaction.atomic
def retaliation_alert_review(*, alert: RetaliationAlert, conclusion: str, findings: str, actor, now: dt.datetime) -> RetaliationAlert:
    """Close an alert with a conclusion (R-PROTECT): it stays open until then."""
    alert = RetaliationAlert.objects.select_for_update(of=("self",)).select_related("body").get(pk=alert.pk)
    require_staff_of(alert.body, actor)
    if alert.reviewed_at is not None:
        raise ValidationError(_("该预警已审查完毕。"))
    errors = []
    if conclusion not in RetaliationAlert.Conclusion.values:
        errors.append(_("请选择审查结论。"))
    if not findings.strip():
        errors.append(_("请填写审查情况。"))
    if errors:
        raise ValidationError(errors)
    alert.conclusion = conclusion
    alert.findings = findings.strip()
    alert.reviewed_at = now
    alert.reviewed_by = actor
    alert.save()
    audit(type=AccountabilityEvent.RETALIATION_ALERT_REVIEWED, actor=actor, obj=alert, data={"conclusion": conclusion})
    return alert


def _respondent_party(user, complaint: RetaliationComplaint) -> bool:
    person = getattr(user, "person", None)
    return is_party_to(
        person_id=person.pk if person else None, person_name=person.name if person else "",
        interferer_id=complaint.respondent_id, interferer_name=complaint.respondent_name, behind_id=None, behind_name="",
    )  # fmt: skip


def _notify_complaint(complaint_id: int) -> None:
    """Tell the staff who handle the complaint (``access.derived_recipients``: the body and the
    higher-level body handling the record, never a party to it), except the person complained about
    and the complainant."""
    from records.notifications.services import notification_send

    complaint = RetaliationComplaint.objects.select_related("body", "record__recorder_unit").get(pk=complaint_id)
    for staff in derived_recipients(complaint.body, complaint.record):
        if _respondent_party(staff, complaint) or staff.pk == complaint.complainant_id:
            continue
        notification_send(
            recipient=staff, kind=AccountabilityNotice.RETALIATION_COMPLAINT, key=str(complaint.pk),
            title=_("收到打击报复控告（记录 %(serial)s）") % {"serial": complaint.record.serial},
            body=_("%(unit)s 的记录人就其如实记录干预过问情况后受到打击报复提出控告，请及时核查。") % {"unit": complaint.record.recorder_unit.name},
            link=reverse("discipline:complaint", args=[complaint.pk]),
        )  # fmt: skip


@transaction.atomic
def retaliation_complaint_file(
    *,
    record: InterferenceRecord,
    respondent: Person | None,
    respondent_name: str,
    respondent_position: str = "",
    occurred_on: dt.date,
    description: str,
    actor,
    now: dt.datetime,
) -> RetaliationComplaint:
    """A recorder's complaint of retaliation (打击报复, 000 第七条; 001 第七条/第六条; 002 第六条), filed
    from their record. It becomes a case of the discipline body of the recorder's unit, linked to the
    record and the person complained about; the latter is excluded from every list, count and notice
    (``accountability_access.complaints_visible_to``)."""
    if record.recorder_id != actor.pk:
        raise ValidationError(_("只有记录人本人可以就该记录提出打击报复控告。"))
    name = (respondent.name if respondent is not None and not respondent_name.strip() else respondent_name).strip()
    errors: list[str] = []
    if not name:
        errors.append(_("请填写被控告人姓名。"))
    own = getattr(actor, "person", None)
    if respondent is not None and own is not None and respondent.pk == own.pk:
        errors.append(_("被控告人不能是您本人。"))
    if occurred_on is None:
        errors.append(_("请填写打击报复发生日期。"))
    not_after_today(occurred_on, _("打击报复发生日期"), now, errors)
    if not description.strip():
        errors.append(_("请写明打击报复的具体情况。"))
    body = record.recorder_unit.effective_discipline_body()
    if body is None:
        errors.append(_("您所在单位尚未设置受理纪检监察机构，请联系管理员。"))
    if errors:
        raise ValidationError(errors)
    complaint = RetaliationComplaint.objects.create(
        record=record, complainant=actor, body=body, respondent=respondent, respondent_name=name,
        respondent_position=(respondent_position or (respondent.position if respondent else "")).strip(),
        occurred_on=occurred_on, description=description.strip(), filed_at=now,
    )  # fmt: skip
    audit(type=AccountabilityEvent.COMPLAINT_FILED, actor=actor, obj=complaint, data={"record": record.pk, "body": body.code})
    transaction.on_commit(lambda: _notify_complaint(complaint.pk))
    return complaint


@transaction.atomic
def retaliation_complaint_conclude(
    *, complaint: RetaliationComplaint, conclusion: str, findings: str, actor, now: dt.datetime
) -> RetaliationComplaint:
    """Conclude a retaliation complaint with the result of the check; the complainant is told the
    conclusion after the commit."""
    complaint = RetaliationComplaint.objects.select_for_update(of=("self",)).select_related("body").get(pk=complaint.pk)
    # Who may see it may conclude it: staff of the body or of the body handling the record, never
    # the person complained about nor a party to the record.
    if not complaints_visible_to(actor).filter(pk=complaint.pk).exists():
        raise ValidationError(_("您不是该纪检监察机构的工作人员。"))
    if complaint.concluded_at is not None:
        raise ValidationError(_("该控告已办结。"))
    errors = []
    if conclusion not in RetaliationComplaint.Conclusion.values:
        errors.append(_("请选择办理结论。"))
    if not findings.strip():
        errors.append(_("请填写核查情况。"))
    if errors:
        raise ValidationError(errors)
    complaint.conclusion = conclusion
    complaint.findings = findings.strip()
    complaint.concluded_at = now
    complaint.concluded_by = actor
    complaint.save()
    audit(type=AccountabilityEvent.COMPLAINT_CONCLUDED, actor=actor, obj=complaint, data={"conclusion": conclusion})
    transaction.on_commit(lambda: _notify_complainant(complaint.pk))
    return complaint


def _notify_complainant(complaint_id: int) -> None:
    """The complainant is told the result (结论, not the check's working notes), as a named reporter is
    (004 第二十五条 "属实名举报的，按规定向举报人反馈结果"); the notice links to their record, where the
    complaint and its result are listed for them."""
    from records.notifications.services import notification_send

    complaint = RetaliationComplaint.objects.select_related("record", "complainant").get(pk=complaint_id)
    with translation.override(settings.LANGUAGE_CODE):  # stored text, not the concluding staff's UI language
        notification_send(
            recipient=complaint.complainant, kind=AccountabilityNotice.COMPLAINT_CONCLUDED, key=str(complaint.pk),
            title=_("您提出的打击报复控告已办结（记录 %(serial)s）") % {"serial": complaint.record.serial},
            body=_("办理结论：%(conclusion)s") % {"conclusion": complaint.get_conclusion_display()},
            link=reverse("records:detail", args=[complaint.record_id]), record=complaint.record,
        )  # fmt: skip
