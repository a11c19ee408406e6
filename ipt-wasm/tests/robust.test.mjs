// The boundary of the npm package: arguments of the wrong kind, text that is not Unicode,
// requests over the engine's byte limit (refused before they cross into wasm), freed courses,
// and the handle's answer. Each test is named after what it shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, version, assessSuitability, Course, IptError, init, ready } from '../pkg/node.mjs';
import * as pkg from '../pkg/node.mjs';

const MAX = version().limits.max_request_bytes;

test('a non-string operation name is invalid_argument, not a trap', () => {
  for (const name of [undefined, 42, 10n, null, {}, Symbol('x')]) {
    const a = call(name, {});
    assert.equal(a.ok, false);
    assert.equal(a.error.code, 'invalid_argument', String(typeof name));
  }
  assert.ok(version().engine_version, 'the module still answers');
});

test('a request that is neither a string nor an object is invalid_argument', () => {
  for (const request of [42, 10n, true, Symbol('x'), () => 1]) {
    assert.throws(() => assessSuitability(request), (e) => e instanceof IptError && e.code === 'invalid_argument');
    assert.equal(call('assess_suitability', request).error.code, 'invalid_argument');
  }
  assert.throws(() => assessSuitability({ big: 1n }), (e) => e.code === 'invalid_argument');
});

test('a lone surrogate is refused the same way as a string and as an object', () => {
  const lone = '\uD800';
  const asString = `{"findings":{},"x":"${lone}"}`;
  assert.throws(() => assessSuitability(asString), (e) => e.code === 'invalid_json' && /lone surrogate/.test(e.message) && /index 20/.test(e.message));
  assert.throws(() => assessSuitability({ findings: {}, language_culture: { preferred_language: lone } }), (e) => e.code === 'invalid_json');
  // A well-formed pair is text.
  assert.equal(assessSuitability({ language_culture: { preferred_language: 'en \uD83D\uDE00' } }).verdict, 'indeterminate');
});

test('a request over the byte limit is refused before it crosses, and one at the limit is read', () => {
  const over = ' '.repeat(MAX + 1);
  const t = process.hrtime.bigint();
  assert.throws(() => assessSuitability(over), (e) => e.code === 'input_too_large');
  assert.ok(Number(process.hrtime.bigint() - t) / 1e9 < 2);
  // Multi-byte text: under the limit in UTF-16 units, over it in UTF-8 bytes.
  const wide = 'é'.repeat(MAX / 2 + 1);
  assert.equal(call('assess_suitability', wide).error.code, 'input_too_large');
  const at = `{${' '.repeat(MAX - 1)}`;
  assert.equal(call('assess_suitability', at).error.code, 'invalid_json');
  const course = new Course({ variant: 'brief' });
  assert.throws(() => course.apply(over), (e) => e.code === 'input_too_large');
  assert.equal(course.status().phase, 'intake', 'the course is unharmed');
  course.free();
});

test('a freed course answers invalid_handle, and freeing twice is harmless', () => {
  const course = new Course({ variant: 'brief' });
  course.free();
  course.free();
  assert.throws(() => course.status(), (e) => e instanceof IptError && e.code === 'invalid_handle');
  assert.throws(() => course.apply({ type: 'termination_raised' }), (e) => e.code === 'invalid_handle');
  assert.throws(() => course.snapshot(), (e) => e.code === 'invalid_handle');
});

test('the handle answers the outputs and the event count; the snapshot stays in the course', () => {
  const course = new Course({ variant: 'brief' });
  const r = course.apply({ type: 'risk_assessed', level: 'low' });
  assert.equal(r.events, 1);
  assert.ok(Array.isArray(r.outputs.alerts));
  assert.equal(r.snapshot, undefined);
  assert.equal(course.snapshot().events.length, 1);
  course.free();
});

test('the published package has no test panic, and init exists in Node', async () => {
  assert.equal(pkg.panicForTest, undefined);
  assert.equal(typeof init, 'function');
  await init();
  await ready;
});
