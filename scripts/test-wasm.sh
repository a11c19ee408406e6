#!/usr/bin/env bash
# The wasm package: installs what it needs (idempotently), builds ipt-wasm/pkg (and pkg-test,
# the same with a deliberate panic), runs the Node tests (every conformance vector, errors,
# Course, the README example, the boundary: arguments, lone surrogates, the byte limit, traps
# with live courses), type-checks a TypeScript usage file with tsc --strict, drives the
# demo page and the browser build's boundary in headless Chromium, and installs the packed
# tarball into a fresh project to use it from ESM and CommonJS (this Node and Node 18), from
# TypeScript, and through Vite and esbuild bundles in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-wasm-tools.sh
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
# `--install`: install what this part needs, and stop (scripts/test.sh does this first).
[ "${1:-}" = --install ] && exit 0

echo "--> build the npm package"
bash ipt-wasm/build.sh
bash ipt-wasm/build.sh test
echo "--> node tests"
node --test ipt-wasm/tests/
echo "--> tsc --noEmit --strict on a usage file"
ipt-wasm/node_modules/.bin/tsc -p ipt-wasm/tests/tsconfig.json
echo "tsc: ok"
echo "--> browser test (headless chromium)"
node ipt-wasm/browser-test.mjs
echo "--> the npm tarball in a fresh project: ESM, CommonJS, Node 18, tsc, Vite and esbuild in Chromium"
node ipt-wasm/consumer/run.mjs
