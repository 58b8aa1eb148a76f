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
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files import File
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cases.encryption import EncryptionError

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
