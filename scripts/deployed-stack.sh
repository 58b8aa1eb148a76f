#!/usr/bin/env bash
# The production deployment of deploy/, run without systemd (CI runs in a container): nginx with TLS
# (a self-signed certificate made here), two gunicorn web nodes, two Celery workers and one beat,
# against the PostgreSQL and Redis of DATABASE_URL and REDIS_URL (scripts/start-services.sh).
#
#   bash scripts/deployed-stack.sh start DIR     # migrate, collectstatic, start everything; prints the URL
#   bash scripts/deployed-stack.sh stop DIR      # stop everything started in DIR
#   bash scripts/deployed-stack.sh exec DIR UNIT [INSTANCE]   # one unit's command in the foreground
#   bash scripts/deployed-stack.sh manage DIR COMMAND [ARGS]  # manage.py with the stack's settings
#
# Nothing is written here twice: each process runs the ExecStart= (and Environment=) of its unit in
# deploy/systemd/, and nginx runs deploy/nginx/registry.conf, with the production paths and ports
# replaced by DIR's and the ports below (render_paths). The units' EnvironmentFile is DIR/registry.env.
#
# Optional: STACK_HTTPS_PORT (8443), STACK_HTTP_PORT (8080), STACK_WEB_PORTS ("18001 18002"),
# STACK_WORKERS ("1 2"), CACHE_URL (REDIS_URL), GUNICORN_WORKERS (2 per node). Any other setting in the
# caller's environment (e.g. REMINDER_SWEEP_SECONDS) reaches every process.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
UNITS="$ROOT/deploy/systemd"
die() { echo "deployed-stack: $*" >&2; exit 1; }

command=${1:-}
[ -n "${2:-}" ] || die "usage: $0 start|stop|exec|manage DIR [UNIT [INSTANCE] | COMMAND ARGS]"
mkdir -p "$2"
DIR=$(cd "$2" && pwd)
HTTPS_PORT=${STACK_HTTPS_PORT:-8443}
HTTP_PORT=${STACK_HTTP_PORT:-8080}
WEB_PORTS=${STACK_WEB_PORTS:-18001 18002}
WORKERS=${STACK_WORKERS:-1 2}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# The production paths of deploy/ and what they are in DIR; everything rendered must name none of them.
render_paths() {
  sed -e "s|/opt/registry/staticfiles|$DIR/static|g" \
      -e "s|/opt/registry|$ROOT|g" \
      -e "s|/var/lib/registry/private|$DIR/private|g" \
      -e "s|/var/cache/registry|$DIR/cache|g" \
      -e "s|/etc/registry/tls/registry.crt|$DIR/tls/cert.pem|g" \
      -e "s|/etc/registry/tls/registry.key|$DIR/tls/key.pem|g"
}
check_rendered() {  # file
  if grep -nE '/opt/registry|/var/lib/registry|/var/cache/registry|/etc/registry' "$1"; then
    die "$1 still names a production path: teach render_paths about it"
  fi
}

