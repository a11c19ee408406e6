#!/usr/bin/env bash
# Installs a cargo tool at a pinned version, once: nothing happens when `<command> --version`
# already says that version. A fresh machine compiles it from crates.io (no prebuilt binary can
# be fetched), so the build is made cheap: no LTO, several codegen units, opt-level 2 (the tools
# run for seconds: wasm-bindgen on one module, cargo-fuzz and cargo-llvm-cov as thin drivers),
# and one target directory shared by every tool (under ~/.cache/ipt), so their common
# dependencies build once. The lock file a tool ships is used (--locked), unless --unlocked
# comes first (wasm-bindgen-cli 0.2.130's lock pins a crate since yanked from crates.io).
# Usage: scripts/install-tool.sh [--unlocked] CRATE VERSION COMMAND...
#        (COMMAND: how to ask its version), e.g. scripts/install-tool.sh cargo-fuzz 0.13.2 cargo fuzz
set -euo pipefail
locked=(--locked)
if [ "${1:-}" = --unlocked ]; then
  locked=()
  shift
fi
crate=$1 version=$2
shift 2
if [ "$("$@" --version 2>/dev/null | awk '{print $2}')" = "$version" ]; then
  exit 0
fi
cache=${XDG_CACHE_HOME:-$HOME/.cache}/ipt/cargo-install
mkdir -p "$cache"
echo "--> installing $crate $version (built once, kept in ~/.cargo/bin)"
started=$(date +%s)
CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=2 CARGO_PROFILE_RELEASE_DEBUG=false \
  cargo install -q "$crate" --version "$version" "${locked[@]}" --target-dir "$cache"
echo "    $crate $version installed in $(( $(date +%s) - started )) s"
