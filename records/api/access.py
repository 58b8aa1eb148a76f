"""Which records and which officers a calling system reaches: records of units in its scope; with an
officer named, only what that officer may see on the pages (`visible_to`, the conflict-of-interest
exclusion included). 404 for missing and out of reach alike."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from cases.api.access import OutOfScope
from cases.api.selectors import scope_unit_ids
from cases.models import ApiSystem, Person
from records.record.models import InterferenceRecord


def api_records(system: ApiSystem, officer=None):
    """The records `system` reaches (on behalf of `officer`, when given)."""
    records = InterferenceRecord.objects.visible_to(officer) if officer is not None else InterferenceRecord.objects.all()
    return records.filter(recorder_unit_id__in=scope_unit_ids(system))


def access_api_record(system: ApiSystem, pk, officer=None) -> InterferenceRecord:
    """The record `pk` if `system` reaches it (on behalf of `officer`), else Http404."""
    try:
        return api_records(system, officer).select_related("case", "recorder_unit", "recorder__person").get(pk=pk)
    except (InterferenceRecord.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_api_officer(system: ApiSystem, number: str, field: str = "officer"):
    """The account of the person numbered `number`, who must be in `system`'s scope and have an
    account: a 400 naming `field` for an unknown number or a person without an account, a 403 for a
    person outside the scope."""
    person = Person.objects.select_related("user", "unit").filter(number=number).first()
    if person is None:
        raise ValidationError({field: [_("没有人员编号为 %(number)s 的人员。") % {"number": number}]})
    if person.unit_id not in scope_unit_ids(system):
        raise OutOfScope(field, _("人员 %(number)s 不在本系统的授权范围内。") % {"number": number})
    if person.user_id is None or not person.user.is_active:
        raise ValidationError({field: [_("人员 %(number)s 没有可用的系统账号，不能代其登记。") % {"number": number}]})
    return person.user
