"""Services over records, their evidence and amendments: the only code that changes a record's content,
and the only writer of the record's own states (draft → submitted, in ``record_submit``). The discipline
side's states (received, verified, handled, closed) are written by ``discipline.review.states`` alone.
Each service runs in one transaction and writes its audit event; follow-up work is queued with
transaction.on_commit."""

import datetime as dt
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from cases.audit import audit
from cases.models import Unit
from cases.services import changed_values
from records.calendar.dates import local_date
from records.calendar.deadlines import reporting_deadline
from records.calendar.workdays import WorkCalendar
from records.hooks import record_submitted
from records.notifications.services import notification_send
from records.notifications.sweep import wake_sweep_after_commit
from records.record.vocabulary import RecordEvent, RecordNotice

from .evidence import check_upload, guess_kind
from .integrity import amendment_hash, record_content_hash
from .models import RECORD_FIELDS, Amendment, BehaviourCategory, Evidence, InterferenceRecord
from .reminders import initial_next_notice
from .rules import incomplete_fields, missing_evidence, norm_name

__all__ = ["RECORD_FIELDS"]  # read by the record form view with the services


def unit_of(user) -> Unit | None:
    """The unit a user belongs to, through their Person entry."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    return person.unit if person is not None else None


def evidence_stage(*, upload: UploadedFile, kind: str, actor) -> Evidence:
    """Store an uploaded file as evidence not yet attached to a record (it is attached when the record
    is saved). Storing first means a form that fails validation loses no upload. An empty `kind`
    means "recognise it": the kind follows from the type sniffed from the bytes."""
    sha256, size, content_type = check_upload(upload)
    with transaction.atomic():
        evidence = Evidence(
            kind=kind or guess_kind(content_type),
            original_name=(upload.name or "file")[:255],
            sha256=sha256,
            size=size,
            content_type=content_type,
            uploaded_by=actor,
        )
        evidence.file.save(sha256, upload, save=False)
        evidence.save()
        audit(
            type=RecordEvent.EVIDENCE_UPLOADED,
            actor=actor,
            obj=evidence,
            data={"sha256": sha256, "size": size, "kind": evidence.kind, "content_type": content_type},
        )
    return evidence


def _attach_evidence(*, record: InterferenceRecord, evidence: Iterable[Evidence], actor) -> list[int]:
    ids = [e.pk for e in evidence]
    if ids:
        # Only the actor's own unattached uploads can be attached: an id from a crafted POST that
        # points at someone else's file, or at a file already in a record, is ignored.
        Evidence.objects.filter(pk__in=ids, uploaded_by=actor, record__isnull=True).update(record=record)
    return ids


def _apply_fields(record: InterferenceRecord, data: dict[str, Any]) -> None:
    for name in RECORD_FIELDS:
        if name in data:
            setattr(record, name, data[name])
    # The conflict-of-interest rule (RecordQuerySet.exclude_parties) compares these stored forms.
    record.interferer_norm = norm_name(record.interferer_name)
    record.behind_norm = norm_name(record.behind_name)


def _snapshot(record: InterferenceRecord) -> dict[str, str]:
    """The officer-entered fields as text, for the before/after of an audit event."""
    return {name: str(record.serializable_value(name)) for name in RECORD_FIELDS}


def _set_deadline(record: InterferenceRecord, now) -> None:
    """Fix `due_at` from the interference time (R-DUE, 000 第九条) and when the reminder sweep must
    first look at the record (R-REMIND)."""
    day = local_date(record.occurred_at)
    calendar = WorkCalendar.load(day - dt.timedelta(days=1), day + dt.timedelta(days=60))
    deadline = reporting_deadline(record.occurred_at, calendar)
    record.due_at = deadline.due_at
    record.calendar_provisional = deadline.provisional
    record.next_notice_at = initial_next_notice(due_at=deadline.due_at, now=now, calendar=calendar)


def completeness_values(record: InterferenceRecord) -> dict[str, Any]:
    """The record's fields as plain values for `rules.incomplete_fields`."""
    return {name: getattr(record, f"{name}_id" if name in ("case", "interferer", "behind_person") else name) for name in RECORD_FIELDS}


def _check_complete(record: InterferenceRecord) -> None:
    """Everything a record must hold before it can be submitted (R-CONTENT, R-PROXY): a quick-capture
    draft must first be completed on the full 登记表."""
    gaps = incomplete_fields(completeness_values(record))
    if gaps:
        raise ValidationError(_("登记表尚未填写完整，请先补全：%(what)s") % {"what": "；".join(gaps.values())})
    kinds = record.evidence.values_list("kind", flat=True)
    message = missing_evidence(record.channel, kinds, record.missing_evidence_reason)
    if message:
        raise ValidationError(message)


