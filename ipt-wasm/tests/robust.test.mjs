// The boundary of the published npm package (pkg/): arguments of the wrong kind, text that is
// not Unicode, requests over the engine's byte limit (refused before they cross into wasm),
// unknown operations, freed courses, and the handle's answer. Where the engine would answer
// the same input, the package's answer is compared with the engine's own (the raw export).
// Each test is named after what it shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { call, version, assessSuitability, courseStatus, Course, IptError, init, ready } from '../pkg/node.mjs';
import * as pkg from '../pkg/node.mjs';

const raw = createRequire(import.meta.url)('../pkg/ipt_wasm.cjs');
const engine = (operation, text) => JSON.parse(raw.call(operation, text));
const V = version();
const MAX = V.limits.max_request_bytes;
const seconds = (f) => {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e9;
};
/** An error answer in the engine's envelope, keys in the engine's order. */
function assertEnvelope(answer, operation, code) {
  assert.deepEqual(Object.keys(answer), ['engine_version', 'protocol_version', 'terminology_version', 'operation', 'ok', 'error']);
  assert.equal(answer.engine_version, V.engine_version);
  assert.equal(answer.protocol_version, V.protocol_version);
  assert.equal(answer.terminology_version, V.terminology_version);
  assert.equal(answer.operation, operation);
  assert.equal(answer.ok, false);
  assert.equal(answer.error.code, code, answer.error.message);
  assert.equal(typeof answer.error.message, 'string');
}
const isRefusal = (code, path = null) => (e) => {
  assert.ok(e instanceof IptError && e instanceof Error, String(e));
  assert.equal(e.code, code, e.message);
  assert.equal(e.path, path);
  assert.equal(e.answer.error.code, code);
  return true;
};

const NOT_STRINGS = [undefined, null, 42, 4.2, NaN, 10n, true, Symbol('x'), () => 1, {}, [], new String('version')];

test('a non-string operation name is invalid_argument with path null, in the engine envelope', () => {
  for (const name of NOT_STRINGS) {
    const a = call(name, {});
    assertEnvelope(a, '', 'invalid_argument');
    assert.match(a.error.message, /operation name is a string/);
  }
  assert.match(call(42).error.message, /not a number$/);
  assert.match(call(10n).error.message, /not a BigInt$/);
  assert.match(call(undefined).error.message, /not undefined$/);
  assert.equal(call().error.code, 'invalid_argument', 'no arguments at all');
  assert.equal(version().engine_version, V.engine_version, 'the module still answers');
});

test('a request that is not a string, a plain object or an array is invalid_argument', () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const cyclic = {};
  cyclic.self = cyclic;
  class Request {}
  const wrong = [null, 42, 10n, true, Symbol('x'), () => 1, new Date(0), new Map(), new String('{}'), new Request(), proxy, { big: 1n }, cyclic, { toJSON: () => undefined }];
  for (const request of wrong) {
    assert.throws(() => assessSuitability(request), isRefusal('invalid_argument'));
    assertEnvelope(call('assess_suitability', request), 'assess_suitability', 'invalid_argument');
    assert.throws(() => new Course(request), isRefusal('invalid_argument'));
    assert.throws(() => Course.fromSnapshot(request), isRefusal('invalid_argument'));
  }
  assert.match(call('assess_suitability', 7).error.message, /not a number$/);
  assert.match(call('assess_suitability', new Map()).error.message, /not a Map object$/);
  assert.match(call('assess_suitability', { big: 1n }).error.message, /cannot be written as JSON/);
  const course = new Course({ variant: 'brief' });
  for (const event of wrong) assert.throws(() => course.apply(event), isRefusal('invalid_argument'));
  assert.equal(course.status().phase, 'intake', 'the course is unchanged');
  // Plain objects from another realm, without a prototype, or from JSON.parse are requests.
  const plain = [runInNewContext('({ findings: { active_psychosis: "present" } })'), Object.assign(Object.create(null), { findings: { active_psychosis: 'present' } }), JSON.parse('{"findings": {"active_psychosis": "present"}}')];
  for (const request of plain) assert.equal(assessSuitability(request).verdict, 'contraindicated');
  assert.equal(call('assess_suitability', runInNewContext('[]')).error.code, 'invalid_input', 'an array crosses; the engine refuses it');
  // Undefined is no request: the engine reads the empty text.
  assert.deepEqual(call('assess_suitability'), engine('assess_suitability', ''));
  assert.deepEqual(call('version', undefined), engine('version', ''));
  course.free();
});

