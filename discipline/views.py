"""Pages of the principal leader and of discipline staff. Thin: objects come through
``discipline.access``, reads through ``discipline.selectors``, changes through ``discipline.services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.audit import audit
from cases.idempotency import accepted, submit_once
from cases.models import AuditEvent, Person
from records.calendar.dates import local_date

from . import access, charts, rules, selectors, services
from .bodies import bodies_of, supervised_unit_ids
from .forms import (
    DashboardFilterForm,
    HandlingForm,
    InstructionForm,
    LedgerFilterForm,
    LetterTrackingForm,
    ReviewForm,
    SanctionForm,
    SanctionReviewForm,
)
from .models import Handling, Instruction, Review, Routing, Sanction
from .pdf import render_pdf

PAGE_SIZE = 50


def _errors(error: ValidationError) -> str:
    return "；".join(error.messages)


def _page(request: HttpRequest, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Principal leader -----------------------------------------------------------------------------


@access.principal_required
def principal_inbox(request: HttpRequest) -> HttpResponse:
    """待批示: records routed to this principal leader for instruction (002 第五条)."""
    show = "all" if request.GET.get("show") == "all" else "pending"
    page = _page(request, selectors.principal_inbox(request.user, show=show))
    rows = selectors.with_timeliness(list(page.object_list), timezone.now())
    return render(request, "discipline/principal_inbox.html", {"page": page, "rows": rows, "show": show})


@access.principal_required
@require_http_methods(["GET", "POST"])
@submit_once
def principal_instruct(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.access_principal_record(request.user, pk, audit_read=request.method == "GET")
    mine = Instruction.objects.filter(record=record, principal=request.user).first()
    form = InstructionForm(request.POST if request.method == "POST" and mine is None else None)
    if request.method == "POST" and mine is None and form.is_valid():
        try:
            services.instruction_give(record=record, text=form.cleaned_data["text"], actor=request.user, now=timezone.now())
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("批示已提交。"))
            return accepted(redirect("discipline:principal_inbox"))
    return render(request, "discipline/principal_instruct.html", {"record": record, "form": form, "mine": mine})


# --- Discipline staff: inbox and case handling ----------------------------------------------------


@access.discipline_required
def inbox(request: HttpRequest) -> HttpResponse:
    """受理: records routed to the user's discipline bodies, with their reporting timeliness."""
    show = "all" if request.GET.get("show") == "all" else "open"
    page = _page(request, selectors.discipline_inbox(request.user, show=show))
    rows = selectors.with_timeliness(list(page.object_list), timezone.now())
    selectors.flag_repeats(rows, selectors.repeat_map(request.user))
    return render(request, "discipline/inbox.html", {"page": page, "rows": rows, "show": show, "bodies": bodies_of(request.user)})


def _case_context(request: HttpRequest, record) -> dict:
    now = timezone.now()
    selectors.with_timeliness([record], now)
    review = Review.objects.filter(record=record).select_related("received_by__person", "verified_by__person").first()
    handling = Handling.objects.filter(record=record).select_related("person", "decided_by__person").first()
    letter = getattr(handling, "letter", None) if handling else None
    special = getattr(review, "special", None) if review else None
    repeats = selectors.repeat_map(request.user)
    selectors.flag_repeats([record], repeats)
    acting = Routing.objects.filter(record=record, role=Routing.Role.DISCIPLINE, body__code__in=[b.code for b in bodies_of(request.user)]).exists()
    return {
        "record": record,
        "review": review,
        "handling": handling,
        "letter": letter,
        "special": special,
        "acting": acting,
        "routings": Routing.objects.filter(record=record).select_related("body", "user__person"),
        "instructions": Instruction.objects.filter(record=record).select_related("principal__person"),
        "sanctions": access.sanctions_visible_to(request.user).filter(record=record).select_related("person"),
        "letter_form": LetterTrackingForm(
            initial={"sent_on": letter.sent_on, "acknowledged_on": letter.acknowledged_on, "outcome_received_on": letter.outcome_received_on, "outcome": letter.outcome}
        )
        if letter
        else None,
        "special_eligible": bool(review and review.conclusion and not special and rules.special_matter_eligible(
            conclusion=review.conclusion, serious=review.seriousness == Review.Seriousness.SERIOUS, affects_case=review.affects_case
        )),
    }


