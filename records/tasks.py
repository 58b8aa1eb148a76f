"""Celery entry point: `autodiscover_tasks()` imports only ``<app>.tasks``. The tasks live with their
subdomain and keep the names the beat schedule and queued messages use."""

from .notifications.tasks import sweep

__all__ = ["sweep"]
