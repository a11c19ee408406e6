#!/usr/bin/env bash
# ipt-server's courses under load (a benchmark, not a timed test; about 15 minutes with the
# release build).
#
# On SQLite and on PostgreSQL, each holding 100,000 courses (one started over HTTP for the
# patient `example` with the demo course's first six events, then cloned in the database with
# new ids and patients): course events appended (the demo's sessions 2 to 16, the ending and the
# completion, each against its version with If-Match, each with a fresh ES384 token) at most
# (closed loop, 32 connections) and at a fixed rate; `GET /courses/{id}` of courses across the
# store, at most and at a fixed rate; and patient-view with full prefetch for the patient with
# an open course, beside the same call from a tenant without courses. The load generators
# (ipt-server/examples/course_load.rs and load.rs) share the machine's cores with the server.
# Writes target/bench-courses/table.md.
# Usage: bash scripts/bench-courses.sh   (RUNS=3 SECONDS_PER_RUN=10 COURSES=100000 RATE=500
#        STORES="sqlite postgres" by default)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/target/bench-courses"
rm -rf "$out" && mkdir -p "$out"
RUNS=${RUNS:-3}
SECS=${SECONDS_PER_RUN:-10}
COURSES=${COURSES:-100000}
RATE=${RATE:-500}
. scripts/postgres-lib.sh

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "--> release build"
cargo build -q --release -p ipt-server --bin ipt-server --example course_load --example load --example bench_parts
bin="$root/target/release/ipt-server"
cl="$root/target/release/examples/course_load"
load="$root/target/release/examples/load"

echo "--> the key, the course's events, the patient-view request"
"$bin" keygen --alg ES384 --kid bench-es384 --key-out "$out/es384.pem" --jwks-out "$out/jwks.json"
/usr/bin/python3 - "$out" <<'EOF'
import json, sys
out = sys.argv[1]
demo = json.load(open("tests/vectors/course/V-STANDARD.complete_standard_16.json"))["request"]
# The course as stored: started, with the first six events (assessment to contract).
json.dump([demo["start"]] + demo["events"][:6], open(out + "/template.json", "w"))
# What is appended: the rest of the course (sessions 2 to 16, the ending raised, completion).
json.dump(demo["events"][6:], open(out + "/appends.json", "w"))
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
json.dump(request, open(out + "/request.json", "w"))
print(len(demo["events"][6:]), "events appended to each course")
EOF
appends_per_course=$(/usr/bin/python3 -c "import json; print(len(json.load(open('$out/appends.json'))))")

echo "--> the engine's parts alone (one core)"
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
  base=$(/usr/bin/python3 -c "import json; print(json.load(open('$out/ready.json'))['public_url'])")
}

