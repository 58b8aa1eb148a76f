"""Celery application.

The broker only wakes the worker: the database is the source of truth, and a periodic sweep over it
decides what is owed (see records.notifications.sweep). Without REDIS_URL the embedded default uses kombu's
filesystem transport, so web + worker + beat run on one machine with no server at all.
"""

import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interference_registry.settings")

app = Celery("interference_registry")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@beat_init.connect
def _exactly_one_beat(sender=None, **kwargs):
    """A second beat against the same database exits instead of scheduling everything twice."""
    from interference_registry.beat_lock import hold_beat_lock

    hold_beat_lock()
