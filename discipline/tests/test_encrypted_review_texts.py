"""Encryption at rest on the discipline side (issue 23): the findings and the 批示 are ciphertext in the
database, the discipline staff's pages show them and the record's content in clear, and the audit
chain keeps vouching for them; a proof file is ciphertext on disk."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.audit import audit_verify
from discipline.models import Instruction, Review
from discipline.review import services

pytestmark = pytest.mark.django_db

FINDINGS = "经调取通话录音核实，对方确曾要求不予立案"


def stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - test's own names
        return cursor.fetchone()[0]


def test_findings_and_instruction_are_encrypted_and_shown_to_the_discipline_body(client, submit, jj, principal):
    record = submit(content="要求撤销立案，称企业是纳税大户")
    now = timezone.now()
    services.record_receive(record=record, actor=jj, now=now)
    review = services.review_verify(record=record, conclusion="founded", findings=FINDINGS, seriousness="general", actor=jj, now=now)
    instruction = services.instruction_give(record=record, text="严肃查处，按规定通报", actor=principal, now=now)

    raw_findings = stored("discipline_review", "findings", review.pk)
    assert raw_findings.startswith("enc:sm4gcm:") and "录音" not in raw_findings
    assert "严肃查处" not in stored("discipline_instruction", "text", instruction.pk)
    assert "纳税大户" not in stored("records_interferencerecord", "content", record.pk)
    assert Review.objects.get(pk=review.pk).findings == FINDINGS
    assert Instruction.objects.get(pk=instruction.pk).text == "严肃查处，按规定通报"

    client.force_login(jj)
    page = client.get(reverse("discipline:case", args=[record.pk])).content.decode()
    assert FINDINGS in page and "要求撤销立案，称企业是纳税大户" in page
    assert audit_verify(check_files=False, actor=None).ok


def test_a_tolerance_proof_file_is_ciphertext_on_disk(officer):
    from discipline.faults.models import ToleranceApplication

    field = ToleranceApplication._meta.get_field("evidence")
    name = field.storage.save("tolerance/2026/12/proof.pdf", ContentFile(b"%PDF-1.4 proof of good faith"))
    with open(field.storage.path(name), "rb") as handle:
        assert b"good faith" not in handle.read()
    with field.storage.open(name) as handle:
        assert handle.read() == b"%PDF-1.4 proof of good faith"
    assert field.storage.size(name) == len(b"%PDF-1.4 proof of good faith")


def test_what_a_person_did_and_what_was_decided_is_ciphertext_in_the_database(client, submit, jj, officer, leader):
    from discipline.accountability import services as accountability
    from discipline.models import Handling, RetaliationComplaint
    from records.calendar.dates import local_date

    record = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长", interferer_kind="insider")
    now = timezone.now()
    services.record_receive(record=record, actor=jj, now=now)
    services.review_verify(record=record, conclusion="founded", findings=FINDINGS, seriousness="general", actor=jj, now=now)
    handling = services.handling_decide(
        record=record, kind="own_unit", person=leader, decision="对周副局长进行诫勉谈话。", internal_notice="在全局范围内通报批评。",
        internal_notice_on=local_date(now), disclosure_reason="情节一般，不向社会公开。", actor=jj, now=now,
    )  # fmt: skip
    complaint = accountability.retaliation_complaint_file(
        record=record, respondent=None, respondent_name="王科长", occurred_on=local_date(now), description="记录后被调离执法岗位。", actor=officer, now=now
    )
    for table, column, pk, plain in [
        ("discipline_handling", "decision", handling.pk, "诫勉谈话"),
        ("discipline_handling", "internal_notice", handling.pk, "通报批评"),
        ("discipline_retaliationcomplaint", "description", complaint.pk, "调离执法岗位"),
    ]:
        raw = stored(table, column, pk)
        assert raw.startswith("enc:sm4gcm:") and plain not in raw, (table, column)
    assert Handling.objects.get(pk=handling.pk).decision == "对周副局长进行诫勉谈话。"
    assert RetaliationComplaint.objects.get(pk=complaint.pk).description == "记录后被调离执法岗位。"
    # The chain vouches for the decision by its plaintext's hash, as before.
    assert audit_verify(check_files=False, actor=None).ok
    client.force_login(jj)
    assert "对周副局长进行诫勉谈话。" in client.get(reverse("discipline:case", args=[record.pk])).content.decode()


def test_every_column_the_migrations_seal_is_an_encrypted_field():
    # A column sealed by a migration but declared a plain TextField again would be read as ciphertext.
    import importlib

    from django.apps import apps

    from cases.encryption.fields import EncryptedTextField

    sealed = [
        *importlib.import_module("records.migrations.0014_encrypt_content").COLUMNS,
        *importlib.import_module("discipline.migrations.0020_encrypt_content").COLUMNS,
        *importlib.import_module("discipline.migrations.0022_encrypt_handling_texts").COLUMNS,
    ]
    assert len(sealed) > 20
    plain = [(model, column) for model, column in sealed if not isinstance(apps.get_model(model)._meta.get_field(column), EncryptedTextField)]
    assert plain == []
