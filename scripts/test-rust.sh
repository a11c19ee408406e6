#!/usr/bin/env bash
# Rust: formatting, lints, unit/integration/property/conformance tests, doc tests; then
# ipt-core as it would be published: `cargo package`, and the packaged crate's own tests run
# inside it (its README, protocol and terminology documents, schemas, conformance vectors, EHR
# fixtures and kept fuzz inputs travel with it), offline from the dependencies already fetched.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace

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
