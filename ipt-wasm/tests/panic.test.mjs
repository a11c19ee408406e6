// A panic inside the engine (only possible in the test build, pkg-test) reaches JavaScript as
// an IptError with a message, and the package keeps working afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panicForTest, assessSuitability, version, Course, IptError } from '../pkg-test/node.mjs';

test('a panic becomes an exception and the module keeps working', () => {
  const before = new Course({ variant: 'brief' });
  const snapshot = before.snapshot();
  assert.throws(() => panicForTest(), (e) => e instanceof IptError && e.code === 'internal' && /reloaded/.test(e.message));
  assert.equal(assessSuitability({ findings: { active_psychosis: 'present' } }).verdict, 'contraindicated');
  assert.ok(version().engine_version);
  // A course is restored from its snapshot into the fresh instance.
  const restored = Course.fromSnapshot(snapshot);
  assert.equal(restored.status().phase, 'intake');
  assert.throws(() => panicForTest(), IptError);
  assert.ok(version().engine_version, 'and again after a second panic');
});
