// The ipt wasm package against two peers on the same suitability rules and the same patient, in
// one Node process: json-rules-engine (a generic JavaScript rules engine) and GoRules ZEN
// (@gorules/zen-engine, a Rust engine with a native Node binding), both pinned in
// package.json.
//
// Both peers encode what a team would write by hand for these rules: the contraindications
// (C-PSYCHOSIS, C-PD-UNMOTIVATED, C-COGNITIVE), the inputs still missing (a required finding
// unknown makes the verdict indeterminate), the indications (I-MOOD-ESSENTIAL, I-ACUTE-MDD),
// the age caution (X-AGE) and the suicide alert (X-SUICIDE), and a verdict picked from what
// fired, strongest first. ZEN holds them as one decision table (suitability.jdm.json, hit
// policy `collect`). They explain nothing; ipt's decision answer carries the verdict, the
// deciding rules, every rule by status, the alerts and the missing inputs, and its explained
// answer the words and sources besides. Before anything is timed, each peer's findings are
// checked against ipt's on the patient and on variants of it that fire every rule.
//
// ZEN's `evaluate` is asynchronous and runs on its own threads: it is timed awaiting each call
// in turn (sequential) and with a whole batch in flight at once (concurrent); its better
// figure is the one compared.
//
// Batches alternate between the engines (so drift in machine load hits all alike); the
// printout gives each median per call with the interquartile range, and the ratios as the
// median (and IQR) of the per-batch ratios.
//
// Run: bash benches/node/run.sh (builds the wasm package if needed), or after
// `bash ipt-wasm/build.sh` and `npm ci --prefix benches/node`: node benches/node/peer.mjs
import { readFileSync } from 'node:fs';
import { Engine } from 'json-rules-engine';
import { ZenEngine } from '@gorules/zen-engine';
import { call } from '../../ipt-wasm/pkg/node.mjs';

const patient = JSON.parse(
  readFileSync(new URL('../fixtures/typical_assessment.json', import.meta.url), 'utf8'),
);

// ---- json-rules-engine: the same rules, by hand -------------------------------------------
const REQUIRED = ['active_psychosis', 'personality_disorder', 'motivation', 'insight', 'suicide_risk'];
const MOOD = new Set(['major_depression', 'bipolar', 'dysthymia']);

function makeEngine() {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const finding = (name) => ({ fact: 'findings', path: `$.${name}` });
  engine.addRule({
    name: 'C-PSYCHOSIS',
    conditions: { all: [{ ...finding('active_psychosis'), operator: 'equal', value: 'present' }] },
    event: { type: 'contraindicated', params: { rule: 'C-PSYCHOSIS' } },
  });
  engine.addRule({
    name: 'C-PD-UNMOTIVATED',
    conditions: {
      all: [
        { ...finding('personality_disorder'), operator: 'equal', value: 'present' },
        { ...finding('motivation'), operator: 'equal', value: 'absent' },
      ],
    },
    event: { type: 'contraindicated', params: { rule: 'C-PD-UNMOTIVATED' } },
  });
  engine.addRule({
    name: 'C-COGNITIVE',
    conditions: {
      all: [
        { fact: 'findings', path: '$.cognitive_impairment.severity', operator: 'in', value: ['moderate', 'severe'] },
        { fact: 'findings', path: '$.cognitive_impairment.cause', operator: 'in', value: ['substance_abuse', 'general_medical_condition'] },
      ],
    },
    event: { type: 'contraindicated', params: { rule: 'C-COGNITIVE' } },
  });
  for (const name of REQUIRED) {
    engine.addRule({
      name: `missing:${name}`,
      conditions: { any: [{ ...finding(name), operator: 'notIn', value: ['present', 'absent', 'none', 'low', 'moderate', 'high', 'imminent'] }] },
      event: { type: 'missing', params: { input: `$.findings.${name}` } },
    });
  }
  engine.addFact('mood_disorder', (_, almanac) =>
    almanac.factValue('diagnoses').then((ds) => (ds || []).some((d) => MOOD.has(d.category))));
  engine.addFact('acute_mdd', (_, almanac) =>
    almanac.factValue('diagnoses').then((ds) =>
      (ds || []).some((d) => d.category === 'major_depression' && d.phase === 'acute')));
  engine.addRule({
    name: 'I-MOOD-ESSENTIAL',
    conditions: {
      all: [
        { fact: 'mood_disorder', operator: 'equal', value: true },
        { ...finding('motivation'), operator: 'equal', value: 'present' },
        { ...finding('insight'), operator: 'equal', value: 'present' },
      ],
    },
    event: { type: 'essential', params: { rule: 'I-MOOD-ESSENTIAL' } },
  });
  engine.addRule({
    name: 'I-ACUTE-MDD',
    conditions: { all: [{ fact: 'acute_mdd', operator: 'equal', value: true }] },
    event: { type: 'indicated', params: { rule: 'I-ACUTE-MDD' } },
  });
  engine.addRule({
    name: 'X-AGE',
    conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 18 }] },
    event: { type: 'caution', params: { rule: 'X-AGE' } },
  });
  engine.addRule({
    name: 'X-SUICIDE',
    conditions: { all: [{ ...finding('suicide_risk'), operator: 'in', value: ['high', 'imminent'] }] },
    event: { type: 'alert', params: { rule: 'X-SUICIDE' } },
  });
  return engine;
}

