"""Every log record carries the request it belongs to: the audit trail's request id (the response's
X-Request-ID) and the client's address, so a log line and an audit event can be matched."""

import logging

from .middleware import current_client_ip, current_request_id


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a response of 400 or more after the middleware has left the request's context;
        # it passes the request along, which the middleware marked (RequestContextMiddleware).
        request = getattr(record, "request", None)
        record.request_id = current_request_id() or getattr(request, "request_id", "")
        record.client_ip = current_client_ip() or getattr(request, "client_ip", "")
        return True
