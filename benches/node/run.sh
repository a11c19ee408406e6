#!/usr/bin/env bash
# The peer benchmark: builds the wasm package if it is not built, installs json-rules-engine and ZEN
# (pinned) and runs benches/node/peer.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f ipt-wasm/pkg/node.mjs ] || bash ipt-wasm/build.sh
# `npm install`, not `npm ci`: see scripts/bench.sh.
npm install --prefix benches/node --no-audit --no-fund --loglevel=error
node benches/node/peer.mjs
