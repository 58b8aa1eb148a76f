#!/usr/bin/env bash
# Start the product: migrate, seed the demo, then web + Celery worker with beat. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON_BIN:-.venv/bin/python}"  # tests/test_soak.py runs this script with its own interpreter
export DEBUG="${DEBUG:-1}"
BROKER_DIR="${CELERY_BROKER_DIR:-.celery-broker}"
# The embedded broker's folders exist before anything rings the doorbell.
mkdir -p "$BROKER_DIR/queue" "$BROKER_DIR/processed" "$BROKER_DIR/control"
"$PY" manage.py migrate --no-input -v0
"$PY" manage.py seed_demo
# Worker and beat in one process (-B): enough for one machine; production runs them separately.
# No mingle, gossip or event heartbeats: on the filesystem broker they only add writers to the shared
# folder (issue 19), and the database pulse (cases.worker) says whether the worker answers.
# scripts/supervise.py starts the worker again whenever it exits.
"$PY" scripts/supervise.py --name worker --pidfile "$BROKER_DIR/worker.pid" -- \
  "$(dirname "$PY")/celery" -A interference_registry worker -B --loglevel=INFO --concurrency=2 \
  --without-mingle --without-gossip --without-heartbeat \
  --schedule="$BROKER_DIR/celerybeat-schedule" &
supervisor=$!
trap 'kill $supervisor 2>/dev/null; wait $supervisor 2>/dev/null' EXIT INT TERM
"$PY" manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
