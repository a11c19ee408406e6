#!/usr/bin/env bash
# ipt-server under load (a benchmark, not a timed test; about 15 minutes with the release build).
#
# patient-view with full prefetch (the US Core Patient, four Conditions, thirteen PHQ-9
# Observations: 24 KB), a fresh token per call (a pool minted before each run, one jti each),
# over keep-alive HTTP/1.1 on loopback, against the release build: on SQLite and PostgreSQL, with
# ES384 and RS384 tokens; the most it gives (closed loop, 32 connections) and p50/p99 at fixed
# rates (open loop: latency counted from when a call was due). Beside them: the engine's time
# per call and the signature check's alone (one core), and the three crypto libraries' P-384 and
# RSA verifications. The load generator (ipt-server/examples/load.rs) shares the machine's cores
# with the server, as on any single host. Writes target/bench-server/table.md.
# Usage: bash scripts/bench-server.sh   (RUNS=3 SECONDS_PER_RUN=10 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/target/bench-server"
rm -rf "$out" && mkdir -p "$out"
RUNS=${RUNS:-3}
SECS=${SECONDS_PER_RUN:-10}
. scripts/postgres-lib.sh

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "--> release build"
cargo build -q --release -p ipt-server --bin ipt-server --example load --example bench_parts
bin="$root/target/release/ipt-server"
load="$root/target/release/examples/load"

echo "--> crypto libraries (ipt-server/bench/crypto)"
(cd ipt-server/bench/crypto && CARGO_TARGET_DIR="$root/target/bench-crypto" cargo build -q --release)
"$root/target/bench-crypto/release/ipt-crypto-bench" > "$out/crypto.json"
openssl speed -seconds 3 ecdsap384 2>/dev/null | tail -1 > "$out/openssl-speed.txt" || true
cat "$out/crypto.json"

echo "--> the request and the keys"
/usr/bin/python3 - "$out/request.json" <<'EOF'
import json, sys
base = "tests/fixtures/ehr/"
def f(p): return json.load(open(base + p))
def bundle(files):
    e = [{"fullUrl": "urn:uuid:" + f(p)["id"], "resource": f(p), "search": {"mode": "match"}} for p in files]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(e), "entry": e}
conditions = ["us-core/condition-duodenal-ulcer.json", "us-core/condition-duodenal-ulcer-resolved.json",
              "us-core/condition-encounter-diagnosis-example1.json", "own/condition-f33-1.json"]
phq9 = ["us-core/Observation-PHQ9-panel-example-44249-1.json"] + [
    "us-core/Observation-PHQ9-item-example-%s.json" % c for c in
    ["44250-9", "44251-7", "44252-5", "44253-3", "44254-1", "44255-8", "44258-2", "44259-0",
     "44260-8", "44261-6", "69722-7"]] + ["own/observation-phq9-item9-2.json"]
request = {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
           "context": {"userId": "Practitioner/example", "patientId": "example"},
           "prefetch": {"patient": f("us-core/patient-example.json"),
                        "conditions": bundle(conditions), "phq9": bundle(phq9)}}
json.dump(request, open(sys.argv[1], "w"))
EOF
"$bin" keygen --alg ES384 --kid bench-es384 --key-out "$out/es384.pem" --jwks-out "$out/es384.jwks.json"
"$bin" keygen --alg RS384 --kid bench-rs384 --key-out "$out/rs384.pem" --jwks-out "$out/rs384.jwks.json"
/usr/bin/python3 -c "import json,sys; print(json.dumps({'keys': json.load(open(sys.argv[1]))['keys'] + json.load(open(sys.argv[2]))['keys']}))" \
  "$out/es384.jwks.json" "$out/rs384.jwks.json" > "$out/jwks.json"

echo "--> the parts alone (one core)"
"$root/target/release/examples/bench_parts" "$out/request.json" | tee "$out/parts.json"

pg_start
iss="https://ehr.bench.example.org"
server_pid=""
stop_server() { if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi; }
trap 'stop_server; pg_stop' EXIT

# The server process's CPU time so far, in clock ticks (user and system).
server_cpu() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }

start_server() { # $1 = store URL
  cat > "$out/config.toml" <<EOF
listen = "127.0.0.1:0"
[[auth.issuers]]
iss = "$iss"
jwks_file = "$out/jwks.json"
EOF
  rm -f "$out/ready.json"
  "$bin" --config "$out/config.toml" --store "$1" --ready-file "$out/ready.json" 2>>"$out/server.log" &
  server_pid=$!
  for _ in $(seq 1 300); do [ -s "$out/ready.json" ] && break; sleep 0.05; done
  url=$(/usr/bin/python3 -c "import json; print(json.load(open('$out/ready.json'))['public_url'])")/cds-services/ipt-suitability
}

