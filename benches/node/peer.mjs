// The ipt wasm package against json-rules-engine (a generic JavaScript rules engine, pinned in
// package.json) on the same suitability rules and the same patient, in one Node process.
//
// The json-rules-engine side encodes what a team would write by hand for these rules: the
// contraindications (C-PSYCHOSIS, C-PD-UNMOTIVATED, C-COGNITIVE), the inputs still missing
// (a required finding unknown makes the verdict indeterminate), the indications
// (I-MOOD-ESSENTIAL, I-ACUTE-MDD), the age caution (X-AGE) and the suicide alert (X-SUICIDE),
// and a verdict picked from the events, strongest first. It explains nothing; ipt's decision
// answer carries the verdict, the deciding rules, every rule by status, the alerts and the
// missing inputs, and its explained answer the words and sources besides.
//
// Batches alternate between the engines (so drift in machine load hits both alike); the
// printout gives each median per call with the interquartile range, and the ratios.
//
// Run: bash benches/node/run.sh (builds the wasm package if needed), or after
// `bash ipt-wasm/build.sh` and `npm ci --prefix benches/node`: node benches/node/peer.mjs
import { readFileSync } from 'node:fs';
import { Engine } from 'json-rules-engine';
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
        { fact: 'findings', path: '$.cognitive_impairment.cause', operator: 'in', value: ['substance', 'medical'] },
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
async function peerVerdict(engine, facts) {
  const { events } = await engine.run(facts);
  const types = new Set(events.map((e) => e.type));
  if (types.has('missing') && !types.has('contraindicated')) types.add('indeterminate');
  const verdict = ORDER.find((t) => types.has(t)) ?? 'not_indicated';
  return { verdict, alerts: events.filter((e) => e.type === 'alert').map((e) => e.params.rule) };
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

// Both engines agree on this patient before anything is timed.
const peer = await peerVerdict(engine, patient);
const ours = call('assess_suitability', decisionRequest).result;
if (peer.verdict !== ours.verdict) {
  throw new Error(`the engines disagree: json-rules-engine ${peer.verdict}, ipt ${ours.verdict}`);
}

const BATCHES = Number(process.env.PEER_BATCHES ?? 41);
const PER = Number(process.env.PEER_PER ?? 200);
const times = { peer: [], decision: [], explained: [] };
for (let b = -3; b < BATCHES; b++) { // three warm-up rounds, not recorded
  let t = now();
  for (let i = 0; i < PER; i++) await peerVerdict(engine, patient);
  const peerT = Number(now() - t) / PER / 1000;
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
  }
}
const s = { peer: stats(times.peer), decision: stats(times.decision), explained: stats(times.explained) };
console.log(`same patient, verdict ${ours.verdict}; ${BATCHES} alternating batches of ${PER} calls; Node ${process.version}`);
console.log(`json-rules-engine 7.3.1 (verdict and alerts only): ${fmt(s.peer)}`);
console.log(`ipt wasm, decision detail:                       ${fmt(s.decision)}  (${(s.peer.median / s.decision.median).toFixed(1)}x faster)`);
console.log(`ipt wasm, explained detail:                      ${fmt(s.explained)}  (${(s.peer.median / s.explained.median).toFixed(1)}x faster)`);
if (process.env.BENCH_JSON) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(process.env.BENCH_JSON, JSON.stringify({ node: `Node ${process.version}`, ...s }));
}
