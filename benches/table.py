#!/usr/bin/env python3
"""The table of scripts/bench.sh, from the figures it left in target/bench and target/criterion.

Usage: python3 benches/table.py target/bench LINES "LOAD AFTER"
"""
import glob, gzip, json, os, statistics, sys
out, lines, load_after = sys.argv[1], int(sys.argv[2]), sys.argv[3]
machine = json.load(open(f"{out}/machine.json"))

def crit(name):
    # A bench of a criterion group (`ehr/...`) has its own directory in the group's.
    flat, nested = (f"target/criterion/{n}/new/estimates.json" for n in (name.replace('/', '_'), name))
    e = json.load(open(flat if os.path.exists(flat) else nested))
    m = e["median"]
    return m["point_estimate"], m["confidence_interval"]["lower_bound"], m["confidence_interval"]["upper_bound"]

def t(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.1f} ms"
    return f"{ns:.0f} ns" if ns < 1000 else f"{ns / 1000:.2f} µs"

def crit_cell(name):
    p, lo, hi = crit(name)
    return f"{t(p)} ({t(lo)}–{t(hi)})"

ffi = {d["detail"]: d for d in map(json.loads, open(f"{out}/ffi.ndjson"))}
node = json.load(open(f"{out}/node.json"))

def batch(detail):
    runs = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/batch-{detail}-*.json"))]
    if not runs:
        return "not run"
    rates = [lines / r["seconds"] for r in runs]
    rss = max(r["max_rss_kb"] for r in runs) / 1024
    return f"{statistics.median(rates) / 1000:.0f}k lines/s (runs {min(rates) / 1000:.0f}k–{max(rates) / 1000:.0f}k), max RSS {rss:.0f} MB"

def size(path):
    return os.path.getsize(path) if os.path.exists(path) else None

def kb(n):
    return f"{n / 1024:.0f} KB"

