"""The notice to an uploader that their 批量导入 job has finished, registered on the
``cases.onboarding.jobs.import_job_finished`` hook (cases cannot import records). The import runs in
the background for minutes, so the uploader hears of its end wherever they are: the bell on every
page, the notices page, e-mail."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.models import ImportJob
from cases.onboarding.resources import LABELS
from records.notifications.vocabulary import ImportNotice

from .services import notification_send


def notify_import_finished(*, job: ImportJob) -> bool:
    """Tell the uploader that ``job`` is done (with the counts) or failed (nothing written). Once per job."""
    if job.status == ImportJob.Status.DONE:
        title = _("批量导入已完成")
        body = "；".join(
            _("%(table)s：新增%(new)s、更新%(updated)s、未变%(unchanged)s") % {"table": LABELS.get(kind, kind), **counts} for kind, counts in job.counts.items()
        )
    else:
        title = _("批量导入失败，未写入任何数据")
        body = job.error
    link = reverse("onboarding:job", args=[job.pk])
    return notification_send(recipient=job.requested_by, kind=ImportNotice.IMPORT_FINISHED, key=f"import-job:{job.pk}", title=title, body=body, link=link) is not None
