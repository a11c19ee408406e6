// Median time per call from Node (JSON strings through the package), for the README.
// Run after build.sh: node ipt-wasm/bench-node.mjs
import { readFileSync } from 'node:fs';
import { call } from './pkg/node.mjs';

const assessment = readFileSync(new URL('../benches/fixtures/typical_assessment.json', import.meta.url), 'utf8');
const replay = JSON.stringify(JSON.parse(readFileSync(new URL('../tests/vectors/course/V-STANDARD.complete_standard_16.json', import.meta.url), 'utf8')).request);
function median(f, batches, per) {
  const t = [];
  for (let i = 0; i < batches; i++) {
    const s = process.hrtime.bigint();
    for (let j = 0; j < per; j++) f();
    t.push(Number(process.hrtime.bigint() - s) / per / 1000);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)].toFixed(1);
}
median(() => call('assess_suitability', assessment), 20, 50); // warm-up
console.log(`assess_suitability: median ${median(() => call('assess_suitability', assessment), 101, 50)} us per call`);
console.log(`course_replay (16-session standard course): median ${median(() => call('course_replay', replay), 51, 5)} us per call`);