wasm = "ipt-wasm/pkg/ipt_wasm_bg.wasm"
wasm_raw = size(wasm)
wasm_gz = len(gzip.compress(open(wasm, "rb").read(), 9))
q = lambda d: f"{d['median']:.2f} µs (IQR {d['q1']:.2f}–{d['q3']:.2f})"
x = lambda d: f"{d['median']:.2f}× (IQR {d['q1']:.2f}–{d['q3']:.2f})"
ratios = node.get("ratios", {})
zen = node.get("zen_version", "")
# Each row: what is measured, the figure issue 25 reported before its work ("" where it gave
# none), issue 25's goal ("" where it set none), and this run's figure.
rows = [
    ("typed suitability, decision (`decide`)", "", "", crit_cell("suitability/typed_decision")),
    ("typed suitability, explained (`assess_at`)", "6.35 µs", "≤ 2 µs", crit_cell("suitability/typed_explained")),
    ("JSON call/answer, decision", "2.55 µs", "", crit_cell("suitability/json_decision")),
    ("JSON call/answer, explained", "13.8 µs", "≤ 6 µs", crit_cell("suitability/json_explained")),
    ("the explained report written as JSON: serde_json / the answers' writer (`ipt_core::json`)", "", "", f"{crit_cell('suitability/write_explained_serde_json')} / {crit_cell('suitability/write_explained_ipt_json')}"),
    ("problem areas, typed / JSON", "", "", f"{crit_cell('areas/rank_typed')} / {crit_cell('areas/rank_json')}"),
    ("course: one event, typed (what the C and wasm course handles do)", "", "", crit_cell("course/apply_one_event_typed")),
    ("course: one event through JSON, 16-session course of 24 events (digest), snapshot in the answer", "39 µs (fewer events)", "≤ 15 µs", crit_cell("course/apply_one_event_json")),
    ("course: one event through JSON, the outputs alone (`include_snapshot: false`)", "", "≤ 15 µs", crit_cell("course/apply_one_event_json_outputs_only")),
    ("course: one event through JSON, snapshot keys sorted by a store", "", "", crit_cell("course/apply_one_event_json_sorted_keys")),
    ("course: one event through JSON, `verify: replay`", "", "", crit_cell("course/apply_one_event_json_verify_replay")),
    ("course: read a 24-event snapshot (parse, digest) / seal one", "", "", f"{crit_cell('course/read_snapshot_digest')} / {crit_cell('course/seal_snapshot')}"),
    ("course: replay 16 sessions, typed / JSON", "", "", f"{crit_cell('course/replay_standard_16_typed')} / {crit_cell('course/replay_standard_16_json')}"),
    ("EHR worst shapes (`fhir_assess`): a panel of 8,000 members / 9,990 lone items and totals, newest first", "", "", f"{crit_cell('ehr/panel_8000_members')} / {crit_cell('ehr/lone_items_9990_newest_first')}"),
    ("EHR worst shapes: a panel of 9,990 members not in the record / 4,995 questionnaires with derived totals", "", "", f"{crit_cell('ehr/panel_9990_dangling_members')} / {crit_cell('ehr/responses_4995_with_derived_totals')}"),
    ("C `ipt_assess_suitability` / Rust JSON path, decision", "", "", f"{ffi['decision']['c_over_rust']:.3f}× ({q(ffi['decision']['c_us'])} vs {q(ffi['decision']['rust_us'])})"),
    ("C `ipt_assess_suitability` / Rust JSON path, explained", "", "", f"{ffi['explained']['c_over_rust']:.3f}× ({q(ffi['explained']['c_us'])} vs {q(ffi['explained']['rust_us'])})"),
    ("Node: json-rules-engine (verdict and alerts only)", "246 µs", "", q(node["peer"])),
    (f"Node: ZEN {zen} decision table, calls awaited in turn", "", "", q(node["zen_sequential"])) if "zen_sequential" in node else None,
    (f"Node: ZEN {zen} decision table, a batch of calls in flight together", "68 µs", "", q(node["zen_concurrent"])) if "zen_concurrent" in node else None,
    ("Node: ipt wasm, decision (object in, result out)", "26 µs", "", q(node["decision"])),
    ("Node: ipt wasm, explained (object in, result out)", "172 µs", "", q(node["explained"])),
    ("Node: json-rules-engine / ipt, decision (per batch)", "9.5×", "≥ 30×", x(ratios["peer_decision"])) if "peer_decision" in ratios else None,
    ("Node: json-rules-engine / ipt, explained (per batch)", "1.4×", "≥ 8×", x(ratios["peer_explained"])) if "peer_explained" in ratios else None,
    ("Node: ZEN at its best / ipt, decision (per batch)", "", "> 1×", x(ratios["zen_decision"])) if "zen_decision" in ratios else None,
    ("Node: ZEN at its best / ipt, explained (per batch)", "0.40×", "> 1×", x(ratios["zen_explained"])) if "zen_explained" in ratios else None,
    ("Node: ipt wasm, decision, many patients in one call", "", "", f"{q(node['many'])} per patient, {node['peer']['median'] / node['many']['median']:.1f}× faster") if "many" in node else None,
    ("wasm module", "2,122,737 bytes raw, 656 KB gzipped", "≤ 200 KB gzipped", f"{wasm_raw:,} bytes raw, {wasm_gz:,} gzipped"),
    ("C libraries", "", "", f"libipt.so {kb(size('target/release/libipt.so'))}, libipt.a {kb(size('target/release/libipt.a'))}"),
    ("`ipt` command", "", "", kb(size("target/release/ipt"))),
    (f"`ipt batch --compact`, {lines:,} lines", "", "", batch("compact")),
    (f"`ipt batch --detail decision` (envelopes), {lines:,} lines", "262k lines/s", "≥ 500k lines/s", batch("decision")),
    (f"`ipt batch --detail explained`, {lines:,} lines", "", "", batch("explained")),
]
head = (f"Measured by `bash scripts/bench.sh` on {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['os']}; load average {machine['load_before']} before, {load_after} after; "
        f"{node['node']}. Times are medians with the 95% confidence interval (criterion) or "
        f"the interquartile range over alternating batches. \"Issue 25 before\" is what issue 25 "
        f"reported when it was filed (one run on the same machine), and \"goal\" its goal.")
table = [head, "", "| path | issue 25 before | goal | measured |", "|---|---|---|---|"] + [
    f"| {a} | {b} | {c} | {d} |" for r in rows if r for a, b, c, d in [r]]
text = "\n".join(table) + "\n"
open(f"{out}/table.md", "w").write(text)
print(text)
