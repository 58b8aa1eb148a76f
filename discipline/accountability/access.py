"""Access helpers of accountability: every view fetches its objects through these, and they answer
404 for missing and forbidden objects alike."""

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext

from cases.models import Person
from discipline.accountability.models import RecordingFailure, RetaliationAlert, RetaliationComplaint
from discipline.common.bodies import body_codes_of
from discipline.common.http import parse_pk
from discipline.review.access import derived_visible_to
from records.hooks import RecorderPanel


def failures_visible_to(user):
    """Recording failures registered by one of `user`'s discipline bodies or linked to a record one of
    them handles, never those linked to a record about `user` (``access.derived_visible_to``) nor
    those about `user` as the officer or the instigating supervisor."""
    qs = derived_visible_to(RecordingFailure.objects.all(), user)
    person = _own_person(user)
    return qs if person is None else qs.exclude(officer=person).exclude(supervisor=person)


def access_failure(user, pk) -> RecordingFailure:
    try:
        return (
            failures_visible_to(user)
            .select_related("officer__unit", "supervisor", "body", "case", "record", "officer_sanction", "supervisor_sanction", "created_by__person")
            .get(pk=parse_pk(pk))
        )
    except RecordingFailure.DoesNotExist:
        raise Http404 from None


def alerts_visible_to(user):
    """Retaliation alerts addressed to one of `user`'s discipline bodies."""
    codes = body_codes_of(user)
    return RetaliationAlert.objects.filter(body__code__in=codes) if codes else RetaliationAlert.objects.none()


def access_alert(user, pk) -> RetaliationAlert:
    try:
        return alerts_visible_to(user).select_related("action__person__unit", "action__entered_by__person", "body", "reviewed_by__person").get(pk=parse_pk(pk))
    except RetaliationAlert.DoesNotExist:
        raise Http404 from None


def _own_person(user) -> Person | None:
    return Person.objects.filter(user=user).only("pk", "name").first() if getattr(user, "pk", None) else None


def complaints_visible_to(user):
    """Retaliation complaints of `user`'s discipline bodies or filed on a record one of them handles,
    never those naming `user` as the person complained about — by registry link or by written name —
    nor those filed on a record `user` is party to (``access.derived_visible_to``), whatever roles they
    hold, so a list, a count or a notice never tells them a complaint exists."""
    qs = derived_visible_to(RetaliationComplaint.objects.all(), user)
    person = _own_person(user)
    if person is not None:
        about = Q(respondent_id=person.pk)
        if person.name.strip():
            about |= Q(respondent_name=person.name.strip())
        qs = qs.exclude(about)
    return qs


def complaints_filed_by(user, record) -> list[RetaliationComplaint]:
    """The retaliation complaints `user` filed on `record`, newest first, with their status and
    conclusion only: the complainant is told the result, never the check's notes."""
    return list(
        RetaliationComplaint.objects.filter(record=record, complainant=user)
        .only("filed_at", "respondent_name", "conclusion", "concluded_at", "record_id")
        .order_by("-filed_at", "-id")
    )


def access_complaint(user, pk) -> RetaliationComplaint:
    try:
        return complaints_visible_to(user).select_related("record", "complainant__person", "respondent", "body", "concluded_by__person").get(pk=parse_pk(pk))
    except RetaliationComplaint.DoesNotExist:
        raise Http404 from None


def recorder_complaints_panel(*, user, record) -> RecorderPanel:
    """The record page's part for its recorder (records.hooks.recorder_panels): the button to file a
    retaliation complaint, and the complaints they filed on the record."""
    return RecorderPanel(
        template="discipline/_record_complaints.html",
        context={"complaints": complaints_filed_by(user, record)},
        action_url=reverse("discipline:complaint_create", args=[record.pk]),
        action_label=gettext("受到打击报复？提出控告"),
        action_class="btn-outline-danger",
    )
