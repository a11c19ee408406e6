#!/usr/bin/env bash
# ipt-server: the HTTP tests on SQLite and on a real PostgreSQL, an independent client suite in
# Python (PyJWT) acting as an EHR, and schemathesis against /openapi.json.
#
# Installs what it lacks (Debian's postgresql, python3-jwt and python3-cryptography; schemathesis
# from PyPI into a virtualenv under target/), starts a PostgreSQL of its own (initdb in a
# temporary directory, a free port on 127.0.0.1) and stops it on exit, whatever happens.
# Usage: bash scripts/test-server.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/target/test-server"
mkdir -p "$work"
started=$(date +%s)
SCHEMATHESIS_VERSION=4.32.5

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

echo "--> what the tests need"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
need=()
[ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] || need+=(postgresql)
/usr/bin/python3 -c 'import jwt, cryptography' 2>/dev/null || need+=(python3-jwt python3-cryptography)
if [ ${#need[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

echo "--> PostgreSQL ($("$pgbin/postgres" --version)) on a private port"
pgdir=$(mktemp -d /tmp/ipt-server-pg.XXXXXX)
pg() {
  # The server refuses to run as root: as root, run it as the postgres user.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pgdir"
stop_pg() {
  pg "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap stop_pg EXIT
pg "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres -E UTF8 >/dev/null
pgport=$(free_port)
pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w start \
  -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=200" >/dev/null
export IPT_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pgport/postgres"

echo "--> cargo test -p ipt-server (SQLite and PostgreSQL)"
cargo test -q -p ipt-server -- --include-ignored

echo "--> the Python client suite (PyJWT), as an EHR would call"
cargo build -q -p ipt-server
IPT_SERVER_BIN="$root/target/debug/ipt-server" IPT_TEST_WORK="$work" \
  /usr/bin/python3 -m unittest discover -s ipt-server/tests/python -p 'test_*.py' -v 2>&1 | tail -n 40

echo "--> schemathesis $SCHEMATHESIS_VERSION against /openapi.json"
venv="$root/target/schemathesis-venv"
if [ ! -x "$venv/bin/schemathesis" ] || [ "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))')" != "$SCHEMATHESIS_VERSION" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION" "pyjwt[crypto]>=2.6"
fi
IPT_SERVER_BIN="$root/target/debug/ipt-server" IPT_TEST_WORK="$work" IPT_TEST_POSTGRES_URL="$IPT_TEST_POSTGRES_URL" \
  "$venv/bin/python" ipt-server/tests/python/schemathesis_run.py

echo "--> scripts/test-server.sh passed in $(( $(date +%s) - started )) s"
