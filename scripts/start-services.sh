#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster, a Redis server and, when Debian's slapd is installed, an
# OpenLDAP server (scripts/slapd.sh) on loopback (for CI and for developers who want the real parts
# locally), and print the environment to use them:
#   eval "$(bash scripts/start-services.sh)"
# Stop them with: bash scripts/start-services.sh stop
set -euo pipefail
PG_PORT=${PG_PORT:-54329}
REDIS_PORT=${REDIS_PORT:-63799}
LDAP_PORT=${LDAP_PORT:-38939}
STATE=${SERVICES_DIR:-/tmp/registry-services}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
runpg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

if [ "${1:-start}" = stop ]; then
  [ -d "$STATE/pgdata" ] && runpg "$PGBIN/pg_ctl -D $STATE/pgdata -m fast -w stop >/dev/null 2>&1" || true
  [ -f "$STATE/redis.pid" ] && kill "$(cat "$STATE/redis.pid")" 2>/dev/null || true
  bash "$(dirname "$0")/slapd.sh" stop "$STATE/slapd"
  sleep 1
  rm -rf "$STATE" 2>/dev/null || true
  exit 0
fi

mkdir -p "$STATE"
if ! runpg "$PGBIN/pg_isready -h 127.0.0.1 -p $PG_PORT -q" 2>/dev/null; then
  rm -rf "$STATE/pgdata"
  mkdir -p "$STATE/pgdata"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$STATE" || true
  runpg "$PGBIN/initdb -D $STATE/pgdata -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null"
  # Durability off: this cluster only ever holds test data.
  runpg "$PGBIN/pg_ctl -D $STATE/pgdata -l $STATE/pgdata/server.log -w -o '-p $PG_PORT -c listen_addresses=127.0.0.1 -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off' start >/dev/null"
  runpg "psql -h 127.0.0.1 -p $PG_PORT -U postgres -qc 'CREATE DATABASE registry' >/dev/null"
fi
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" >/dev/null
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
# The directory of the sign-in tests (cases/tests/test_directory_sign_in.py); they start their own
# slapd when LDAP_TEST_URI is unset, and skip only where slapd is not installed.
if command -v slapd >/dev/null || [ -x /usr/sbin/slapd ]; then
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$LDAP_PORT") 2>/dev/null; then
    rm -rf "$STATE/slapd"
    bash "$(dirname "$0")/slapd.sh" start "$STATE/slapd" "$LDAP_PORT" >/dev/null
  fi
  bash "$(dirname "$0")/slapd.sh" env "$STATE/slapd" "$LDAP_PORT"
else
  echo "start-services: slapd is not installed, no directory server (WITH_SERVICES=1 bash scripts/system-deps.sh)" >&2
fi
echo "export DATABASE_URL=postgres://postgres@127.0.0.1:${PG_PORT}/registry"
echo "export REDIS_URL=redis://127.0.0.1:${REDIS_PORT}/0"
