#!/usr/bin/env bash
# Issue 21: a generated province (generate_load: 2,954 units, 8,018 accounts, 9,073 people, 50,640 cases) exported to
# .xlsx and imported into an empty database, then imported again (nothing changes); target < 2 min.
#   DATABASE_HOST_URL=postgres://postgres@127.0.0.1:54329 bash benchmarks/import_org.sh
# Uses two throw-away databases on that server: import_bench_source and import_bench_target.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${DATABASE_HOST_URL:-postgres://postgres@127.0.0.1:54329}
hostport=${HOST#postgres://postgres@}
psql_() { psql -h "${hostport%%:*}" -p "${hostport##*:}" -U postgres -Atq "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for db in import_bench_source import_bench_target; do
  psql_ -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  DATABASE_URL="$HOST/$db" $PY manage.py migrate -v0
done
export REDIS_URL=""
DATABASE_URL="$HOST/import_bench_source" $PY manage.py generate_load --records 1000 --today "$(date +%F)" >/dev/null
timed() { local label=$1; shift; local start end; start=$(date +%s.%N); "$@" > "$work/out.txt" 2>&1 || echo "(failed)"; end=$(date +%s.%N); printf '%s: %.1f s\n' "$label" "$(echo "$end - $start" | bc)"; }
timed "export (4 × .xlsx)" env DATABASE_URL="$HOST/import_bench_source" $PY manage.py import_org --export "$work/files"
ls -la "$work/files" | awk 'NR>1 {print "  " $NF ": " $5 " bytes"}'
# The accounts the cases' officers and the people's links name exist in a real bureau before its
# cases are imported (accounts come from its directory): copied here, as the directory would provide.
psql_ -d import_bench_source -c "COPY (SELECT id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined FROM auth_user) TO STDOUT" \
  | psql_ -d import_bench_target -c "COPY auth_user (id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) FROM STDIN"
args=(--units "$work/files/units.xlsx" --people "$work/files/people.xlsx" --cases "$work/files/cases.xlsx")
timed "import into an empty database" env DATABASE_URL="$HOST/import_bench_target" $PY manage.py import_org "${args[@]}"
cat "$work/out.txt"
timed "import the same files again" env DATABASE_URL="$HOST/import_bench_target" $PY manage.py import_org "${args[@]}"
cat "$work/out.txt"
[ -n "${KEEP:-}" ] || psql_ -c "DROP DATABASE import_bench_source" -c "DROP DATABASE import_bench_target"
[ -z "${KEEP:-}" ] || cp -r "$work/files" /tmp/import-bench-files
