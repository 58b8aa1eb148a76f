"""The officer's monthly zero report (零报告) page: two clicks — open the page, press one button."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.decorators import role_required
from cases.roles import Role
from records.calendar.dates import local_date

from . import rules
from .models import ZeroReport
from .selectors import declaration_status, declaration_text, declarations_of, month_record_count
from .services import zero_report_declare


@role_required(Role.OFFICER)
@require_http_methods(["GET", "POST"])
def zero_report(request: HttpRequest) -> HttpResponse:
    """Each declarable month with the officer's record count and, until declared, the two choices;
    below, the officer's past declarations."""
    now = timezone.now()
    today = local_date(now)
    if request.method == "POST":
        try:
            year, month = (int(x) for x in request.POST.get("month", "").split("-"))
            zero_report_declare(month=dt.date(year, month, 1), declaration=request.POST.get("declaration", ""), actor=request.user, now=now)
        except (ValueError, TypeError, OverflowError):  # OverflowError: a year too large for a date
            messages.error(request, _("请选择要申报的月份。"))
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("零报告已申报。"))
        return redirect("records:zero_report")
    mine = declarations_of(request.user)
    status = declaration_status(rules.declarable_months(today), today=today, officer_ids=[request.user.pk])
    months = [
        {
            "status": status[m], "key": m.strftime("%Y-%m"), "count": month_record_count(request.user, m),
            "report": status[m].declared.get(request.user.pk),
            "owed": bool(status[m].expected),
            "choices": [(value, declaration_text(value, m)) for value in ZeroReport.Declaration.values],
        }
        for m in reversed(list(status))
    ]  # fmt: skip
    current = rules.month_start(today)
    next_opens = None if current in status else rules.window_opens(current)
    return render(
        request,
        "records/zero_report.html",
        {"months": months, "history": [(r, declaration_text(r.declaration, r.month)) for r in mine], "next_opens": next_opens},
    )