# A unit's ExecStart with the instance (%i) and %% substituted; ${VARS} are expanded by bash at exec,
# as systemd expands them from the environment.
unit_command() {  # unit-file instance
  local file="$UNITS/$1" line
  [ -f "$file" ] || die "no unit $file"
  line=$(sed -n 's/^ExecStart=//p' "$file")
  [ "$(printf '%s\n' "$line" | grep -c .)" = 1 ] || die "$1 must have exactly one ExecStart= line"
  line=${line//%i/$2}
  line=${line//%%/%}
  printf '%s\n' "$line" | render_paths
}
unit_environment() {  # unit-file: its Environment= lines as exports
  sed -n 's/^Environment=//p' "$UNITS/$1" | render_paths | sed 's/^/export /'
}

load_env() {
  [ -f "$DIR/registry.env" ] || die "$DIR/registry.env is missing: start the stack first"
  set -a
  # shellcheck disable=SC1091
  . "$DIR/registry.env"
  set +a
}

# Run one unit's command as systemd would: its working directory, environment file and Environment=.
run_unit() {  # unit-file instance
  local cmd
  cmd=$(unit_command "$1" "$2")
  cd "$ROOT"
  load_env
  eval "$(unit_environment "$1")"
  exec bash -c "exec $cmd"
}

start_unit() {  # name unit-file instance
  local name=$1
  if [ -f "$DIR/pids/$name.pid" ] && kill -0 "$(cat "$DIR/pids/$name.pid")" 2>/dev/null; then return 0; fi
  # A session of its own (setsid): stop ends its whole process group.
  setsid bash "$ROOT/scripts/deployed-stack.sh" exec "$DIR" "$2" "$3" >"$DIR/logs/$name.log" 2>&1 < /dev/null &
  echo $! >"$DIR/pids/$name.pid"
}

wait_port() {  # name port
  for _ in $(seq 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    kill -0 "$(cat "$DIR/pids/$1.pid")" 2>/dev/null || { tail -n 40 "$DIR/logs/$1.log" >&2; die "$1 exited"; }
    sleep 0.5
  done
  tail -n 40 "$DIR/logs/$1.log" >&2
  die "$1 does not listen on port $2 after 60 s"
}

# TERM to every process at once (gunicorn and Celery finish what is in hand), then KILL what is left
# of each session after 20 s (pool processes of a worker that did not stop).
stop_all() {
  local pidfile pids=()
  for pidfile in "$DIR"/pids/*.pid; do
    [ -e "$pidfile" ] || continue
    pids+=("$(cat "$pidfile")")
    kill -TERM "${pids[-1]}" 2>/dev/null || true
  done
  for _ in $(seq 100); do
    local alive=0 pid
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  rm -f "$DIR"/pids/*.pid
}

nginx_conf() {
  local user=""
  # As root (a CI container), nginx's workers would otherwise run as nobody, who cannot read DIR.
  [ "$(id -u)" -eq 0 ] && user="user root;"
  mkdir -p "$DIR/nginx/temp"
  render_paths <"$ROOT/deploy/nginx/registry.conf" | sed -E \
      -e "s|^(\s*)listen 80;|\1listen 127.0.0.1:$HTTP_PORT;|" \
      -e "s|^(\s*)listen 443 ssl|\1listen 127.0.0.1:$HTTPS_PORT ssl|" \
      -e '/listen \[::\]/d' \
      -e '/^\s*server 127\.0\.0\.1:[0-9]+/d' \
    | awk -v ports="$WEB_PORTS" '{ print } /^upstream registry_web \{/ { n = split(ports, p, " "); for (i = 1; i <= n; i++) printf "    server 127.0.0.1:%s max_fails=3 fail_timeout=10s;\n", p[i] }' \
    >"$DIR/nginx/registry.conf"
  check_rendered "$DIR/nginx/registry.conf"
  grep -q "listen 127.0.0.1:$HTTPS_PORT ssl" "$DIR/nginx/registry.conf" || die "deploy/nginx/registry.conf: no 'listen 443 ssl' line to render"
  cat >"$DIR/nginx/nginx.conf" <<EOF
# The stack's main nginx.conf (Debian's /etc/nginx/nginx.conf plays this part in production).
$user
worker_processes 2;
pid $DIR/nginx/nginx.pid;
error_log $DIR/logs/nginx-error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log $DIR/logs/nginx-access.log;
    client_body_temp_path $DIR/nginx/temp/body;
    proxy_temp_path $DIR/nginx/temp/proxy;
    fastcgi_temp_path $DIR/nginx/temp/fastcgi;
    uwsgi_temp_path $DIR/nginx/temp/uwsgi;
    scgi_temp_path $DIR/nginx/temp/scgi;
    include $DIR/nginx/registry.conf;
}
EOF
}

case "$command" in
  exec)
    run_unit "${3:?unit}" "${4:-}"
    ;;
  manage)
    shift 2
    cd "$ROOT"
    load_env
    exec .venv/bin/python manage.py "$@"
    ;;
  stop)
    [ -f "$DIR/nginx/nginx.pid" ] && { kill -QUIT "$(cat "$DIR/nginx/nginx.pid")" 2>/dev/null || true; }
    stop_all
    for _ in $(seq 50); do [ -f "$DIR/nginx/nginx.pid" ] || break; sleep 0.1; done
    echo "deployed-stack: stopped"
    ;;
  start)
    : "${DATABASE_URL:?DATABASE_URL (PostgreSQL) must be set: eval \"\$(bash scripts/start-services.sh)\"}"
    : "${REDIS_URL:?REDIS_URL must be set: eval \"\$(bash scripts/start-services.sh)\"}"
    [ -x "$NGINX" ] || die "nginx is not installed (WITH_SERVICES=1 bash scripts/system-deps.sh)"
    command -v openssl >/dev/null || die "openssl is not installed (WITH_SERVICES=1 bash scripts/system-deps.sh)"
    mkdir -p "$DIR"/{logs,pids,private,static,state,cache,tls,nginx,keys}
    # The SM2 document signing key production requires (cases.signing), outside the database.
    [ -f "$DIR/keys/sm2-signing.key" ] || (cd "$ROOT" && .venv/bin/python manage.py document_signing_key --create "$DIR/keys/sm2-signing.key" >/dev/null)
    # The units' EnvironmentFile (deploy/registry.env.example), with this stack's values.
    cat >"$DIR/registry.env" <<EOF
DJANGO_SETTINGS_MODULE=interference_registry.settings_production
SECRET_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')
AUDIT_SEAL_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')
ALLOWED_HOSTS=127.0.0.1,localhost
DATABASE_URL=$DATABASE_URL
REDIS_URL=$REDIS_URL
CACHE_URL=${CACHE_URL:-$REDIS_URL}
PRIVATE_STORAGE_ROOT=$DIR/private
FIELD_ENCRYPTION_KEY_FILE=$DIR/keys/field-encryption.json
SENDFILE_BACKEND=django_sendfile.backends.nginx
STATIC_ROOT=$DIR/static
TRUSTED_PROXY_COUNT=1
LOG_FORMAT=json
GUNICORN_WORKERS=${GUNICORN_WORKERS:-2}
STATE_DIRECTORY=$DIR/state
DOCUMENT_SIGNING_KEY_FILE=$DIR/keys/sm2-signing.key
EOF
    chmod 600 "$DIR/registry.env"
    openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" 2>"$DIR/logs/openssl.log"
    (cd "$ROOT" && load_env && { [ -f "$DIR/keys/field-encryption.json" ] || .venv/bin/python manage.py encryption_rotate --create-key-file >/dev/null; } && .venv/bin/python manage.py migrate --no-input -v0 && .venv/bin/python manage.py collectstatic --no-input -v0)
    for port in $WEB_PORTS; do start_unit "web-$port" registry-web@.service "$port"; done
    for n in $WORKERS; do start_unit "worker-$n" registry-worker@.service "$n"; done
    start_unit beat registry-beat.service ""
    for port in $WEB_PORTS; do wait_port "web-$port" "$port"; done
    nginx_conf
    "$NGINX" -t -q -e "$DIR/logs/nginx-error.log" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf"
    "$NGINX" -e "$DIR/logs/nginx-error.log" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf"
    for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$HTTPS_PORT") 2>/dev/null && break; sleep 0.1; done
    echo "export STACK_URL=https://127.0.0.1:$HTTPS_PORT"
    echo "export STACK_CA=$DIR/tls/cert.pem"
    ;;
  *)
    die "usage: $0 start|stop|exec|manage DIR [UNIT [INSTANCE] | COMMAND ARGS]"
    ;;
esac
