"""The exported audit trail and chain head carry the system's SM2 signature (issue 23: "the exported
chain head carry an SM2 signature, verifiable with a verify_document command"): the file verifies,
an altered copy does not, and `verify_document` names the export it came from."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases import signing
from cases.audit import audit
from cases.vocabulary import AccountEvent

pytestmark = pytest.mark.django_db


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_exported_trail_is_signed_and_verify_document_names_its_export(client, auditor_user, officer, tmp_path):
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    client.force_login(auditor_user)
    response = client.get(reverse("audit:trail_export"))
    assert response.status_code == 200
    content = _content(response)
    result = signing.verify_document(content)
    assert result.ok and result.authentic
    path = tmp_path / "trail.csv"
    path.write_bytes(content)
    out = io.StringIO()
    call_command("verify_document", str(path), stdout=out)
    text = out.getvalue()
    assert "真实文件" in text and "auditor1" in text and "audit-trail-" in text
    altered = bytearray(content)
    altered[content.index(b"auditor1")] ^= 0x01
    assert not signing.verify_document(bytes(altered)).ok


def test_the_exported_chain_head_is_signed(client, discipline_user, officer):
    audit(type=AccountEvent.ACCOUNT_SAVED, actor=officer, obj=officer)
    client.force_login(discipline_user)
    content = _content(client.get(reverse("audit:head")))
    assert "链头封印（HMAC-SM3）" in content.decode("utf-8")
    assert signing.verify_document(content).authentic
    assert not signing.verify_document(content.replace(b"\xe9\x93\xbe", b"\xe9\x93\xbf", 1)).ok
