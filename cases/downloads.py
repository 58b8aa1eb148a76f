"""The response of every private download (evidence, report PDFs, proof files), once the view's access
helper has checked permission and written its audit event.

With ``SENDFILE_BACKEND`` set (production: ``django_sendfile.backends.nginx``) the response carries
only headers and ``X-Accel-Redirect``; nginx serves the bytes from its ``internal`` location, so a
200 MiB recording never occupies a Python worker. Unset (``make run``, the test suite), Django
streams the file itself. Either way the file goes as an attachment with ``nosniff``, and
cases.middleware.NoStoreMiddleware adds ``Cache-Control: no-store`` (every private download needs a
signed-in user).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files import File
from django.http import FileResponse, HttpRequest, HttpResponse


def private_file_response(request: HttpRequest, file: File, *, filename: str, content_type: str | None = None) -> HttpResponse:
    """`file` is a FieldFile of a private storage (cases.storage.PrivateStorage), opened or not."""
    if settings.SENDFILE_BACKEND:
        from django_sendfile import sendfile

        path = file.path
        file.close()
        response = sendfile(request, path, attachment=True, attachment_filename=filename, mimetype=content_type or None)
        if response.has_header("X-Accel-Redirect"):
            # The body is empty: nginx sends the file with its own length. A Content-Length of the file's
            # size on an empty body would leave anyone reading the upstream answer waiting for bytes.
            del response["Content-Length"]
    else:
        response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