const ORDER = ['contraindicated', 'indeterminate', 'essential', 'indicated'];
/** The verdict and findings from what fired: `[{type, rule}]` (for `missing`, rule is the input's path). */
function verdictOf(fired) {
  const types = new Set(fired.map((e) => e.type));
  if (types.has('missing') && !types.has('contraindicated')) types.add('indeterminate');
  const verdict = ORDER.find((t) => types.has(t)) ?? 'not_indicated';
  const of = (type) => fired.filter((e) => e.type === type).map((e) => e.rule).sort();
  return { verdict, alerts: of('alert'), met: fired.filter((e) => e.type !== 'missing').map((e) => e.rule).sort(), missing: of('missing') };
}
async function peerVerdict(engine, facts) {
  const { events } = await engine.run(facts);
  return verdictOf(events.map((e) => ({ type: e.type, rule: e.params.rule ?? e.params.input })));
}

// ---- GoRules ZEN: the same rules as a decision table ---------------------------------------
const zen = new ZenEngine();
const zenTable = zen.createDecision(
  JSON.parse(readFileSync(new URL('./suitability.jdm.json', import.meta.url), 'utf8')),
);
const zenVerdict = async (facts) => verdictOf((await zenTable.evaluate(facts)).result);

// ---- the findings every engine must agree on -----------------------------------------------
const RULES = ['C-PSYCHOSIS', 'C-PD-UNMOTIVATED', 'C-COGNITIVE', 'I-MOOD-ESSENTIAL', 'I-ACUTE-MDD', 'X-AGE', 'X-SUICIDE'];
function iptFindings(request) {
  const r = call('assess_suitability', { ...request, detail: 'decision' });
  if (!r.ok) throw new Error(`ipt refused a check patient: ${JSON.stringify(r.error)}`);
  const { verdict, alerts, rules, inputs_missing: missing } = r.result;
  const asked = new Set(REQUIRED.map((n) => `$.findings.${n}`));
  return {
    verdict,
    alerts: alerts.map((a) => a.rule_id).filter((a) => RULES.includes(a)).sort(),
    met: rules.met.filter((id) => RULES.includes(id)).sort(),
    missing: missing.filter((p) => asked.has(p)).sort(),
  };
}
const variant = (change) => {
  const p = structuredClone(patient);
  change(p);
  return p;
};
const CHECKS = {
  'the patient': patient,
  psychosis: variant((p) => { p.findings.active_psychosis = 'present'; }),
  'personality disorder, unmotivated': variant((p) => { p.findings.personality_disorder = 'present'; p.findings.motivation = 'absent'; }),
  'cognitive impairment': variant((p) => { p.findings.cognitive_impairment = { severity: 'severe', cause: 'general_medical_condition' }; }),
  'young, high suicide risk': variant((p) => { p.age = 16; p.findings.suicide_risk = 'high'; }),
  'insight and suicide risk unknown': variant((p) => { delete p.findings.insight; delete p.findings.suicide_risk; }),
  'no acute episode': variant((p) => { p.diagnoses[0].phase = 'remitted'; }),
};
async function checkPeers() {
  for (const [name, request] of Object.entries(CHECKS)) {
    const want = JSON.stringify(iptFindings(request));
    const peers = { 'json-rules-engine': await peerVerdict(makeEngine(), request), ZEN: await zenVerdict(request) };
    for (const [peerName, got] of Object.entries(peers)) {
      if (JSON.stringify(got) !== want) {
        throw new Error(`${peerName} and ipt disagree on ${name}: ${JSON.stringify(got)} against ${want}`);
      }
    }
  }
}

