#!/usr/bin/env bash
# The differential test: the same inputs through Rust (ipt_core::api::call), C (ipt_call_n of
# libipt.a) and wasm (the npm package's module in Node), with byte-identical answers. The
# corpus (scripts/diff-corpus.py) is every conformance vector, the kept fuzz inputs and
# deterministic mutations of them. Needs the npm package in ipt-wasm/pkg (scripts/test-wasm.sh
# builds it; it is rebuilt here when older than the sources).
# Options (environment): IPT_DIFF_COUNT (records, default 8000), IPT_DIFF_SEED (default 14).
set -euo pipefail
cd "$(dirname "$0")/.."
# `--install`: nothing of its own (the C and wasm parts install what it runs).
[ "${1:-}" = --install ] && exit 0
root=$PWD
out=$root/target/diff
mkdir -p "$out"
count=${IPT_DIFF_COUNT:-8000}
seed=${IPT_DIFF_SEED:-14}
# The native sides as the release-test profile builds them (the root Cargo.toml says why).
lib=$root/target/release-test

secs() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(secs)" 'BEGIN { printf "%.1f s", b - a }'; }

t=$(secs)
echo "--> corpus"
python3 scripts/diff-corpus.py "$out/corpus.bin" --count "$count" --seed "$seed"
echo "    ($(took "$t"))"

t=$(secs)
echo "--> build: the Rust runner, libipt.a and the C runner"
cargo build -q --profile release-test -p ipt-ffi -p ipt-diff-runner
gcc -std=c99 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -pedantic -O2 -g -I"$root/include" -I"$root/tests/c" \
  tests/c/differential.c "$lib/libipt.a" -lpthread -ldl -lm -o "$out/differential"
wasm=ipt-wasm/pkg/ipt_wasm_bg.wasm
if [ ! -f "$wasm" ] || [ -n "$(find ipt-core ipt-wasm/src ipt-wasm/js Cargo.lock -type f -newer "$wasm" | head -1)" ]; then
  if [ ! -x ipt-wasm/node_modules/.bin/wasm-opt ]; then
    echo "ipt-wasm/pkg is missing or older than the sources; build it with bash scripts/test-wasm.sh" >&2
    exit 1
  fi
  echo "    ipt-wasm/pkg is missing or older than the sources: rebuilding it"
  bash ipt-wasm/build.sh
fi
echo "    ($(took "$t"))"

# Runs one side; when it fails, shows the input it stopped at.
run() {
  local side=$1
  shift
  local t
  t=$(secs)
  echo "--> $side"
  if ! "$@" > "$out/answers.$side"; then
    local done
    done=$(wc -l < "$out/answers.$side")
    echo "FAIL: the $side runner stopped after $done answers"
    python3 scripts/diff-corpus.py "$out/corpus.bin" --show "$done" || true
    exit 1
  fi
  echo "    ($(took "$t"))"
}
run rust "$lib/diff_answers" "$out/corpus.bin"
run c "$out/differential" "$out/corpus.bin"
run wasm node tests/diff/run.mjs "$out/corpus.bin" ipt-wasm/pkg

records=$(wc -l < "$out/answers.rust")
status=0
for other in c wasm; do
  if ! diff_at=$(cmp "$out/answers.rust" "$out/answers.$other"); then
    status=1
    line=$(sed -n 's/.* line \([0-9]*\).*/\1/p' <<< "$diff_at")
    echo "FAIL: Rust and $other answers differ: ${diff_at:-one is a prefix of the other}"
    if [ -n "$line" ]; then
      python3 scripts/diff-corpus.py "$out/corpus.bin" --show $((line - 1))
      for side in rust "$other"; do
        printf '%s answer: ' "$side"
        sed -n "${line}p" "$out/answers.$side" | cut -c1-600
      done
    fi
  fi
done
if [ "$status" -ne 0 ]; then
  echo "differential: $records inputs; answers differ (corpus and answers in $out)"
  exit 1
fi
echo "differential: $records inputs, answers byte-identical in Rust, C and wasm ($(du -h "$out/answers.rust" | cut -f1) each)"
