"""The confirmed 批量导入 as a background job (issue 21): confirming the dry run creates an ``ImportJob``
(a service: one transaction, one audit event, the worker rung on commit) and a Celery task runs it
(``cases.tasks.run_import_job``), so a province's import (about 100 s) does not run inside a web
request that a proxy would time out.

The run is ``services.org_import`` in one transaction, all or nothing, as before; the job's final state
(done with the counts, or failed with the row problems) is written in that same transaction, so a job
is done exactly when its data are in. The audit event ``org.imported`` (files' SHA-256 and counts) is
written by org_import inside it, once.

Progress while the import runs: the import's transaction holds every write it makes until it commits,
so progress written to the job row on the worker's connection would be invisible until the end. A
second database connection could write it on PostgreSQL, but not on the embedded SQLite database (one
writer at a time: it would wait for the import to finish), and the Django cache is per process unless
Redis is configured. So the progress is a small JSON file beside the uploaded files in the private
"imports" storage, which the worker reads the files from and the web process therefore shares in every
deployment (``ImportProgress``). It is replaced whole each time (``os.replace``), so a reader sees one
state or the next, and it is deleted with the files when the job ends; the row then has the result.

The broker is only a doorbell (DESIGN §2): when it is down the job stays queued, and the job page's
status poll rings again (``ring_if_stale``)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from cases.audit import audit
from cases.hooks import Hook
from cases.models import ImportJob
from cases.onboarding.resources import LABELS
from cases.onboarding.services import org_import
from cases.onboarding.uploads import UploadGone, imports_storage, upload_files, upload_forget, upload_manifest
from cases.vocabulary import OrganisationEvent

log = logging.getLogger(__name__)

# The task is rung by its name, so this module does not import the tasks module (which imports this one).
RUN_IMPORT_TASK = "cases.tasks.run_import_job"
# A queued job older than this is rung again by its page's status poll (at most once per period).
STALE_QUEUED = dt.timedelta(seconds=30)
# A ring from a status poll that no worker took in this long is spent: the next poll rings again, so a
# stopped worker does not come back to a pile of rings.
RING_AGAIN_EXPIRES = 300
# The task's hard time limit (a province takes about 100 s). A job still running this long after it
# started lost its worker (killed, out of memory): its transaction died with it, nothing was written,
# and the message the broker delivers again (acks_late) or a status poll's ring runs it again.
IMPORT_TIME_LIMIT = 1900
LOST_AFTER = dt.timedelta(seconds=IMPORT_TIME_LIMIT + 60)
# The progress file is rewritten at most this often.
PROGRESS_SECONDS = 0.5
PROGRESS_FILE = "progress.json"
# Row problems kept on a failed job (a file with tens of thousands of broken rows shows the first ones).
MAX_PROBLEMS = 500

# Callables taking job=ImportJob, run once a job has finished, done or failed (records: a notice to
# the uploader, cases cannot import it).
import_job_finished = Hook("import_job_finished")


def _ring(job_id: int, *, expires: float | None = None) -> None:
    try:
        current_app.send_task(RUN_IMPORT_TASK, args=[job_id], retry=False, expires=expires)
    except Exception:  # noqa: BLE001 - any broker failure; the job stays queued and its page rings again
        log.warning("broker unavailable; import job %s stays queued", job_id, exc_info=True)


@transaction.atomic
def import_job_create(*, token: str, actor, now: dt.datetime) -> tuple[ImportJob, bool]:
    """Confirm the dry run of the files kept under ``token`` by ``actor``, their uploader: a queued
    job, the worker rung after commit. Returns (job, created): confirming the same upload again
    (a double click, a resent form) returns its job. ValidationError when nothing is kept under the
    token for ``actor``."""
    earlier = ImportJob.objects.filter(token=token, requested_by=actor).first()
    if earlier is not None:
        return earlier, False
    try:
        manifest = upload_manifest(token, actor)
    except UploadGone:
        raise ValidationError(_("导入已完成或已失效，请重新上传文件。")) from None
    files = {kind: {"name": entry["name"], "sha256": entry["sha256"]} for kind, entry in manifest["files"].items()}
    job, created = ImportJob.objects.get_or_create(token=token, defaults={"requested_by": actor, "files": files, "created_at": now})
    if not created:  # a concurrent confirmation of the same upload won
        return job, False
    audit(type=OrganisationEvent.ORG_IMPORT_QUEUED, actor=actor, obj=job, data={"files": files})
    transaction.on_commit(lambda: _ring(job.pk))
    return job, True


def _runnable(now: dt.datetime) -> Q:
    """Queued jobs, and running ones whose worker is gone (see LOST_AFTER)."""
    return Q(status=ImportJob.Status.QUEUED) | Q(status=ImportJob.Status.RUNNING, started_at__lt=now - LOST_AFTER)


def ring_if_stale(job: ImportJob, *, now: dt.datetime) -> bool:
    """From a status poll: ring again for a job queued longer than STALE_QUEUED (the broker may have
    been down when it was confirmed) or whose worker is gone, at most once per STALE_QUEUED across all
    web processes (a conditional update on ``rung_at`` decides). True when it rang."""
    if job.finished or job.created_at >= now - STALE_QUEUED:
        return False
    claimed = (
        ImportJob.objects.filter(_runnable(now), pk=job.pk)
        .filter(Q(rung_at__isnull=True) | Q(rung_at__lt=now - STALE_QUEUED))
        .update(rung_at=now)
    )
    if claimed:
        _ring(job.pk, expires=RING_AGAIN_EXPIRES)
    return bool(claimed)


class ImportProgress:
    """The progress of a running job, in ``<token>/progress.json`` of the imports storage (why a file:
    see the module). ``report`` is what org_import calls after each row; it writes at most every
    PROGRESS_SECONDS."""

    def __init__(self, token: str, *, clock: Callable[[], float] = time.monotonic):
        self.path = Path(imports_storage().path(f"{token}/{PROGRESS_FILE}"))
        self.clock = clock
        self.written_at: float | None = None

    def report(self, table: str, rows_done: int, rows_total: int, percent: int) -> None:
        now = self.clock()
        if self.written_at is not None and now - self.written_at < PROGRESS_SECONDS:
            return
        self.written_at = now
        content = json.dumps({"table": table, "rows_done": rows_done, "rows_total": rows_total, "percent": percent})
        # Written aside and renamed into place: a reader finds the previous state or this one, whole.
        part = self.path.with_name(f"~{uuid.uuid4().hex}.part")
        try:
            part.write_text(content, encoding="utf-8")
            os.replace(part, self.path)
        except OSError:  # the import goes on without its progress (a full disk fails it soon anyway)
            log.warning("could not write the progress of import %s", self.path.parent.name, exc_info=True)

    @staticmethod
    def read(token: str) -> dict | None:
        """The last progress written for ``token`` (None before the first or after the job)."""
        try:
            with imports_storage().open(f"{token}/{PROGRESS_FILE}") as handle:
                progress = json.load(handle)
        except (OSError, ValueError):
            return None
        return progress if isinstance(progress, dict) else None


def progress_text(progress: dict | None) -> str:
    """What the job page says of a running import: the table and its rows."""
    if not progress or progress.get("table") not in LABELS:
        return ""
    return _("正在导入%(table)s：第 %(done)s 行，共 %(total)s 行") % {
        "table": LABELS[progress["table"]],
        "done": progress.get("rows_done", 0),
        "total": progress.get("rows_total", 0),
    }


def _finish(job: ImportJob, *, now: dt.datetime, **values) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    job.finished_at = now
    job.save(update_fields=[*values, "finished_at"])


def _problems(result) -> list[dict]:
    problems = [
        {"table": table.kind, "row": problem.row, "column": problem.column, "message": problem.message}
        for table in result.tables
        for problem in table.problems
    ]
    return problems[:MAX_PROBLEMS]


def import_job_run(job_id: int, *, now_fn: Callable[[], dt.datetime]) -> str:
    """Run one queued job, or one whose worker was lost (idempotent: a job running elsewhere or
    finished is left alone). Returns its status."""
    now = now_fn()
    if not ImportJob.objects.filter(_runnable(now), pk=job_id).update(status=ImportJob.Status.RUNNING, started_at=now):
        return "skipped"
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    progress = ImportProgress(job.token)
    # The stored messages are the bureau's Chinese, whatever language an eager run's request had.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            files = upload_files(job.token, job.requested_by)
            with transaction.atomic():
                result = org_import(files=files, dry_run=False, actor=job.requested_by, progress=progress.report)
                if result.kept:
                    _finish(job, now=now_fn(), status=ImportJob.Status.DONE, counts=result.counts())
                else:  # the data changed between the dry run and the confirmation: org_import rolled back
                    _finish(
                        job, now=now_fn(), status=ImportJob.Status.FAILED, problems=_problems(result),
                        error=_("试导入之后系统中的数据已有变化，下列行无法导入，未写入任何数据。请改正文件后重新上传。"),
                    )  # fmt: skip
        except UploadGone:
            _finish(job, now=now_fn(), status=ImportJob.Status.FAILED, error=_("上传的文件已不存在，未写入任何数据。请重新上传。"))
        except ValidationError as error:
            _finish(job, now=now_fn(), status=ImportJob.Status.FAILED, error="；".join(error.messages))
        except Exception:  # noqa: BLE001 - the transaction rolled back; the job says so, the log says why
            log.exception("import job %s failed", job.pk)
            _finish(
                job, now=now_fn(), status=ImportJob.Status.FAILED,
                error=_("导入失败，未写入任何数据。请稍后重新上传；如仍失败，请联系系统管理员查看日志。"),
            )  # fmt: skip
    upload_forget(job.token)
    for listener in import_job_finished:
        try:
            listener(job=job)
        except Exception:  # noqa: BLE001 - the import's result stands whether or not it could be told
            log.exception("telling the end of import job %s failed", job.pk)
    return job.status
