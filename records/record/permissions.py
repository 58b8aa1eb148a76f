"""Guardian's per-object grants on records, as direct foreign keys (the generic tables scan). The
record is named by string so that the queryset module can import these at module level."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class RecordUserObjectPermission(UserObjectPermissionBase):
    """Guardian per-user grants on records, with a direct foreign key (the generic table scans)."""

    content_object = models.ForeignKey("records.InterferenceRecord", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("记录用户授权")
        verbose_name_plural = _("记录用户授权")


class RecordGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian per-group grants on records (e.g. a discipline body's staff group)."""

    content_object = models.ForeignKey("records.InterferenceRecord", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("记录用户组授权")
        verbose_name_plural = _("记录用户组授权")