test('a lone surrogate in a request string is invalid_json naming its UTF-16 index', () => {
  // [before, the lone unit, after]: its index is the length before it.
  const cases = [
    ['{"age": 30, "x": "', '\uD800', '"}'],
    ['{"age": 30, "x": "', '\uDC00', '"}'],
    ['{"x": "\uD83D\uDE00", "y": "', '\uDE00', '\uD83D\uDE00"}'],
    ['{"x": "ok"}', '\uD800', ''],
    ['{"x": "', '\uD83D', '\uD83D\uDE00"}'],
  ];
  for (const [before, lone, after] of cases) {
    const text = before + lone + after;
    const unit = lone.charCodeAt(0).toString(16).toUpperCase();
    assert.throws(() => assessSuitability(text), (e) => isRefusal('invalid_json')(e)
      && e.message.includes(`lone surrogate (U+${unit}) at UTF-16 index ${before.length}`));
    const a = call('assess_suitability', text);
    assertEnvelope(a, 'assess_suitability', 'invalid_json');
    assert.match(a.error.message, /^the request is not valid JSON: /);
  }
  const course = new Course({ variant: 'brief' });
  assert.throws(() => new Course(`{"variant": "brief", "id": "\uD800"}`), isRefusal('invalid_json'));
  assert.throws(() => course.apply(`{"type": "risk_assessed", "level": "\uDFFF"}`), isRefusal('invalid_json'));
  assert.throws(() => Course.fromSnapshot(JSON.stringify(course.snapshot()).replace('{', '{\uD800')), isRefusal('invalid_json'));
  assert.equal(course.snapshot().events.length, 0);
  course.free();
});

test('a lone surrogate in a request object is invalid_json too, naming its position', () => {
  const request = { findings: {}, language_culture: { preferred_language: 'en\uD800' } };
  // JSON.stringify escapes it; the engine refuses the escape, at its line and column.
  const a = call('assess_suitability', request);
  assert.deepEqual(a, engine('assess_suitability', JSON.stringify(request)));
  assertEnvelope(a, 'assess_suitability', 'invalid_json');
  assert.match(a.error.message, /line 1 column \d+/);
  assert.throws(() => assessSuitability(request), isRefusal('invalid_json'));
  const course = new Course({ variant: 'brief' });
  assert.throws(() => course.apply({ type: 'closed', reason: '\uDC00' }), isRefusal('invalid_json', null));
  course.free();
  // A well-formed pair is text.
  assert.equal(assessSuitability({ language_culture: { preferred_language: 'en \uD83D\uDE00' } }).verdict, 'indeterminate');
  assert.equal(assessSuitability('{"language_culture": {"preferred_language": "en \uD83D\uDE00"}}').verdict, 'indeterminate');
});

