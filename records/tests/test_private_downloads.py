"""Private downloads handed to nginx (issue 22): with SENDFILE_BACKEND=django_sendfile.backends.nginx a
view still checks permission and writes its audit event, then answers with X-Accel-Redirect to the
file below SENDFILE_URL and no body; the headers the browser must get (attachment, nosniff, no-store)
are on that answer. Evidence is encrypted at rest (issue 23), so it is the exception: Django streams
the decrypted file even then (nginx would send ciphertext). Without the setting Django streams every
file (test_record_pages.test_evidence_download_checks_permission_and_is_an_attachment). nginx in front
for real is tests/deployed/test_stack.py."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.test import RequestFactory
from django.urls import reverse
from django_sendfile.utils import _get_sendfile

from cases.downloads import private_file_response
from cases.models import AuditEvent
from cases.storage import PrivateStorage
from records.models import Evidence
from records.record import services
from records.record.vocabulary import RecordEvent

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 24


@pytest.fixture
def nginx_sendfile(settings):
    settings.SENDFILE_BACKEND = "django_sendfile.backends.nginx"
    settings.SENDFILE_ROOT = str(Path(settings.PRIVATE_STORAGE_ROOT).resolve())
    _get_sendfile.cache_clear()  # django-sendfile2 remembers the backend it loaded first
    yield
    _get_sendfile.cache_clear()


def test_encrypted_evidence_is_streamed_decrypted_by_django_after_the_check_and_the_audit(client, officer, other_officer, make_record, nginx_sendfile):
    record = make_record()
    evidence = services.evidence_stage(upload=SimpleUploadedFile("录音.wav", WAV), kind="recording", actor=officer)
    Evidence.objects.filter(pk=evidence.pk).update(record=record)
    url = reverse("records:evidence", args=[evidence.pk])

    client.force_login(other_officer)
    refused = client.get(url)
    assert refused.status_code == 404 and not refused.has_header("X-Accel-Redirect")

    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert not response.has_header("X-Accel-Redirect")
    assert b"".join(response.streaming_content) == WAV and response["Content-Length"] == str(len(WAV))
    assert Path(evidence.file.path).read_bytes() != WAV  # what nginx would have sent
    assert response["Content-Disposition"].startswith("attachment;") and "%E5%BD%95%E9%9F%B3.wav" in response["Content-Disposition"]
    assert response["Content-Type"] == evidence.content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(type=RecordEvent.EVIDENCE_DOWNLOADED, actor=officer, object_id=str(evidence.pk)).count() == 1


def test_a_file_of_a_plain_private_storage_still_goes_out_through_x_accel_redirect(nginx_sendfile, officer):
    # Every private file of the product's own is encrypted now (evidence, proof, reports); a plain
    # private storage a deployment adds is still handed to nginx.
    storage = PrivateStorage(folder="exports")
    name = storage.save("2026/report.pdf", ContentFile(b"%PDF-1.7 report"))
    request = RequestFactory().get("/")
    request.user = officer
    response = private_file_response(request, FieldFile(None, SimpleNamespace(storage=storage), name), filename="年报.pdf", content_type="application/pdf")
    # The storage keeps its files in PRIVATE_STORAGE_ROOT/exports.
    assert response["X-Accel-Redirect"] == f"/protected/exports/{name}"
    assert response.content == b"" and not response.has_header("Content-Length")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
