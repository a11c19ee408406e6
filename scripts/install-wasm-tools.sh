#!/usr/bin/env bash
# What building the wasm package needs, installed idempotently: the wasm32 target,
# wasm-bindgen-cli at the version ipt-wasm pins, and ipt-wasm's npm packages (binaryen's
# wasm-opt among them). Used by scripts/test-wasm.sh and scripts/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
want=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' ipt-wasm/Cargo.toml)
bash scripts/install-tool.sh --unlocked wasm-bindgen-cli "$want" wasm-bindgen
(cd ipt-wasm && npm ci --no-audit --no-fund --loglevel=error)
