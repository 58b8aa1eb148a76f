"""Petitions for clearing a name (004 第二十五条, R-PETITION): register, find, answer, clear the name."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.models import Person, Unit
from discipline.common.bodies import require_staff_of, supervised_unit_ids
from discipline.common.dates import not_after_today
from discipline.faults.models import Petition, ToleranceApplication
from discipline.faults.services.common import lock_row, require_value
from discipline.faults.vocabulary import FaultEvent

ANSWERABLE = {Petition.Finding.UNFOUNDED, Petition.Finding.NO_EVIDENCE, Petition.Finding.TOLERATED}



@transaction.atomic
def petition_register(
    *, body: Unit, subject: Person | None, real_name: bool, petitioner_name: str = "", petitioner_contact: str = "",
    received_on: dt.date | None, allegation: str, actor, now: dt.datetime,
) -> Petition:  # fmt: skip
    require_staff_of(body, actor)
    errors: list[str] = []
    if subject is None or subject.unit_id is None or subject.unit_id not in supervised_unit_ids([body]):
        errors.append(_("请选择本机构受理单位的被反映人。"))
    if real_name and not petitioner_name.strip():
        errors.append(_("实名举报请填写举报人姓名。"))
    require_value(received_on, _("收到日期"), errors)
    not_after_today(received_on, _("收到日期"), now, errors)
    require_value(allegation, _("反映问题"), errors)
    if errors:
        raise ValidationError(errors)
    petition = Petition.objects.create(
        body=body, subject=subject, real_name=real_name, petitioner_name=petitioner_name.strip() if real_name else "",
        petitioner_contact=petitioner_contact.strip() if real_name else "", received_on=received_on, allegation=allegation.strip(),
        created_by=actor, created_at=now,
    )  # fmt: skip
    audit(type=FaultEvent.PETITION_REGISTERED, actor=actor, obj=petition, data={"subject": subject.pk, "real_name": real_name})
    return petition



@transaction.atomic
def petition_find(
    *, petition: Petition, finding: str, text: str, found_on: dt.date | None, malicious: bool = False,
    tolerance: ToleranceApplication | None = None, actor, now: dt.datetime,
) -> Petition:  # fmt: skip
    petition = lock_row(Petition, petition.pk)
    require_staff_of(petition.body, actor)
    errors: list[str] = []
    if petition.finding:
        errors.append(_("查处结论已登记。"))
    if finding not in {Petition.Finding.FOUNDED, *ANSWERABLE}:
        errors.append(_("请选择查处结论。"))
    require_value(text, _("调查情况"), errors)
    require_value(found_on, _("结论日期"), errors)
    not_after_today(found_on, _("结论日期"), now, errors)
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
    audit(type=FaultEvent.PETITION_FOUND, actor=actor, obj=petition, data={"finding": finding, "malicious": malicious})
    return petition



@transaction.atomic
def petition_answer(*, petition: Petition, on: dt.date | None, content: str, scope: str = "", actor, now: dt.datetime) -> Petition:
    """004 第二十五条: feedback to a real-name petitioner; for an anonymous one, an explanation within
    a scope."""
    petition = lock_row(Petition, petition.pk)
    require_staff_of(petition.body, actor)
    errors: list[str] = []
    if petition.finding not in ANSWERABLE:
        errors.append(_("只有经查不属实、查无实据或容错免责的，才登记反馈或说明情况。"))
    elif petition.feedback_on or petition.explained_on:
        errors.append(_("已登记反馈或说明。"))
    require_value(on, _("日期"), errors)
    require_value(content, _("反馈或说明内容"), errors)
    not_after_today(on, _("日期"), now, errors)
    if not petition.real_name and not scope.strip():
        errors.append(_("匿名举报请填写说明情况的范围。"))
    if errors:
        raise ValidationError(errors)
    if petition.real_name:
        petition.feedback_on, petition.feedback = on, content.strip()
    else:
        petition.explained_on, petition.explanation, petition.explanation_scope = on, content.strip(), scope.strip()
    petition.save(update_fields=["feedback_on", "feedback", "explained_on", "explanation", "explanation_scope"])
    audit(type=FaultEvent.PETITION_ANSWERED, actor=actor, obj=petition, data={"real_name": petition.real_name, "on": on.isoformat()})
    return petition



@transaction.atomic
def petition_clear_name(
    *, petition: Petition, cleared_on: dt.date | None, how: str, where: str, text: str = "", actor, now: dt.datetime
) -> Petition:
    """004 第二十五条: 澄清正名 for an officer maliciously or falsely accused."""
    petition = lock_row(Petition, petition.pk)
    require_staff_of(petition.body, actor)
    errors: list[str] = []
    if not petition.malicious:
        errors.append(_("只有经查受到恶意中伤、诬告陷害的，才登记澄清正名。"))
    elif petition.cleared_on is not None:
        errors.append(_("已登记澄清正名。"))
    require_value(cleared_on, _("澄清正名日期"), errors)
    require_value(how, _("澄清方式"), errors)
    require_value(where, _("澄清范围"), errors)
    not_after_today(cleared_on, _("澄清正名日期"), now, errors)
    if errors:
        raise ValidationError(errors)
    petition.cleared_on, petition.cleared_how, petition.cleared_where, petition.cleared_text = (
        cleared_on,
        how.strip(),
        where.strip(),
        text.strip(),
    )
    petition.save(update_fields=["cleared_on", "cleared_how", "cleared_where", "cleared_text"])
    audit(type=FaultEvent.PETITION_NAME_CLEARED, actor=actor, obj=petition, data={"on": cleared_on.isoformat()})
    return petition
