"""The embedded default under load (issue 19): scripts/run.sh (SQLite, the filesystem broker, web +
Celery worker with beat under scripts/supervise.py) run as real processes, as `make run` runs it.

- The soak: for SOAK_SECONDS (default 600) two officers submit records (each rings the doorbell) and
  discipline staff ask for annual reports, from processes of their own, while the web server is
  polled. The worker must not exit once (the same pid alive at the end, no restart logged, no
  "Unrecoverable error"), every owed notice must exist exactly once, and every report must finish.
- A worker killed with SIGKILL is started again by the supervisor and delivers what was owed.
- Ctrl-C (SIGINT to the process group, as a terminal sends it) stops everything.

Neither needs PostgreSQL or Redis: the stack gets its own temporary folder, database and broker, and
REDIS_URL/DATABASE_URL are removed from its environment.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DRIVER = ROOT / "tests" / "soak_driver.py"
pytestmark = pytest.mark.soak


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(condition, *, timeout: float, every: float = 1.0, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Stack:
    """scripts/run.sh in a session of its own, with its log in a file."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = _free_port()
        self.broker = folder / "broker"
        self.log_path = folder / "run.log"
        env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        env |= {
            "PYTHON_BIN": sys.executable, "PORT": str(self.port), "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "CELERY_BROKER_DIR": str(self.broker), "PRIVATE_STORAGE_ROOT": str(folder / "private"),
            # More pulses and sweeps per minute than in production, so the soak exercises them.
            "WORKER_PULSE_SECONDS": "5", "REMINDER_SWEEP_SECONDS": "30", "PYTHONUNBUFFERED": "1",
        }  # fmt: skip
        self.env = env
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [shutil.which("bash") or "/bin/bash", str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def worker_pid(self) -> int | None:
        try:
            return int((self.broker / "worker.pid").read_text())
        except (FileNotFoundError, ValueError):
            return None

    def web_answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/login/", timeout=30) as response:  # noqa: S310 - our own server
                return response.status == 200
        except OSError:
            return False

    def driver(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, str(DRIVER), *args], cwd=ROOT, env=self.env, stdout=subprocess.PIPE)  # noqa: S603

    def check(self) -> dict:
        output = subprocess.run([sys.executable, str(DRIVER), "check"], cwd=ROOT, env=self.env, capture_output=True, check=True)  # noqa: S603
        return json.loads(output.stdout.decode().strip().splitlines()[-1])

    def wait_until_up(self) -> int:
        _wait_for(self.web_answers, timeout=240, every=2, what="the web server")
        pid = _wait_for(self.worker_pid, timeout=60, what="the worker's pid file")
        _wait_for(lambda: "worker" in self.check()["pulses"], timeout=120, every=3, what="the worker's first pulse")
        return pid

    def settle(self, *, timeout: float) -> dict:
        """Wait until nothing is owed any more: no record waiting for its notice, no report unfinished."""

        def settled():
            state = self.check()
            unfinished = {status for status in state["jobs"] if status in ("queued", "running")}
            return state if state["waiting"] == 0 and not unfinished and state["delivered"] >= state["owed"] else None

        return _wait_for(settled, timeout=timeout, every=5, what="the worker to deliver what is owed")

    def interrupt(self, timeout: float = 90) -> float:
        """Ctrl-C as a terminal sends it (SIGINT to the whole foreground group); how long the stack took to stop."""
        started = time.monotonic()
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout)
        return time.monotonic() - started

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.interrupt(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        worker = self.worker_pid()
        if worker and _alive(worker):
            os.killpg(worker, signal.SIGKILL)
        self.log.close()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


def _interrupted(signum, frame):
    raise KeyboardInterrupt


@pytest.fixture
def stack(tmp_path):
    started = Stack(tmp_path)
    # scripts/test.sh stops a soak running beside the suite with SIGTERM (a background job ignores
    # SIGINT): pytest then tears down as on Ctrl-C, and the stack's own session stops with it.
    previous = signal.signal(signal.SIGTERM, _interrupted)
    try:
        yield started
    finally:
        started.stop()
        signal.signal(signal.SIGTERM, previous)


def test_the_embedded_stack_under_load_keeps_its_worker_and_delivers_every_notice_once(stack):
    seconds = float(os.environ.get("SOAK_SECONDS", "600"))
    worker = stack.wait_until_up()
    drivers = [stack.driver("submit", str(seconds), "zhangwei"), stack.driver("submit", str(seconds), "liuyang"), stack.driver("report", str(seconds), "zhaolei")]
    web_polls = web_failures = 0
    while any(driver.poll() is None for driver in drivers):
        web_polls += 1
        web_failures += not stack.web_answers()
        time.sleep(5)
    results = [json.loads(driver.stdout.read().decode().strip().splitlines()[-1]) for driver in drivers]
    assert all(driver.returncode == 0 for driver in drivers), results
    submitted = sum(result.get("submitted", 0) for result in results)
    requested = sum(result.get("requested", 0) for result in results)
    state = stack.settle(timeout=600)
    log = stack.log_text()
    print(
        f"soak {seconds:.0f} s: {submitted} records submitted, {requested} reports asked for; notices owed {state['owed']}, "
        f"delivered {state['delivered']}, repeated {state['repeated']}; reports {state['jobs']}; "
        f"worker restarts {log.count('starting again')}; web polls {web_polls}, failed {web_failures}"
    )
    assert stack.worker_pid() == worker and _alive(worker), "the worker was restarted"
    assert "Unrecoverable error" not in log and "starting again" not in log
    assert submitted > 0 and requested > 0
    assert state["submitted"] == submitted
    assert state["owed"] >= submitted and state["delivered"] == state["owed"] and state["repeated"] == 0
    assert state["jobs"] == {"done": requested}
    assert state["pulses"]["worker"] < 60, "the worker stopped answering the beat's pulse"
    # runserver restarts when a Python file of the checkout changes: do not edit code during a soak.
    assert web_polls > 0 and web_failures == 0, f"the web server did not answer {web_failures} of {web_polls} polls"


def test_make_run_starts_a_killed_worker_again_and_stops_on_ctrl_c(stack):
    first = stack.wait_until_up()
    os.kill(first, signal.SIGKILL)
    second = _wait_for(lambda: (pid := stack.worker_pid()) != first and pid and _alive(pid) and pid, timeout=60, what="a new worker")
    submitted = json.loads(stack.driver("submit", "3", "zhangwei").communicate(timeout=120)[0].decode().strip().splitlines()[-1])["submitted"]
    state = stack.settle(timeout=180)
    assert submitted > 0 and state["submitted"] == submitted and state["delivered"] == state["owed"] >= submitted
    assert "exited with status -9" in stack.log_text()
    took = stack.interrupt()
    assert stack.process.returncode is not None and took < 60
    assert not _alive(second), "Ctrl-C left the worker running"
