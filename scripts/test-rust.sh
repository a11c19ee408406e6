#!/usr/bin/env bash
# Rust: formatting, the workspace's rust-version against the locked dependencies (and a build
# of the libraries and the command with that toolchain), lints, the tests of ipt-cli, ipt-ffi,
# ipt-wasm and the benches. ipt-core's tests run in scripts/test-coverage.sh (in the crate as
# published), ipt-server's in scripts/test-server.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -1)
rustup toolchain list | grep -q "^$msrv-" || rustup toolchain install "$msrv" --profile minimal
# `--install`: install what this part needs, and stop (scripts/test.sh does this first).
[ "${1:-}" = --install ] && exit 0

echo "--> cargo fmt --all --check"
cargo fmt --all --check

# The workspace's rust-version is true: no locked dependency asks for a newer Rust (what cargo
# itself checks first when it builds with that toolchain; the build with it is below).
echo "--> rust-version $msrv: every locked dependency builds with it"
cargo metadata -q --format-version 1 --locked | python3 -c '
import json, sys
version = lambda v: (tuple(int(x) for x in v.split(".")) + (0, 0))[:3]  # 1.89 is 1.89.0
newer = ["%s %s needs %s" % (p["name"], p["version"], p["rust_version"])
         for p in json.load(sys.stdin)["packages"]
         if p.get("rust_version") and version(p["rust_version"]) > version(sys.argv[1])]
sys.exit("newer than rust-version %s: %s" % (sys.argv[1], "; ".join(newer)) if newer else 0)
' "$msrv"
# And the code builds with it: the libraries and the command (ipt-server's larger tree of
# dependencies is held by the check above; `cargo +1.89 check --workspace --all-targets` passed
# when the version was set).
echo "--> the libraries and the command built with Rust $msrv"
cargo "+$msrv" check -q --locked -p ipt-core -p ipt-ffi -p ipt-cli -p ipt-wasm --target-dir target/msrv

echo "--> cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
echo "--> cargo test --workspace --exclude ipt-server --exclude ipt-core"
# ipt-server's tests run in scripts/test-server.sh, against SQLite and a real PostgreSQL;
# every test of ipt-core (unit, integration, property, doc, the exhaustive course walk) in
# scripts/test-coverage.sh, once, in the crate as published and instrumented for coverage.
cargo test --workspace --exclude ipt-server --exclude ipt-core
