"""Access helpers (one per model): every view fetches records and evidence through these. They apply
the visibility rule and answer 404 for both missing and forbidden objects, so a URL never reveals
that a record exists. Reads that matter are audited here."""

from django.http import Http404

from cases.audit import audit
from records.record.vocabulary import RecordEvent

from .models import Evidence, InterferenceRecord
from .rules import is_party_to


def access_record(user, pk: int | str, *, audit_read: bool = False) -> InterferenceRecord:
    """The record `pk` if `user` may see it, else Http404."""
    try:
        record = InterferenceRecord.objects.visible_to(user).select_related("case", "recorder_unit", "recorder").get(pk=pk)
    except (InterferenceRecord.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if audit_read:
        audit(type=RecordEvent.RECORD_VIEWED, actor=user, obj=record)
    return record


def access_evidence(user, pk: int | str) -> Evidence:
    """An evidence file of a record `user` may see (or their own staged upload), else Http404."""
    try:
        evidence = Evidence.objects.select_related("record").get(pk=pk)
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if evidence.record_id is None:
        if evidence.uploaded_by_id != getattr(user, "pk", None):
            raise Http404
    elif not InterferenceRecord.objects.visible_to(user).filter(pk=evidence.record_id).exists():
        raise Http404
    audit(type=RecordEvent.EVIDENCE_DOWNLOADED, actor=user, obj=evidence, data={"record": evidence.record_id})
    return evidence


def is_party(user, record: InterferenceRecord) -> bool:
    """Whether `user` is the interferer of `record` or the leader behind it: never told of it."""
    person = getattr(user, "person", None)
    return is_party_to(
        person_id=person.pk if person else None,
        person_name=person.name if person else "",
        interferer_id=record.interferer_id,
        interferer_name=record.interferer_name,
        behind_id=record.behind_person_id,
        behind_name=record.behind_name,
    )
