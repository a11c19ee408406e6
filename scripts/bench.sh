#!/usr/bin/env bash
# One command for every speed and size figure, printed as one table (Markdown) and written to
# target/bench/table.md with the raw figures in target/bench/*.json:
#   - the criterion benches (typed and JSON suitability, problem areas, the course, the EHR
#     readers on the worst record shapes);
#   - the C boundary against the Rust JSON path, in one process (ipt-ffi example);
#   - the wasm package in Node against json-rules-engine on the same rules (benches/node);
#   - `ipt batch` on a generated caseload (default 1,000,000 lines) at both detail levels;
#   - the sizes of the wasm module, the C libraries and the command.
# Takes several minutes; not part of the test command. The machine and its load are stated.
# Knobs: BENCH_LINES (caseload size), BENCH_QUICK=1 (shorter criterion runs).
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench
mkdir -p "$out"
lines=${BENCH_LINES:-1000000}
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "==> machine" >&2
python3 - "$out/machine.json" "$(load)" <<'PY'
import json, os, platform, sys
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor())
json.dump({"cpu": cpu, "cores": os.cpu_count(), "os": platform.platform(), "load_before": sys.argv[2]}, open(sys.argv[1], 'w'))
PY

echo "==> criterion benches" >&2
crit=()
[ "${BENCH_QUICK:-}" = 1 ] && crit=(--warm-up-time 1 --measurement-time 3)
cargo bench -q -p ipt-benches --bench suitability --bench areas --bench course --bench ehr -- "${crit[@]}" >&2

echo "==> the C boundary against the Rust JSON path" >&2
cargo run -q --release -p ipt-ffi --example ffi_overhead > "$out/ffi.ndjson"

echo "==> Node: the wasm package against json-rules-engine" >&2
bash scripts/install-wasm-tools.sh >&2
bash ipt-wasm/build.sh >&2
# `npm install`, not `npm ci`: ZEN's optional packages for other platforms (darwin, win32, arm64,
# wasi) are not in the registry this lock was made from, so the lock cannot list them and
# `npm ci` refuses it; `npm install` installs from the same lock and leaves it unchanged (checked).
npm install --prefix benches/node --no-audit --no-fund --loglevel=error >&2
git diff --quiet -- benches/node/package-lock.json || { echo "bench.sh: npm changed benches/node/package-lock.json" >&2; exit 1; }
BENCH_JSON="$out/node.json" node benches/node/peer.mjs >&2

echo "==> ipt batch on $lines generated lines" >&2
cargo build -q --release -p ipt-cli
python3 benches/batch/caseload.py "$lines" > "$out/caseload.ndjson"
for mode in compact decision explained; do
  if [ "$mode" = compact ]; then args=(--compact); else args=(--detail "$mode"); fi
  for run in 1 2 3; do
    /usr/bin/time -f '{"seconds": %e, "max_rss_kb": %M, "user": %U, "sys": %S}' -o "$out/batch-$mode-$run.json" \
      target/release/ipt batch "${args[@]}" "$out/caseload.ndjson" > /dev/null 2> "$out/batch-$mode-$run.log"
  done
done
rm -f "$out/caseload.ndjson"

echo "==> sizes" >&2
# The C libraries as shipped (the test suite builds them with another profile).
cargo build -q --release -p ipt-ffi
python3 benches/table.py "$out" "$lines" "$(load)"
