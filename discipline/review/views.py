"""Pages of the principal leader and of discipline staff. Thin: objects come through
``discipline.review.access``, reads through ``discipline.review.selectors``, changes through ``discipline.review.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.downloads import PDF, traced_document_response
from cases.idempotency import accepted, submit_once
from cases.models import Person
from cases.selectors import party_committee_of
from discipline.common.bodies import bodies_of
from discipline.common.decorators import discipline_required, principal_required
from discipline.common.http import error_text, page_of, show_refusal
from discipline.common.pdf import render_pdf
from discipline.review import documents as review_documents
from discipline.review import rules, sanctions, selectors
from discipline.review.access import (
    access_case,
    access_letter,
    access_principal_record,
    access_review,
    access_sanction,
    access_special_report,
    people_visible_to,
    routed_records,
    sanctions_visible_to,
)
from discipline.review.forms import (
    HandlingForm,
    InstructionForm,
    LetterTrackingForm,
    ReviewForm,
    SanctionForm,
    SanctionReviewForm,
    SpecialDecisionForm,
)
from discipline.review.models import Handling, Instruction, Review, Routing, Sanction
from discipline.review.routing import acting_body
from discipline.review.selectors import flag_repeats, repeat_map, with_timeliness
from discipline.review.services import (
    default_letter_text,
    handling_decide,
    instruction_give,
    notice_approval_basis,
    notice_letter_update,
    record_receive,
    review_verify,
    special_report_decide,
    special_report_make,
)
from records.calendar.dates import local_date

# --- Principal leader -----------------------------------------------------------------------------


@principal_required
def principal_inbox(request: HttpRequest) -> HttpResponse:
    """待批示: records routed to this principal leader for instruction (002 第五条)."""
    show = "all" if request.GET.get("show") == "all" else "pending"
    page = page_of(request, selectors.principal_inbox(request.user, show=show))
    rows = with_timeliness(list(page.object_list), timezone.now())
    return render(request, "discipline/principal_inbox.html", {"page": page, "rows": rows, "show": show})


@principal_required
@require_http_methods(["GET", "POST"])
@submit_once
def principal_instruct(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_principal_record(request.user, pk, audit_read=request.method == "GET")
    mine = Instruction.objects.filter(record=record, principal=request.user).first()
    form = InstructionForm(request.POST if request.method == "POST" and mine is None else None)
    if request.method == "POST" and mine is None and form.is_valid():
        try:
            instruction_give(record=record, text=form.cleaned_data["text"], actor=request.user, now=timezone.now())
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("批示已提交。"))
            return accepted(redirect("discipline:principal_inbox"))
    context = {
        "record": record,
        "form": form,
        "mine": mine,
        # Everything the principal needs to decide, on the page itself (three queries, whatever the counts).
        "categories": record.categories.all(),
        "evidence": record.evidence.all(),
        "amendments": record.amendments.select_related("author__person"),
    }
    return render(request, "discipline/principal_instruct.html", context)


# --- Discipline staff: inbox and case handling ----------------------------------------------------


@discipline_required
def inbox(request: HttpRequest) -> HttpResponse:
    """受理: records routed to the user's discipline bodies, with their reporting timeliness."""
    show = "all" if request.GET.get("show") == "all" else "open"
    page = page_of(request, selectors.discipline_inbox(request.user, show=show))
    rows = with_timeliness(list(page.object_list), timezone.now())
    flag_repeats(rows, repeat_map(request.user))
    return render(request, "discipline/inbox.html", {"page": page, "rows": rows, "show": show, "bodies": bodies_of(request.user)})


def _case_context(request: HttpRequest, record) -> dict:
    now = timezone.now()
    with_timeliness([record], now)
    review = Review.objects.filter(record=record).select_related("received_by__person", "verified_by__person").first()
    handling = Handling.objects.filter(record=record).select_related("person", "decided_by__person").first()
    letter = getattr(handling, "letter", None) if handling else None
    special = getattr(review, "special", None) if review else None
    repeats = repeat_map(request.user)
    flag_repeats([record], repeats)
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
        "sanctions": sanctions_visible_to(request.user).filter(record=record).select_related("person"),
        "letter_form": LetterTrackingForm(
            initial={"sent_on": letter.sent_on, "acknowledged_on": letter.acknowledged_on, "outcome_received_on": letter.outcome_received_on, "outcome": letter.outcome}
        )
        if letter
        else None,
        "special_form": SpecialDecisionForm(initial={"decided_by": party_committee_of(record.recorder_unit), "escalated_to": _("市委市政府")})
        if special and acting and not special.decision
        else None,
        "special_eligible": bool(review and review.conclusion and not special and rules.special_matter_eligible(
            conclusion=review.conclusion, serious=review.seriousness == Review.Seriousness.SERIOUS, affects_case=review.affects_case
        )),
    }


