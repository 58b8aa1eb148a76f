"""Access helpers of fault accountability, tolerance and petitions: staff see what their discipline
bodies handle; every view fetches its objects through these, which answer 404 for missing and
forbidden objects alike."""

from django.http import Http404

from cases.audit import audit
from discipline.common.bodies import body_codes_of
from discipline.common.http import parse_pk
from discipline.faults.models import CorrectionTask, FaultCase, Petition, ToleranceApplication
from discipline.faults.vocabulary import FaultEvent


def _scoped(model, user, field="body__code__in"):
    codes = body_codes_of(user)
    return model.objects.filter(**{field: codes}) if codes else model.objects.none()


def fault_cases_visible_to(user):
    return _scoped(FaultCase, user)


def tolerance_visible_to(user):
    return _scoped(ToleranceApplication, user)


def corrections_visible_to(user):
    return _scoped(CorrectionTask, user, "application__body__code__in")


def petitions_visible_to(user):
    return _scoped(Petition, user)


def _get(qs, pk):
    try:
        return qs.get(pk=parse_pk(pk))
    except qs.model.DoesNotExist:
        raise Http404 from None


def access_fault_case(user, pk, *, decision_download: bool = False) -> FaultCase:
    """A fault case `user` may see, else Http404; with `decision_download` the download of its
    written decision (002 第十一条) is audited when it has one."""
    fc = _get(fault_cases_visible_to(user).select_related("body", "unit", "case", "created_by__person", "decided_by__person"), pk)
    if decision_download and fc.decided_on is not None:
        audit(type=FaultEvent.FAULT_DECISION_DOWNLOADED, actor=user, obj=fc)
    return fc


def access_tolerance(user, pk) -> ToleranceApplication:
    return _get(
        tolerance_visible_to(user).select_related("person__unit", "body", "applicant__person", "fault_case", "decided_by__person"), pk
    )


def access_correction(user, pk) -> CorrectionTask:
    return _get(corrections_visible_to(user).select_related("application__person", "application__body", "responsible__unit"), pk)


def access_petition(user, pk) -> Petition:
    return _get(petitions_visible_to(user).select_related("subject__unit", "body", "tolerance"), pk)


def access_tolerance_evidence(user, pk) -> ToleranceApplication:
    """A tolerance application whose evidence `user` may download: its discipline body's staff, or
    the applicant it is about. 404 otherwise."""
    try:
        app = ToleranceApplication.objects.select_related("person", "body").get(pk=int(pk))
    except (ToleranceApplication.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if app.person.user_id == getattr(user, "pk", None) or tolerance_visible_to(user).filter(pk=app.pk).exists():
        if app.evidence:
            audit(type=FaultEvent.TOLERANCE_EVIDENCE_DOWNLOADED, actor=user, obj=app)
            return app
    raise Http404
