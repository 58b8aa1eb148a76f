"""The database's guard over the audit events on SQLite (migration 0023; PostgreSQL's is in 0005/0013
/0023): the triggers refuse DELETE unless `registry_audit_flush_allowed()` says 1, which it does only
inside `flush_allowed()`, used by the test runner's flush (conftest.py). The function is registered on
every SQLite connection the application opens; a connection without it (the sqlite3 shell) cannot
delete an event either, as the trigger then fails."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_flush_allowed: ContextVar[bool] = ContextVar("registry_audit_flush_allowed", default=False)


def _allowed() -> int:
    return 1 if _flush_allowed.get() else 0


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """connection_created receiver: give a new SQLite connection the trigger's function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("registry_audit_flush_allowed", 0, _allowed)


@contextmanager
def flush_allowed() -> Iterator[None]:
    """Let the DELETEs of Django's flush (between transactional tests) through. No application code uses it."""
    token = _flush_allowed.set(True)
    try:
        yield
    finally:
        _flush_allowed.reset(token)
