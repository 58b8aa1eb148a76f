#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it (README).
#
# The soak (tests/test_soak.py, marker `soak`) runs the embedded stack for SOAK_SECONDS of wall-clock
# time on a database, broker and folder of its own, so it runs beside the rest of the suite instead
# of after it; the run fails when either fails. It gets no DATABASE_URL/REDIS_URL: its own pytest
# session then needs no test database that the other session could drop or flush.
# Extra arguments go to the rest of the suite.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

soak_log=$(mktemp /tmp/registry-soak.XXXXXX.log)
soak_temp=$(mktemp -d /tmp/registry-soak.XXXXXX)
# Started with job control on, so that it runs in a process group of its own and does not inherit
# the ignored SIGINT of a background job: the soak sends Ctrl-C to `make run` and expects it to stop.
set -m
env -u DATABASE_URL -u REDIS_URL "$VENV/bin/pytest" -m soak -p no:cacheprovider --basetemp "$soak_temp" >"$soak_log" 2>&1 &
soak_pid=$!
set +m
# Ctrl-C or a stopped CI job stops the soak too; its pytest then stops the stack it started.
trap 'kill -TERM -- "-$soak_pid" 2>/dev/null; wait "$soak_pid" 2>/dev/null; exit 130' INT TERM

"$VENV/bin/pytest" -m "not soak" --durations=25 "$@"
rest=$?

echo "== tests/test_soak.py, run beside the rest (log: $soak_log) =="
wait "$soak_pid"
soak=$?
cat "$soak_log"
echo "== make test: the suite exited with $rest, the soak with $soak =="
if [ "$rest" -ne 0 ]; then exit "$rest"; fi
exit "$soak"
