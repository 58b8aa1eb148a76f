"""Structured logs (issue 22): under LOG_FORMAT=json every line on stderr is one JSON object carrying
the request id of the audit trail (the response's X-Request-ID) and the client's address."""

import json
import logging
import logging.config
import sys

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases.middleware import _request_id
from cases.models import AuditEvent
from discipline.tests.test_broker_down import dead_broker  # noqa: F401 - a fixture
from interference_registry.log_config import logging_config
from records.record.vocabulary import RecordEvent


class _CurrentStderr:
    def write(self, text: str) -> None:
        sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


@pytest.fixture
def json_logs(capsys):
    """The production logging configuration for the test's duration; yields a reader of the JSON
    lines written to stderr since the last read."""
    logging.config.dictConfig(logging_config(log_format="json", level="INFO"))
    # Whatever sys.stderr is when a line is written: pytest swaps in capsys's only for the test's call.
    (handler,) = logging.getLogger().handlers
    assert handler.stream is sys.stderr
    handler.setStream(_CurrentStderr())

    def lines() -> list[dict]:
        return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]

    yield lines
    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db(transaction=True)
def test_a_requests_log_lines_carry_its_request_id(json_logs, dead_broker, client, officer, make_record, settings):  # noqa: F811
    """A submit while the broker is down: the warning it logs, the audit event and the response share
    one request id; so does Django's own line for a page not found (logged after the middleware)."""
    settings.TRUSTED_PROXY_COUNT = 1
    record = make_record(occurred_at=timezone.now().replace(microsecond=0) - timezone.timedelta(hours=1))
    client.force_login(officer)
    json_logs()
    response = client.post(reverse("records:submit", args=[record.pk]), {}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.3.2.1")
    assert response.status_code == 302
    request_id = response["X-Request-ID"]
    assert AuditEvent.objects.get(type=RecordEvent.RECORD_SUBMITTED).request_id == request_id
    lines = json_logs()
    warnings = [line for line in lines if line["message"].startswith("broker unavailable") and line["level"] == "WARNING"]
    assert warnings and all(line["request_id"] == request_id and line["client_ip"] == "10.3.2.1" for line in warnings)
    assert {"time", "level", "logger", "message", "request_id", "client_ip"} <= set(warnings[0])
    assert "exception" in warnings[0] and "Traceback" in warnings[0]["exception"]  # logged with exc_info

    response = client.get("/no-such-page/?q=李某", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.3.2.1")
    not_found = [line for line in json_logs() if line["logger"] == "django.request"]
    assert len(not_found) == 1 and not_found[0]["request_id"] == response["X-Request-ID"] and not_found[0]["status_code"] == 404
    assert "李某" not in json.dumps(not_found[0], ensure_ascii=False)  # the request's query string is not logged


def test_a_line_outside_a_request_has_an_empty_request_id(json_logs):
    logging.getLogger("registry.test").info("扫描完成 %s 条", 3)
    (line,) = [line for line in json_logs() if line["logger"] == "registry.test"]
    assert line["message"] == "扫描完成 3 条" and line["request_id"] == "" and line["level"] == "INFO"


def test_the_request_id_is_read_while_the_request_runs(json_logs):
    token = _request_id.set("abc123")
    try:
        logging.getLogger("registry.test").error("失败")
    finally:
        _request_id.reset(token)
    (line,) = [line for line in json_logs() if line["logger"] == "registry.test"]
    assert line["request_id"] == "abc123" and line["level"] == "ERROR"


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO")
