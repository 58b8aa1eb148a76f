"""The response of every private download (evidence, report PDFs, proof files), once the view's access
helper has checked permission and written its audit event.

With ``SENDFILE_BACKEND`` set (production: ``django_sendfile.backends.nginx``) the response carries
only headers and ``X-Accel-Redirect``; nginx serves the bytes from its ``internal`` location, so a
200 MiB recording never occupies a Python worker. Unset (``make run``, the test suite), Django
streams the file itself. Either way the file goes as an attachment with ``nosniff``, and
cases.middleware.NoStoreMiddleware adds ``Cache-Control: no-store`` (every private download needs a
signed-in user).

Files of an encrypted storage (cases.storage.EncryptedPrivateStorage: evidence and proof files) are
always streamed by Django, which decrypts them as they go: nginx would send the ciphertext. They are
the files a permission check guards anyway; the generated reports stay with X-Accel-Redirect. A file
that cannot be decrypted (its key missing, the file altered) answers with a page saying so (503), not
a 500.

A document the system produces (a PDF or an .xlsx made for the request) goes instead through
``traced_document_response``: watermarked for the viewer, a PDF signed, the copy's hash audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from urllib.parse import quote

from django.conf import settings
from django.core.files import File
from django.db import models
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.encryption import EncryptionError

from . import signing
from .audit import audit
from .vocabulary import audit_event_types
from .watermark import PdfUnreadable, Watermark, stamp_pdf, stamp_xlsx

log = logging.getLogger(__name__)


def private_file_response(request: HttpRequest, file: File, *, filename: str, content_type: str | None = None) -> HttpResponse:
    """`file` is a FieldFile of a private storage (cases.storage.PrivateStorage), opened or not."""
    if settings.SENDFILE_BACKEND and not getattr(file.storage, "encrypts", False):
        from django_sendfile import sendfile

        path = file.path
        file.close()
        response = sendfile(request, path, attachment=True, attachment_filename=filename, mimetype=content_type or None)
        if response.has_header("X-Accel-Redirect"):
            # The body is empty: nginx sends the file with its own length. A Content-Length of the file's
            # size on an empty body would leave anyone reading the upstream answer waiting for bytes.
            del response["Content-Length"]
    else:
        try:
            opened = file.open("rb")
        except EncryptionError as error:
            log.error("cannot decrypt %s: %s", file.name, error)
            message = _("该文件已加密保存，但现在无法解密：%(error)s 请联系安全保密管理员。") % {"error": error}
            return render(request, "cases/file_unreadable.html", {"message": message}, status=503)
        response = FileResponse(opened, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Documents the system produces: watermarked, signed, hashed and audited (防泄密) -----------------

log = logging.getLogger(__name__)

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@audit_event_types.register
class DownloadEvent(models.TextChoices):
    """A copy of a produced document handed to someone. Its data name the copy's SM3 hash, so
    ``manage.py verify_document`` finds who took a leaked copy, and when."""

    DOCUMENT_SERVED = "document.served", gettext_lazy("下载文件（留痕）")


def traced_document_response(
    request: HttpRequest,
    content: bytes,
    *,
    filename: str,
    content_type: str,
    document: str,
    obj: models.Model | None = None,
    inline: bool = False,
    now: dt.datetime | None = None,
) -> HttpResponse:
    """The one way a produced PDF or .xlsx leaves the system: the viewer's watermark drawn in (name,
    unit, time), a PDF then signed with the system's SM2 key (so the served copy verifies), and one
    audit event with the SM3 hash of exactly the bytes sent. `document` says what it is, in Chinese
    (通报函 2026-3), `obj` the row it was made from. Each copy is unique, so it goes from memory, never
    through X-Accel-Redirect."""
    now = now or timezone.now()
    mark = Watermark.for_user(request.user, now)
    if content_type == PDF:
        try:
            stamped = stamp_pdf(content, mark)
        except PdfUnreadable:
            # A stored report that is not a readable PDF cannot carry the mark; nothing unmarked leaves.
            log.error("document %r is not a readable PDF; not served", document)
            return HttpResponse(_("该文件已损坏，无法生成带水印的副本，请重新生成后再下载。"), status=409, content_type="text/plain; charset=utf-8")
        content = signing.sign_document(stamped, now=now)
    elif content_type == XLSX:
        content = stamp_xlsx(content, mark)
    else:
        raise ValueError(f"no watermark for {content_type}")
    data = {
        "sm3": hashlib.new("sm3", content).hexdigest(),
        "bytes": len(content),
        "document": document,
        "filename": filename,
        "viewer": mark.viewer,
        "username": mark.username,
        "unit": mark.unit,
        "watermark_at": now.isoformat(),
    }
    parts = signing.split_signed(content) if content_type == PDF else None
    if parts is not None:
        # The signature value is unique to this copy: a copy altered after download no longer
        # matches its hash but may still carry this line, and so still names its download.
        data["signature"] = parts[1].rsplit(" sig=", 1)[1]
    audit(type=DownloadEvent.DOCUMENT_SERVED, actor=request.user, obj=obj, data=data)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_events_for(content: bytes):
    """The download events whose served copy was exactly `content`, or, for a signed PDF whose bytes
    changed after download, whose signature it still carries; oldest first."""
    from .audit_trail.vocabulary import AuditTrailEvent
    from .models import AuditEvent

    # The audit trail's exports are signed files too (cases.audit_trail.services), audited with their SM3.
    served = (
        AuditEvent.objects.filter(type__in=[DownloadEvent.DOCUMENT_SERVED, AuditTrailEvent.TRAIL_EXPORTED])
        .select_related("actor")
        .order_by("occurred_at", "pk")
    )
    exact = list(served.filter(data__sm3=hashlib.new("sm3", content).hexdigest()))
    if exact:
        return exact, True
    parts = signing.split_signed(content)
    if parts is None or " sig=" not in parts[1]:
        return [], False
    return list(served.filter(data__signature=parts[1].rsplit(" sig=", 1)[1])), False
