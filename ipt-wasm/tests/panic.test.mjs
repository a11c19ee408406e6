// A trap inside the engine (a deliberate panic, only in the test build pkg-test) reaches
// JavaScript as an IptError `internal`; the module is reset to a fresh instance, and every live
// Course is rebuilt there before its next call: no other course is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panicForTest, assessSuitability, version, call, Course, IptError } from '../pkg-test/node.mjs';

const trap = () => assert.throws(() => panicForTest(), (e) => e instanceof IptError && e.code === 'internal'
  && e.path === null && /unreachable/.test(e.message) && /reloaded/.test(e.message));
const SESSION = { type: 'risk_assessed', level: 'low' };

test('a panic becomes an internal IptError and the module keeps working', () => {
  trap();
  assert.equal(assessSuitability({ findings: { active_psychosis: 'present' } }).verdict, 'contraindicated');
  assert.ok(version().engine_version);
  trap();
  assert.ok(version().engine_version, 'and again after a second panic');
  assert.equal(call('version').ok, true);
});

test('a trap never loses another live course: both answer as before and take further events', () => {
  const a = new Course({ variant: 'brief' });
  a.apply({ type: 'risk_assessed', level: 'high' });
  const b = Course.fromSnapshot(new Course({ variant: 'group' }).snapshot());
  b.apply(JSON.stringify(SESSION));
  // Twins that see no trap: what a and b must keep answering.
  const twinA = Course.fromSnapshot(a.snapshot());
  const twinB = Course.fromSnapshot(b.snapshot());
  const before = [a.status(), b.status(), a.snapshot(), b.snapshot(), a.started, b.started];
  trap();
  assert.deepEqual([a.status(), b.status(), a.snapshot(), b.snapshot(), a.started, b.started], before);
  assert.equal(a.status().alerts[0].rule_id, 'X-SUICIDE', 'the safety alert survives the trap');
  assert.deepEqual(a.apply(SESSION), twinA.apply(SESSION));
  assert.deepEqual(b.apply(SESSION), twinB.apply(SESSION));
  assert.throws(() => a.apply({ type: 'course_completed' }), (e) => e.code === 'transition_refused');
  assert.deepEqual(a.snapshot(), twinA.snapshot());
  for (const c of [a, b, twinA, twinB]) c.free();
});

test('a course is rebuilt after every trap, used in between or not', () => {
  const used = new Course({ variant: 'standard' });
  const idle = new Course({ variant: 'standard' });
  idle.apply(SESSION);
  for (let i = 1; i <= 3; i++) {
    trap();
    assert.equal(used.apply(SESSION).events, i);
    trap();
  }
  assert.equal(used.snapshot().events.length, 3);
  assert.equal(idle.snapshot().events.length, 1);
  assert.equal(idle.apply(SESSION).events, 2);
  used.free();
  idle.free();
});

test('a refused or invalid event before a trap is not replayed after it', () => {
  const c = new Course({ variant: 'brief' });
  c.apply(SESSION);
  assert.throws(() => c.apply({ type: 'course_completed' }), (e) => e.code === 'transition_refused');
  assert.throws(() => c.apply('{'), (e) => e.code === 'invalid_json');
  assert.throws(() => c.apply(42), (e) => e.code === 'invalid_argument');
  const before = c.snapshot();
  trap();
  assert.deepEqual(c.snapshot(), before);
  assert.equal(c.snapshot().events.length, 1);
  c.free();
});

test('a course whose texts outgrew it is rebuilt from its snapshot', () => {
  // Whitespace the engine reads past: the course holds small events, not the texts.
  const pad = ' '.repeat(3 << 20);
  const c = new Course({ variant: 'brief' });
  c.apply(`${JSON.stringify(SESSION)}${pad}`);
  c.apply(`${JSON.stringify(SESSION)}${pad}`);
  c.apply(SESSION);
  const started = new Course(`{"variant": "brief"}${pad}`);
  const restored = Course.fromSnapshot(`${JSON.stringify(c.snapshot())}${pad}`);
  started.apply(SESSION);
  const before = [c, started, restored].map((x) => [x.status(), x.snapshot(), x.started]);
  trap();
  assert.deepEqual([c, started, restored].map((x) => [x.status(), x.snapshot(), x.started]), before);
  assert.equal(c.apply(SESSION).events, 4);
  assert.equal(started.apply(SESSION).events, 2);
  assert.equal(restored.apply(SESSION).events, 4);
  for (const x of [c, started, restored]) x.free();
});

test('a course freed before a trap stays freed, and one freed after is freed', () => {
  const freedBefore = new Course({ variant: 'brief' });
  freedBefore.free();
  const freedAfter = new Course({ variant: 'brief' });
  trap();
  freedAfter.free(); // a handle of the old instance: dropped with it
  freedAfter.free();
  for (const c of [freedBefore, freedAfter]) {
    assert.throws(() => c.status(), (e) => e.code === 'invalid_handle');
    assert.throws(() => c.apply(SESSION), (e) => e.code === 'invalid_handle');
  }
  const fresh = new Course({ variant: 'brief' });
  assert.equal(fresh.apply(SESSION).events, 1, 'courses made after the trap are fine');
  fresh.free();
});

test('many courses survive many traps', () => {
  const courses = Array.from({ length: 50 }, (_, i) => new Course({ variant: i % 2 ? 'brief' : 'standard' }));
  courses.forEach((c, i) => {
    for (let k = 0; k < i % 5; k++) c.apply(SESSION);
  });
  const before = courses.map((c) => c.snapshot());
  for (let i = 0; i < 5; i++) trap();
  assert.deepEqual(courses.map((c) => c.snapshot()), before);
  courses.forEach((c) => c.free());
});