# Clones the template course (its row and its events) COURSES - 1 times, each with a new id and
# its own patient, and writes the clones' ids, shuffled, one a line.
seed_sqlite() { # $1 = database file, $2 = template id, $3 = ids file
  /usr/bin/python3 - "$1" "$2" "$3" "$COURSES" <<'EOF'
import random, sqlite3, sys, uuid
db, template, ids_file, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
c = sqlite3.connect(db, isolation_level=None)
row = c.execute("SELECT issuer, tenant, start, created_by, created_user, created_at, version, snapshot, updated_at FROM course WHERE id = ?", (template,)).fetchone()
events = c.execute("SELECT position, kind, event, clinical_date, recorded_by, recorded_user, received_at FROM course_event WHERE course_id = ? ORDER BY position", (template,)).fetchall()
ids = [str(uuid.uuid4()) for _ in range(n - 1)]
c.execute("BEGIN")
c.executemany("INSERT INTO course (id, issuer, tenant, patient_id, start, created_by, created_user, created_at, version, snapshot, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              ((id_, row[0], row[1], "p%d" % i) + row[2:] for i, id_ in enumerate(ids)))
c.executemany("INSERT INTO course_event (course_id, position, kind, event, clinical_date, recorded_by, recorded_user, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              ((id_,) + e for id_ in ids for e in events))
c.execute("COMMIT")
c.execute("ANALYZE")
random.seed(7)
random.shuffle(ids)
open(ids_file, "w").write("\n".join(ids) + "\n")
print(c.execute("SELECT COUNT(*) FROM course").fetchone()[0], "courses,",
      c.execute("SELECT COUNT(*) FROM course_event").fetchone()[0], "events")
EOF
}

seed_postgres() { # $1 = database URL, $2 = template id, $3 = ids file
  psql -q -v ON_ERROR_STOP=1 "$1" <<EOF
INSERT INTO course (id, issuer, tenant, patient_id, start, created_by, created_user, created_at, version, snapshot, updated_at)
  SELECT gen_random_uuid()::text, issuer, tenant, 'p' || g, start, created_by, created_user, created_at, version, snapshot, updated_at
  FROM course, generate_series(1, $COURSES - 1) g WHERE id = '$2';
INSERT INTO course_event (course_id, position, kind, event, clinical_date, recorded_by, recorded_user, received_at)
  SELECT c.id, e.position, e.kind, e.event, e.clinical_date, e.recorded_by, e.recorded_user, e.received_at
  FROM course c JOIN course_event e ON e.course_id = '$2' WHERE c.id <> '$2';
VACUUM ANALYZE course;
VACUUM ANALYZE course_event;
EOF
  psql -qAt "$1" -c "SELECT id FROM course WHERE id <> '$2' ORDER BY md5(id || 'seven')" > "$3"
  psql -qAt "$1" -c "SELECT (SELECT COUNT(*) FROM course) || ' courses, ' || (SELECT COUNT(*) FROM course_event) || ' events'"
}

: > "$out/runs.ndjson"
run() { # $1 = store, $2 = what, then the command; with the server's CPU time over the run
  local store=$1 what=$2
  shift 2
  local r c0 c1
  c0=$(server_cpu)
  r=$("$@" 2>>"$out/load.log")
  c1=$(server_cpu)
  echo "{\"store\": \"$store\", \"what\": \"$what\", \"cpu_ticks\": $(( c1 - c0 )), \"result\": $r}" | tee -a "$out/runs.ndjson"
}

common=(--key "$out/es384.pem" --kid bench-es384 --iss "$iss")
for store in ${STORES:-sqlite postgres}; do
  echo "--> $store: $COURSES courses"
  if [ "$store" = sqlite ]; then
    store_url="sqlite:$out/bench.sqlite3"
  else
    db="ipt_bench_$RANDOM"
    psql -q "$IPT_TEST_POSTGRES_URL" -c "CREATE DATABASE $db"
    store_url="${IPT_TEST_POSTGRES_URL%/*}/$db"
  fi
  start_server "$store_url"
  template=$("$cl" template --base "$base" "${common[@]}" --events "$out/template.json" --patient example)
  ids="$out/ids-$store.txt"
  seeded=$(date +%s)
  if [ "$store" = sqlite ]; then
    seed_sqlite "$out/bench.sqlite3" "$template" "$ids"
  else
    seed_postgres "$store_url" "$template" "$ids"
  fi
  echo "    seeded in $(( $(date +%s) - seeded )) s"
  # Each run appends to courses no run used before: enough for 4,000 appends a second.
  per_run=$(( (4000 * (SECS + 2)) / appends_per_course + 1 ))
  skip=0
  for i in $(seq 1 "$RUNS"); do
    run "$store" appends "$cl" appends --base "$base" "${common[@]}" --ids "$ids" --events "$out/appends.json" \
      --from 6 --skip "$skip" --courses "$per_run" --connections 32 --seconds "$SECS"
    skip=$(( skip + per_run ))
  done
  for i in $(seq 1 "$RUNS"); do
    run "$store" appends "$cl" appends --base "$base" "${common[@]}" --ids "$ids" --events "$out/appends.json" \
      --from 6 --skip "$skip" --courses $(( RATE * (SECS + 2) / appends_per_course + 64 )) --rate "$RATE" --seconds "$SECS"
    skip=$(( skip + RATE * (SECS + 2) / appends_per_course + 64 ))
  done
  for i in $(seq 1 "$RUNS"); do
    run "$store" status "$cl" status --base "$base" "${common[@]}" --ids "$ids" --courses $(( 8000 * (SECS + 2) )) \
      --connections 32 --seconds "$SECS"
  done
  for i in $(seq 1 "$RUNS"); do
    run "$store" status "$cl" status --base "$base" "${common[@]}" --ids "$ids" --courses $(( RATE * (SECS + 2) * 11 / 10 + 100 )) \
      --rate "$RATE" --seconds "$SECS"
  done
  for who in course none; do
    tenant=()
    if [ "$who" = none ]; then tenant=(--tenant another-clinic); fi
    for i in $(seq 1 "$RUNS"); do
      run "$store" "patient-view-$who" "$load" --url "$base/cds-services/ipt-suitability" --body "$out/request.json" \
        "${common[@]}" "${tenant[@]}" --connections 32 --tokens $(( 4000 * (SECS + 2) )) --seconds "$SECS" --warmup 2
    done
    for i in $(seq 1 "$RUNS"); do
      run "$store" "patient-view-$who" "$load" --url "$base/cds-services/ipt-suitability" --body "$out/request.json" \
        "${common[@]}" "${tenant[@]}" --rate "$RATE" --seconds "$SECS" --warmup 2
    done
  done
  stop_server
  if [ "$store" = sqlite ]; then
    ls -l "$out/bench.sqlite3" | awk '{printf "    SQLite file: %.0f MB\n", $5 / 1e6}'
    rm -f "$out"/bench.sqlite3*
  else
    psql -qAt "$IPT_TEST_POSTGRES_URL" -c "SELECT 'PostgreSQL database: ' || pg_database_size('$db') / 1000000 || ' MB'"
  fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "--> the table"
/usr/bin/python3 - "$out" "$load_before" "$load_after" "$COURSES" "$RATE" "$(getconf CLK_TCK)" <<'EOF'
import json, os, platform, statistics, sys
out, before, after, courses, rate, tck = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
parts = json.load(open(os.path.join(out, "parts.json")))
runs = [json.loads(l) for l in open(os.path.join(out, "runs.ndjson"))]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
med = statistics.median
def rng(xs, f): return f"{f(min(xs))}–{f(max(xs))}"
ms = lambda x: f"{x:.1f}"
n = lambda x: f"{x:,.0f}"
def bad(rs):
    b = sum(r["calls"] - r["ok"] for r in rs)
    return f" ({b} not 200)" if b else ""
def closed(rs):
    tp = [r["throughput"] for r in rs]
    p99 = [r["p99_ms"] for r in rs]
    return f"{n(med(tp))} [{rng(tp, n)}] at p99 {ms(med(p99))} ms [{rng(p99, ms)}]{bad(rs)}"
def opened(rs):
    p50 = [r["p50_ms"] for r in rs]; p99 = [r["p99_ms"] for r in rs]
    return f"{ms(med(p50))} / {ms(med(p99))} ms [{rng(p99, ms)}]{bad(rs)}"
lines = [f"Measured by `bash scripts/bench-courses.sh` on {cpu}, {os.cpu_count()} cores (server, database and load generator share them), Linux {platform.release()}; load average {before} before, {after} after. {courses:,} courses in the store; ES384 tokens, a fresh one per call. Each figure is the median of {max(1, len([r for r in runs if r['store'] == 'sqlite' and r['what'] == 'status' and r['result'].get('rate') is None]))} runs of {runs[0]['result']['seconds']:.0f} s (range in brackets).", ""]
lines.append(f"| store | what | most a second (32 connections), and p99 then | server CPU per call | at {rate:,.0f} a second: p50 / p99 |")
lines.append("|---|---|---|---|---|")
names = {"appends": "event appended (`POST /courses/{id}/events`)", "status": "course status (`GET /courses/{id}`)",
         "patient-view-course": "patient-view, the patient's open course passed to the engine",
         "patient-view-none": "patient-view, a tenant without courses (for comparison)"}
for store in ("sqlite", "postgres"):
    for what in ("appends", "status", "patient-view-course", "patient-view-none"):
        mine = [r for r in runs if r["store"] == store and r["what"] == what]
        most = [r["result"] for r in mine if r["result"].get("rate") is None]
        fixed = [r["result"] for r in mine if r["result"].get("rate") is not None]
        if not most:
            continue
        # The server's CPU over a closed-loop run (its warm-up too) over the calls sent then.
        cpu = [r["cpu_ticks"] / tck * 1e3 / r["result"]["sent"] for r in mine
               if r["result"].get("rate") is None and r["result"].get("sent")]
        cpu_cell = f"{med(cpu):.2f} ms [{rng(cpu, lambda x: f'{x:.2f}')}]" if cpu else "–"
        lines.append(f"| {'SQLite' if store == 'sqlite' else 'PostgreSQL'} | {names[what]} | {closed(most)} | {cpu_cell} | {opened(fixed)} |")
ran_out = [r for r in runs if r["result"].get("ran_out")]
if ran_out:
    lines.append("")
    lines.append(f"({len(ran_out)} run(s) used every course prepared for them before the end: their throughput is a floor.)")
lines.append("")
lines.append("| the engine alone, one core | per call |")
lines.append("|---|---|")
us = lambda k: f"{parts[k]['us']:.0f} µs [{parts[k]['min']:.0f}–{parts[k]['max']:.0f}]"
lines.append(f"| `course_apply`: the next session on the stored course ({parts['snapshot_bytes']:,}-byte snapshot, its digest checked, the new one sealed) | {us('course_apply_us')} |")
lines.append(f"| `course_status` of that course | {us('course_status_us')} |")
lines.append(f"| `cds_hooks` on the benchmark's patient-view ({parts['request_bytes']:,} bytes) | {us('engine_us')} |")
lines.append(f"| the same with the patient's course passed | {us('cds_hooks_with_course_us')} |")
lines.append(f"| ES384 signature check (aws-lc-rs) | {parts['signature_us']['ES384']['us']:.0f} µs |")
table = "\n".join(lines) + "\n"
open(os.path.join(out, "table.md"), "w").write(table)
print(table)
EOF
