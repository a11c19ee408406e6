// The package's wrapper (pkg/wrap.mjs) over an instrumented module: the real engine, seen
// through a glue that counts what crosses, can trap on demand, and can be "not loaded yet" or
// fail to reset. Shows what the published build cannot show on its own: nothing crosses for a
// refused argument, every entry point before loading, traps at each point of a course's life.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { makeApi, utf8Length, clip, IptError } from '../pkg/wrap.mjs';

const raw = createRequire(import.meta.url)('../pkg/ipt_wasm.cjs');
const v = JSON.parse(raw.call('version', '')).result;
const ENGINE = { engine_version: v.engine_version, protocol_version: v.protocol_version, terminology_version: v.terminology_version, operations: v.operations, max_request_bytes: v.limits.max_request_bytes };
const MAX = ENGINE.max_request_bytes;
const SESSION = { type: 'risk_assessed', level: 'low' };

/** A glue over the real module: counts crossings and resets, traps where told. */
function instrumented() {
  const s = { crossings: 0, resets: 0, trapIn: null, failReset: 0, refuseReplay: false, ready: true };
  const trapIf = (where) => {
    if (s.trapIn === where) {
      s.trapIn = null;
      throw new WebAssembly.RuntimeError('unreachable');
    }
  };
  class Course {
    constructor(text, inner) {
      if (!inner) {
        s.crossings++;
        trapIf('new');
      }
      this.inner = inner ?? new raw.Course(text);
    }
    static fromSnapshot(text) {
      s.crossings++;
      trapIf('fromSnapshot');
      return new Course(null, raw.Course.fromSnapshot(text));
    }
    startAnswer() { s.crossings++; return this.inner.startAnswer(); }
    apply(text) {
      s.crossings++;
      trapIf('apply');
      if (s.refuseReplay) return JSON.stringify({ ok: false, error: { code: 'invalid_input', message: 'no' } });
      return this.inner.apply(text);
    }
    status() { s.crossings++; trapIf('status'); return this.inner.status(); }
    snapshot() { s.crossings++; trapIf('snapshot'); return this.inner.snapshot(); }
    free() { s.crossings++; this.inner.free(); }
  }
  const glue = {
    Course,
    callAscii(operation, text) {
      s.crossings++;
      trapIf('call');
      return raw.callAscii(operation, text);
    },
    __wbg_reset_state() {
      s.resets++;
      if (s.failReset > 0) {
        s.failReset--;
        throw new RangeError('WebAssembly.Instance(): Out of memory');
      }
      raw.__wbg_reset_state();
    },
  };
  return { s, api: makeApi({ glue, engine: ENGINE, isReady: () => s.ready }) };
}

test('nothing crosses into wasm for a refused argument, a lone surrogate or an oversized request', () => {
  const { s, api } = instrumented();
  const course = new api.Course({ variant: 'brief' });
  const before = s.crossings;
  const refused = [
    () => api.call(42, {}),
    () => api.call(undefined),
    () => api.call('assess_suitability', 10n),
    () => api.call('assess_suitability', '"\uD800"'),
    () => api.call('assess_suitability', ' '.repeat(MAX + 1)),
    () => api.call('x'.repeat(5000), {}),
    () => api.assessSuitability(null),
    () => api.assessSuitability(' '.repeat(MAX + 1)),
    () => new api.Course(' '.repeat(MAX + 1)),
    () => new api.Course(7),
    () => api.Course.fromSnapshot('\uDC00'),
    () => course.apply(' '.repeat(MAX + 1)),
    () => course.apply('{"type": "\uD800"}'),
    () => course.apply(new Map()),
  ];
  for (const f of refused) {
    try {
      const a = f();
      assert.equal(a.ok, false);
    } catch (e) {
      assert.ok(e instanceof IptError, String(e));
    }
  }
  assert.equal(s.crossings, before);
  assert.equal(s.resets, 0);
  course.free();
});

test('before the module is loaded, every entry point is not_ready, with the engine envelope', () => {
  const { s, api } = instrumented();
  s.ready = false;
  const notReady = (e) => e instanceof IptError && e.code === 'not_ready' && e.path === null
    && e.answer.engine_version === ENGINE.engine_version && /await ready/.test(e.message);
  assert.throws(() => api.assessSuitability({}), notReady);
  assert.throws(() => api.version(), notReady);
  assert.throws(() => new api.Course({ variant: 'brief' }), notReady);
  assert.throws(() => api.Course.fromSnapshot('{}'), notReady);
  const a = api.call('version');
  assert.deepEqual(a, { engine_version: ENGINE.engine_version, protocol_version: ENGINE.protocol_version, terminology_version: ENGINE.terminology_version, operation: 'version', ok: false, error: a.error });
  assert.equal(a.error.code, 'not_ready');
  assert.equal(api.call('x'.repeat(100)).operation, clip('x'.repeat(100)), 'the name clipped as the engine would');
  assert.equal(api.call(5).error.code, 'invalid_argument', 'a name that is no string is that first');
  assert.equal(s.crossings, 0);
  s.ready = true;
  assert.equal(api.version().engine_version, ENGINE.engine_version);
});

test('call answers a trap as an internal error envelope instead of throwing, and resets once', () => {
  const { s, api } = instrumented();
  s.trapIn = 'call';
  const a = api.call('assess_suitability', {});
  assert.deepEqual(Object.keys(a), ['engine_version', 'protocol_version', 'terminology_version', 'operation', 'ok', 'error']);
  assert.equal(a.error.code, 'internal');
  assert.match(a.error.message, /RuntimeError: unreachable.*reloaded and live courses are kept/);
  assert.equal(s.resets, 1);
  s.trapIn = 'call';
  assert.throws(() => api.assessSuitability({}), (e) => e.code === 'internal');
  assert.equal(s.resets, 2);
  assert.equal(api.call('version').ok, true);
});

