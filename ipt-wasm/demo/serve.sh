#!/usr/bin/env bash
# Serves the demo page at http://127.0.0.1:8080/demo/ (`--port N` for another port, 0 for any
# free one). Builds the npm package into ipt-wasm/pkg first when it is not built, installing
# what the build needs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -f "$here/../pkg/web.mjs" ]; then
  echo "ipt-wasm/pkg is not built: building it (bash ipt-wasm/build.sh)"
  bash "$here/../../scripts/install-wasm-tools.sh"
  bash "$here/../build.sh"
fi
exec node "$here/serve.mjs" "$@"
