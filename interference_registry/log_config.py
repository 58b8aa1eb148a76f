"""The logging configuration: standard error only, as text lines for a terminal or as one JSON object
a line for a collector (python-json-logger). Under systemd, journald keeps a service's standard error as
it keeps its standard output; standard output stays the commands' own (`manage.py dumpdata > file`
must not find log lines in its file: django-axes logs a line at every start)."""

from pythonjsonlogger.core import RESERVED_ATTRS

# Never written out: Django's request logging (django.request) passes the request object, whose form
# shows the query string, which may carry what a user searched for.
NOT_LOGGED = ("request", "taskName")


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING dict for `log_format` "text" or "json". Every record carries the request id and the
    client address of the request it belongs to (cases.log_context.RequestContextFilter; empty outside
    requests); a JSON line holds time, level, logger, message, request_id, client_ip, the exception's
    traceback when there is one, and whatever `extra` the caller gave (e.g. status_code)."""
    if log_format not in ("text", "json"):
        raise ValueError(f"LOG_FORMAT must be text or json, not {log_format!r}")
    formatters = {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message", "request_id", "client_ip"],
            "rename_fields": {"levelname": "level", "name": "logger", "exc_info": "exception"},
            "timestamp": "time",
            "reserved_attrs": [*RESERVED_ATTRS, *NOT_LOGGED],
            "json_ensure_ascii": False,
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "cases.log_context.RequestContextFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": log_format, "filters": ["request_context"]}
        },
        "root": {"handlers": ["console"], "level": level},
    }
