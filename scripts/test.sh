#!/usr/bin/env bash
# The whole test suite: Rust, the service, coverage, C, wasm/JS, the differential test and
# fuzzing. Installs what it needs, idempotently. Prints how long each part and each of its
# steps took (and the machine's load), so that the README's timings can be checked anywhere.
#
# Usage: bash scripts/test.sh            every part, in two lanes side by side (below)
#        bash scripts/test.sh wasm diff  the parts named, one after another
#        IPT_TEST_LANES=1 bash scripts/test.sh   every part, one after another
#
# The lanes. Much of the suite leaves a core idle (a test binary's longest test, valgrind,
# miri, the Node and browser tests, libFuzzer, Python clients), so the parts run in two
# lanes. Lane 1 runs rust then server (both build in target/debug), lane 2 c, wasm, then the
# differential test (it needs the C part's library and the wasm part's package); then each
# lane takes the next of fuzz and coverage, whichever lane is free first. Their builds are in
# different directories (target/debug; target/release-test, the sanitizer and wasm targets;
# the fuzz and the instrumented targets), so cargo's lock on a build directory never makes one
# lane wait for the other's build.
# Everything the parts install is installed first, one part after another (apt and rustup
# do not take two installs at once). A part's steps are shown as they start, its whole output
# when it ends (the lanes would interleave it otherwise); it is kept in target/test-logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
# The suite's builds start from nothing on CI and are not edited between runs: no incremental
# caches to write, and line tables for backtraces instead of full debug information (smaller
# objects, faster links: each test binary and doc test links against ipt-core). A plain
# `cargo test` keeps the dev profile's full debug information.
export CARGO_INCREMENTAL=0
export CARGO_PROFILE_DEV_DEBUG=${CARGO_PROFILE_DEV_DEBUG:-line-tables-only}
started=$(date +%s)
all=(rust server c wasm diff fuzz coverage)
# Each lane's own parts (those sharing a target directory, or needing another's output, stay
# in one lane), then the parts either lane takes, whichever is free first.
lane1=(rust server)
lane2=(c wasm diff)
either=(fuzz coverage)
logs=target/test-logs
mkdir -p "$logs"

# One part, its output timed step by step (scripts/step-times.py); pipefail keeps its status.
part() {
  bash "scripts/test-$1.sh" 2>&1 | python3 -u scripts/step-times.py "$1"
}

if [ $# -gt 0 ] || [ "${IPT_TEST_LANES:-2}" = 1 ]; then
  parts=("$@")
  [ $# -gt 0 ] || parts=("${all[@]}")
  times=()
  for p in "${parts[@]}"; do
    [ -f "scripts/test-$p.sh" ] || { echo "test.sh: no part '$p' (parts: ${all[*]})" >&2; exit 2; }
    echo "==> scripts/test-$p.sh (load $(load))"
    t=$(date +%s)
    part "$p"
    times+=("$p $(( $(date +%s) - t ))")
  done
  echo "==> passed in $(( $(date +%s) - started )) s (load $(load)); by part, in seconds:"
  printf '    %-9s %5s\n' $(printf '%s\n' "${times[@]}")
  exit 0
fi

echo "==> installing what the parts need (load $(load))"
for p in "${all[@]}"; do
  bash "scripts/test-$p.sh" --install
done
echo "    installed in $(( $(date +%s) - started )) s"

# The next of the parts either lane takes (empty when none is left).
take() {
  {
    flock 8
    head -1 "$logs/either"
    sed -i 1d "$logs/either"
  } 8> "$logs/.take"
}

# Runs one lane's parts in order, then takes parts from the shared list until it is empty;
# stops at the first that fails. Each part's log is shown whole when it ends, one at a time.
lane() {
  local n=$1 p t status
  shift
  while :; do
    if [ $# -gt 0 ]; then
      p=$1
      shift
    else
      p=$(take)
      [ -n "$p" ] || break
    fi
    echo "==> lane $n: scripts/test-$p.sh started (load $(load))"
    t=$(date +%s)
    # The log is written as the part runs; its step lines are shown as they come.
    { status=0; part "$p" 2>&1 || status=$?; echo "$status" > "$logs/$p.status"; } \
      | tee "$logs/$p.log" | { grep --line-buffered -E '^\[[0-9:]+\] -->' | sed -u "s/^/    $p /" || true; }
    status=$(cat "$logs/$p.status")
    t=$(( $(date +%s) - t ))
    {
      flock 9
      echo "==> lane $n: scripts/test-$p.sh $([ $status -eq 0 ] && echo passed || echo FAILED) in $t s; its output:"
      cat "$logs/$p.log"
      echo "$p $t" >> "$logs/times"
    } 9> "$logs/.lock"
    [ $status -eq 0 ] || return 1
  done
}

rm -f "$logs/times"
printf '%s\n' "${either[@]}" > "$logs/either"
lane 1 "${lane1[@]}" &
pid1=$!
lane 2 "${lane2[@]}" &
pid2=$!
status=0
wait $pid1 || status=1
wait $pid2 || status=1
total=$(( $(date +%s) - started ))
if [ $status -ne 0 ]; then
  echo "==> FAILED after $total s (the failing part's output is above; logs in $logs/)"
  exit 1
fi
echo "==> all test suites passed in $total s (load $(load)); by part, in seconds (the lanes overlap):"
printf '    %-9s %5s\n' $(cat "$logs/times")
