#!/usr/bin/env bash
# Rust: formatting, lints, unit/integration/property/conformance tests, doc tests.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
