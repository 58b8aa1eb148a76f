"""Services of review and handling: the only code that changes reviews, instructions, handlings and notice
letters or grants access to records for them. A record's discipline-side status moves only through
``discipline.review.states`` (called here, inside the same transaction). Each service runs in one
transaction and writes its audit event. Keyword-only arguments, ``actor`` last; the pure decisions
live in ``discipline.review.rules``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import documents
from cases.audit import audit
from cases.formats import cn_date
from cases.models import Person, Unit
from cases.selectors import bureau_of, governing_document, party_committee_of
from discipline.common.numbering import next_sequence
from discipline.review import rules
from discipline.review.hooks import counted_record_changed
from discipline.review.integrity import handling_hash, review_hash
from discipline.review.models import Handling, Instruction, NoticeLetter, Review, Routing, SpecialReport
from discipline.review.reminders import (
    notify_recorder_handled,
    notify_recorder_instructed,
    notify_recorder_received,
    notify_recorder_verified,
    tell_after_commit,
)
from discipline.review.routing import acting_body
from discipline.review.sanctions import sanction_record, sanction_update
from discipline.review.states import Status, record_status_advance
from discipline.review.vocabulary import ReviewEvent
from records.calendar.dates import local_date
from records.models import InterferenceRecord


def _lock(record: InterferenceRecord) -> InterferenceRecord:
    return InterferenceRecord.objects.select_for_update().get(pk=record.pk)


@transaction.atomic
def record_receive(*, record: InterferenceRecord, actor, now: dt.datetime) -> Review:
    """Acknowledge receipt (签收) of a submitted record by its discipline body: status received."""
    record = _lock(record)
    body = acting_body(record, actor)
    if record.status != Status.SUBMITTED:
        raise ValidationError(_("该记录已签收，无需重复签收。"))
    review = Review.objects.create(record=record, body=body, received_at=now, received_by=actor)
    record_status_advance(record, Status.RECEIVED)
    counted_record_changed.run(record=record)
    audit(type=ReviewEvent.RECORD_RECEIVED, actor=actor, obj=record, data={"body": body.code, "received_at": now.isoformat()})
    tell_after_commit(notify_recorder_received, record=record, body_name=body.name, received_at=now)
    return review


@transaction.atomic
def instruction_give(*, record: InterferenceRecord, text: str, actor, now: dt.datetime) -> Instruction:
    """The principal leader's instruction (批示, 002 第五条) on a record routed to them."""
    if not Routing.objects.filter(record=record, role=Routing.Role.PRINCIPAL, user=actor).exists():
        raise ValidationError(_("该记录未呈报给您批示。"))
    if not text.strip():
        raise ValidationError(_("请填写批示内容。"))
    if Instruction.objects.filter(record=record, principal=actor).exists():
        raise ValidationError(_("您已对该记录作出批示。"))
    instruction = Instruction.objects.create(record=record, principal=actor, text=text.strip(), given_at=now)
    audit(type=ReviewEvent.INSTRUCTION_GIVEN, actor=actor, obj=record, data={"instruction": instruction.pk})
    tell_after_commit(notify_recorder_instructed, record=record, instruction_id=instruction.pk, given_at=now)
    return instruction


@transaction.atomic
def review_verify(
    *,
    record: InterferenceRecord,
    conclusion: str,
    findings: str,
    seriousness: str,
    affects_case: bool = False,
    special: bool = False,
    actor,
    now: dt.datetime,
) -> Review:
    """Record the verification (核实) of a received record (R-VERIFY, 000 第九条): conclusion,
    findings, seriousness. With ``special`` the case is reported at once as a special matter
    (R-SPECIAL, see ``special_report_make``). Status verified."""
    record = _lock(record)
    acting_body(record, actor)
    if record.status != Status.RECEIVED:
        raise ValidationError(_("只有已签收、尚未核实的记录才能填写核实结论。"))
    if conclusion not in Review.Conclusion.values:
        raise ValidationError(_("请选择核实结论。"))
    if seriousness not in Review.Seriousness.values:
        raise ValidationError(_("请选择情节。"))
    if not findings.strip():
        raise ValidationError(_("请填写核实情况。"))
    eligible = rules.special_matter_eligible(
        conclusion=conclusion, serious=seriousness == Review.Seriousness.SERIOUS, affects_case=affects_case
    )
    if special and not eligible:
        raise ValidationError(_("只有核实属实或部分属实、情节严重且可能影响案件办理的，才能作为特别事项报告（广元001第七条）。"))
    review = Review.objects.select_for_update().get(record=record)
    review.conclusion = conclusion
    review.findings = findings.strip()
    review.seriousness = seriousness
    review.affects_case = affects_case
    review.verified_at = now
    review.verified_by = actor
    review.save()
    record_status_advance(record, Status.VERIFIED)
    counted_record_changed.run(record=record)
    audit(
        type=ReviewEvent.REVIEW_VERIFIED,
        actor=actor,
        obj=record,
        # The content hash puts the conclusion into the audit chain (discipline.review.integrity).
        data={"conclusion": conclusion, "seriousness": seriousness, "affects_case": affects_case, "special": special, "hash": review_hash(review)},
    )
    tell_after_commit(notify_recorder_verified, record=record, conclusion=conclusion)
    if special:
        special_report_make(review=review, actor=actor, now=now)
    return review


