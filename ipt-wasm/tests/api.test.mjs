// The object API: results, IptError with code and path, the Course class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as api from '../pkg/node.mjs';
import { assessSuitability, version, rules, Course, IptError, call, courseReplay } from '../pkg/node.mjs';

test('version and rules', () => {
  assert.match(version().engine_version, /^\d+\.\d+\.\d+/);
  assert.ok(rules().rules.some((r) => r.id === 'C-PSYCHOSIS'));
});

test('an explained verdict', () => {
  const r = assessSuitability({ findings: { active_psychosis: 'present' } });
  assert.equal(r.verdict, 'contraindicated');
  assert.deepEqual(r.decided_by, ['C-PSYCHOSIS']);
  assert.equal(r.explanation.contraindications[0].rule_id, 'C-PSYCHOSIS');
});

test('a decision answer is the explained answer without its prose', () => {
  const request = { age: 16, findings: { active_psychosis: 'absent', suicide_risk: 'high' } };
  const explained = assessSuitability(request);
  const decision = assessSuitability({ ...request, detail: 'decision' });
  assert.equal(decision.explanation, undefined);
  assert.equal(decision.verdict, explained.verdict);
  assert.deepEqual(decision.rules, explained.rules);
  assert.deepEqual(decision.alerts.map((a) => [a.rule_id, a.indicator]), [['X-SUICIDE', 'critical']]);
  assert.equal(decision.alerts[0].summary, undefined);
  assert.ok(JSON.stringify(decision).length < JSON.stringify(explained).length / 3);
});

test('a named function for every operation of the engine', () => {
  const camel = (n) => n.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  for (const name of version().operations) {
    assert.equal(typeof api[camel(name)], 'function', name);
  }
});

test('errors are IptError objects with code and path', () => {
  assert.throws(() => assessSuitability({ age: 300 }), (e) => e instanceof IptError && e instanceof Error && e.code === 'invalid_input' && e.path === '$.age');
  assert.throws(() => assessSuitability('{'), (e) => e.code === 'invalid_json');
  assert.equal(call('nope', {}).error.code, 'unknown_operation');
});

test('a course in memory: refusals change nothing', () => {
  const course = new Course({ variant: 'brief' });
  assert.ok(course.started.snapshot);
  const before = JSON.stringify(course.snapshot());
  assert.throws(() => course.apply({ type: 'session_held', number: 1, date: '2026-01-05' }),
    (e) => e.code === 'transition_refused' && e.unmet.length > 0);
  assert.equal(JSON.stringify(course.snapshot()), before);
  const restored = Course.fromSnapshot(course.snapshot());
  assert.deepEqual(restored.status(), course.status());
  assert.throws(() => new Course({ variant: 'nope' }), (e) => e.code === 'invalid_input');
  course.free();
  restored.free();
});

test('a full-course replay', () => {
  const v = JSON.parse(readFileSync(new URL('../../tests/vectors/course/V-STANDARD.complete_standard_16.json', import.meta.url), 'utf8'));
  assert.deepEqual(courseReplay(v.request), v.expected.result);
});

test('the README example runs as written', async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const m = readme.match(/<!-- example:js:start -->\s*```js\n([\s\S]*?)```\s*<!-- example:js:end -->/);
  assert.ok(m, 'README has a JavaScript example');
  const code = m[1].replaceAll("from 'ipt-engine'", `from '${new URL('../pkg/node.mjs', import.meta.url).href}'`);
  const logs = [];
  const original = console.log;
  console.log = (...a) => logs.push(a.join(' '));
  try {
    await import(`data:text/javascript,${encodeURIComponent(code)}`);
  } finally {
    console.log = original;
  }
  assert.ok(logs.some((l) => l.includes('contraindicated')), logs.join('\n'));
});

test("the package README's first example runs as written", async () => {
  const readme = readFileSync(new URL('../pkg/README.md', import.meta.url), 'utf8');
  const code = readme.match(/```js\n([\s\S]*?)```/)[1]
    .replaceAll("from 'ipt-engine'", `from '${new URL('../pkg/node.mjs', import.meta.url).href}'`);
  const logs = [];
  const original = console.log;
  console.log = (...a) => logs.push(a.map((x) => JSON.stringify(x)).join(' '));
  try {
    await import(`data:text/javascript,${encodeURIComponent(code)}`);
  } finally {
    console.log = original;
  }
  assert.equal(logs[0], '"contraindicated" ["C-PSYCHOSIS"]');
  assert.ok(Array.isArray(JSON.parse(logs[1])) && JSON.parse(logs[1]).length > 0, logs[1]);
});
