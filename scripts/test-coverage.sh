#!/usr/bin/env bash
# ipt-core as it would be published, tested once, with coverage: `cargo package`, then the
# packaged crate's unit, integration, property, conformance and doc tests and its exhaustive
# course walk run inside the package (its README, protocol and terminology documents,
# schemas, conformance vectors, EHR fixtures and kept fuzz inputs travel with it) under
# cargo-llvm-cov, with a floor on line and branch coverage: the run fails when either falls
# below it. They run here and nowhere else: a `cargo test -p ipt-core` in the workspace would
# build every dependency again (ipt-core's dev-dependencies change the features of shared
# ones, syn and serde among them). Installs what it needs, idempotently.
# The report: target/coverage.json (summary); `cargo +nightly llvm-cov -p ipt-core --branch
# --html` in the workspace gives a browsable one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
floor_lines=${IPT_COVERAGE_FLOOR_LINES:-91}
floor_branches=${IPT_COVERAGE_FLOOR_BRANCHES:-90}
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
if ! rustup component list --toolchain nightly --installed | grep -q '^llvm-tools'; then
  rustup component add --toolchain nightly llvm-tools-preview
fi
bash scripts/install-tool.sh cargo-llvm-cov 0.8.7 cargo llvm-cov
# `--install`: install what this part needs, and stop (scripts/test.sh does this first).
[ "${1:-}" = --install ] && exit 0

echo "--> cargo package -p ipt-core"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
packaged="target/package/ipt-core-$version"
rm -rf "$packaged"
cargo package -q -p ipt-core --allow-dirty --no-verify
tar -xzf "$packaged.crate" -C target/package
# A package carries no profile: the workspace's per-package settings (opt-level 1 for ipt-core
# and serde_json) are copied from Cargo.toml into the package's .cargo/config.toml, so the
# tests run at the workspace's speed.
mkdir -p "$packaged/.cargo"
python3 -c '
import tomllib
for name, keys in tomllib.load(open("Cargo.toml", "rb"))["profile"]["dev"]["package"].items():
    print(f"[profile.dev.package.{name}]")
    for key, value in keys.items():
        print(f"{key} = {value!r}")' > "$packaged/.cargo/config.toml"

echo "--> the packaged crate's tests and doc tests under cargo llvm-cov (nightly, branch coverage)"
# The package's own Cargo.lock pins what the workspace uses: fetched already, so offline.
# samples.rs is not the engine: it generates records for the property tests and the fuzz
# target (doc-hidden, compiled into the crate so the fuzz crate can use it), so it is left out.
# The tests' output is kept in target/coverage-tests.log, and shown when one fails.
(cd "$packaged" && cargo fetch -q &&
  CARGO_TARGET_DIR="$root/target" cargo +nightly llvm-cov --offline --branch --doctests \
    --json --summary-only --ignore-filename-regex 'src/samples\.rs' \
    --output-path "$root/target/coverage.json") \
  > target/coverage-tests.log || { tail -150 target/coverage-tests.log; exit 1; }
grep -E "^test result" target/coverage-tests.log
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
