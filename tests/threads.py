"""Running the same work in several threads at once, for the tests of concurrent writers."""

import threading


def run_at_once(work, times: int = 2) -> list[Exception]:
    """Start `work` in `times` threads released together by a barrier, wait for them, and return the
    exceptions they raised. Each thread closes its own database connection, so the test database can
    be flushed afterwards."""
    barrier = threading.Barrier(times)
    errors: list[Exception] = []

    def run():
        from django.db import connection

        try:
            barrier.wait(timeout=30)
            work()
        except Exception as exc:  # noqa: BLE001 - returned to the test, which asserts on them
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors
