"""Keep a command running: start it again whenever it exits, until this process is told to stop.

    python scripts/supervise.py --name worker [--pidfile PATH] -- celery -A interference_registry worker -B ...

`make run` (scripts/run.sh) runs the embedded Celery worker + beat under it (issue 19: a worker that
died left reports at 排队中 and notices unsent while the web server went on serving). Standard library
only, so it runs before anything else is installed.

- The command runs in a session of its own; when it exits, whatever it left behind in that session (a
  pool child, the embedded beat) is killed before the next start, so two beats never share one
  schedule file.
- It is started again after a pause: 1 s, doubling while it keeps dying within a minute of its
  start, up to --max-delay.
- SIGINT or SIGTERM is passed on to the command (Celery's warm shutdown), and this process exits once
  the command has; a second signal kills the command at once.
- Each start and exit is logged on stderr, with a running count of restarts.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

STABLE_SECONDS = 60


def log(name: str, message: str) -> None:
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} supervise[{name}]: {message}", file=sys.stderr, flush=True)


def kill_session(pid: int) -> None:
    """Kill what is left of the command's session (its process group)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def supervise(command: list[str], *, name: str, pidfile: Path | None, max_delay: float) -> int:
    stop = threading.Event()
    current: dict[str, subprocess.Popen] = {}

    def on_signal(signum, _frame):
        child = current.get("child")
        if stop.is_set() and child is not None:
            kill_session(child.pid)  # second signal: no more waiting
            return
        stop.set()
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    restarts = failures = 0
    while not stop.is_set():
        started = time.monotonic()
        child = current["child"] = subprocess.Popen(command, start_new_session=True)  # noqa: S603 - our own command line
        if pidfile is not None:
            pidfile.write_text(f"{child.pid}\n")
        log(name, f"started pid {child.pid} (restarts so far: {restarts})")
        status = child.wait()
        kill_session(child.pid)
        if stop.is_set():
            log(name, f"stopped (status {status})")
            break
        ran = time.monotonic() - started
        failures = failures + 1 if ran < STABLE_SECONDS else 1
        delay = min(max_delay, 2 ** (failures - 1))
        restarts += 1
        log(name, f"exited with status {status} after {ran:.0f} s; starting again in {delay:.0f} s (restart {restarts})")
        stop.wait(delay)
    if pidfile is not None:
        pidfile.unlink(missing_ok=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="worker")
    parser.add_argument("--pidfile", type=Path, help="holds the pid of the running command")
    parser.add_argument("--max-delay", type=float, default=30)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    return supervise(command, name=args.name, pidfile=args.pidfile, max_delay=args.max_delay)


if __name__ == "__main__":
    sys.exit(main())