test('a trap while applying an event loses that event only', () => {
  const { s, api } = instrumented();
  const c = new api.Course({ variant: 'brief' });
  c.apply(SESSION);
  const before = c.snapshot();
  s.trapIn = 'apply';
  assert.throws(() => c.apply({ type: 'risk_assessed', level: 'high' }), (e) => e.code === 'internal');
  assert.deepEqual(c.snapshot(), before);
  assert.equal(c.apply(SESSION).events, 2);
  c.free();
});

test('a trap while a course is rebuilt: the next call rebuilds it again', () => {
  const { s, api } = instrumented();
  const c = new api.Course({ variant: 'brief' });
  c.apply(SESSION);
  const restored = api.Course.fromSnapshot(c.snapshot());
  const before = c.status();
  s.trapIn = 'call';
  api.call('version');
  for (const where of ['new', 'apply']) {
    s.trapIn = where;
    assert.throws(() => c.status(), (e) => e.code === 'internal');
  }
  s.trapIn = 'fromSnapshot';
  assert.throws(() => restored.status(), (e) => e.code === 'internal');
  assert.deepEqual(c.status(), before);
  assert.deepEqual(restored.status(), before);
  c.free();
  restored.free();
});

test('a trap while taking a checkpoint loses nothing', () => {
  const { s, api } = instrumented();
  const c = new api.Course({ variant: 'brief' });
  s.trapIn = 'snapshot';
  const r = c.apply(`${JSON.stringify(SESSION)}${' '.repeat(2 << 20)}`);
  assert.equal(r.events, 1, 'the event was applied and is answered');
  assert.equal(s.resets, 1);
  assert.equal(c.snapshot().events.length, 1, 'and rebuilt from its text');
  assert.equal(c.apply(SESSION).events, 2);
  c.free();
});

test('a course the engine will not rebuild is internal from then on, not a refusal', () => {
  const { s, api } = instrumented();
  const c = new api.Course({ variant: 'brief' });
  c.apply(SESSION);
  s.trapIn = 'call';
  api.call('version');
  s.refuseReplay = true;
  const broken = (e) => e.code === 'internal' && /could not be rebuilt/.test(e.message);
  assert.throws(() => c.status(), broken);
  s.refuseReplay = false;
  assert.throws(() => c.status(), broken);
  assert.throws(() => c.apply(SESSION), broken);
  c.free();
  assert.throws(() => c.status(), (e) => e.code === 'invalid_handle');
});

test('when the reset itself fails, the call says so and the next call resets', () => {
  const { s, api } = instrumented();
  const c = new api.Course({ variant: 'brief' });
  s.trapIn = 'call';
  s.failReset = 1;
  const a = api.call('version');
  assert.match(a.error.message, /could not be reloaded \(RangeError: .*Out of memory\)/);
  assert.equal(api.call('version').ok, true);
  assert.equal(s.resets, 2);
  assert.equal(c.apply(SESSION).events, 1);
  c.free();
});

test('the byte count is the UTF-8 that would cross, lone surrogates as U+FFFD', () => {
  const samples = ['', 'a', 'é', '€', '\uD83D\uDE00', '\uD800', '\uDC00', '\uDC00\uD800', 'a\uD800b', '\uD800\uD800\uDC00', 'x\uDBFF'];
  const base = samples.length;
  for (let i = 0; i < 2000; i++) {
    let t = '';
    for (let k = 0; k < 8; k++) t += samples[(i * 7 + k * 13 + (i >> 3)) % base];
    samples.push(t);
  }
  for (const t of samples) assert.equal(utf8Length(t), Buffer.byteLength(t, 'utf8'), JSON.stringify(t));
});

test('without String.prototype.isWellFormed (Node 18), lone surrogates are found the same', async () => {
  const original = String.prototype.isWellFormed;
  delete String.prototype.isWellFormed;
  let fallback;
  try {
    fallback = await import('../pkg/wrap.mjs?fallback');
  } finally {
    String.prototype.isWellFormed = original;
  }
  const api = fallback.makeApi({ glue: raw, engine: ENGINE });
  for (const text of ['"\uD800"', '"\uDC00"', '"a\uD83D\uDE00\uDE00"', '"\uD83D\uD83D\uDE00"']) {
    const a = api.call('assess_suitability', text);
    assert.equal(a.error.code, 'invalid_json');
    assert.match(a.error.message, /lone surrogate/);
  }
  assert.equal(api.call('assess_suitability', '{"language_culture": {"preferred_language": "\uD83D\uDE00"}}').ok, true);
});

test('the package parses the ASCII form of the answer: the same JSON as the text every binding gives', () => {
  const api = makeApi({ glue: raw, engine: ENGINE });
  const request = JSON.stringify({
    age: 40,
    language_culture: { preferred_language: 'Français 😀' },
    findings: { active_psychosis: 'présent' },
  });
  for (const [operation, text] of [['assess_suitability', request], ['rules', ''], ['version', '']]) {
    const utf8 = raw.call(operation, text);
    const ascii = raw.callAscii(operation, text);
    assert.ok(/^[\x00-\x7f]*$/.test(ascii), `${operation}: ASCII only`);
    assert.deepEqual(JSON.parse(ascii), JSON.parse(utf8), operation);
    assert.deepEqual(api.call(operation, text), JSON.parse(utf8), operation);
  }
  assert.ok(/[^\x00-\x7f]/.test(raw.call('assess_suitability', request)), 'the text form keeps its UTF-8');
});
