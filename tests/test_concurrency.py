"""Simultaneous posts (issue 17 §5): on the embedded SQLite database two people saving at the same
moment got `OperationalError: database is locked` (a 500) — a deferred transaction that has read
cannot take the write lock once another has written, and SQLite fails it at once instead of waiting.
With immediate transactions the second waits (busy timeout) and both are saved. The same test runs on
PostgreSQL, where it passes by row locking.

Real threads post through their own test clients and database connections at the same instant (a
barrier), against the test database file (a transactional test: every commit is visible to the other
threads)."""

import re
import threading
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from records.models import Amendment, InterferenceRecord

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
ROUNDS = 3
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def _hidden_fields(client, url) -> dict:
    """What a browser would send back besides the typed fields (e.g. a form's one-time key)."""
    return {name: unescape(value) for name, value in HIDDEN.findall(client.get(url).content.decode()) if name != "csrfmiddlewaretoken"}


def _post_at_once(user, url, data, *, form_page=None) -> list:
    """THREADS × ROUNDS posts of `data` to `url` (the form drawn on `form_page`, by default `url`), each round started by all threads at the same instant;
    the status codes, or the exception a post raised (the test client re-raises a view's error)."""
    barrier = threading.Barrier(THREADS)
    results = []

    def post():
        client = Client()
        try:
            client.force_login(user)
            for _round in range(ROUNDS):
                fields = {**_hidden_fields(client, form_page or url), **data}
                barrier.wait(timeout=60)
                results.append(client.post(url, fields).status_code)
        except Exception as error:  # noqa: BLE001 - collected: the assertion shows what failed
            results.append(error)
            barrier.abort()  # the other threads stop waiting for this one
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=post) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_simultaneous_quick_captures_are_all_saved(officer):
    data = {
        "interferer_name": "李某", "interferer_position": "副县长", "channel": "oral", "content": "要求从轻。",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }  # fmt: skip
    results = _post_at_once(officer, reverse("records:quick"), data)
    assert results == [302] * THREADS * ROUNDS
    assert InterferenceRecord.objects.filter(recorder=officer).count() == THREADS * ROUNDS


def test_simultaneous_amendments_of_one_record_are_all_saved(officer, make_record):
    from records.record import services

    record = services.record_submit(record=make_record(), actor=officer, now=timezone.now())
    results = _post_at_once(
        officer, reverse("records:amend", args=[record.pk]), {"text": "补充说明。", "reason": "遗漏。"}, form_page=reverse("records:detail", args=[record.pk])
    )
    assert results == [302] * THREADS * ROUNDS
    assert Amendment.objects.filter(record=record).count() == THREADS * ROUNDS