def _new_draft(*, data: dict[str, Any], categories: Sequence[BehaviourCategory], evidence: Sequence[Evidence], actor) -> tuple[InterferenceRecord, list[int]]:
    """Save a new draft of `actor`'s with its deadline (R-DUE) and grant them access to it."""
    unit = unit_of(actor)
    if unit is None:
        raise ValidationError(_("您的账号尚未关联所在单位，请联系管理员。"))
    record = InterferenceRecord(recorder=actor, recorder_unit=unit, serial=f"tmp-{actor.pk}-{id(data)}")
    _apply_fields(record, data)
    _set_deadline(record, timezone.now())
    record.save()
    # The serial is derived from the primary key, so it is unique without a counter table.
    record.serial = f"{timezone.localtime(record.occurred_at).year}-{record.pk:06d}"
    record.save(update_fields=["serial"])
    record.categories.set(categories)
    attached = _attach_evidence(record=record, evidence=evidence, actor=actor)
    assign_perm("records.view_interferencerecord", actor, record)
    assign_perm("records.change_interferencerecord", actor, record)
    return record, attached


@transaction.atomic
def record_create(
    *,
    data: dict[str, Any],
    categories: Sequence[BehaviourCategory] = (),
    evidence: Sequence[Evidence] = (),
    actor,
) -> InterferenceRecord:
    """Create a draft record for `actor` and grant them access to it.

    `due_at` is fixed from the interference time (R-DUE, 000 第九条), with a flag when the deadline
    rests on a provisional calendar.
    """
    record, attached = _new_draft(data=data, categories=categories, evidence=evidence, actor=actor)
    audit(
        type=RecordEvent.RECORD_CREATED,
        actor=actor,
        obj=record,
        data={"serial": record.serial, "due_at": record.due_at.isoformat(), "evidence": attached},
    )
    return record


@transaction.atomic
def record_create_on_behalf(
    *, data: dict[str, Any], categories: Sequence[BehaviourCategory] = (), recorder, system_name: str, actor
) -> InterferenceRecord:
    """A draft made by a case-handling system (`actor`, its account; records.api) for `recorder`, who
    completes and submits it in the product (or the system submits it for them with ``record_submit``).
    The draft is the recorder's as if they had made it, deadline included (R-DUE); the audit names the
    system as its maker, and the recorder is told, with a link to the draft, once it is committed."""
    record, _attached = _new_draft(data=data, categories=categories, evidence=(), actor=recorder)
    audit(
        type=RecordEvent.RECORD_CREATED,
        actor=actor,
        obj=record,
        data={"serial": record.serial, "due_at": record.due_at.isoformat(), "evidence": [], "recorder": recorder.pk, "via": system_name},
    )
    title = _("%(system)s为您登记了干预过问记录草稿 %(serial)s，请补全并在期限内报送") % {"system": system_name, "serial": record.serial}
    transaction.on_commit(
        lambda: notification_send(
            recipient=recorder, kind=RecordNotice.DRAFT_FROM_SYSTEM, key=str(record.pk), title=title,
            link=reverse("records:detail", args=[record.pk]), record=record,
        )  # fmt: skip
    )
    return record


@transaction.atomic
def record_quick_capture(
    *,
    interferer_name: str,
    interferer_position: str,
    occurred_at: datetime,
    channel: str,
    content: str,
    evidence: Sequence[Evidence] = (),
    actor,
) -> InterferenceRecord:
    """Quick capture (快速登记): a draft holding only who asked, their position, when, how and what was
    asked, made on a phone within minutes of the interference. The deadline runs from the
    interference time as always (R-DUE, 000 第九条); the rest of the 登记表 (002 第五条) is completed
    before submission, which refuses an incomplete record (`rules.incomplete_fields`)."""
    if not all(v.strip() for v in (interferer_name, interferer_position, channel, content)):
        raise ValidationError(_("请填写过问人姓名、职务、过问方式和过问内容。"))
    if channel not in InterferenceRecord.Channel.values:
        raise ValidationError(_("请选择有效的过问方式。"))
    data = {
        "occurred_at": occurred_at,
        "channel": channel,
        "interferer_name": interferer_name.strip(),
        "interferer_position": interferer_position.strip(),
        "content": content.strip(),
    }
    record, attached = _new_draft(data=data, categories=(), evidence=evidence, actor=actor)
    audit(
        type=RecordEvent.RECORD_CREATED,
        actor=actor,
        obj=record,
        data={"serial": record.serial, "due_at": record.due_at.isoformat(), "evidence": attached, "quick_capture": True},
    )
    return record


