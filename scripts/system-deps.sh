#!/usr/bin/env bash
# Install the Debian packages the project needs, only those missing. Needs root (or sudo) the first
# time; a machine that already has them needs nothing.
set -euo pipefail
packages=(libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk poppler-utils gettext)
# python-ldap (directory sign-in, requirements.txt) is built from source by pip: OpenLDAP's and SASL's headers.
packages+=(build-essential python3-dev libldap2-dev libsasl2-dev)
# pg_dump/pg_restore for `manage.py backup` and `restore` on a machine that reaches PostgreSQL elsewhere.
packages+=(postgresql-client)
# CI's services: PostgreSQL, Redis, and OpenLDAP's server and tools (the directory sign-in tests).
if [ "${WITH_SERVICES:-0}" = 1 ]; then packages+=(postgresql redis-server slapd ldap-utils); fi
# The deployed-stack drill (tests/deployed, scripts/deployed-stack.sh): nginx, and openssl for its certificate.
if [ "${WITH_SERVICES:-0}" = 1 ]; then packages+=(nginx openssl); fi
# The browser tests (make test, make screenshots): Debian's Chromium, and Node.js/npm for axe-core.
if [ "${WITH_BROWSER:-0}" = 1 ]; then
  packages+=(chromium)
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
