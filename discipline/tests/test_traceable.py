"""Traceable views (防泄密, issue 23): a page with record content carries the viewer's watermark; a
served PDF carries it in its text and verifies as signed; an .xlsx carries it in header and footer;
each download's audit event holds the SM3 hash of exactly the bytes served; and verify_document tells
an authentic copy, an altered one and a leaked one (naming who downloaded it, and when)."""

import datetime as dt
import hashlib
import io
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cases.downloads import DownloadEvent
from cases.models import AuditEvent
from cases.signing import format_fingerprint, signing_key, verify_document
from discipline.review import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(submit, jj, outsider):
    now = timezone.now()
    record = submit(interferer=outsider, interferer_name="李副县长", interferer_position="副县长")
    services.record_receive(record=record, actor=jj, now=now)
    review = services.review_verify(record=record, conclusion="founded", findings="属实。", seriousness="general", actor=jj, now=now)
    handling = services.handling_decide(
        record=record, kind="other_unit", decision="函告。", person=outsider,
        letter={"addressee": "中共某县委员会", "cc": "某县纪委监委", "text": services.default_letter_text(record, review, jj.person.unit), "issued_on": dt.date(2026, 11, 24)},
        actor=jj, now=now,
    )  # fmt: skip
    return handling.letter


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "copy.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607 - a fixed command on a test file
    return out.replace(" ", "").replace("\n", "")


def _served_event() -> AuditEvent:
    return AuditEvent.objects.filter(type=DownloadEvent.DOCUMENT_SERVED).latest("pk")


def test_the_case_page_carries_the_viewers_watermark_and_the_signature_note(client, jj, letter):
    client.force_login(jj)
    before = timezone.localtime()
    html = client.get(reverse("discipline:case", args=[letter.handling.record_id])).content.decode()
    assert 'class="view-watermark"' in html
    mark = html.split('data-watermark="', 1)[1].split('"', 1)[0]
    assert jj.person.name in mark and jj.person.unit.name in mark and "jj1" in mark
    assert f"{before:%Y-%m-%d}" in mark
    # Drawn as three short lines, so a long unit name never pushes the time out of its tile.
    tile = html.split('<pattern id="view-watermark-tile"', 1)[1].split("</pattern>", 1)[0]
    lines = [part.rsplit(">", 1)[1] for part in tile.split("</tspan>")[:-1]]
    assert lines[0] == f"{jj.person.name}（jj1）" and lines[1] == jj.person.unit.name and lines[2].startswith(f"{before:%Y-%m-%d}")
    assert "已加盖SM2电子签名" in html and format_fingerprint(signing_key().fingerprint) in html


def test_the_record_page_carries_the_recorders_watermark(client, officer, submit):
    record = submit()
    client.force_login(officer)
    html = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert f'data-watermark="{officer.person.name}（{officer.username}） · {officer.person.unit.name}' in html


def test_a_served_letter_pdf_is_watermarked_signed_and_its_hash_audited(client, jj, letter, tmp_path):
    client.force_login(jj)
    response = client.get(reverse("discipline:letter_pdf", args=[letter.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = _pdf_text(pdf, tmp_path)
    assert jj.person.name in text and jj.person.unit.name in text
    assert letter.number in text  # the document itself is still there under the mark
    assert verify_document(pdf).authentic
    event = _served_event()
    assert event.actor == jj and event.object_id == str(letter.pk)
    assert event.data["sm3"] == hashlib.new("sm3", pdf).hexdigest()
    assert event.data["document"] == f"通报函 {letter.number}" and event.data["viewer"] == jj.person.name
    # Each copy is its own: a second download is another copy with another hash.
    again = client.get(reverse("discipline:letter_pdf", args=[letter.pk])).content
    assert again != pdf and _served_event().data["sm3"] == hashlib.new("sm3", again).hexdigest()


def test_an_xlsx_export_carries_the_viewer_in_header_footer_and_properties(client, jj, letter):
    from openpyxl import load_workbook

    client.force_login(jj)
    response = client.get(reverse("discipline:ledger_xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    for part in (sheet.oddHeader.right.text, sheet.oddFooter.left.text, workbook.properties.description):
        assert jj.person.name in part and jj.person.unit.name in part, part
    assert letter.handling.record.serial in [c.value for row in sheet.iter_rows() for c in row]  # still the ledger
    event = _served_event()
    assert event.data["sm3"] == hashlib.new("sm3", response.content).hexdigest()
    assert event.data["document"] == "台账导出" and event.actor == jj


def _verify(path) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_document", str(path), stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_verify_document_on_an_authentic_an_altered_and_a_leaked_copy(client, jj, letter, tmp_path):
    client.force_login(jj)
    pdf = client.get(reverse("discipline:letter_pdf", args=[letter.pk])).content
    event = _served_event()
    fingerprint = format_fingerprint(signing_key().fingerprint)

    leaked = tmp_path / "leaked.pdf"
    leaked.write_bytes(pdf)
    code, out = _verify(leaked)
    assert code == 0
    assert "该文件是本系统出具的真实文件" in out and fingerprint in out and "签名时间" in out
    assert "该副本来自以下下载" in out
    assert f"审计事件 {event.pk}：{jj.person.name}（jj1），{jj.person.unit.name}" in out and f"《通报函 {letter.number}》" in out

    altered = bytearray(pdf)
    altered[len(pdf) // 2] ^= 0x01
    changed = tmp_path / "altered.pdf"
    changed.write_bytes(bytes(altered))
    code, out = _verify(changed)
    assert code == 1
    assert "该文件已被改动" in out and "真实文件" not in out
    # Its signature line still names the download it came from.
    assert "该文件被改动前，来自以下下载" in out and f"审计事件 {event.pk}" in out

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(pdf[: pdf.rfind(b"%SM2SIG")])
    code, out = _verify(plain)
    assert code == 1 and "没有本系统的SM2电子签名" in out

    with pytest.raises(CommandError, match="无法读取文件"):  # a missing file is a clear Chinese error
        _verify(tmp_path / "nowhere.pdf")
