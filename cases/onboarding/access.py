"""Who may follow an import job: its uploader and the other administrators. An import changes the
whole organisation, so any administrator may need to see whether one is running, has finished or has
failed before starting another; the page shows file names, counts and problems, never the files."""

from __future__ import annotations

from django.http import Http404

from cases.models import ImportJob
from cases.roles import Role, has_role


def access_import_job(user, job_id) -> ImportJob:
    """The import job ``job_id`` for ``user``; 404 for a missing one and for anyone not an administrator."""
    if not has_role(user, Role.ADMIN):
        raise Http404
    try:
        return ImportJob.objects.select_related("requested_by").get(pk=int(job_id))
    except (ImportJob.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
