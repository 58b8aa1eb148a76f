"""Access helpers of the discipline side: every discipline view fetches its objects through these.
Missing and forbidden objects both answer 404, and so does a page of a role the user does not hold,
so a URL never reveals what exists. Reads that matter are audited here."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from cases.audit import audit
from cases.models import Person, Unit
from cases.selectors import discipline_staff
from discipline.common.bodies import bodies_of, body_codes_of, supervised_unit_ids
from discipline.common.http import parse_pk
from discipline.review.models import NoticeLetter, Review, Routing, Sanction, SpecialReport
from discipline.review.vocabulary import ReviewEvent
from records.models import InterferenceRecord
from records.record.access import is_party
from records.record.vocabulary import RecordEvent


def _body_ids(user, codes: list[str]) -> list[int]:
    """Ids of the user's discipline bodies, as plain values the planner can estimate (cached on the
    user object for the request, like its roles)."""
    cached = getattr(user, "_discipline_body_ids", None)
    if cached is None or cached[0] != codes:
        cached = (codes, list(Unit.objects.filter(code__in=codes).values_list("pk", flat=True)))
        user._discipline_body_ids = cached
    return cached[1]


def routed_records(user, roles: tuple[str, ...] = (Routing.Role.DISCIPLINE, Routing.Role.HIGHER)):
    """Records visible to `user` and routed to one of their discipline bodies in `roles`."""
    codes = body_codes_of(user)
    if not codes:
        return InterferenceRecord.objects.none()
    # A correlated existence check (index on record, role, body), not "id IN (every record routed
    # to these bodies)": a period or unit filter can then drive the plan instead of millions of
    # routings being hashed first (issue 10: national dashboard).
    routed = Routing.objects.filter(record=OuterRef("pk"), role__in=roles, body_id__in=_body_ids(user, codes))
    return InterferenceRecord.objects.visible_to(user).filter(Exists(routed))


def _read(user, record: InterferenceRecord, audit_read: bool) -> InterferenceRecord:
    # R-LEDGER (001 第五条 "查看"): every page that shows a record's content logs who read it.
    if audit_read:
        audit(type=RecordEvent.RECORD_VIEWED, actor=user, obj=record)
    return record


def access_case(user, pk, *, acting: bool = False, audit_read: bool = False) -> InterferenceRecord:
    """A record routed to one of `user`'s discipline bodies (with ``acting``: as the receiving body,
    not merely the higher-level one), else Http404."""
    roles = (Routing.Role.DISCIPLINE,) if acting else (Routing.Role.DISCIPLINE, Routing.Role.HIGHER)
    try:
        record = (
            routed_records(user, roles)
            .select_related("case", "recorder_unit", "recorder", "recorder__person", "interferer", "behind_person")
            .get(pk=parse_pk(pk))
        )
    except InterferenceRecord.DoesNotExist:
        raise Http404 from None
    return _read(user, record, audit_read)


def access_principal_record(user, pk, *, audit_read: bool = False) -> InterferenceRecord:
    """A record routed to `user` as principal leader for instruction, else Http404."""
    routed = Routing.objects.filter(role=Routing.Role.PRINCIPAL, user=user).values("record_id")
    try:
        record = (
            InterferenceRecord.objects.visible_to(user)
            .filter(pk__in=routed)
            .select_related("case", "recorder_unit", "recorder__person")
            .get(pk=parse_pk(pk))
        )
    except InterferenceRecord.DoesNotExist:
        raise Http404 from None
    return _read(user, record, audit_read)


def access_review(user, pk, *, acting: bool = True):
    """The review of record `pk`, if `user` handles that record, else Http404."""
    record = access_case(user, pk, acting=acting)
    try:
        return record.review
    except Review.DoesNotExist:
        raise Http404 from None


def access_letter(user, pk, *, audit_read: bool = False) -> NoticeLetter:
    """A notice letter of a record `user` may handle, else Http404; with `audit_read` (its PDF is
    opened) the read of the record is audited."""
    try:
        letter = NoticeLetter.objects.select_related("handling__record", "body").get(pk=parse_pk(pk))
    except NoticeLetter.DoesNotExist:
        raise Http404 from None
    if not routed_records(user).filter(pk=letter.handling.record_id).exists():
        raise Http404
    if audit_read:
        audit(type=RecordEvent.RECORD_VIEWED, actor=user, obj=letter.handling.record, data={"via": "notice_letter_pdf"})
    return letter


def access_special_report(user, pk, *, audit_read: bool = False) -> SpecialReport:
    """A special report on a record routed to `user`'s bodies, else Http404; with `audit_read` (its
    PDF is opened) the read of the record is audited."""
    try:
        report = SpecialReport.objects.select_related("review__record", "review__body").get(pk=parse_pk(pk))
    except SpecialReport.DoesNotExist:
        raise Http404 from None
    if not routed_records(user).filter(pk=report.review.record_id).exists():
        raise Http404
    if audit_read:
        audit(type=RecordEvent.RECORD_VIEWED, actor=user, obj=report.review.record, data={"via": "special_report_pdf"})
    return report


def derived_visible_to(queryset, user, *, record: str = "record", body: str = "body"):
    """The objects of `queryset` derived from records (complaints, recording failures, sanctions)
    that `user` may see: those of one of their discipline bodies, or tied to a record one of their
    bodies handles (the higher-level body handles a record a member of the lower body is party to,
    R-ROUTE ``rules.route_addressees``); never those tied to a record `user` is party to — the
    interferer or the leader behind (``RecordQuerySet.of_party``) — whatever their roles, so no page,
    list, count, notice or export tells them that something about them exists (issue 17 §2).
    ``record`` and ``body`` name the object's fields."""
    codes = body_codes_of(user)
    if not codes:
        return queryset.none()
    body_ids = _body_ids(user, codes)
    handled = Routing.objects.filter(record=OuterRef(record), role=Routing.Role.DISCIPLINE, body_id__in=body_ids)
    mine = queryset.filter(Q(**{f"{body}_id__in": body_ids}) | Exists(handled))
    return mine.exclude(**{f"{record}__in": InterferenceRecord.objects.of_party(user).values("pk")})


