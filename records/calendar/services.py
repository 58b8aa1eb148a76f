"""Services over the working-day calendar: the only code that changes it. Each runs in one transaction
and writes its audit event; the open deadlines a change touches are recomputed in the background by
the reminder sweep (step "recomputed"), which is woken after the commit."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.audit import audit
from records.calendar.vocabulary import CalendarEvent
from records.notifications.sweep import wake_sweep_after_commit

from .models import CalendarRecompute, CalendarYear, HolidayOverride


def _request_recompute(years: Iterable[int]) -> None:
    """Ask for the open deadlines touching these years to be recomputed, in the background."""
    CalendarRecompute.objects.bulk_create([CalendarRecompute(year=y) for y in sorted(set(years))])
    wake_sweep_after_commit()


@transaction.atomic
def holiday_override_save(*, override: HolidayOverride, actor, previous_date: dt.date | None = None) -> HolidayOverride:
    """Create or change one calendar day; open deadlines are recomputed in the background, for the
    year it was moved from too."""
    override.entered_by = actor
    override.save()
    audit(
        type=CalendarEvent.CALENDAR_CHANGED,
        actor=actor,
        obj=override,
        data={"date": override.date.isoformat(), "is_working_day": override.is_working_day, "source": override.source},
    )
    _request_recompute([override.date.year] + ([previous_date.year] if previous_date else []))
    return override


@transaction.atomic
def holiday_override_delete(*, override: HolidayOverride, actor) -> None:
    audit(type=CalendarEvent.CALENDAR_CHANGED, actor=actor, obj=override, data={"date": override.date.isoformat(), "deleted": True})
    override.delete()
    _request_recompute([override.date.year])


@transaction.atomic
def calendar_year_enter(
    *, year: int, source: str, holidays: Sequence[tuple[dt.date, str]], workdays: Sequence[dt.date], actor
) -> CalendarYear:
    """Enter a year's official schedule (国务院办公厅关于某年部分节假日安排的通知): its holidays and
    make-up working days replace whatever the year had; the year is then marked as entered in full,
    and the deadline of every open record it affects is recomputed in the background."""
    if not source.strip():
        raise ValidationError(_("请填写国务院办公厅通知的文号。"))
    days = [d for d, _name in holidays] + list(workdays)
    if any(d.year != year for d in days):
        raise ValidationError(_("所有日期都必须在%(year)s年内。") % {"year": year})
    if len(set(days)) != len(days):
        raise ValidationError(_("同一天不能既是假日又是调休上班日，也不能重复填写。"))
    HolidayOverride.objects.filter(date__year=year).delete()
    note_source = source.strip()
    HolidayOverride.objects.bulk_create(
        [HolidayOverride(date=d, is_working_day=False, note=name or _("放假"), source=note_source, entered_by=actor) for d, name in holidays]
        + [HolidayOverride(date=d, is_working_day=True, note=_("调休上班"), source=note_source, entered_by=actor) for d in workdays]
    )
    calendar_year, _created = CalendarYear.objects.update_or_create(year=year, defaults={"source": note_source, "entered_by": actor})
    audit(
        type=CalendarEvent.CALENDAR_CHANGED,
        actor=actor,
        obj=calendar_year,
        data={
            "year": year,
            "source": note_source,
            "holidays": [d.isoformat() for d, _name in holidays],
            "workdays": [d.isoformat() for d in workdays],
        },
    )
    _request_recompute([year])
    return calendar_year
