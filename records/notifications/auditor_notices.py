"""Notices to the 安全审计员, registered on ``cases.audit_trail.alerts.auditor_alerts`` (cases cannot
import records): every active account holding the auditor role hears of it, on the bell, the
notices page and by e-mail, once per key."""

from cases.roles import Role
from cases.selectors import users_with_role
from records.notifications.vocabulary import AuditorNotice

from .services import notification_send


def notify_auditors(*, key: str, title: str, body: str = "", link: str = "") -> int:
    """Send the alert to every auditor; returns how many were newly told."""
    return sum(
        notification_send(recipient=auditor, kind=AuditorNotice.AUDITOR_ALERT, key=key, title=title, body=body, link=link) is not None
        for auditor in users_with_role(Role.AUDITOR.value)
    )