// ---- timing --------------------------------------------------------------------------------
const now = () => process.hrtime.bigint();
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), q1: q(0.25), q3: q(0.75) };
};
const fmt = ({ median, q1, q3 }) => `${median.toFixed(2)} µs (IQR ${q1.toFixed(2)}–${q3.toFixed(2)})`;

const engine = makeEngine();
const decisionRequest = { ...patient, detail: 'decision' };
const explainedRequest = patient;

// Every engine gives ipt's findings before anything is timed.
await checkPeers();
const ours = call('assess_suitability', decisionRequest).result;

const BATCHES = Number(process.env.PEER_BATCHES ?? 41);
const PER = Number(process.env.PEER_PER ?? 200);
const times = { peer: [], decision: [], explained: [], zen_sequential: [], zen_concurrent: [] };
for (let b = -3; b < BATCHES; b++) { // three warm-up rounds, not recorded
  let t = now();
  for (let i = 0; i < PER; i++) await peerVerdict(engine, patient);
  const peerT = Number(now() - t) / PER / 1000;
  t = now();
  for (let i = 0; i < PER; i++) await zenVerdict(patient);
  const zenSeqT = Number(now() - t) / PER / 1000;
  t = now();
  await Promise.all(Array.from({ length: PER }, () => zenVerdict(patient)));
  const zenConT = Number(now() - t) / PER / 1000;
  t = now();
  for (let i = 0; i < PER; i++) call('assess_suitability', decisionRequest);
  const decisionT = Number(now() - t) / PER / 1000;
  t = now();
  for (let i = 0; i < PER; i++) call('assess_suitability', explainedRequest);
  const explainedT = Number(now() - t) / PER / 1000;
  if (b >= 0) {
    times.peer.push(peerT);
    times.decision.push(decisionT);
    times.explained.push(explainedT);
    times.zen_sequential.push(zenSeqT);
    times.zen_concurrent.push(zenConT);
  }
}
const s = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)]));
// ZEN at its best: the better of its two ways, batch by batch.
const zenBest = times.zen_sequential.map((x, i) => Math.min(x, times.zen_concurrent[i]));
s.zen_best = stats(zenBest);
/** The per-batch ratios `them / ipt` (above 1: ipt faster): median and IQR. */
const ratio = (them, ours) => stats(them.map((x, i) => x / ours[i]));
const r = {
  peer_decision: ratio(times.peer, times.decision),
  peer_explained: ratio(times.peer, times.explained),
  zen_decision: ratio(zenBest, times.decision),
  zen_explained: ratio(zenBest, times.explained),
};
const x = ({ median, q1, q3 }) => `${median.toFixed(2)}x (IQR ${q1.toFixed(2)}–${q3.toFixed(2)})`;
const zenVersion = JSON.parse(readFileSync(new URL('./node_modules/@gorules/zen-engine/package.json', import.meta.url), 'utf8')).version;
console.log(`same patient, verdict ${ours.verdict}; ${BATCHES} alternating batches of ${PER} calls; Node ${process.version}`);
const rows = [
  ['json-rules-engine 7.3.1 (verdict and alerts only)', s.peer],
  [`ZEN ${zenVersion} decision table, sequential`, s.zen_sequential],
  [`ZEN ${zenVersion} decision table, concurrent`, s.zen_concurrent],
  ['ipt wasm, decision detail', s.decision],
  ['ipt wasm, explained detail', s.explained],
];
for (const [label, stat] of rows) console.log(`${`${label}:`.padEnd(52)}${fmt(stat)}`);
console.log(`ratios per batch (peer time / ipt time; above 1: ipt faster):`);
console.log(`  json-rules-engine / ipt decision:  ${x(r.peer_decision)}`);
console.log(`  json-rules-engine / ipt explained: ${x(r.peer_explained)}`);
console.log(`  ZEN at its best / ipt decision:    ${x(r.zen_decision)}`);
console.log(`  ZEN at its best / ipt explained:   ${x(r.zen_explained)}`);
if (process.env.BENCH_JSON) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(process.env.BENCH_JSON, JSON.stringify({ node: `Node ${process.version}`, zen_version: zenVersion, ...s, ratios: r }));
}