def special_report_text(record: InterferenceRecord, review: Review) -> str:
    """The body of a special report, from the record and the verification."""
    who = f"{record.interferer_name}（{record.interferer_position}）"
    if record.behind_name:
        who += f"，背后领导干部{record.behind_name}（{record.behind_position}）"
    case = f"{record.case.number} {record.case.title}" if record.case_id else record.matter
    when = local_date(record.occurred_at)
    return (
        f"{cn_date(when)}，{who}以{record.get_channel_display()}方式过问{case}。"
        f"经核实，{review.get_conclusion_display()}，{review.get_seriousness_display()}，可能影响案件办理。"
        f"核实情况：{review.findings}"
    )


@transaction.atomic
def special_report_make(*, review: Review, actor, now: dt.datetime) -> SpecialReport:
    """Report a serious verified case that may affect case handling at once to the unit's party
    committee as a special matter (特别事项, R-SPECIAL, 001 第七条)."""
    review = Review.objects.select_for_update(of=("self",)).select_related("record", "record__recorder_unit", "record__case").get(pk=review.pk)
    record = review.record
    acting_body(record, actor)
    if hasattr(review, "special"):
        raise ValidationError(_("该记录已作为特别事项报告。"))
    if not rules.special_matter_eligible(
        conclusion=review.conclusion, serious=review.seriousness == Review.Seriousness.SERIOUS, affects_case=review.affects_case
    ):
        raise ValidationError(_("只有核实属实或部分属实、情节严重且可能影响案件办理的，才能作为特别事项报告（广元001第七条）。"))
    addressee = party_committee_of(record.recorder_unit)
    year = local_date(now).year
    seq = next_sequence(
        issuer=review.body, year=year, numbered=SpecialReport.objects, issuer_field="review__body", year_field="number_year", sequence_field="number_seq"
    )
    report = SpecialReport.objects.create(
        review=review, addressee=addressee, summary=special_report_text(record, review), reported_at=now, reported_by=actor,
        number_year=year, number_seq=seq, number=rules.special_report_number(year, seq),
    )  # fmt: skip
    review.special_report = True
    review.save(update_fields=["special_report"])
    counted_record_changed.run(record=record)
    audit(type=ReviewEvent.SPECIAL_REPORTED, actor=actor, obj=record, data={"special_report": report.pk, "addressee": addressee})
    return report


