"""The sanctions register (R-SANCTION): recording and updating sanctions, with their dates checked against today."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.documents import interference_system
from cases.models import Person, Unit
from cases.selectors import governing_documents
from discipline.common.bodies import body_codes_of
from discipline.review import rules
from discipline.review.access import sanctions_visible_to
from discipline.review.integrity import sanction_hash
from discipline.review.models import Sanction
from discipline.review.vocabulary import ReviewEvent
from records.calendar.dates import local_date
from records.calendar.deadlines import period_end
from records.models import InterferenceRecord


def _review_deadline(ground: str, notified_on: dt.date | None) -> dt.date | None:
    if notified_on is None or not rules.review_window_applies(ground):
        return None
    return period_end(notified_on, rules.REVIEW_REQUEST_DAYS)


def _check_sanction_dates(decided_on: dt.date, notified_on: dt.date | None, today: dt.date) -> list[str]:
    errors = []
    if decided_on > today:
        errors.append(_("决定日期不能晚于今天。"))
    if notified_on is not None:
        if notified_on > today:
            errors.append(_("送达日期不能晚于今天。"))
        if notified_on < decided_on:
            errors.append(_("送达日期不能早于决定日期。"))
    return errors



def default_basis_for(*, person: Person, kind: str, ground: str, record: InterferenceRecord | None) -> str:
    """The legal basis the register proposes (rules.default_legal_basis): the governing document of
    the unit where it happened — the recorder's unit of the record, else the person's own unit —
    and, in a 广元 001 unit, the system that fits who the person is in the record."""
    unit_id = record.recorder_unit_id if record is not None else person.unit_id
    document = governing_documents([unit_id])[unit_id] if unit_id else ""
    interferer_kind = rules.sanctioned_kind(
        record_interferer_kind=record.interferer_kind if record is not None else "",
        is_interferer=record is not None and record.interferer_id == person.pk,
        is_behind=record is not None and record.behind_person_id == person.pk,
        is_leading_cadre=person.is_leading_cadre,
    )
    return rules.default_legal_basis(kind=kind, ground=ground, system_key=interference_system(document, interferer_kind))


@transaction.atomic
def sanction_record(
    *,
    person: Person,
    kind: str,
    ground: str,
    decided_on: dt.date,
    legal_basis: str = "",
    notified_on: dt.date | None = None,
    record: InterferenceRecord | None = None,
    body: Unit,
    actor,
    now: dt.datetime,
) -> Sanction:
    """Enter an outcome in the sanctions register (R-SANCTION) with why it is imposed (``ground``).
    Only an enforcement-fault decision gets a review-request window, ending ``period_end(notified_on,
    30)`` ("接到决定通知之日起 30 日内", 002 过错追究制度 第十二条; 民法典 第二百零一条、第二百零三条);
    a party or 政务 sanction has the route of its own regulations, not counted here. An empty legal
    basis takes the default for the kind, the ground and the unit's document (``default_basis_for``)."""
    if kind not in rules.SANCTION_TYPES:
        raise ValidationError(_("请选择处理处分种类。"))
    if ground not in rules.SANCTION_GROUNDS:
        raise ValidationError({"ground": [_("请选择处理事由。")]})
    if ground == rules.GROUND_TOLERANCE and not rules.tolerance_allows(kind):
        raise ValidationError(
            {"kind": [_("容错纠错中只能予以谈话提醒、批评教育、责令检查、诫勉、取消当年评优评先资格、调离执法岗位等处理，免予或者不予处分（004第十八条）。")]}
        )
    if body.code not in body_codes_of(actor):
        raise ValidationError(_("您不是该纪检监察机构的工作人员。"))
    if record is not None and not InterferenceRecord.objects.visible_to(actor).filter(pk=record.pk).exists():
        raise ValidationError(_("相关记录不存在。"))
    errors = _check_sanction_dates(decided_on, notified_on, local_date(now))
    if errors:
        raise ValidationError(errors)
    sanction = Sanction.objects.create(
        person=person,
        record=record,
        body=body,
        group=rules.sanction_group(kind),
        kind=kind,
        ground=ground,
        legal_basis=legal_basis.strip() or default_basis_for(person=person, kind=kind, ground=ground, record=record)[:300],
        decided_on=decided_on,
        notified_on=notified_on,
        review_deadline=_review_deadline(ground, notified_on),
        created_by=actor,
    )
    audit(
        type=ReviewEvent.SANCTION_RECORDED,
        actor=actor,
        obj=sanction,
        data={
            "person": person.pk,
            "kind": kind,
            "ground": ground,
            "record": record.pk if record else None,
            "review_deadline": str(sanction.review_deadline or ""),
            "hash": sanction_hash(sanction),
        },
    )
    return sanction



@transaction.atomic
def sanction_update(
    *,
    sanction: Sanction,
    notified_on: dt.date | None,
    review_requested_on: dt.date | None,
    review_note: str = "",
    actor,
    now: dt.datetime,
) -> Sanction:
    """Record the notification date (which fixes the 30-day review window of an enforcement-fault
    decision, 002 过错追究制度 第十二条) and a review request (复核申请) or, for other sanctions, the
    review or appeal their own regulations provide. A request after the window is recorded and shown as late; accepting it is the
    deciding organ's call, not the register's."""
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if not sanctions_visible_to(actor).filter(pk=sanction.pk).exists():  # as access.access_sanction
        raise ValidationError(_("您不是该纪检监察机构的工作人员。"))
    today = local_date(now)
    errors = _check_sanction_dates(sanction.decided_on, notified_on, today)
    if review_requested_on is not None:
        if notified_on is None:
            errors.append(_("请先填写送达日期。"))
        elif review_requested_on < notified_on:
            errors.append(_("申请复核日期不能早于送达日期。"))
        if review_requested_on > today:
            errors.append(_("申请复核日期不能晚于今天。"))
    if errors:
        raise ValidationError(errors)
    sanction.notified_on = notified_on
    sanction.review_deadline = _review_deadline(sanction.ground, notified_on)
    sanction.review_requested_on = review_requested_on
    sanction.review_note = review_note.strip()
    sanction.save()
    audit(
        type=ReviewEvent.SANCTION_RECORDED,
        actor=actor,
        obj=sanction,
        data={
            "update": True,
            "notified_on": str(notified_on or ""),
            "review_deadline": str(sanction.review_deadline or ""),
            "review_requested_on": str(review_requested_on or ""),
            # The register entry as it now stands: the last event's hash vouches for it.
            "hash": sanction_hash(sanction),
        },
    )
    return sanction