@access.discipline_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """办理: one record as its discipline body sees it, with every step of its handling."""
    record = access.access_case(request.user, pk, audit_read=True)
    return render(request, "discipline/case_detail.html", _case_context(request, record))


@access.discipline_required
@require_POST
def case_receive(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.access_case(request.user, pk, acting=True)
    try:
        services.record_receive(record=record, actor=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("已签收。"))
    return redirect("discipline:case", pk=record.pk)


@access.discipline_required
@require_http_methods(["GET", "POST"])
def case_verify(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.access_case(request.user, pk, acting=True)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_verify(
                record=record,
                conclusion=data["conclusion"],
                findings=data["findings"],
                seriousness=data["seriousness"],
                affects_case=data["affects_case"],
                special=data["special"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("核实结论已保存。") + (_("特别事项报告已生成。") if data["special"] else ""))
            return redirect("discipline:case", pk=record.pk)
    return render(request, "discipline/case_verify.html", {"record": record, "form": form})


@access.discipline_required
@require_POST
def case_special(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.access_review(request.user, pk)
    try:
        services.special_report_make(review=review, actor=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("特别事项报告已生成。"))
    return redirect("discipline:case", pk=pk)


def _handling_people(record):
    ids = [i for i in (record.interferer_id, record.behind_person_id) if i]
    return Person.objects.filter(pk__in=ids)


@access.discipline_required
@require_http_methods(["GET", "POST"])
def case_handle(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.access_case(request.user, pk, acting=True)
    review = access.access_review(request.user, pk)
    body = services.acting_body(record, request.user)
    people = _handling_people(record)
    if request.method == "POST":
        form = HandlingForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            letter = (
                {"addressee": data["addressee"], "cc": data["cc"], "text": data["letter_text"], "issued_on": data["issued_on"]}
                if data["kind"] == Handling.Kind.OTHER_UNIT
                else None
            )
            try:
                services.handling_decide(
                    record=record,
                    kind=data["kind"],
                    decision=data["decision"],
                    person=data["person"],
                    internal_notice=data["internal_notice"],
                    internal_notice_on=data["internal_notice_on"],
                    public_disclosure=data["public_disclosure"],
                    disclosure_reason=data["disclosure_reason"],
                    letter=letter,
                    actor=request.user,
                    now=timezone.now(),
                )
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                messages.success(request, _("处理决定已保存。"))
                return redirect("discipline:case", pk=record.pk)
    else:
        subject = record.behind_person or record.interferer
        in_body = None
        if subject is not None and subject.unit_id is not None:
            in_body = subject.unit_id in supervised_unit_ids([body])
        party = subject.unit.party_organization if subject is not None and subject.unit_id else ""
        form = HandlingForm(
            people=people,
            initial={
                "kind": Handling.Kind.NO_ACTION
                if review.conclusion not in rules.SUBSTANTIATED
                else rules.handling_kind_suggestion(interferer_unit_in_body=in_body),
                "person": subject.pk if subject else None,
                "addressee": party or (f"{record.interferer_unit}党组（党委）" if record.interferer_unit else ""),
                "cc": "同级纪委监委",
                "letter_text": services.default_letter_text(record, review, body),
                "issued_on": local_date(timezone.now()),
                "internal_notice_on": local_date(timezone.now()),
            },
        )
    return render(request, "discipline/case_handle.html", {"record": record, "review": review, "form": form})


@access.discipline_required
@require_POST
def letter_update(request: HttpRequest, pk: int) -> HttpResponse:
    letter = access.access_letter(request.user, pk)
    form = LetterTrackingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.notice_letter_update(
                letter=letter,
                sent_on=data["sent_on"],
                acknowledged_on=data["acknowledged_on"],
                outcome_received_on=data["outcome_received_on"],
                outcome=data["outcome"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("通报函办理情况已更新。"))
    else:
        messages.error(request, "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items()))
    return redirect("discipline:case", pk=letter.handling.record_id)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{filename}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access.discipline_required
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice letter (通报函) as a PDF in official-document layout."""
    from urllib.parse import quote

    letter = access.access_letter(request.user, pk)
    audit(type=AuditEvent.Type.RECORD_VIEWED, actor=request.user, obj=letter.handling.record, data={"via": "notice_letter_pdf"})
    pdf = render_pdf("discipline/pdf/notice_letter.html", {"letter": letter})
    return _pdf_response(pdf, quote(f"通报函-{letter.number}.pdf"))


@access.discipline_required
def special_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The special report (特别事项报告, 001 第七条) as a PDF."""
    from urllib.parse import quote

    report = access.access_special_report(request.user, pk)
    audit(type=AuditEvent.Type.RECORD_VIEWED, actor=request.user, obj=report.review.record, data={"via": "special_report_pdf"})
    pdf = render_pdf("discipline/pdf/special_report.html", {"report": report, "record": report.review.record})
    return _pdf_response(pdf, quote(f"特别事项报告-{report.review.record.serial}.pdf"))


# --- Sanctions register ----------------------------------------------------------------------------


@access.discipline_required
def sanction_list(request: HttpRequest) -> HttpResponse:
    """处理处分登记 (R-SANCTION), grouped by category, with the review-request window."""
    today = local_date(timezone.now())
    rows = list(access.sanctions_visible_to(request.user).select_related("person", "person__unit", "record").order_by("group", "-decided_on", "-id"))
    repeats = selectors.repeat_map(request.user)
    groups = []
    for value, label in Sanction.Group.choices:
        items = [s for s in rows if s.group == value]
        for s in items:
            s.repeat = repeats.get(s.person_id, 0)
            s.window_open = bool(s.review_deadline and not s.review_requested_on and today <= s.review_deadline)
            s.request_late = bool(s.review_requested_on and s.review_deadline and s.review_requested_on > s.review_deadline)
        groups.append((label, items))
    return render(request, "discipline/sanction_list.html", {"groups": groups, "total": len(rows)})


@access.discipline_required
@require_http_methods(["GET", "POST"])
@submit_once
def sanction_create(request: HttpRequest) -> HttpResponse:
    bodies = bodies_of(request.user)
    if not bodies:
        messages.error(request, _("您的账号尚未加入任何纪检监察机构，请联系管理员。"))
        return redirect("discipline:sanctions")
    people = access.people_visible_to(request.user).select_related("unit").order_by("name")
    records = access.routed_records(request.user).order_by("-occurred_at")
    form = SanctionForm(request.POST or None, people=people, records=records, initial={"person": request.GET.get("person"), "record": request.GET.get("record")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sanction_record(
                person=data["person"],
                kind=data["kind"],
                decided_on=data["decided_on"],
                legal_basis=data["legal_basis"],
                notified_on=data["notified_on"],
                record=data["record"],
                body=bodies[0],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("处理处分已登记。"))
            return accepted(redirect("discipline:sanctions"))
    return render(request, "discipline/sanction_form.html", {"form": form, "types": rules.SANCTION_TYPES, "groups": rules.SANCTION_GROUPS})


@access.discipline_required
@require_http_methods(["GET", "POST"])
def sanction_update(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = access.access_sanction(request.user, pk)
    initial = {"notified_on": sanction.notified_on, "review_requested_on": sanction.review_requested_on, "review_note": sanction.review_note}
    form = SanctionReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sanction_update(
                sanction=sanction,
                notified_on=data["notified_on"],
                review_requested_on=data["review_requested_on"],
                review_note=data["review_note"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("已更新。"))
            return redirect("discipline:sanctions")
    return render(request, "discipline/sanction_update.html", {"sanction": sanction, "form": form})


# --- Integrity file, ledger, dashboard ----------------------------------------------------------------


@access.discipline_required
def person_file(request: HttpRequest, pk: int) -> HttpResponse:
    """廉政档案 (R-FILE): a person's interference and recording behaviour."""
    person = access.access_person(request.user, pk)
    file = selectors.integrity_file(request.user, person, timezone.now())
    selectors.flag_repeats(file.as_interferer, selectors.repeat_map(request.user))
    return render(request, "discipline/person_file.html", {"file": file, "person": person})


def _ledger_form(request: HttpRequest) -> LedgerFilterForm:
    return LedgerFilterForm(
        request.GET or None,
        units=selectors.units_for_filter(request.user),
        categories=selectors.categories_for_filter(),
        people=access.people_visible_to(request.user),
    )


def _audit_filters(data: dict) -> dict:
    return {k: (str(v.pk) if hasattr(v, "pk") else str(v)) for k, v in data.items()}


@access.discipline_required
def ledger(request: HttpRequest) -> HttpResponse:
    """台账 (R-LEDGER, 001 第五条): every record routed to the user's bodies, filterable. Each view of
    the ledger is audited with its filters; each record opened is audited by records.access."""
    form = _ledger_form(request)
    data = form.filters() if request.GET else {}
    now = timezone.now()
    page = _page(request, selectors.ledger(request.user, data, now))
    rows = selectors.with_timeliness(list(page.object_list), now)
    selectors.flag_repeats(rows, selectors.repeat_map(request.user))
    access.log_view(request.user, AuditEvent.Type.LEDGER_VIEWED, {"filters": _audit_filters(data), "page": page.number})
    return render(
        request,
        "discipline/ledger.html",
        {"form": form, "page": page, "rows": rows, "query": _query_without_page(request), "count": page.paginator.count},
    )


@access.discipline_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """统计分析: figures for a period and a unit subtree; every figure links to the filtered ledger."""
    now = timezone.now()
    today = local_date(now)
    units = selectors.units_for_filter(request.user)
    form = DashboardFilterForm(request.GET or None, units=units)
    data = {"date_from": dt.date(today.year, 1, 1), "date_to": today, "unit": None}
    if request.GET:
        form.is_valid()
        data.update({k: v for k, v in form.cleaned_data.items() if v})
    board = selectors.dashboard(request.user, data, now)
    base = {"date_from": data["date_from"].isoformat(), "date_to": data["date_to"].isoformat()}
    if data.get("unit"):
        base["unit"] = str(data["unit"].pk)
    url = reverse("discipline:ledger")
    chart_specs = [
        (_("按状态"), board.by_status),
        (_("按行为类别"), board.by_category),
        (_("按过问方式"), board.by_channel),
        (_("按过问人类别"), board.by_kind),
        (_("按过问人职级"), board.by_level),
        (_("按记录单位"), board.by_unit),
        (_("核实结论"), board.by_conclusion),
    ]
    chart_list = [charts.bar_chart(title, figures, url, base, limit=charts.DASHBOARD_BARS) for title, figures in chart_specs]
    trend = charts.trend_chart(board.trend_year, board.trend, url, base)
    access.log_view(request.user, AuditEvent.Type.DASHBOARD_VIEWED, {"filters": _audit_filters({k: v for k, v in data.items() if v})})

    def link(**params) -> str:
        from urllib.parse import urlencode

        return f"{url}?{urlencode({**base, **params})}"

    return render(
        request,
        "discipline/dashboard.html",
        {
            "form": form,
            "board": board,
            "charts": chart_list,
            "trend": trend,
            "period": data,
            "links": {
                "all": link(),
                "overdue": reverse("records:overdue"),
                "due_week": link(state="due_week"),
                "late": link(timeliness="late"),
                "on_time": link(timeliness="on_time"),
            },
            "repeat_links": [(p, n, link(person=str(p.pk))) for p, n in board.top_repeat],
        },
    )