@transaction.atomic
def record_update_draft(
    *,
    record: InterferenceRecord,
    data: dict[str, Any],
    categories: Sequence[BehaviourCategory] = (),
    evidence: Sequence[Evidence] = (),
    actor,
) -> InterferenceRecord:
    """Edit a draft. A submitted record is frozen (000 第六条 全程留痕): only amendments are appended."""
    locked = InterferenceRecord.objects.select_for_update().get(pk=record.pk)
    if locked.status != InterferenceRecord.Status.DRAFT:
        raise ValidationError(_("记录已报送，不能再修改；如需更正，请添加补充说明。"))
    if locked.recorder_id != actor.pk:
        raise ValidationError(_("只有记录人可以修改草稿。"))
    before = _snapshot(locked)
    _apply_fields(locked, data)
    _set_deadline(locked, timezone.now())
    locked.save()
    locked.categories.set(categories)
    attached = _attach_evidence(record=locked, evidence=evidence, actor=actor)
    after = _snapshot(locked)
    changed = {k: [before[k], after[k]] for k in RECORD_FIELDS if before[k] != after[k]}
    audit(type=RecordEvent.RECORD_UPDATED, actor=actor, obj=locked, data={"changed": changed, "evidence": attached})
    return locked


@transaction.atomic
def record_submit(
    *, record: InterferenceRecord, late_reason: str = "", also_report_higher: bool = False, actor, now: datetime
) -> InterferenceRecord:
    """Submit (报送) a draft to the discipline body. Late submission is accepted with a reason
    (逾期说明) and stays visible as late. Afterwards the record is frozen."""
    locked = InterferenceRecord.objects.select_for_update().get(pk=record.pk)
    if locked.status != InterferenceRecord.Status.DRAFT:
        raise ValidationError(_("该记录已经报送，无需重复报送。"))
    if locked.recorder_id != actor.pk:
        raise ValidationError(_("只有记录人可以报送。"))
    _check_complete(locked)
    late = now > locked.due_at
    if late and not late_reason.strip():
        raise ValidationError(_("已超过报送期限，请填写逾期说明。"))
    locked.status = InterferenceRecord.Status.SUBMITTED
    locked.submitted_at = now
    locked.late_reason = late_reason.strip() if late else ""
    locked.also_report_higher = also_report_higher
    # The discipline body is told of the submission by the sweep (so a broker outage loses nothing);
    # waking the worker makes that happen now rather than at the next beat.
    locked.next_notice_at = now
    locked.save(update_fields=["status", "submitted_at", "late_reason", "also_report_higher", "next_notice_at", "updated_at"])
    # R-ROUTE: discipline routes the record to its addressees (and may refuse it with a ValidationError)
    # inside this transaction, before the submission event, so the chain shows routing first.
    record_submitted.run(record=locked, actor=actor)
    stored = InterferenceRecord.objects.get(pk=locked.pk)
    audit(
        type=RecordEvent.RECORD_SUBMITTED,
        actor=actor,
        obj=locked,
        # The content hash puts the frozen record into the audit chain (verify_audit_chain).
        data={
            "submitted_at": now.isoformat(),
            "late": late,
            "content_hash": record_content_hash(stored, list(stored.categories.values_list("pk", flat=True))),
            # Which files belong to the frozen record: detaching or swapping one is detected too.
            "evidence": sorted([pk, sha] for pk, sha in stored.evidence.values_list("pk", "sha256")),
        },
    )
    wake_sweep_after_commit()
    return locked


@transaction.atomic
def record_amend(*, record: InterferenceRecord, text: str, reason: str, actor) -> Amendment:
    """Append a correction to a submitted record (补充说明). The record itself does not change."""
    # Judge by the stored state, not by the caller's possibly stale instance.
    record = InterferenceRecord.objects.select_for_update().get(pk=record.pk)
    if record.status == InterferenceRecord.Status.DRAFT:
        raise ValidationError(_("草稿可以直接修改，无需补充说明。"))
    if record.recorder_id != actor.pk:
        raise ValidationError(_("只有记录人可以补充说明。"))
    if not text.strip() or not reason.strip():
        raise ValidationError(_("补充内容和补充原因都必须填写。"))
    amendment = Amendment.objects.create(record=record, text=text.strip(), reason=reason.strip(), author=actor)
    audit(type=RecordEvent.RECORD_AMENDED, actor=actor, obj=record, data={"amendment": amendment.pk, "hash": amendment_hash(amendment)})
    return amendment


@transaction.atomic
def behaviour_category_save(*, category: BehaviourCategory, changed: list[str], actor) -> BehaviourCategory:
    """Save a catalogue item as an administrator edited it (R-CAT: wording, order, deactivation;
    never deleted): one audit event with the fields changed."""
    created = category.pk is None
    category.save()
    audit(type=RecordEvent.CATALOGUE_CHANGED, actor=actor, obj=category, data={"created": created, "changed": changed_values(category, changed)})
    return category
