#!/usr/bin/env bash
# Rust: formatting, the workspace's rust-version against the locked dependencies (and a build
# of the libraries and the command with that toolchain), lints, unit/integration/property/
# conformance tests, doc tests (ipt-server's run in scripts/test-server.sh); then
# ipt-core as it would be published: `cargo package`, and the packaged crate's own tests run
# inside it (its README, protocol and terminology documents, schemas, conformance vectors, EHR
# fixtures and kept fuzz inputs travel with it), offline from the dependencies already fetched.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
echo "--> cargo fmt --all --check"
cargo fmt --all --check

# The workspace's rust-version is true: no locked dependency asks for a newer Rust (what cargo
# itself checks first when it builds with that toolchain; the build with it is below).
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -1)
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
rustup toolchain list | grep -q "^$msrv-" || rustup toolchain install "$msrv" --profile minimal
cargo "+$msrv" check -q --locked -p ipt-core -p ipt-ffi -p ipt-cli -p ipt-wasm --target-dir target/msrv

echo "--> cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
echo "--> cargo test --workspace --exclude ipt-server"
# ipt-server's tests run in scripts/test-server.sh, against SQLite and a real PostgreSQL.
cargo test --workspace --exclude ipt-server

echo "--> ipt-core as published: cargo package, then its tests inside the package"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
packaged="target/package/ipt-core-$version"
rm -rf "$packaged"
cargo package -q -p ipt-core --allow-dirty --no-verify
tar -xzf "$packaged.crate" -C target/package
# The package's own Cargo.lock pins what the workspace uses: fetched already, so offline.
# The exhaustive walk of every course state reads no file and has just run in the workspace:
# it is skipped here, where the point is what the package carries.
(cd "$packaged" && cargo fetch -q &&
  cargo test -q --offline --target-dir "$root/target" -- \
    --skip every_reachable_state_of_every_variant_holds_the_invariants)
