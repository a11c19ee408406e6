// A panic inside the engine (only possible in the test build, pkg-test) reaches JavaScript as
// an IptError with a message; the package keeps working afterwards and live courses are kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panicForTest, assessSuitability, version, Course, IptError } from '../pkg-test/node.mjs';

test('a panic becomes an exception and the module keeps working', () => {
  assert.throws(() => panicForTest(), (e) => e instanceof IptError && e.code === 'internal' && /reloaded/.test(e.message));
  assert.equal(assessSuitability({ findings: { active_psychosis: 'present' } }).verdict, 'contraindicated');
  assert.ok(version().engine_version);
  assert.throws(() => panicForTest(), IptError);
  assert.ok(version().engine_version, 'and again after a second panic');
});

test('a trap never loses another live course', () => {
  const a = new Course({ variant: 'brief' });
  a.apply({ type: 'risk_assessed', level: 'high' });
  const snapshotB = new Course({ variant: 'group' }).snapshot();
  const b = Course.fromSnapshot(snapshotB);
  b.apply({ type: 'risk_assessed', level: 'low' });
  const freed = new Course({ variant: 'brief' });
  freed.free();
  const [statusA, statusB] = [a.status(), b.status()];
  assert.throws(() => panicForTest(), (e) => e.code === 'internal');
  // Both courses answer as before, on the fresh instance, and take further events.
  assert.deepEqual(a.status(), statusA);
  assert.deepEqual(b.status(), statusB);
  assert.equal(a.status().alerts[0].rule_id, 'X-SUICIDE', 'the safety alert survives the trap');
  assert.equal(a.apply({ type: 'risk_assessed', level: 'low' }).events, 2);
  assert.equal(b.snapshot().events.length, 1);
  assert.throws(() => freed.status(), (e) => e.code === 'invalid_handle', 'a freed course stays freed');
});
