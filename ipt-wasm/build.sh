#!/usr/bin/env bash
# Builds the npm package into ipt-wasm/pkg/: the wasm module (wasm-release profile), the
# wasm-bindgen glue for Node and for browsers/bundlers (with the reset function the wrapper
# uses after a trap), wasm-opt -O3 (npm binaryen; the wasm-release profile in the root
# Cargo.toml says why speed over size), the JavaScript wrapper with what it reads
# from the engine (versions, operations, the request limit), and the TypeScript types
# generated from the committed JSON Schemas.
# Expects: rustup target wasm32-unknown-unknown, wasm-bindgen-cli 0.2.130, `npm ci` done here.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
# `build.sh test` builds ipt-wasm/pkg-test: the same package with the test-panic feature.
if [ "${1:-}" = test ]; then pkg="$here/pkg-test"; features=(--features test-panic); else pkg="$here/pkg"; features=(); fi
cd "$root"
cargo build -q -p ipt-wasm --target wasm32-unknown-unknown --profile wasm-release "${features[@]}"
wasm="$root/target/wasm32-unknown-unknown/wasm-release/ipt_wasm.wasm"
rm -rf "$pkg"
mkdir -p "$pkg/node" "$pkg/web"
for target in nodejs web; do
  wasm-bindgen --target "$target" --experimental-reset-state-function --out-dir "$pkg/${target%js}" \
    --out-name ipt_wasm "$wasm"
done
for target in node web; do
  f="$pkg/$target/ipt_wasm_bg.wasm"
  "$here/node_modules/.bin/wasm-opt" -O3 --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals "$f" -o "$f.opt"
  mv "$f.opt" "$f"
done
printf '{"type": "commonjs"}\n' > "$pkg/node/package.json"
cp "$here"/js/*.mjs "$here/js/index.d.ts" "$here/js/README.md" "$root/LICENSE" "$pkg/"
# The engine's own account of itself, from the module just built.
engine=$(node -e "process.stdout.write(require('$pkg/node/ipt_wasm.js').call('version', ''))")
node "$here/scripts/types.mjs" "$root/ipt-core/schemas" "$pkg/types.d.ts" "$pkg" "$engine"
# The deliberate panic exists only in the test build.
[ "${1:-}" = test ] || sed -i '/@TEST-ONLY@/d' "$pkg"/*.mjs
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)
sed "s/@VERSION@/$version/" "$here/js/package.json" > "$pkg/package.json"
raw=$(stat -c %s "$pkg/web/ipt_wasm_bg.wasm")
gz=$(gzip -9 -c "$pkg/web/ipt_wasm_bg.wasm" | wc -c)
echo "ipt-engine $version: ipt_wasm_bg.wasm $raw bytes raw, $gz bytes gzipped"
