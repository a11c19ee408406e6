#!/usr/bin/env bash
# The peer benchmark: builds the wasm package if it is not built, installs json-rules-engine
# (pinned) and runs benches/node/peer.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f ipt-wasm/pkg/node.mjs ] || bash ipt-wasm/build.sh
npm ci --prefix benches/node --no-audit --no-fund --loglevel=error
node benches/node/peer.mjs
