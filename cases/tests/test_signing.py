"""SM2 signatures (cases.signing, issue 23): the package against the standard's published example, the
round trip on bytes and on a PDF, every kind of alteration refused, the key kept in a file outside the
database and required in production."""

import datetime as dt
import io
import os
import stat
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases import signing

# GB/T 32918.5-2016 / GM/T 0003.5-2012 Annex A: recommended curve, user ID "1234567812345678".
ANNEX_A_PUBLIC = bytes.fromhex(
    "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
    "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
)
ANNEX_A_MESSAGE = b"message digest"
ANNEX_A_R = int("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3", 16)
ANNEX_A_S = int("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA", 16)


def _der(r: int, s: int) -> bytes:
    def integer(v: int) -> bytes:
        raw = v.to_bytes((v.bit_length() + 8) // 8, "big")  # a leading 0 keeps it positive
        return b"\x02" + bytes([len(raw)]) + raw

    body = integer(r) + integer(s)
    return b"\x30" + bytes([len(body)]) + body


def test_the_standards_example_signature_verifies_with_the_standard_user_id_and_z_value():
    from gmssl_pyx import sm2_verify

    signature = _der(ANNEX_A_R, ANNEX_A_S)
    assert sm2_verify(ANNEX_A_PUBLIC, ANNEX_A_MESSAGE, signature, signing.SIGNER_ID)
    # The Z value binds the user ID and the message: change either and the published signature fails.
    assert not sm2_verify(ANNEX_A_PUBLIC, ANNEX_A_MESSAGE, signature, b"ALICE123@YAHOO.COM")
    assert not sm2_verify(ANNEX_A_PUBLIC, b"message digesT", signature, signing.SIGNER_ID)
    assert not sm2_verify(ANNEX_A_PUBLIC, ANNEX_A_MESSAGE, _der(ANNEX_A_R, ANNEX_A_S + 1), signing.SIGNER_ID)


def test_bytes_round_trip_names_the_key_and_the_time():
    at = timezone.now().replace(microsecond=0)
    token = signing.sign_bytes(b"chain head 42 abcdef", now=at)
    result = signing.verify_bytes(b"chain head 42 abcdef", token)
    assert result.ok and result.ours and result.authentic
    assert result.fingerprint == signing.signing_key().fingerprint
    assert result.signed_at == at
    assert "\n" not in token and token.isascii()


def test_altered_bytes_or_token_fail():
    token = signing.sign_bytes(b"chain head 42")
    assert not signing.verify_bytes(b"chain head 43", token).ok
    # The time and the fingerprint are signed too: rewriting them breaks the signature.
    later = token.replace(" at=", " at=2099", 1)
    assert not signing.verify_bytes(b"chain head 42", later).ok
    assert not signing.verify_bytes(b"chain head 42", "garbage").signed
    assert not signing.verify_bytes(b"chain head 42", token[:-8]).ok


def _pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p style='font-family: \"Noto Serif CJK SC\"'>通报函 正文</p>").write_pdf()


def test_a_signed_pdf_stays_a_valid_pdf_and_verifies(tmp_path):
    from pypdf import PdfReader

    signed = signing.sign_document(_pdf())
    assert signing.verify_document(signed).authentic
    assert "通报函" in PdfReader(io.BytesIO(signed)).pages[0].extract_text()
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    shown = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)  # noqa: S603, S607 - a fixed command on a test file
    assert "通报函" in shown.stdout
    assert "Syntax Error" not in shown.stderr


