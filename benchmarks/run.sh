#!/usr/bin/env bash
# `make bench`: the issue-10 benchmarks at national scale, on a throw-away PostgreSQL cluster of their
# own (port 54340, tuned for a bulk load; never the cluster the tests use), with 2,000,000 records in
# registry_bench and 200,000 in registry_bench_small (the annual report's scaling comparison).
# Data is generated once and reused. Not part of `make test` or CI.
#   BENCH_RECORDS=2000000 BENCH_SMALL_RECORDS=200000 BENCH_ARGS="--runs 15" make bench
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
RECORDS=${BENCH_RECORDS:-2000000}
SMALL=${BENCH_SMALL_RECORDS:-200000}
TODAY=${BENCH_TODAY:-$(date +%F)}
export PG_PORT=${BENCH_PG_PORT:-54340} REDIS_PORT=${BENCH_REDIS_PORT:-63810} SERVICES_DIR=${BENCH_SERVICES_DIR:-/tmp/bench-services}
command -v wrk >/dev/null || { SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo; $SUDO apt-get install -y -qq wrk >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null; }; }
eval "$(bash scripts/start-services.sh)"
psql_() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atq "$@"; }
if [ "$(psql_ -c 'SHOW shared_buffers')" = "128MB" ]; then
  # A bulk load and 2M-row aggregates want more than the defaults; only this throw-away cluster is changed.
  psql_ -c "ALTER SYSTEM SET shared_buffers='3GB'" -c "ALTER SYSTEM SET work_mem='64MB'" -c "ALTER SYSTEM SET maintenance_work_mem='1GB'" \
        -c "ALTER SYSTEM SET max_wal_size='8GB'" -c "ALTER SYSTEM SET effective_cache_size='12GB'" -c "ALTER SYSTEM SET random_page_cost=1.1"
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  runpg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
  runpg "$PGBIN/pg_ctl -D $SERVICES_DIR/pgdata -w -m fast restart -l $SERVICES_DIR/pgdata/server.log -o '-p $PG_PORT -c listen_addresses=127.0.0.1 -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off'" >/dev/null
fi
for spec in "registry_bench:$RECORDS" "registry_bench_small:$SMALL"; do
  db=${spec%%:*}; n=${spec##*:}
  [ -n "$(psql_ -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ] || psql_ -c "CREATE DATABASE $db"
  url="postgres://postgres@127.0.0.1:$PG_PORT/$db"
  DATABASE_URL=$url $PY manage.py migrate -v0
  have=$(psql_ -d "$db" -c "SELECT count(*) FROM records_interferencerecord")
  if [ "$have" -lt "$n" ]; then
    DATABASE_URL=$url /usr/bin/time -f "generate_load $db: %e s, peak RSS %M KB" $PY manage.py generate_load --records $((n - have)) --today "$TODAY"
    psql_ -d "$db" -c "VACUUM ANALYZE"
  fi
done
# BENCH_DATA_ONLY=1: fill the databases and stop (e.g. to measure by hand, or before a long run).
[ -z "${BENCH_DATA_ONLY:-}" ] || exit 0
DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/registry_bench" \
  $PY benchmarks/bench.py --small-url "postgres://postgres@127.0.0.1:$PG_PORT/registry_bench_small" --write ${BENCH_ARGS:-}
