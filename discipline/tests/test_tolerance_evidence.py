"""Proof attached to a tolerance application (004 第二十条) is checked like record evidence (issue 17):
type from the bytes, size limit, SHA-256 stored and written into the audit chain."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.audit import ChainReport, audit_verify, seal_chain, verify_chain
from cases.models import AuditEvent
from discipline.faults import services as fault
from discipline.faults.integrity import verify_tolerance_evidence
from discipline.faults.vocabulary import FaultEvent
from discipline.models import ToleranceApplication

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A Windows executable's header: whatever its name says, its bytes are not a document.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS mode."


def _form(**extra):
    return {
        "error": "漏查隐患，未发现企业违规储存危险化学品", "occurred_on": timezone.localdate().isoformat(), "error_kind": "procedure",
        "grounds": ["16-1"], "evidence_text": "现场检查记录三份", **extra,
    }  # fmt: skip


def _apply(officer, upload):
    return fault.tolerance_apply(
        person=officer.person, applied_by="self", error="漏查隐患", occurred_on=timezone.localdate(), error_kind="procedure",
        grounds=["16-1"], evidence=upload, evidence_text="", actor=officer, now=timezone.now(),
    )  # fmt: skip


def _stored_files(settings) -> list:
    root = settings.PRIVATE_STORAGE_ROOT / "evidence"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_executable_renamed_pdf_is_refused_and_the_typed_text_kept(client, officer, settings):
    client.force_login(officer)
    response = client.post(reverse("discipline:tolerance_apply"), _form(evidence=SimpleUploadedFile("检查记录.pdf", EXE)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "类型不支持" in page and "与扩展名无关" in page
    # Nothing typed is lost: the form comes back with what the officer wrote.
    assert "未发现企业违规储存危险化学品" in page and "现场检查记录三份" in page
    assert ToleranceApplication.objects.count() == 0
    assert _stored_files(settings) == []


def test_an_oversized_file_is_refused_by_the_form_and_by_the_service(client, officer, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    big = PDF + b"0" * 2000
    client.force_login(officer)
    response = client.post(reverse("discipline:tolerance_apply"), _form(evidence=SimpleUploadedFile("scan.pdf", big)))
    assert response.status_code == 200
    assert "超过上限" in response.context["form"].errors["evidence"][0]
    # The service refuses too (it is the only writer; a form is not the only way in).
    with pytest.raises(ValidationError) as refused:
        _apply(officer, SimpleUploadedFile("scan.pdf", big))
    assert any("超过上限" in m for m in refused.value.messages)
    assert ToleranceApplication.objects.count() == 0
    assert _stored_files(settings) == []


def test_a_good_file_is_stored_with_its_hash_and_the_chain_vouches_for_it(client, officer, jj, settings):
    client.force_login(officer)
    response = client.post(reverse("discipline:tolerance_apply"), _form(evidence=SimpleUploadedFile("检查记录.pdf", PDF)))
    assert response.status_code == 302
    app = ToleranceApplication.objects.get()
    sha = hashlib.sha256(PDF).hexdigest()
    assert (app.evidence_sha256, app.evidence_size, app.evidence_content_type) == (sha, len(PDF), "application/pdf")
    with app.evidence.open("rb") as handle:
        assert handle.read() == PDF

    seal_chain()
    event = AuditEvent.objects.get(type=FaultEvent.TOLERANCE_EVIDENCE_UPLOADED, object_id=str(app.pk))
    assert event.seq is not None and event.data["sha256"] == sha and event.actor_id == officer.pk
    assert verify_chain().ok
    clean = ChainReport()
    verify_tolerance_evidence(clean)
    assert clean.problems == []

    # A file swapped on disk no longer matches what the chain vouches for.
    with open(app.evidence.path, "wb") as handle:
        handle.write(PDF.replace(b"1.4", b"1.7"))
    swapped = ChainReport()
    verify_tolerance_evidence(swapped)
    assert swapped.problems == [f"容错申请（ID {app.pk}）的证明材料文件被替换或修改"]
    # verify_audit_chain runs it: discipline registers it with records' verifier registry.
    assert f"容错申请（ID {app.pk}）的证明材料文件被替换或修改" in audit_verify(actor=None).problems
    # So does a hash edited in the database to match the new file.
    ToleranceApplication.objects.filter(pk=app.pk).update(evidence_sha256="0" * 64)
    edited = ChainReport()
    verify_tolerance_evidence(edited, check_files=False)
    assert edited.problems == [f"容错申请（ID {app.pk}）证明材料的哈希记录被修改"]


def test_text_only_proof_writes_no_upload_event(officer):
    app = fault.tolerance_apply(
        person=officer.person, applied_by="self", error="漏查隐患", occurred_on=timezone.localdate(), error_kind="procedure",
        grounds=["16-1"], evidence_text="检查方案", actor=officer, now=timezone.now(),
    )  # fmt: skip
    assert app.evidence_sha256 == "" and not app.evidence
    assert not AuditEvent.objects.filter(type=FaultEvent.TOLERANCE_EVIDENCE_UPLOADED).exists()
    assert AuditEvent.objects.filter(type=FaultEvent.TOLERANCE_APPLIED, object_id=str(app.pk)).count() == 1