echo "--> under load"
: > "$out/runs.ndjson"
for store in sqlite postgres; do
  if [ "$store" = sqlite ]; then
    store_url="sqlite:$out/bench.sqlite3"
  else
    db="ipt_bench_$RANDOM"
    psql -q "$IPT_TEST_POSTGRES_URL" -c "CREATE DATABASE $db"
    store_url="${IPT_TEST_POSTGRES_URL%/*}/$db"
  fi
  start_server "$store_url"
  for alg in ES384 RS384; do
    key="$out/$(echo "$alg" | tr 'A-Z' 'a-z').pem"
    kid="bench-$(echo "$alg" | tr 'A-Z' 'a-z')"
    common=(--url "$url" --body "$out/request.json" --key "$key" --kid "$kid" --iss "$iss" --seconds "$SECS" --warmup 2)
    best=0
    for run in $(seq 1 "$RUNS"); do
      tokens=$(( 9000 * (SECS + 2) ))
      c0=$(server_cpu)
      r=$("$load" "${common[@]}" --connections 32 --tokens "$tokens" 2>/dev/null)
      c1=$(server_cpu)
      echo "{\"store\": \"$store\", \"alg\": \"$alg\", \"run\": $run, \"cpu_ticks\": $(( c1 - c0 )), \"tokens\": $tokens, \"result\": $r}" | tee -a "$out/runs.ndjson"
      t=$(echo "$r" | /usr/bin/python3 -c 'import json,sys; print(int(json.load(sys.stdin)["throughput"]))')
      [ "$t" -gt "$best" ] && best=$t
    done
    for rate in 500 $(( best / 2 )); do
      for run in $(seq 1 "$RUNS"); do
        r=$("$load" "${common[@]}" --rate "$rate" 2>/dev/null)
        echo "{\"store\": \"$store\", \"alg\": \"$alg\", \"run\": $run, \"result\": $r}" | tee -a "$out/runs.ndjson"
      done
    done
  done
  stop_server
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "--> the table"
/usr/bin/python3 - "$out" "$load_before" "$load_after" "$(getconf CLK_TCK)" <<'EOF'
import json, os, platform, statistics, sys
out, before, after, tck = sys.argv[1:5]
tck = int(tck)
runs = [json.loads(l) for l in open(os.path.join(out, "runs.ndjson"))]
parts = json.load(open(os.path.join(out, "parts.json")))
crypto = json.load(open(os.path.join(out, "crypto.json")))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
lines = []
lines.append(f"Measured by `bash scripts/bench-server.sh` on {cpu}, {os.cpu_count()} cores (server and load generator share them), Linux {platform.release()}; load average {before} before, {after} after. Each figure is the median of {max(r['run'] for r in runs)} runs of {runs[0]['result']['seconds']:.0f} s (range in brackets).")
lines.append("")
lines.append("| store | token | most calls/s (32 connections) | server CPU per call | at 500 calls/s: p50 / p99 | at half the most: p50 / p99 |")
lines.append("|---|---|---|---|---|---|")
def med(xs): return statistics.median(xs)
def rng(xs, f): return f"{f(min(xs))}–{f(max(xs))}"
for store in ("sqlite", "postgres"):
    for alg in ("ES384", "RS384"):
        rs = [r["result"] for r in runs if r["store"] == store and r["alg"] == alg]
        closed = [r for r in rs if r["mode"] == "connections"]
        tp = [r["throughput"] for r in closed]
        # CPU over the whole run (warm-up too) over the calls made (a token each).
        cpu = [x["cpu_ticks"] / tck * 1e3 / (x["tokens"] - x["result"]["tokens_left"])
               for x in runs if x["store"] == store and x["alg"] == alg and "cpu_ticks" in x]
        # The fixed rates in the order run: 500 a second, then half the most.
        rates = list(dict.fromkeys(r["rate"] for r in rs if r["mode"] == "rate"))
        cells = []
        for rate in rates:
            at = [r for r in rs if r["rate"] == rate]
            bad = sum(r["calls"] - r["ok"] for r in at)
            p50 = [r["p50_ms"] for r in at]; p99 = [r["p99_ms"] for r in at]
            ms = lambda x: f"{x:.1f}"
            cell = f"{ms(med(p50))} / {ms(med(p99))} ms [{rng(p99, ms)}]"
            if rate is rates[-1]: cell = f"({rate:,.0f}/s) " + cell
            if bad: cell += f", {bad} not 200"
            cells.append(cell)
        cpu_cell = f"{med(cpu):.2f} ms [{rng(cpu, lambda x: f'{x:.2f}')}]"
        lines.append(f"| {'SQLite' if store == 'sqlite' else 'PostgreSQL'} | {alg} | {med(tp):,.0f} [{rng(tp, lambda x: f'{x:,.0f}')}] | {cpu_cell} | " + " | ".join(cells) + " |")
lines.append("")
e = parts["engine_us"]; s = parts["signature_us"]
lines.append("| alone, one core | per call | calls/s |")
lines.append("|---|---|---|")
lines.append(f"| the engine's `cds_hooks` on this request ({parts['request_bytes']:,} bytes) | {e['us']:.0f} µs [{e['min']:.0f}–{e['max']:.0f}] | {1e6 / e['us']:,.0f} |")
for alg in ("ES384", "RS384"):
    x = s[alg]
    lines.append(f"| {alg} signature check (parse and verify, aws-lc-rs) | {x['us']:.1f} µs [{x['min']:.1f}–{x['max']:.1f}] | {1e6 / x['us']:,.0f} |")
lines.append("")
lines.append("| crypto library, one core | ES384 (P-384) verifies/s | RS384 (RSA-2048) verifies/s |")
lines.append("|---|---|---|")
for name, v in sorted(crypto.items(), key=lambda kv: -kv[1]["ES384"]):
    lines.append(f"| {name} | {v['ES384']:,.0f} | {v['RS384']:,.0f} |")
speed = open(os.path.join(out, "openssl-speed.txt")).read().split()
if speed:
    lines.append(f"| `openssl speed ecdsap384` (the command) | {float(speed[-1]):,.0f} | |")
table = "\n".join(lines) + "\n"
open(os.path.join(out, "table.md"), "w").write(table)
print(table)
EOF
