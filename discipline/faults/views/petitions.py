"""Pages of petitions (R-PETITION). Thin: objects through ``faults.access``, changes through ``faults.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.idempotency import accepted, submit_once
from discipline.common.bodies import body_supervising, people_supervised
from discipline.common.decorators import discipline_required
from discipline.common.http import error_text
from discipline.faults import access, forms, services
from discipline.faults.models import ToleranceApplication
from discipline.faults.views.steps import run_posted_step
from records.calendar.dates import local_date


@discipline_required
@require_GET
def petitions(request: HttpRequest) -> HttpResponse:
    rows = list(access.petitions_visible_to(request.user).select_related("subject__unit").order_by("-received_on", "-id"))
    return render(request, "discipline/fault/petition_list.html", {"rows": rows})



@discipline_required
@require_http_methods(["GET", "POST"])
@submit_once
def petition_create(request: HttpRequest) -> HttpResponse:
    form = forms.PetitionForm(request.POST or None, people=people_supervised(request.user), initial={"received_on": local_date(timezone.now())})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            p = services.petition_register(
                body=body_supervising(request.user, data["subject"].unit_id), subject=data["subject"], real_name=data["real_name"],
                petitioner_name=data["petitioner_name"], petitioner_contact=data["petitioner_contact"], received_on=data["received_on"],
                allegation=data["allegation"], actor=request.user, now=timezone.now(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("信访举报已登记。"))
            return accepted(redirect("discipline:petition", pk=p.pk))
    return render(request, "discipline/fault/petition_form.html", {"form": form})



class _FindingStep:
    @staticmethod
    def make(request):
        return forms.FindingForm(
            request.POST, tolerances=access.tolerance_visible_to(request.user).filter(status=ToleranceApplication.Status.GRANTED)
        )



PETITION_STEPS = {"find": _FindingStep, "answer": forms.AnswerForm, "clear": forms.ClearForm}



def _petition_step(action, petition, data, user) -> str:
    now = timezone.now()
    if action == "find":
        services.petition_find(
            petition=petition, finding=data["finding"], text=data["text"], found_on=data["found_on"], malicious=data["malicious"],
            tolerance=data["tolerance"], actor=user, now=now,
        )  # fmt: skip
        return _("查处结论已登记。")
    if action == "answer":
        services.petition_answer(petition=petition, on=data["on"], content=data["content"], scope=data["scope"], actor=user, now=now)
        return _("已登记反馈或说明。")
    services.petition_clear_name(
        petition=petition, cleared_on=data["cleared_on"], how=data["how"], where=data["where"], text=data["text"], actor=user, now=now
    )
    return _("已登记澄清正名，将在被反映人的廉政档案中显示。")



@discipline_required
@require_http_methods(["GET", "POST"])
def petition(request: HttpRequest, pk: int) -> HttpResponse:
    p = access.access_petition(request.user, pk)
    bound = {}
    if request.method == "POST":
        done, bound = run_posted_step(request, PETITION_STEPS, _petition_step, p, redirect("discipline:petition", pk=p.pk))
        if done is not None:
            return done
    today = local_date(timezone.now())
    tolerances = access.tolerance_visible_to(request.user).filter(status=ToleranceApplication.Status.GRANTED, person=p.subject)
    context = {
        "p": p,
        "find_form": bound.get("find") or forms.FindingForm(initial={"found_on": today}, tolerances=tolerances),
        "answer_form": bound.get("answer") or forms.AnswerForm(initial={"on": today}),
        "clear_form": bound.get("clear") or forms.ClearForm(initial={"cleared_on": today}),
    }
    return render(request, "discipline/fault/petition_detail.html", context)