@transaction.atomic
def special_report_decide(
    *,
    report: SpecialReport,
    decision: str,
    decided_by: str,
    decided_on: dt.date | None,
    meeting: str,
    escalated_to: str = "",
    escalated_on: dt.date | None = None,
    actor,
    now: dt.datetime,
) -> SpecialReport:
    """Record the party committee's decision on a special report (R-SPECIAL, 001 领导干部制度 第七条
    "局党委经讨论认为…情节严重，可能影响案件办理的，作为特别事项及时报告市委市政府"): which committee
    decided, on what day, at which meeting; when it reports on, to whom and on what day. Entered once
    by the acting body's staff; it is not edited afterwards."""
    report = SpecialReport.objects.select_for_update(of=("self",)).select_related("review__record").get(pk=report.pk)
    record = report.review.record
    acting_body(record, actor)
    if report.decision:
        raise ValidationError(_("党委的决定已登记，不能修改。"))
    today = local_date(now)
    errors: dict[str, list[str]] = {}
    if decision not in SpecialReport.Decision.values:
        errors["decision"] = [_("请选择党委讨论决定。")]
    if not decided_by.strip():
        errors["decided_by"] = [_("请填写作出决定的党委（党组）。")]
    if decided_on is None:
        errors["decided_on"] = [_("请填写讨论决定日期。")]
    elif decided_on > today:
        errors["decided_on"] = [_("讨论决定日期不能晚于今天。")]
    elif decided_on < local_date(report.reported_at):
        errors["decided_on"] = [_("讨论决定日期不能早于特别事项报告日期。")]
    if not meeting.strip():
        errors["meeting"] = [_("请填写讨论的会议及纪要（党委经讨论认为，广元001领导干部制度第七条）。")]
    escalate = decision == SpecialReport.Decision.ESCALATE
    if escalate:
        if not escalated_to.strip():
            errors["escalated_to"] = [_("作为特别事项报告的，请填写报告对象（市委市政府）。")]
        if escalated_on is None:
            errors["escalated_on"] = [_("请填写报告日期。")]
        elif escalated_on > today:
            errors["escalated_on"] = [_("报告日期不能晚于今天。")]
        elif decided_on is not None and escalated_on < decided_on:
            errors["escalated_on"] = [_("报告日期不能早于讨论决定日期。")]
    if errors:
        raise ValidationError(errors)
    report.decision = decision
    report.decided_by = decided_by.strip()
    report.decided_on = decided_on
    report.meeting = meeting.strip()
    report.escalated_to = escalated_to.strip() if escalate else ""
    report.escalated_on = escalated_on if escalate else None
    report.decision_recorded_by = actor
    report.decision_recorded_at = now
    report.save()
    audit(
        type=ReviewEvent.SPECIAL_DECIDED,
        actor=actor,
        obj=record,
        data={
            "special_report": report.pk, "decision": decision, "decided_by": report.decided_by, "decided_on": str(decided_on),
            "meeting": report.meeting, "escalated_to": report.escalated_to, "escalated_on": str(report.escalated_on or ""),
        },
    )  # fmt: skip
    return report


def record_system(record: InterferenceRecord) -> documents.System | None:
    """The 制度 that governs the recorder's unit for this interferer (cases.documents), None when the
    unit has no governing document."""
    key = documents.interference_system(governing_document(record.recorder_unit), record.interferer_kind)
    return documents.system(key) if key else None


def notice_approval_basis(record: InterferenceRecord) -> str:
    """The article that makes an internal notice (通报) wait for approval, as the pages cite it, or "" when
    the recorder's unit's system says nothing of approval: 001 第八条 (领导干部制度 "由局党委按程序报经批准
    后予以通报"; 内部人员制度 "按人事管理权限并报经批准后予以通报"). 000 第九条 and 002 do not."""
    system = record_system(record)
    if system is None or documents.NOTICE not in system.articles:
        return ""
    return system.cite(documents.NOTICE)