test('a request just over the byte limit is input_too_large at once, word for word the engine\'s answer', () => {
  const overs = [
    ' '.repeat(MAX + 1), // ASCII: one byte per unit
    'é'.repeat(MAX / 2 + 1), // fewer units than the limit, two bytes each
    '€'.repeat(Math.floor(MAX / 3) + 1), // three bytes each
    `${'\uD83D\uDE00'.repeat(MAX / 4)} `, // pairs, four bytes each
    `${' '.repeat(MAX - 2)}\uD800`, // a lone surrogate crosses as U+FFFD, three bytes
  ];
  for (const over of overs) {
    let a;
    assert.ok(seconds(() => { a = call('assess_suitability', over); }) < 1, 'refused quickly');
    assertEnvelope(a, 'assess_suitability', 'input_too_large');
    assert.deepEqual(a, engine('assess_suitability', over), 'the engine answers the same');
    assert.throws(() => assessSuitability(over), isRefusal('input_too_large'));
  }
  // An object whose JSON text is over the limit.
  const big = { findings: {}, language_culture: { preferred_language: 'x'.repeat(MAX) } };
  assert.deepEqual(call('assess_suitability', big), engine('assess_suitability', JSON.stringify(big)));
});

test('a request exactly at the byte limit crosses and the engine answers it', () => {
  const ats = [
    `{${' '.repeat(MAX - 1)}`,
    `{${'é'.repeat((MAX - 2) / 2)} `,
    `{"age": 30}${' '.repeat(MAX - 11)}`,
  ];
  for (const at of ats) {
    const a = call('assess_suitability', at);
    assert.deepEqual(a, engine('assess_suitability', at));
    assert.notEqual(a.error?.code, 'input_too_large');
  }
  assert.equal(call('assess_suitability', ats[0]).error.code, 'invalid_json');
  assert.equal(assessSuitability(ats[2]).verdict, 'indeterminate', 'trailing whitespace is JSON');
});

test('a course start, event or snapshot over the byte limit is refused and no course is harmed', () => {
  const over = ' '.repeat(MAX + 1);
  const a = new Course({ variant: 'brief' });
  a.apply({ type: 'risk_assessed', level: 'high' });
  const b = new Course({ variant: 'group' });
  const [statusA, statusB] = [a.status(), b.status()];
  assert.ok(seconds(() => assert.throws(() => a.apply(over), isRefusal('input_too_large'))) < 1);
  assert.throws(() => new Course(over), isRefusal('input_too_large'));
  assert.throws(() => Course.fromSnapshot(over), (e) => isRefusal('input_too_large')(e) && e.answer.operation === 'course_status');
  const padded = `{"type": "risk_assessed", "level": "low"}${' '.repeat(MAX)}`;
  assert.throws(() => a.apply(padded), isRefusal('input_too_large'));
  assert.deepEqual(a.status(), statusA);
  assert.deepEqual(b.status(), statusB);
  assert.equal(a.apply({ type: 'risk_assessed', level: 'low' }).events, 2);
  a.free();
  b.free();
});

test('an unknown operation is answered before its request is read, as the engine answers it', () => {
  const over = ' '.repeat(MAX + 1);
  assert.deepEqual(call('nope', over), engine('nope', ''));
  assertEnvelope(call('nope', 42), 'nope', 'unknown_operation');
  // Names longer than any operation are answered here, with the engine's clipping.
  for (const name of ['x'.repeat(64), 'x'.repeat(65), 'ü'.repeat(5000), `${'\uD83D\uDE00'.repeat(3000)}`, `a\uD800${'b'.repeat(5000)}`, 'y'.repeat(1 << 20)]) {
    const a = call(name, '{}');
    assert.deepEqual(a, engine(name, ''), `a name of ${name.length} units`);
    assert.ok(JSON.stringify(a).length < 600, 'the name is clipped');
  }
});

test('a freed course answers invalid_handle, and freeing twice is harmless', () => {
  const course = new Course({ variant: 'brief' });
  course.free();
  course.free();
  assert.throws(() => course.status(), isRefusal('invalid_handle'));
  assert.throws(() => course.apply({ type: 'termination_raised' }), isRefusal('invalid_handle'));
  assert.throws(() => course.apply(42), isRefusal('invalid_handle'), 'the handle is checked first');
  assert.throws(() => course.snapshot(), isRefusal('invalid_handle'));
});

