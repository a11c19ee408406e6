#!/usr/bin/env bash
# The whole test suite: Rust, the service, C, wasm/JS, CLI. Installs what it needs, idempotently.
# Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for part in rust server coverage c wasm diff fuzz; do
  echo "==> scripts/test-$part.sh"
  bash "scripts/test-$part.sh"
done
echo "==> all test suites passed"
