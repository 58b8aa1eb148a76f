#!/usr/bin/env bash
# Start the product: migrate, seed the demo, then web + Celery worker with beat. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DEBUG="${DEBUG:-1}"
# The embedded broker's folders exist before anything rings the doorbell.
mkdir -p .celery-broker/queue .celery-broker/processed
$PY manage.py migrate --no-input -v0
$PY manage.py seed_demo
# Worker and beat in one process (-B): enough for one machine; production runs them separately.
.venv/bin/celery -A interference_registry worker -B --loglevel=INFO --concurrency=2 \
  --schedule=.celery-broker/celerybeat-schedule &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
$PY manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
