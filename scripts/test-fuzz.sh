#!/usr/bin/env bash
# Fuzzing (cargo-fuzz, libFuzzer): builds the targets in fuzz/ with nightly and AddressSanitizer,
# seeds them from the conformance vectors with a dictionary of every field name and enum value
# of the schemas, and runs each for IPT_FUZZ_SECONDS (45 by default). The inputs kept in
# fuzz/regressions/<target>/ (past crashers and slow inputs) are replayed first. A crash, a
# leak, an input slower than 10 s or over 2 GiB fails the run and leaves the input in
# fuzz/artifacts/<target>/.
#
# A long run: IPT_FUZZ_SECONDS=3600 bash scripts/test-fuzz.sh (or one target:
# cargo +nightly fuzz run --fuzz-dir fuzz api_call target/fuzz-corpus/api_call -- -dict=target/fuzz.dict).
# Installs nightly and cargo-fuzz if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${IPT_FUZZ_SECONDS:-45}
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
bash scripts/install-tool.sh cargo-fuzz 0.13.2 cargo fuzz
# `--install`: install what this part needs, and stop (scripts/test.sh does this first).
[ "${1:-}" = --install ] && exit 0
targets=(api_call c_entry course_events batch_lines fhir_records)
python3 scripts/fuzz-seeds.py "${targets[@]}"
# A short run (5 minutes a target or less, as in the test suite) is built at opt-level 1: the
# build takes about 30% less time than at the profile's 3 (120 s against 169 on 2 cores, alone),
# and the targets execute fewer inputs (in the suite, beside another lane: api_call and c_entry
# about a quarter as many, course_events and batch_lines about half, fhir_records as many).
# It replays the kept inputs and finds shallow faults; a longer run, built at 3, searches.
if [ "$secs" -le 300 ]; then
  export CARGO_PROFILE_RELEASE_OPT_LEVEL=${CARGO_PROFILE_RELEASE_OPT_LEVEL:-1}
fi
echo "--> cargo fuzz build (nightly, AddressSanitizer, opt-level ${CARGO_PROFILE_RELEASE_OPT_LEVEL:-3})"
cargo +nightly fuzz build --fuzz-dir fuzz
# The targets run side by side, one per core (IPT_FUZZ_JOBS, default the number of cores):
# each libFuzzer process is single-threaded, so on 2 cores five targets of 45 s take three
# rounds, not five.
jobs=${IPT_FUZZ_JOBS:-$(nproc)}
fuzz_one() {
  local t=$1 secs=$2 log="target/fuzz-$1.log"
  mkdir -p "target/fuzz-corpus/$t" "fuzz/regressions/$t"
  if ! cargo +nightly fuzz run --fuzz-dir fuzz "$t" "target/fuzz-corpus/$t" "fuzz/regressions/$t" -- \
    -max_total_time="$secs" -dict=target/fuzz.dict -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 >"$log" 2>&1; then
    tail -60 "$log"
    echo "fuzz $t failed: the input is in fuzz/artifacts/$t/; keep it in fuzz/regressions/$t/ once fixed"
    return 1
  fi
  echo "fuzz $t for ${secs}s: $(grep -E "^stat::(number_of_executed_units|peak_rss_mb)" "$log" | tr '\n' ' ')"
}
export -f fuzz_one
echo "--> fuzz ${targets[*]}, ${secs}s each, $jobs at a time"
# xargs runs every target even when one fails, and then exits non-zero.
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'fuzz_one "$1" "$2"' _ {} "$secs"
