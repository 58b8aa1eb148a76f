"""The holiday calendar page for administrators (DESIGN §5): which years are official, entered by an
administrator (override) or provisional; a year's schedule pasted from the State Council notice,
previewed, then confirmed; and single days added, changed or removed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.decorators import role_required
from cases.roles import Role

from . import services
from .forms import CalendarNoticeForm, HolidayDayForm
from .selectors import entered_years, notice_preview, override_for, recent_overrides, recompute_status
from .workdays import calendar_source, provisional_holidays

SOURCE_LABELS = {"official": _("国务院已公布（内置）"), "override": _("管理员已录入"), "provisional": _("暂定（按法定节日推算）")}


def _page(request: HttpRequest, *, form: CalendarNoticeForm, day_form: HolidayDayForm, preview: dict | None = None) -> HttpResponse:
    today = timezone.localdate()
    years = []
    for year in range(today.year - 1, today.year + 2):
        source = calendar_source(year)
        entry = {"year": year, "source": source, "label": SOURCE_LABELS[source]}
        if source == "provisional":
            entry["provisional"] = sorted(provisional_holidays(year).items())
        years.append(entry)
    context = {
        "form": form,
        "day_form": day_form,
        "preview": preview,
        "years": years,
        "warn_next_year": today.month >= 11 and calendar_source(today.year + 1) == "provisional",
        "next_year": today.year + 1,
        "entered": entered_years(),
        "overrides": recent_overrides(today),
        **recompute_status(),
    }
    return render(request, "records/calendar.html", context)


def _notice_form(data=None) -> CalendarNoticeForm:
    return CalendarNoticeForm(data, initial={"year": timezone.localdate().year + 1})


@role_required(Role.ADMIN)
def calendar_index(request: HttpRequest) -> HttpResponse:
    """GET: the page. POST "预览": what the pasted notice says, day by day, and how the year would
    change. POST "确认保存" from that preview: saved only when the preview confirmed is still what the
    text and the stored year give, and, if the year had entries, with the replacement confirmed."""
    form = _notice_form(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        preview = notice_preview(year=data["year"], source=data["source"], notice=data["parsed"])
        confirmed = "save" in request.POST and data["fingerprint"] == preview["fingerprint"]
        if "save" in request.POST and not confirmed:
            form.add_error(None, _("通知原文或该年度的安排在预览后有变化，请核对下面重新列出的内容后再确认。"))
        elif confirmed and preview["replaces"] and not data["replace"]:
            form.add_error("replace", _("该年度已有录入的安排。请核对差异，勾选确认替换后再保存。"))
        elif confirmed:
            try:
                services.calendar_year_enter(
                    year=data["year"], source=data["source"], holidays=data["parsed"].holidays(), workdays=data["parsed"].workdays(), actor=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(year)s年放假安排已录入，未报送记录的报送期限将在后台重新计算并通知记录人。") % {"year": data["year"]})
                return redirect("calendar:index")
    return _page(request, form=form, day_form=HolidayDayForm(prefix="day"), preview=preview)


@role_required(Role.ADMIN)
@require_POST
def calendar_day(request: HttpRequest) -> HttpResponse:
    """One day made a holiday or a working day ("保存这一天"), or returned to the ordinary calendar
    ("删除"); either way the open deadlines are recomputed in the background."""
    day_form = HolidayDayForm(request.POST, prefix="day")
    if day_form.is_valid():
        data = day_form.cleaned_data
        override = override_for(data["date"])
        if "remove" in request.POST:
            if override.pk is None:
                day_form.add_error("date", _("这一天没有调整，无需删除。"))
                return _page(request, form=_notice_form(), day_form=day_form)
            services.holiday_override_delete(override=override, actor=request.user)
            messages.success(request, _("已删除 %(date)s 的调整。") % {"date": f"{data['date']:%Y-%m-%d}"})
        else:
            override.is_working_day = data["is_working_day"]
            override.note = data["note"] or (_("调休上班") if data["is_working_day"] else _("放假"))
            override.source = data["source"] or override.source
            services.holiday_override_save(override=override, actor=request.user)
            messages.success(request, _("已保存 %(date)s。") % {"date": f"{data['date']:%Y-%m-%d}"})
        return redirect("calendar:index")
    return _page(request, form=_notice_form(), day_form=day_form)
