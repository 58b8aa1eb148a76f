"""Celery application.

The broker only wakes the worker: the database is the source of truth, and a periodic sweep over it
decides what is owed (see records.notifications.sweep). Without REDIS_URL the embedded default uses kombu's
filesystem transport, so web + worker + beat run on one machine with no server at all.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interference_registry.settings")

app = Celery("interference_registry")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
