#!/usr/bin/env bash
# The whole test suite: Rust, the service, coverage, C, wasm/JS, the differential test and
# fuzzing. Installs what it needs, idempotently. Prints how long each part took (and the
# machine's load), so that the README's timings can be checked on any machine.
# Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
started=$(date +%s)
times=()
for part in rust server coverage c wasm diff fuzz; do
  echo "==> scripts/test-$part.sh (load $(load))"
  t=$(date +%s)
  # Each part's output is timed step by step (scripts/step-times.py); pipefail keeps its status.
  bash "scripts/test-$part.sh" 2>&1 | python3 -u scripts/step-times.py "$part"
  times+=("$part $(( $(date +%s) - t ))")
done
echo "==> all test suites passed in $(( $(date +%s) - started )) s (load $(load)); by part, in seconds:"
printf '    %-9s %5s\n' $(printf '%s\n' "${times[@]}")