@transaction.atomic
def handling_decide(
    *,
    record: InterferenceRecord,
    kind: str,
    decision: str,
    person: Person | None = None,
    internal_notice: str = "",
    internal_notice_on: dt.date | None = None,
    public_disclosure: bool = False,
    disclosure_reason: str = "",
    notice_decided_by: str = "",
    notice_approved_by: str = "",
    notice_approved_on: dt.date | None = None,
    letter: dict[str, Any] | None = None,
    actor,
    now: dt.datetime,
) -> Handling:
    """The handling decision for a verified record (R-VERIFY, 000 第九条; 001 第八条).

    - own unit: decision, internal notice (通报) with its date, and the decision on public disclosure
      (公开与否, with the reason) are all required → status closed. Where the unit's system makes the
      notice wait for approval (001 第八条, ``notice_approval_basis``), who decided it, who approved it
      and when are required too, and the notice cannot predate the approval; elsewhere they are kept
      when given;
    - other unit: a numbered notice letter to the person's party organisation, cc the same-level
      discipline commission (``letter``: addressee, cc, text, issued_on) → status handled, closed when
      the outcome comes back (``notice_letter_update``);
    - no action: only for 不属实 / 属正常履职 → status closed.
    """
    record = _lock(record)
    body = acting_body(record, actor)
    if record.status != Status.VERIFIED:
        raise ValidationError(_("只有已核实、尚未处理的记录才能作出处理决定。"))
    review = Review.objects.get(record=record)
    substantiated = review.conclusion in rules.SUBSTANTIATED
    if kind not in Handling.Kind.values:
        raise ValidationError(_("请选择处理方式。"))
    if substantiated == (kind == Handling.Kind.NO_ACTION):
        raise ValidationError(
            _("核实属实或部分属实的，应当处理；“不予处理”只适用于核实不属实或属正常履职的记录。")
        )
    if not decision.strip():
        raise ValidationError(_("请填写处理决定。"))
    errors = []
    if kind == Handling.Kind.OWN_UNIT:
        if not internal_notice.strip():
            errors.append(_("本单位人员应当通报：请填写通报内容。"))
        if internal_notice_on is None:
            errors.append(_("请填写通报日期。"))
        elif internal_notice_on > local_date(now):
            errors.append(_("通报日期不能晚于今天。"))
        if not disclosure_reason.strip():
            errors.append(_("是否向社会公开须作出决定并说明理由（广元001第八条）。"))
        basis = notice_approval_basis(record)
        if basis and (not notice_decided_by.strip() or not notice_approved_by.strip() or notice_approved_on is None):
            errors.append(_("通报须按程序报经批准后作出（%(basis)s）：请填写通报决定机关、批准机关和批准日期。") % {"basis": basis})
        if notice_approved_on is not None:
            if notice_approved_on > local_date(now):
                errors.append(_("通报批准日期不能晚于今天。"))
            elif internal_notice_on is not None and internal_notice_on < notice_approved_on:
                errors.append(_("通报日期不能早于批准日期（报经批准后予以通报）。"))
    if kind == Handling.Kind.OTHER_UNIT and not letter:
        errors.append(_("非本单位人员应向其所在党组织制发通报函。"))
    if errors:
        raise ValidationError(errors)
    numbering = {}
    if kind == Handling.Kind.OWN_UNIT:
        bureau, year = bureau_of(record.recorder_unit), internal_notice_on.year
        seq = next_sequence(
            issuer=bureau, year=year, numbered=Handling.objects, issuer_field="notice_issuer", year_field="notice_year", sequence_field="notice_seq"
        )
        numbering = {"notice_issuer": bureau, "notice_year": year, "notice_seq": seq, "notice_number": rules.circular_number(year, seq)}
    handling = Handling.objects.create(
        **numbering,
        record=record,
        kind=kind,
        person=person,
        decision=decision.strip(),
        internal_notice=internal_notice.strip() if kind == Handling.Kind.OWN_UNIT else "",
        internal_notice_on=internal_notice_on if kind == Handling.Kind.OWN_UNIT else None,
        notice_decided_by=notice_decided_by.strip() if kind == Handling.Kind.OWN_UNIT else "",
        notice_approved_by=notice_approved_by.strip() if kind == Handling.Kind.OWN_UNIT else "",
        notice_approved_on=notice_approved_on if kind == Handling.Kind.OWN_UNIT else None,
        public_disclosure=public_disclosure if kind == Handling.Kind.OWN_UNIT else False,
        disclosure_reason=disclosure_reason.strip() if kind == Handling.Kind.OWN_UNIT else "",
        decided_at=now,
        decided_by=actor,
    )
    record_status_advance(record, Status.HANDLED if kind == Handling.Kind.OTHER_UNIT else Status.CLOSED)
    counted_record_changed.run(record=record)
    audit(
        type=ReviewEvent.HANDLING_DECIDED,
        actor=actor,
        obj=record,
        data={
            "handling": handling.pk,
            "kind": kind,
            "public_disclosure": handling.public_disclosure,
            "body": body.code,
            "hash": handling_hash(handling),
        },
    )
    tell_after_commit(notify_recorder_handled, record=record, kind=kind)
    if kind == Handling.Kind.OTHER_UNIT:
        notice_letter_issue(handling=handling, body=body, actor=actor, **letter)
    return handling


def letter_basis(record: InterferenceRecord) -> str:
    """The title and article a notice letter cites (000 第九条, 001 第八条): the handling article of the
    system that governs the recorder's unit for this interferer; 000 第九条 when the unit's system has
    no such article (002 says nothing of notice letters) or the unit has no governing document."""
    system = record_system(record)
    if system is None or documents.HANDLING not in system.articles:
        system = documents.system(documents.SHIYAN_LEADER)
    return system.cite_title(documents.HANDLING)


def default_letter_text(record: InterferenceRecord, review: Review, body: Unit) -> str:
    """The standard body of a notice letter (000 第九条), for the form to prefill."""
    when = local_date(record.occurred_at)
    case = f"“{record.case.title}”" if record.case_id else f"“{record.matter}”"
    subject = record.behind_name or record.interferer_name
    return (
        f"{cn_date(when)}，{record.interferer_name}（{record.interferer_position}）"
        f"以{record.get_channel_display()}方式过问{record.recorder_unit.name}办理的{case}。"
        f"经{body.name}核实，情况{review.get_conclusion_display()}。"
        f"根据{letter_basis(record)}规定，现将有关情况通报你单位，"
        f"请按照干部管理权限对{subject}同志作出处理，并将处理结果函告我单位。"
    )


