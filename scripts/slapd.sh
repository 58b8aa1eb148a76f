#!/usr/bin/env bash
# A throw-away OpenLDAP server (Debian's slapd) on loopback, for the directory sign-in tests and for
# trying directory sign-in locally. Its own configuration, data and port: nothing of the system's
# /etc/ldap/slapd.d (which Debian's package may have set up and started on port 389) is used.
#   bash scripts/slapd.sh start DIR [PORT]   starts it and prints the environment to reach it (LDAP_TEST_*)
#   bash scripts/slapd.sh env DIR [PORT]     prints that environment only
#   bash scripts/slapd.sh stop DIR
# The suffix dc=registry,dc=test holds only its own entry; tests add what they need as the root DN.
set -euo pipefail
action=${1:?usage: slapd.sh start|env|stop DIR [PORT]}
dir=${2:?usage: slapd.sh start|env|stop DIR [PORT]}
port=${3:-38939}
SUFFIX=dc=registry,dc=test
ROOT_DN="cn=admin,$SUFFIX"
ROOT_PW=registry-ldap-test

print_env() {
  echo "export LDAP_TEST_URI=ldap://127.0.0.1:${port}"
  echo "export LDAP_TEST_BIND_DN=${ROOT_DN}"
  echo "export LDAP_TEST_BIND_PASSWORD=${ROOT_PW}"
  echo "export LDAP_TEST_SUFFIX=${SUFFIX}"
}
case "$action" in
  stop) [ -f "$dir/slapd.pid" ] && kill "$(cat "$dir/slapd.pid")" 2>/dev/null || true; exit 0 ;;
  env) print_env; exit 0 ;;
  start) ;;
  *) echo "usage: slapd.sh start|env|stop DIR [PORT]" >&2; exit 2 ;;
esac

SLAPD=$(command -v slapd || echo /usr/sbin/slapd)
SLAPADD=$(command -v slapadd || echo /usr/sbin/slapadd)
[ -x "$SLAPD" ] || { echo "slapd is not installed (Debian package slapd)" >&2; exit 3; }
mkdir -p "$dir/data"
cat >"$dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $dir/slapd.pid
argsfile $dir/slapd.args
database mdb
maxsize 104857600
suffix "$SUFFIX"
rootdn "$ROOT_DN"
rootpw $ROOT_PW
directory $dir/data
index objectClass eq
index uid eq
index member eq
CONF
if [ ! -f "$dir/data/data.mdb" ]; then
  printf 'dn: %s\nobjectClass: dcObject\nobjectClass: organization\no: registry\ndc: registry\n' "$SUFFIX" |
    "$SLAPADD" -q -f "$dir/slapd.conf"
fi
"$SLAPD" -f "$dir/slapd.conf" -h "ldap://127.0.0.1:$port/"
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "slapd did not start on port $port" >&2; exit 1; }
print_env
