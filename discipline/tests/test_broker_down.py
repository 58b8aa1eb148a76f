"""With the broker down, a user action does not wait for it (issue 17 §6): a submit, a report request
and the audit page's 立即校验 each ring once against a real closed port, without kombu's reconnect
loop, and complete; the database keeps what the ring would have started (the sweeps ring again)."""

import logging
import socket

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from discipline.models import ReportJob
from interference_registry.celery import app
from records.models import InterferenceRecord


def _reset_connections():
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def dead_broker(settings):
    """Celery on a loopback port that is bound but never listens (every connect is refused at once),
    with the project's broker options. kombu calls a transport option's `errback` before each
    reconnect it makes: the list this yields holds one entry per reconnect."""
    reconnects = []
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.broker_url = f"redis://127.0.0.1:{closed.getsockname()[1]}/0"
    app.conf.broker_transport_options = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "errback": lambda exc, interval: reconnects.append(exc),
    }
    _reset_connections()
    yield reconnects
    app.conf.broker_url, app.conf.broker_transport_options = saved
    _reset_connections()
    closed.close()


def _broker_warnings(caplog, logger: str) -> int:
    return sum(1 for r in caplog.records if r.name == logger and r.levelno == logging.WARNING)


@pytest.mark.django_db(transaction=True)
def test_user_actions_ring_a_dead_broker_once_and_complete(dead_broker, caplog, client, officer, jj, make_record):
    caplog.set_level(logging.WARNING)
    record = make_record(occurred_at=timezone.now().replace(microsecond=0) - timezone.timedelta(hours=1))

    client.force_login(officer)
    response = client.post(reverse("records:submit", args=[record.pk]), {})
    assert response.status_code == 302 and response["Location"] == reverse("records:detail", args=[record.pk])
    assert InterferenceRecord.objects.get(pk=record.pk).status == InterferenceRecord.Status.SUBMITTED

    client.force_login(jj)
    response = client.post(reverse("discipline:reports"), {"year": timezone.localdate().year})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.status == ReportJob.Status.QUEUED  # the report sweep rings again

    response = client.post(reverse("audit:verify"))
    assert response.status_code == 302
    assert "任务队列暂不可用" in " ".join(str(m) for m in get_messages(response.wsgi_request))

    # Each action rang, the broker refused, and nobody tried again.
    assert _broker_warnings(caplog, "records.notifications.sweep") >= 1
    assert _broker_warnings(caplog, "discipline.report_jobs") == 1
    assert _broker_warnings(caplog, "cases.views") == 1
    assert dead_broker == []
