"""Notices (R-REMIND: each notice is sent once) and their e-mails. Services over the database.

A `Notification` row carries a uniqueness constraint, so a notice cannot be sent twice however many
sweeps run at once, and nothing is lost while the broker is down: the next sweep sends what is owed.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q

from cases.audit import audit
from cases.vocabulary import notification_kinds
from records.notifications.vocabulary import NotificationEvent

from .models import Notification

log = logging.getLogger(__name__)

BATCH = 500
# A sweep that claimed an e-mail and has not finished sending it after this long is taken to be dead.
CLAIM_TIMEOUT = dt.timedelta(minutes=10)


def notification_send(*, recipient, kind: str, key: str, title: str, body: str = "", link: str = "", record=None) -> Notification | None:
    """Create a notice unless the same (recipient, kind, key) exists. Returns the new notice, or None
    when it had been sent before (by this or a concurrent sweep). `kind` must be declared in a
    vocabulary (cases.vocabulary)."""
    if kind not in notification_kinds:
        raise ValueError(f"notice kind {kind!r} is not declared in any app's vocabulary (cases.vocabulary)")
    try:
        with transaction.atomic():
            notice = Notification.objects.create(
                recipient=recipient, kind=kind, key=key, title=title, body=body, link=link, record=record,
                email_pending=bool(recipient.email),
            )  # fmt: skip
            audit(type=NotificationEvent.NOTICE_SENT, actor=None, obj=notice, data={"kind": kind, "key": key, "recipient": recipient.pk})
    except IntegrityError:
        return None
    return notice


def deliver_emails(*, now: dt.datetime) -> int:
    """E-mail the notices whose recipients have an address. A sweep claims a notice by stamping
    `emailed_at` (an UPDATE only one sweep can win) and clears `email_pending` only after the mail
    went out; a claim left by a sweep that died mid-send is taken again after CLAIM_TIMEOUT, so a
    mail is sent at least once and, barring such a crash, exactly once."""
    delivered = 0
    stale = now - CLAIM_TIMEOUT
    claimable = Q(emailed_at__isnull=True) | Q(emailed_at__lt=stale)
    for notice in Notification.objects.filter(claimable, email_pending=True).select_related("recipient").order_by("pk")[:BATCH]:
        claimed = Notification.objects.filter(claimable, pk=notice.pk, email_pending=True).update(emailed_at=now)
        if not claimed:
            continue
        try:
            send_mail(notice.title, f"{notice.body}\n\n{notice.link}".strip(), settings.DEFAULT_FROM_EMAIL, [notice.recipient.email])
        except Exception:  # noqa: BLE001 - any mail failure: release the claim, the next sweep retries
            log.exception("e-mail for notice %s failed", notice.pk)
            Notification.objects.filter(pk=notice.pk).update(emailed_at=None)
            continue
        Notification.objects.filter(pk=notice.pk).update(email_pending=False)
        delivered += 1
    return delivered


def notices_of(user, *, unread_only: bool = False):
    """The user's own notices, newest first (what the notices page lists)."""
    qs = Notification.objects.filter(recipient=user).only("id", "title", "body", "link", "created_at", "read_at", "kind")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_read(*, user, ids: list[int] | None, now: dt.datetime) -> int:
    """Mark some or all of a user's notices read. Only the user's own notices are touched."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=now)
