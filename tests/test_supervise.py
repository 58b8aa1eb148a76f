"""scripts/supervise.py, which `make run` runs the Celery worker under (issue 19): a command that exits
or is killed is started again, and SIGTERM/SIGINT stops the command and the supervisor."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUPERVISE = ROOT / "scripts" / "supervise.py"


def _pid(pidfile: Path) -> int | None:
    try:
        return int(pidfile.read_text())
    except (FileNotFoundError, ValueError):
        return None


def _wait(condition, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_killed_command_is_started_again_and_sigterm_stops_both(tmp_path):
    pidfile = tmp_path / "child.pid"
    log = tmp_path / "log"
    with open(log, "wb") as output:
        supervisor = subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, str(SUPERVISE), "--name", "sleeper", "--pidfile", str(pidfile), "--max-delay", "0.2", "--",
             sys.executable, "-c", "import time; time.sleep(600)"],
            stderr=output,
        )  # fmt: skip
        try:
            first = _wait(lambda: _pid(pidfile))
            os.kill(first, signal.SIGKILL)
            second = _wait(lambda: (pid := _pid(pidfile)) != first and pid)
            assert not _gone(second)
            supervisor.send_signal(signal.SIGTERM)
            assert supervisor.wait(20) == 0
        finally:
            if supervisor.poll() is None:
                supervisor.kill()
    assert _gone(second) and not pidfile.exists()
    text = log.read_text()
    assert "exited with status -9" in text and "(restart 1)" in text and "stopped" in text


def test_a_command_that_keeps_exiting_keeps_being_started(tmp_path):
    log = tmp_path / "log"
    with open(log, "wb") as output:
        supervisor = subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, str(SUPERVISE), "--name", "flaky", "--max-delay", "0.1", "--", sys.executable, "-c", "raise SystemExit(3)"],
            stderr=output,
        )
        try:
            _wait(lambda: "(restart 3)" in log.read_text())
            supervisor.send_signal(signal.SIGINT)
            assert supervisor.wait(20) == 0
        finally:
            if supervisor.poll() is None:
                supervisor.kill()
    assert "exited with status 3" in log.read_text()