def test_any_changed_added_or_removed_byte_fails():
    signed = signing.sign_document(_pdf())
    step = max(1, len(signed) // 60)
    for position in [*range(0, len(signed), step), len(signed) - 2, len(signed) - 60, signed.rfind(b" at=") + 5]:
        altered = bytearray(signed)
        altered[position] ^= 0x01
        assert not signing.verify_document(bytes(altered)).ok, position
    assert not signing.verify_document(signed + b"%%EOF\n").ok
    assert not signing.verify_document(signed[:100] + signed[101:]).ok
    assert not signing.verify_document(signed.replace(b"%SM2SIG/1", b"%SM2SIG/2")).ok
    unsigned = signing.verify_document(_pdf())
    assert not unsigned.signed and not unsigned.ok


def test_a_document_signed_with_another_key_is_valid_but_not_ours(settings, tmp_path):
    foreign = signing.sign_document(_pdf())
    settings.DOCUMENT_SIGNING_KEY_FILE = str(tmp_path / "other.key")
    signing.generate_key_file(tmp_path / "other.key")
    result = signing.verify_document(foreign)
    assert result.ok and not result.ours and not result.authentic


@pytest.mark.django_db
def test_a_retired_key_still_vouches_for_what_it_signed_up_to_its_last_day(settings, tmp_path):
    # The bureau replaced its key today; what the old key signed yesterday and today stays its own.
    today = timezone.localdate()
    now = timezone.localtime().replace(microsecond=0)
    old_key = signing.signing_key()
    issued = signing.sign_document(_pdf(), now=now - dt.timedelta(days=1))
    issued_today = signing.sign_document(_pdf(), now=now)
    settings.DOCUMENT_SIGNING_KEY_FILE = str(tmp_path / "new.key")
    signing.generate_key_file(tmp_path / "new.key")
    assert not signing.verify_document(issued).ours
    # Pasted as `document_signing_key` shows it: in groups of four, in capitals.
    settings.DOCUMENT_SIGNING_RETIRED_KEYS = [f"{signing.format_fingerprint(old_key.fingerprint)}@{today:%Y-%m-%d}"]
    assert signing.retired_keys_check() == []
    for document in (issued, issued_today):
        result = signing.verify_document(document)
        assert result.authentic and result.retired_on == today
    (tmp_path / "issued.pdf").write_bytes(issued)
    said = io.StringIO()
    call_command("verify_document", str(tmp_path / "issued.pdf"), stdout=said)
    assert "是本系统出具的真实文件" in said.getvalue()
    assert f"已停用的密钥（最后使用日：{today:%Y年%m月%d日}）" in said.getvalue()
    shown = io.StringIO()
    call_command("document_signing_key", stdout=shown)
    assert f"已停用的密钥：{signing.format_fingerprint(old_key.fingerprint)}，最后使用日 {today:%Y-%m-%d}" in shown.getvalue()
    assert f"{signing.signing_key().fingerprint}@{today:%Y-%m-%d}" in shown.getvalue()
    # Signed after its last day (with a key that leaked, say): not the system's.
    settings.DOCUMENT_SIGNING_RETIRED_KEYS = [f"{old_key.fingerprint}@{today - dt.timedelta(days=2):%Y-%m-%d}"]
    late = signing.verify_document(issued)
    assert late.ok and not late.ours and late.retired_on is None
    # An altered copy is refused whatever the key.
    settings.DOCUMENT_SIGNING_RETIRED_KEYS = [f"{old_key.fingerprint}@{today:%Y-%m-%d}"]
    assert not signing.verify_document(issued.replace(b"%%EOF", b"%%EOf")).authentic
    # The documents the new key signs are the system's as before.
    assert signing.verify_document(signing.sign_document(_pdf())).retired_on is None


def test_the_retired_key_of_a_day_in_the_bureaus_calendar():
    last_day = dt.date(2027, 1, 31)
    retired = {"ab" * 32: last_day}
    shanghai = timezone.get_default_timezone()
    # 2027-01-31 23:30 in Beijing is 15:30 UTC; 2027-02-01 00:30 in Beijing is 2027-01-31 16:30 UTC.
    inside = dt.datetime(2027, 1, 31, 15, 30, tzinfo=dt.UTC)
    after = dt.datetime(2027, 1, 31, 16, 30, tzinfo=dt.UTC)
    assert signing.retired_key_vouches(fingerprint="ab" * 32, signed_at=inside, retired=retired, zone=shanghai) == last_day
    assert signing.retired_key_vouches(fingerprint="ab" * 32, signed_at=after, retired=retired, zone=shanghai) is None
    assert signing.retired_key_vouches(fingerprint="cd" * 32, signed_at=inside, retired=retired, zone=shanghai) is None
    assert signing.retired_key_vouches(fingerprint="ab" * 32, signed_at=None, retired=retired, zone=shanghai) is None


@pytest.mark.parametrize("entry", ["ab" * 32, "ab" * 31 + "@2027-01-31", "ab" * 32 + "@2027-02-30", "xy" * 32 + "@2027-01-31", "ab" * 32 + "@31.1.2027"])
def test_a_malformed_retired_key_is_refused_at_start_up(settings, entry):
    settings.DOCUMENT_SIGNING_RETIRED_KEYS = ["cd" * 32 + "@2027-01-31", entry]
    [error] = signing.retired_keys_check()
    assert error.id == "registry.E024" and entry in error.msg
    with pytest.raises(ValueError, match=entry):
        signing.retired_keys_parse(settings.DOCUMENT_SIGNING_RETIRED_KEYS)


def test_the_key_file_is_private_and_its_halves_must_match(tmp_path):
    path = tmp_path / "k" / "sm2.key"
    key = signing.generate_key_file(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert signing.read_key_file(path) == key
    with pytest.raises(FileExistsError):
        signing.generate_key_file(path)
    other = signing.generate_key_file(tmp_path / "other.key")
    mixed = tmp_path / "mixed.key"
    mixed.write_text(f"private: {key.private.hex()}\npublic: 04{other.public.hex()}\n")
    with pytest.raises(signing.SigningKeyError):
        signing.read_key_file(mixed)
    (tmp_path / "bad.key").write_text("not a key")
    with pytest.raises(signing.SigningKeyError):
        signing.read_key_file(tmp_path / "bad.key")


def test_production_requires_a_key_file(settings, tmp_path):
    settings.DOCUMENT_SIGNING_KEY_GENERATE = False
    settings.DOCUMENT_SIGNING_KEY_FILE = ""
    assert [e.id for e in signing.signing_key_check()] == ["registry.E023"]
    settings.DOCUMENT_SIGNING_KEY_FILE = str(tmp_path / "missing.key")
    assert [e.id for e in signing.signing_key_check()] == ["registry.E023"]
    with pytest.raises(signing.SigningKeyError):
        signing.sign_bytes(b"x")
    out = io.StringIO()
    call_command("document_signing_key", create=str(tmp_path / "missing.key"), stdout=out)
    assert "密钥指纹" in out.getvalue()
    assert signing.signing_key_check() == []
    assert signing.verify_bytes(b"x", signing.sign_bytes(b"x")).authentic


def test_signed_at_is_utc_and_shown_locally():
    at = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    token = signing.sign_bytes(b"x", now=at)
    assert " at=2026-11-24T09:30:00+00:00 " in token


def test_another_spelling_of_the_same_signature_is_an_altered_copy():
    """Base64 leaves spare bits in a padded last character: flipping them decodes to the same
    signature, but the copy is still not the one signed (the suite once passed or failed on it by
    chance, as the signature's length varies)."""
    import base64

    token = next(t for t in (signing.sign_bytes(b"chain head 42") for _ in range(50)) if t.endswith("="))
    head, sig = token.rsplit("sig=", 1)
    last = len(sig.rstrip("=")) - 1
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    respellings = [
        sig[:last] + char + sig[last + 1 :]
        for char in alphabet
        if char != sig[last] and base64.b64decode(sig[:last] + char + sig[last + 1 :]) == base64.b64decode(sig)
    ]
    assert respellings  # a padded signature always has spare bits
    assert signing.verify_bytes(b"chain head 42", token).ok
    assert not any(signing.verify_bytes(b"chain head 42", f"{head}sig={other}").ok for other in respellings)
    assert not signing.verify_bytes(b"chain head 42", token + " ").ok