def derived_recipients(body: Unit, record: InterferenceRecord) -> list:
    """Who is told of work derived from `record` for `body`: the staff of `body` and of every other
    body handling the record (as ``derived_visible_to`` shows it to them), never a party to the record."""
    routed = Routing.objects.filter(record=record, role=Routing.Role.DISCIPLINE).exclude(body=body).select_related("body")
    recipients = {}
    for each in [body, *(routing.body for routing in routed)]:
        for staff in discipline_staff(each):
            if not is_party(staff, record):
                recipients.setdefault(staff.pk, staff)
    return list(recipients.values())


def sanctions_visible_to(user):
    """Sanctions of one of `user`'s discipline bodies or of a record they handle, except those about
    `user` themselves and those tied to a record about them (``derived_visible_to``)."""
    return derived_visible_to(Sanction.objects.all(), user).exclude(person__user=user)


def access_sanction(user, pk) -> Sanction:
    try:
        return sanctions_visible_to(user).select_related("person", "body", "record").get(pk=parse_pk(pk))
    except Sanction.DoesNotExist:
        raise Http404 from None


def people_visible_to(user):
    """People a discipline user may open an integrity file for: those of the units their bodies
    supervise, and anyone named as interferer or leader behind in a record routed to them."""
    bodies = bodies_of(user)
    if not bodies:
        return Person.objects.none()
    records = routed_records(user)
    return Person.objects.filter(
        Q(unit_id__in=supervised_unit_ids(bodies))
        | Q(pk__in=records.filter(interferer__isnull=False).values("interferer_id"))
        | Q(pk__in=records.filter(behind_person__isnull=False).values("behind_person_id"))
    )


def access_person(user, pk, *, audit_read: bool = True) -> Person:
    """A person whose integrity file (廉政档案, R-FILE) `user` may read, else Http404. Audited."""
    try:
        person = people_visible_to(user).select_related("unit", "user").get(pk=parse_pk(pk))
    except Person.DoesNotExist:
        raise Http404 from None
    if audit_read:
        audit(type=ReviewEvent.INTEGRITY_FILE_VIEWED, actor=user, obj=person)
    return person