test('the handle answers the outputs and the event count; the snapshot stays in the course', () => {
  const course = new Course({ variant: 'brief' });
  const r = course.apply({ type: 'risk_assessed', level: 'low' });
  assert.deepEqual(Object.keys(r), ['outputs', 'events']);
  assert.equal(r.events, 1);
  assert.ok(Array.isArray(r.outputs.alerts));
  assert.equal(course.snapshot().events.length, 1);
  assert.deepEqual(courseStatus({ snapshot: course.snapshot() }), course.status());
  const restored = Course.fromSnapshot(course.snapshot());
  assert.deepEqual(restored.status(), course.status());
  assert.deepEqual(restored.started, course.status(), 'a restored course started at its status');
  course.free();
  restored.free();
});

test('a course at the event limit and a request at the byte limit answer in megabytes, not more', () => {
  const N = V.limits.max_events;
  const events = Array.from({ length: N }, (_, i) => ({ type: 'risk_assessed', level: i % 2 ? 'high' : 'low' }));
  const replay = call('course_replay', { start: { variant: 'standard' }, events });
  assert.equal(replay.ok, true);
  assert.ok(JSON.stringify(replay).length < 4 << 20, `${JSON.stringify(replay).length} characters`);
  const over = call('course_replay', { start: { variant: 'standard' }, events: [...events, events[0]] });
  assert.equal(over.error.code, 'limit_exceeded');
  assert.equal(over.error.path, '$.events');
  const course = Course.fromSnapshot(replay.result.snapshot);
  assert.throws(() => course.apply(events[0]), isRefusal('limit_exceeded', '$.event'));
  assert.ok(JSON.stringify(course.snapshot()).length < 1 << 20);
  course.free();
  // The largest answer: a replay of full assessments, as many as fit in 16 MiB.
  const v = JSON.parse(readFileSync(new URL('../../tests/vectors/course/V-STANDARD.complete_standard_16.json', import.meta.url), 'utf8'));
  const assessed = v.request.events[0];
  assessed.assessment.diagnoses = Array(16).fill(assessed.assessment.diagnoses[0]);
  const one = JSON.stringify(assessed).length + 1;
  const many = { start: { variant: 'standard' }, events: Array.from({ length: Math.min(N, Math.floor((MAX - 100) / one)) }, () => assessed) };
  const text = JSON.stringify(many);
  assert.ok(text.length > MAX * 0.9 && text.length <= MAX, `${text.length} bytes`);
  const answer = raw.call('course_replay', text);
  assert.ok(answer.length < 2 * MAX, `${answer.length} characters for ${text.length} bytes`);
  assert.equal(JSON.parse(answer).ok, true);
});

test('the published package has no test panic, and init exists in Node', async () => {
  assert.equal(pkg.panicForTest, undefined);
  assert.equal(raw.panicForTest, undefined, 'nor does its wasm module');
  for (const file of ['index.cjs', 'node.mjs', 'web.mjs', 'wrap.mjs', 'wrap.cjs', 'index.d.ts', 'index.d.cts']) {
    assert.doesNotMatch(readFileSync(new URL(`../pkg/${file}`, import.meta.url), 'utf8'), /panicForTest|TEST-ONLY/, file);
  }
  assert.equal(typeof init, 'function');
  assert.equal(await init(), undefined);
  assert.equal(await ready, undefined);
});

test('what the build read from the engine is what the engine says', () => {
  const source = readFileSync(new URL('../pkg/index.cjs', import.meta.url), 'utf8');
  const built = JSON.parse(source.match(/const ENGINE = (\{.*\});/)[1]);
  assert.deepEqual(built, {
    engine_version: V.engine_version,
    protocol_version: V.protocol_version,
    terminology_version: V.terminology_version,
    operations: V.operations,
    max_request_bytes: V.limits.max_request_bytes,
  });
  assert.equal(readFileSync(new URL('../pkg/web.mjs', import.meta.url), 'utf8').match(/const ENGINE = (\{.*\});/)[1], JSON.stringify(built));
});