@transaction.atomic
def notice_letter_issue(
    *, handling: Handling, body: Unit, addressee: str, cc: str, text: str, issued_on: dt.date, actor
) -> NoticeLetter:
    """Issue a numbered notice letter (通报函, 000 第九条 "向其所在党委或党组织通报情况，同时抄送同级纪委、
    监察委"). Numbers 纪通〔YYYY〕N号 run per issuing body and year; the body row is locked while the
    next number is taken."""
    if not addressee.strip() or not cc.strip() or not text.strip():
        raise ValidationError(_("通报函须填写主送党组织、抄送纪委监委和正文。"))
    if rules.cc_is_placeholder(cc):
        raise ValidationError(_("请填写抄送机关的全称（如“某县纪委监委”），不能只写“同级纪委监委”。"))
    if issued_on is None:
        raise ValidationError(_("请填写成文日期。"))
    year = issued_on.year
    seq = next_sequence(issuer=body, year=year, numbered=NoticeLetter.objects, issuer_field="body", year_field="year", sequence_field="seq")
    record = handling.record
    subject_name = record.behind_name or record.interferer_name
    subject_position = record.behind_position if record.behind_name else record.interferer_position
    letter = NoticeLetter.objects.create(
        handling=handling,
        body=body,
        year=year,
        seq=seq,
        number=rules.notice_number(year, seq),
        addressee=addressee.strip(),
        cc=cc.strip(),
        subject_name=subject_name,
        subject_position=subject_position,
        text=text.strip(),
        issued_on=issued_on,
        created_by=actor,
    )
    counted_record_changed.run(record=record)
    audit(type=ReviewEvent.NOTICE_LETTER_ISSUED, actor=actor, obj=letter, data={"number": letter.number, "record": record.pk})
    return letter


@transaction.atomic
def notice_letter_update(
    *,
    letter: NoticeLetter,
    sent_on: dt.date | None,
    acknowledged_on: dt.date | None,
    outcome_received_on: dt.date | None,
    outcome: str = "",
    actor,
    now: dt.datetime,
) -> NoticeLetter:
    """Track a notice letter: sent, acknowledged by the addressee, outcome received. Dates must be in
    order and not in the future; when the outcome is received the record is closed."""
    letter = NoticeLetter.objects.select_for_update(of=("self",)).select_related("handling__record").get(pk=letter.pk)
    record = _lock(letter.handling.record)
    acting_body(record, actor)
    today = local_date(now)
    errors = []
    chain = [(_("发出日期"), sent_on), (_("对方签收日期"), acknowledged_on), (_("收到处理结果日期"), outcome_received_on)]
    previous = (_("成文日期"), letter.issued_on)
    for label, value in chain:
        if value is None:
            continue
        if value > today:
            errors.append(_("%(label)s不能晚于今天。") % {"label": label})
        if previous[1] is not None and value < previous[1]:
            errors.append(_("%(label)s不能早于%(prev)s。") % {"label": label, "prev": previous[0]})
        previous = (label, value)
    if acknowledged_on and not sent_on:
        errors.append(_("请先填写发出日期。"))
    if outcome_received_on and not outcome.strip():
        errors.append(_("请填写对方反馈的处理结果。"))
    if errors:
        raise ValidationError(errors)
    before = {f: str(getattr(letter, f) or "") for f in ("sent_on", "acknowledged_on", "outcome_received_on", "outcome")}
    letter.sent_on = sent_on
    letter.acknowledged_on = acknowledged_on
    letter.outcome_received_on = outcome_received_on
    letter.outcome = outcome.strip()
    letter.save()
    after = {f: str(getattr(letter, f) or "") for f in before}
    if outcome_received_on and record.status == Status.HANDLED:
        record_status_advance(record, Status.CLOSED)
    counted_record_changed.run(record=record)
    audit(
        type=ReviewEvent.NOTICE_LETTER_UPDATED,
        actor=actor,
        obj=letter,
        data={"changed": {k: [before[k], after[k]] for k in before if before[k] != after[k]}, "status": record.status},
    )
    return letter


# Review's public services; the sanctions register is kept in ``sanctions`` and offered here too.
__all__ = [
    "default_letter_text",
    "handling_decide",
    "instruction_give",
    "notice_letter_issue",
    "notice_letter_update",
    "record_receive",
    "review_verify",
    "sanction_record",
    "sanction_update",
    "special_report_decide",
    "special_report_make",
    "special_report_text",
]
