#!/usr/bin/env bash
# Line and branch coverage of ipt-core (cargo-llvm-cov, nightly for branch coverage) over its
# unit, integration and property tests, with a floor: the run fails when either falls below it.
# The exhaustive course exploration is left out here (it runs in scripts/test-rust.sh; under
# instrumentation it would add minutes and no lines). Installs what it needs, idempotently.
# The report: target/coverage.json (summary); `cargo +nightly llvm-cov -p ipt-core --branch
# --html` gives a browsable one.
set -euo pipefail
cd "$(dirname "$0")/.."
floor_lines=${IPT_COVERAGE_FLOOR_LINES:-91}
floor_branches=${IPT_COVERAGE_FLOOR_BRANCHES:-90}
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
if ! rustup component list --toolchain nightly --installed | grep -q '^llvm-tools'; then
  rustup component add --toolchain nightly llvm-tools-preview
fi
bash scripts/install-tool.sh cargo-llvm-cov 0.8.7 cargo llvm-cov
# samples.rs is not the engine: it generates records for the property tests and the fuzz
# target (doc-hidden, compiled into the crate so the fuzz crate can use it), so it is left out.
echo "--> cargo llvm-cov: ipt-core's tests, instrumented"
cargo +nightly llvm-cov -q -p ipt-core --branch --json --summary-only \
  --ignore-filename-regex 'src/samples\.rs' \
  --output-path target/coverage.json -- --skip every_reachable_state >/dev/null
python3 - "$floor_lines" "$floor_branches" <<'PY'
import json, sys
t = json.load(open("target/coverage.json"))["data"][0]["totals"]
lines, branches = t["lines"], t["branches"]
print(f"ipt-core coverage: lines {lines['percent']:.2f}% ({lines['covered']}/{lines['count']}), "
      f"branches {branches['percent']:.2f}% ({branches['covered']}/{branches['count']}), "
      f"regions {t['regions']['percent']:.2f}%")
floor_lines, floor_branches = float(sys.argv[1]), float(sys.argv[2])
if lines["percent"] < floor_lines or branches["percent"] < floor_branches:
    sys.exit(f"coverage below the floor (lines {floor_lines}%, branches {floor_branches}%)")
PY