@discipline_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """办理: one record as its discipline body sees it, with every step of its handling."""
    record = access_case(request.user, pk, audit_read=True)
    return render(request, "discipline/case_detail.html", _case_context(request, record))


@discipline_required
@require_POST
def case_receive(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_case(request.user, pk, acting=True)
    try:
        record_receive(record=record, actor=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("已签收。"))
    return redirect("discipline:case", pk=record.pk)


@discipline_required
@require_http_methods(["GET", "POST"])
def case_verify(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_case(request.user, pk, acting=True)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review_verify(
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
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("核实结论已保存。") + (_("特别事项报告已生成。") if data["special"] else ""))
            return redirect("discipline:case", pk=record.pk)
    return render(request, "discipline/case_verify.html", {"record": record, "form": form})


@discipline_required
@require_POST
def case_special(request: HttpRequest, pk: int) -> HttpResponse:
    review = access_review(request.user, pk)
    try:
        special_report_make(review=review, actor=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("特别事项报告已生成。"))
    return redirect("discipline:case", pk=pk)


@discipline_required
@require_POST
def special_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the party committee's decision on a special report (001 领导干部制度 第七条)."""
    report = access_special_report(request.user, pk)
    record = access_case(request.user, report.review.record_id, acting=True)
    form = SpecialDecisionForm(request.POST)
    if form.is_valid():
        try:
            special_report_decide(report=report, **form.cleaned_data, actor=request.user, now=timezone.now())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("党委的决定已登记。"))
            return redirect("discipline:case", pk=record.pk)
    context = _case_context(request, record)
    context["special_form"] = form
    return render(request, "discipline/case_detail.html", context)


def _handling_people(record):
    ids = [i for i in (record.interferer_id, record.behind_person_id) if i]
    return Person.objects.filter(pk__in=ids)


@discipline_required
@require_http_methods(["GET", "POST"])
def case_handle(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_case(request.user, pk, acting=True)
    review = access_review(request.user, pk)
    body = acting_body(record, request.user)
    people = _handling_people(record)
    recipients = selectors.letter_recipients(record)
    kinds = selectors.handling_kinds_for(record, review, body)
    if request.method == "POST":
        form = HandlingForm(request.POST, people=people, recipients=recipients, kinds=kinds)
        if form.is_valid() and "preview" in request.POST:
            # 预览: the document as it will be issued, in a new tab; nothing is saved or numbered.
            document = review_documents.handling_preview_document(record, form.cleaned_data, body)
            if document is not None:
                return _pdf_response(request, render_pdf(*document), f"预览-{record.serial}.pdf", document=f"通报（函）预览（未发出）{record.serial}", obj=record)
        if form.is_valid() and "preview" not in request.POST:
            data = form.cleaned_data
            letter = (
                {"addressee": data["addressee"], "cc": data["cc"], "text": data["letter_text"], "issued_on": data["issued_on"]}
                if data["kind"] == Handling.Kind.OTHER_UNIT
                else None
            )
            own = data["kind"] == Handling.Kind.OWN_UNIT
            try:
                handling_decide(
                    record=record,
                    kind=data["kind"],
                    decision=data["decision"],
                    person=data["person"],
                    internal_notice=data["internal_notice"] if own else "",
                    internal_notice_on=data["internal_notice_on"] if own else None,
                    public_disclosure=data["public_disclosure"] if own else False,
                    disclosure_reason=data["disclosure_reason"] if own else "",
                    notice_decided_by=data["notice_decided_by"] if own else "",
                    notice_approved_by=data["notice_approved_by"] if own else "",
                    notice_approved_on=data["notice_approved_on"] if own else None,
                    letter=letter,
                    actor=request.user,
                    now=timezone.now(),
                )
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("处理决定已保存。"))
                return redirect("discipline:case", pk=record.pk)
    else:
        subject = record.behind_person or record.interferer
        form = HandlingForm(
            people=people,
            recipients=recipients,
            kinds=kinds,
            initial={
                "kind": kinds[0],
                "person": subject.pk if subject else None,
                "addressee": recipients.addressee,
                "cc": recipients.cc,
                "letter_text": default_letter_text(record, review, body),
                "issued_on": local_date(timezone.now()),
                "internal_notice_on": local_date(timezone.now()),
                "notice_decided_by": party_committee_of(record.recorder_unit),
            },
        )
    context = {"record": record, "review": review, "form": form, "approval_basis": notice_approval_basis(record)}
    return render(request, "discipline/case_handle.html", context)


@discipline_required
@require_POST
def letter_update(request: HttpRequest, pk: int) -> HttpResponse:
    letter = access_letter(request.user, pk)
    form = LetterTrackingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            notice_letter_update(
                letter=letter,
                sent_on=data["sent_on"],
                acknowledged_on=data["acknowledged_on"],
                outcome_received_on=data["outcome_received_on"],
                outcome=data["outcome"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("通报函办理情况已更新。"))
    else:
        messages.error(request, "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items()))
    return redirect("discipline:case", pk=letter.handling.record_id)


def _pdf_response(request: HttpRequest, pdf: bytes, filename: str, *, document: str, obj) -> HttpResponse:
    """Shown in the browser (inline), watermarked for the reader, signed and its hash audited."""
    return traced_document_response(request, pdf, filename=filename, content_type=PDF, document=document, obj=obj, inline=True)


@discipline_required
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice letter (通报函) as a PDF in the 信函格式."""
    letter = access_letter(request.user, pk, audit_read=True)
    return _pdf_response(request, render_pdf(*review_documents.notice_letter_document(letter)), f"通报函-{letter.number}.pdf", document=f"通报函 {letter.number}", obj=letter)


@discipline_required
def circular_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The internal notice (通报) of an own-unit handling as a PDF; ``pk`` is the record's."""
    record = access_case(request.user, pk, audit_read=True)
    handling = Handling.objects.filter(record=record, kind=Handling.Kind.OWN_UNIT).select_related("person", "record__recorder_unit").first()
    if handling is None:
        raise Http404
    number = handling.notice_number or record.serial
    return _pdf_response(request, render_pdf(*review_documents.circular_document(handling)), f"通报-{number}.pdf", document=f"通报 {number}", obj=handling)


@discipline_required
def special_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The special report (特别事项报告, 001 第七条) as a PDF."""
    report = access_special_report(request.user, pk, audit_read=True)
    serial = report.review.record.serial
    return _pdf_response(request, render_pdf(*review_documents.special_report_document(report)), f"特别事项报告-{serial}.pdf", document=f"特别事项报告 {serial}", obj=report)


# --- Sanctions register ----------------------------------------------------------------------------


@discipline_required
def sanction_list(request: HttpRequest) -> HttpResponse:
    """处理处分登记 (R-SANCTION), grouped by category, with the review-request window."""
    today = local_date(timezone.now())
    rows = list(sanctions_visible_to(request.user).select_related("person", "person__unit", "record").order_by("group", "-decided_on", "-id"))
    repeats = repeat_map(request.user)
    groups = []
    for value, label in Sanction.Group.choices:
        items = [s for s in rows if s.group == value]
        for s in items:
            s.repeat = repeats.get(s.person_id, 0)
            # Only an enforcement-fault decision has the register's 30-day window (002 过错追究制度 第十二条);
            # a deadline stored on an older entry of another ground is not shown as one.
            s.window_applies = rules.review_window_applies(s.ground)
            deadline = s.review_deadline if s.window_applies else None
            s.window_open = bool(deadline and not s.review_requested_on and today <= deadline)
            s.request_late = bool(s.review_requested_on and deadline and s.review_requested_on > deadline)
        groups.append((label, items))
    return render(request, "discipline/sanction_list.html", {"groups": groups, "total": len(rows)})


@discipline_required
@require_http_methods(["GET", "POST"])
@submit_once
def sanction_create(request: HttpRequest) -> HttpResponse:
    bodies = bodies_of(request.user)
    if not bodies:
        messages.error(request, _("您的账号尚未加入任何纪检监察机构，请联系管理员。"))
        return redirect("discipline:sanctions")
    people = people_visible_to(request.user).select_related("unit").order_by("name")
    records = routed_records(request.user).order_by("-occurred_at")
    initial = {"person": request.GET.get("person"), "record": request.GET.get("record"), "ground": request.GET.get("ground")}
    form = SanctionForm(request.POST or None, people=people, records=records, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sanctions.sanction_record(
                person=data["person"],
                kind=data["kind"],
                ground=data["ground"],
                decided_on=data["decided_on"],
                legal_basis=data["legal_basis"],
                notified_on=data["notified_on"],
                record=data["record"],
                body=bodies[0],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("处理处分已登记。"))
            return accepted(redirect("discipline:sanctions"))
    return render(request, "discipline/sanction_form.html", {"form": form})


@discipline_required
@require_http_methods(["GET", "POST"])
def sanction_update(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = access_sanction(request.user, pk)
    initial = {"notified_on": sanction.notified_on, "review_requested_on": sanction.review_requested_on, "review_note": sanction.review_note}
    form = SanctionReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sanctions.sanction_update(
                sanction=sanction,
                notified_on=data["notified_on"],
                review_requested_on=data["review_requested_on"],
                review_note=data["review_note"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("已更新。"))
            return redirect("discipline:sanctions")
    return render(request, "discipline/sanction_update.html", {"sanction": sanction, "form": form})


# --- Integrity file, ledger, dashboard ----------------------------------------------------------------


