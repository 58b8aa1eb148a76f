"""The holiday calendar page for administrators (DESIGN §5): which years are official, entered by an
administrator (override) or provisional, and the form to enter a year's official schedule."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.decorators import role_required
from cases.roles import Role

from . import services
from .forms import CalendarYearForm
from .selectors import entered_years, recent_overrides, recompute_status
from .workdays import calendar_source, provisional_holidays

SOURCE_LABELS = {"official": _("国务院已公布（内置）"), "override": _("管理员已录入"), "provisional": _("暂定（按法定节日推算）")}


@role_required(Role.ADMIN)
def calendar_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = CalendarYearForm(request.POST or None, initial={"year": today.year + 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_year_enter(
                year=data["year"], source=data["source"], holidays=data["holidays"], workdays=data["workdays"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(year)s年放假安排已录入，未报送记录的报送期限将在后台重新计算并通知记录人。") % {"year": data["year"]})
            return redirect("calendar:index")
    years = []
    for year in range(today.year - 1, today.year + 2):
        source = calendar_source(year)
        entry = {"year": year, "source": source, "label": SOURCE_LABELS[source]}
        if source == "provisional":
            entry["provisional"] = sorted(provisional_holidays(year).items())
        years.append(entry)
    context = {
        "form": form,
        "years": years,
        "warn_next_year": today.month >= 11 and calendar_source(today.year + 1) == "provisional",
        "next_year": today.year + 1,
        "entered": entered_years(),
        "overrides": recent_overrides(today),
        **recompute_status(),
    }
    return render(request, "records/calendar.html", context)
