#!/usr/bin/env bash
# Builds the npm package into ipt-wasm/pkg/: the wasm module (wasm-release profile), shipped
# once at the package root; the wasm-bindgen glue that loads it, for Node (CommonJS,
# ipt_wasm.cjs) and for browsers/bundlers (ES module, ipt_wasm.js), with the reset function
# the wrapper uses after a trap; wasm-opt -O3 (npm binaryen; the wasm-release profile in the root
# Cargo.toml says why speed over size), the JavaScript wrapper with what it reads
# from the engine (versions, operations, the request limit), and the TypeScript types
# generated from the committed JSON Schemas, which are also shipped as schemas.json.
# Expects: rustup target wasm32-unknown-unknown, wasm-bindgen-cli 0.2.130, `npm ci` done here.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
# `build.sh test` builds ipt-wasm/pkg-test: the same package with the test-panic feature, built
# for a short build (the wasm-test profile, no wasm-opt); only the trap tests load it.
if [ "${1:-}" = test ]; then
  pkg="$here/pkg-test"; features=(--features test-panic); profile=wasm-test
else
  pkg="$here/pkg"; features=(); profile=wasm-release
fi
cd "$root"
cargo build -q -p ipt-wasm --target wasm32-unknown-unknown --profile "$profile" "${features[@]}"
wasm="$root/target/wasm32-unknown-unknown/$profile/ipt_wasm.wasm"
rm -rf "$pkg"
mkdir -p "$pkg"
glue=$(mktemp -d)
trap 'rm -rf "$glue"' EXIT
for target in nodejs web; do
  wasm-bindgen --target "$target" --experimental-reset-state-function --out-dir "$glue/$target" \
    --out-name ipt_wasm "$wasm"
done
# Both glues load the same module: it is shipped once, beside them, where each looks for it
# (Node: `${__dirname}/ipt_wasm_bg.wasm`; browsers: `new URL("ipt_wasm_bg.wasm", import.meta.url)`).
cmp -s "$glue/nodejs/ipt_wasm_bg.wasm" "$glue/web/ipt_wasm_bg.wasm"
cp "$glue/nodejs/ipt_wasm.js" "$pkg/ipt_wasm.cjs"
cp "$glue/web/ipt_wasm.js" "$pkg/ipt_wasm.js"
cp "$glue/web/ipt_wasm_bg.wasm" "$pkg/ipt_wasm_bg.wasm"
# Their own .d.ts files are not shipped (index.d.ts describes the package): drop the pointer.
sed -i '1{/@ts-self-types/d}' "$pkg/ipt_wasm.cjs" "$pkg/ipt_wasm.js"
if [ "$profile" = wasm-release ]; then
  f="$pkg/ipt_wasm_bg.wasm"
  "$here/node_modules/.bin/wasm-opt" -O3 --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals "$f" -o "$f.opt"
  mv "$f.opt" "$f"
fi
# The JSON Schemas as a file of the package (the module is built without their generator).
node "$here/scripts/schemas.mjs" "$root/ipt-core/schemas" "$pkg/schemas.json"
cp "$here"/js/*.mjs "$here"/js/*.cjs "$here/js/index.d.ts" "$here/js/README.md" "$root/LICENSE" "$pkg/"
# The wrapper for CommonJS: the same file, its `export`s made `module.exports`.
if grep -qE '^(import|export +(default|\{|\*))' "$pkg/wrap.mjs"; then
  echo "build.sh: wrap.mjs may only use 'export class|function|const' (it is also made CommonJS)" >&2
  exit 1
fi
names=$(sed -nE 's/^export +(class|function|const) +([A-Za-z0-9_]+).*/\2/p' "$pkg/wrap.mjs" | paste -sd, - | sed "s/,/, /g")
{ echo "'use strict';"; sed -E 's/^export +//' "$pkg/wrap.mjs"; echo "module.exports = { $names };"; } > "$pkg/wrap.cjs"
# The engine's own account of itself, from the module just built.
engine=$(node -e "process.stdout.write(require('$pkg/ipt_wasm.cjs').call('version', ''))")
node "$here/scripts/types.mjs" "$root/ipt-core/schemas" "$pkg/types.d.ts" "$pkg" "$engine"
# The types once more for `require` (a .d.cts is read as CommonJS, as index.cjs is).
cp "$pkg/index.d.ts" "$pkg/index.d.cts"
# The deliberate panic exists only in the test build.
[ "${1:-}" = test ] || sed -i '/@TEST-ONLY@/d' "$pkg"/*.mjs "$pkg"/*.cjs
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)
sed "s/@VERSION@/$version/" "$here/js/package.json" > "$pkg/package.json"
raw=$(stat -c %s "$pkg/ipt_wasm_bg.wasm")
gz=$(gzip -9 -c "$pkg/ipt_wasm_bg.wasm" | wc -c)
echo "ipt-engine $version: ipt_wasm_bg.wasm $raw bytes raw, $gz bytes gzipped"
