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
target="${CARGO_TARGET_DIR:-$root/target}"
work="$target/test-server"
mkdir -p "$work"
started=$(date +%s)
SCHEMATHESIS_VERSION=4.32.5

. scripts/postgres-lib.sh

echo "--> what the tests need"
if ! /usr/bin/python3 -c 'import jwt, cryptography' 2>/dev/null; then
  pg_as_root apt-get update -qq
  pg_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-jwt python3-cryptography >/dev/null
fi
pg_install
# Kept by version outside the clone, so a new clone on the same machine does not install again.
venv="${XDG_CACHE_HOME:-$HOME/.cache}/ipt/schemathesis-$SCHEMATHESIS_VERSION"
if [ ! -x "$venv/bin/schemathesis" ] || [ "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))')" != "$SCHEMATHESIS_VERSION" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv" 2>/dev/null || {
    pg_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  }
  "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION" "pyjwt[crypto]>=2.6"
fi
# `--install`: install what this part needs, and stop (scripts/test.sh does this first).
[ "${1:-}" = --install ] && exit 0
echo "--> PostgreSQL on a private port"
# A cluster for the tests alone, thrown away after: it need not survive a crash of its own
# machine, so it does not wait for the disk (the tests kill ipt-server, never PostgreSQL).
PG_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" pg_start

echo "--> cargo test -p ipt-server (SQLite and PostgreSQL)"
cargo test -q -p ipt-server -- --include-ignored

echo "--> the Python client suite (PyJWT), as an EHR would call"
cargo build -q -p ipt-server
IPT_SERVER_BIN="$target/debug/ipt-server" IPT_TEST_WORK="$work" \
  /usr/bin/python3 -m unittest discover -s ipt-server/tests/python -p 'test_*.py' -v 2>&1 | tail -n 40

echo "--> schemathesis $SCHEMATHESIS_VERSION against /openapi.json"
IPT_SERVER_BIN="$target/debug/ipt-server" IPT_TEST_WORK="$work" IPT_TEST_POSTGRES_URL="$IPT_TEST_POSTGRES_URL" \
  "$venv/bin/python" ipt-server/tests/python/schemathesis_run.py

echo "--> scripts/test-server.sh passed in $(( $(date +%s) - started )) s"
