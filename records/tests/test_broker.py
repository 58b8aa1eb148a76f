"""The broker is only a doorbell: a real Celery worker on the real Redis sends a reminder end to
end, and with the broker down user actions still succeed and the next sweep sends what is owed."""

import os
import time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from conftest import local, record_data
from interference_registry.celery import app
from records.models import InterferenceRecord, Notification
from records.notifications.sweep import reminder_sweep
from records.record import services
from records.tasks import sweep


def _reset_connections():
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """Point Celery at a closed port, as if Redis had stopped; restore it afterwards."""
    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    _reset_connections()
    yield
    app.conf.broker_url = saved
    _reset_connections()


@pytest.mark.django_db(transaction=True)
def test_broker_down_loses_nothing(broker_down, client, officer, discipline_user):
    client.force_login(officer)
    occurred = (timezone.localtime() - timezone.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    post = {
        "matter": "某企业整改", "occurred_at": occurred, "channel": "oral", "interferer_kind": "leader", "interferer_name": "李某",
        "interferer_position": "副县长", "content": "要求从轻。", "nature": "interference", "response": "refused",
    }  # fmt: skip
    started = time.monotonic()
    pks = []
    for _ in range(3):
        response = client.post(reverse("records:create"), {**post, "intent": "draft"})
        assert response.status_code == 302
        pk = InterferenceRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
        response = client.post(reverse("records:submit", args=[pk]), {})
        assert response.status_code == 302 and response["Location"] == reverse("records:detail", args=[pk])
        pks.append(pk)
    # Six user actions with the broker down stay quick: nothing waits for it.
    assert time.monotonic() - started < 30
    assert set(InterferenceRecord.objects.filter(pk__in=pks).values_list("status", flat=True)) == {"submitted"}
    assert Notification.objects.count() == 0  # nobody swept yet
    # The broker is back (fixture teardown order aside, the sweep needs no broker): sweep twice.
    reminder_sweep(now=timezone.now())
    reminder_sweep(now=timezone.now())
    sent = Notification.objects.filter(recipient=discipline_user, kind="submitted")
    assert sorted(n.record_id for n in sent) == sorted(pks)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the Redis that .ci/run starts")
def test_real_worker_on_redis_sends_a_reminder(officer):
    from celery.contrib.testing.worker import start_worker

    with time_machine.travel(local(2026, 11, 23, 10), tick=False):
        record = services.record_create(data=record_data(occurred_at=local(2026, 11, 23, 10)), actor=officer)
    assert app.conf.broker_url.startswith("redis://")
    with time_machine.travel(local(2026, 11, 25, 9, 1), tick=True):
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            sweep.delay()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not Notification.objects.filter(record=record).exists():
                time.sleep(0.2)
            sweep.delay()  # a second ring sends nothing new
            time.sleep(2)
    notices = list(Notification.objects.filter(record=record).values_list("recipient_id", "kind"))
    assert notices == [(officer.pk, "due_tomorrow")]


def test_doorbell_rings_on_the_embedded_broker_expire(tmp_path, settings):
    """`make run`'s filesystem broker: a ring carries an expiry of one sweep period, so rings made
    while no worker ran are dropped rather than run one by one ahead of real work."""
    import json
    from datetime import datetime

    from records.notifications.sweep import wake_sweep

    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    (tmp_path / "q").mkdir()
    app.conf.broker_url = "filesystem://"
    app.conf.broker_transport_options = {"data_folder_in": str(tmp_path / "q"), "data_folder_out": str(tmp_path / "q")}
    _reset_connections()
    try:
        before = timezone.now()
        wake_sweep()
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = saved
        _reset_connections()
    files = list((tmp_path / "q").iterdir())
    assert len(files) == 1
    headers = json.loads(files[0].read_text())["headers"]
    assert headers["task"] == "records.tasks.sweep"
    expires = datetime.fromisoformat(headers["expires"])
    assert abs((expires - before).total_seconds() - settings.REMINDER_SWEEP_SECONDS) < 5
