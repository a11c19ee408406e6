// The object-in, object-out API over the wasm exports (JSON strings). It translates only:
// every decision is the engine's. Error answers become thrown IptError objects.

/** An error answer of the engine: `code` is the stable error code, `path` the JSONPath. */
export class IptError extends Error {
  constructor(answer) {
    const error = (answer && answer.error) || { code: 'internal', message: String(answer) };
    super(error.message);
    this.name = 'IptError';
    this.code = error.code;
    this.path = error.path ?? null;
    this.unmet = error.unmet ?? [];
    this.answer = answer;
  }
}

function unwrap(answerText) {
  const answer = JSON.parse(answerText);
  if (!answer.ok) throw new IptError(answer);
  return answer.result;
}

// A lone surrogate: UTF-16 that is not Unicode text (JSON.stringify escapes one, and the
// engine refuses the escape; a raw one must not slip through as U+FFFD).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** UTF-8 bytes of `s`, counted without encoding it. */
function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; } // a pair (lone ones are refused first)
    else n += 3;
  }
  return n;
}

// `reload`, when given, returns a fresh instance of the wasm module. A trap (a Rust panic is
// compiled to one) leaves the old instance in an unknown state, so after a trap the API moves
// to a fresh instance, and every live Course rebuilds itself there from what it was given
// (its start or snapshot and the events it accepted) before its next call: a trap never
// loses another course. `isReady` tells whether the module can be called (browsers: after
// `init`).
export function makeApi(initial, reload, operations, isReady = () => true) {
  let raw = initial;
  let generation = 0;
  let info; // the engine's `version` result: versions and limits
  const engineInfo = () => (info ??= JSON.parse(raw.call('version', '')).result);

  /** An error answer made before the engine is reached, in the engine's own envelope. */
  function refuse(operation, code, message) {
    const v = engineInfo();
    return new IptError({
      engine_version: v.engine_version, protocol_version: v.protocol_version,
      operation: String(operation), ok: false, error: { code, message },
    });
  }
  function notReady(operation) {
    return new IptError({ operation: String(operation), ok: false, error: { code: 'not_ready', message: 'the wasm module is not loaded yet: `await ready` (or `await init()`) before the first call' } });
  }
  /** The request as the JSON text the engine reads, or throws the refusal. */
  function requestText(operation, request) {
    let s;
    if (request === undefined) return '';
    if (typeof request === 'string') s = request;
    else if (typeof request === 'object') {
      try {
        s = JSON.stringify(request);
      } catch (e) {
        throw refuse(operation, 'invalid_argument', `the request cannot be written as JSON (${e && e.message ? e.message : e})`);
      }
    } else {
      throw refuse(operation, 'invalid_argument', `a request is a JSON string or an object, not ${typeof request === 'bigint' ? 'a BigInt' : `a ${typeof request}`}`);
    }
    const max = engineInfo().limits.max_request_bytes;
    if (s.length > max || (s.length * 3 > max && utf8Length(s) > max)) {
      throw refuse(operation, 'input_too_large', `the request is over ${max} bytes of UTF-8; at most ${max} are accepted`);
    }
    const m = LONE_SURROGATE.exec(s);
    if (m) {
      throw refuse(operation, 'invalid_json', `the request is not Unicode text: a lone surrogate (U+${m[0].charCodeAt(0).toString(16).toUpperCase()}) at UTF-16 index ${m.index}`);
    }
    return s;
  }
  function checkOperation(operation) {
    if (typeof operation !== 'string') {
      throw refuse(String(typeof operation), 'invalid_argument', `an operation name is a string, not ${typeof operation === 'bigint' ? 'a BigInt' : `a ${typeof operation}`}`);
    }
  }
  // A trap surfaces as an IptError (code `internal`) with the trap's message.
  function guard(operation, f) {
    if (!isReady()) throw notReady(operation);
    try {
      return f();
    } catch (e) {
      if (e instanceof IptError) throw e;
      if (typeof e === 'string') throw new IptError(JSON.parse(e));
      if (reload) {
        raw = reload();
        generation += 1;
      }
      throw new IptError({ operation, ok: false, error: { code: 'internal', message: `the engine failed (${e && e.message ? e.message : e}); it has been reloaded${reload ? ' and live courses are kept' : ''}` } });
    }
  }
  const op = (name) => (request) => guard(name, () => unwrap(raw.call(name, requestText(name, request))));

  class Course {
    #raw;
    #gen;
    #origin; // ['start', text] or ['snapshot', text]
    #events = [];
    #freed = false;
    /** Starts a course from a `course_start` request; throws IptError when refused. */
    constructor(request, restored) {
      if (restored) {
        [this.#raw, this.#origin] = restored;
      } else {
        const text = guard('course_start', () => requestText('course_start', request));
        this.#raw = guard('course_start', () => new raw.Course(text));
        this.#origin = ['start', text];
      }
      this.#gen = generation;
      /** The result of the start: `{snapshot, outputs}` (or the status, after fromSnapshot). */
      this.started = JSON.parse(this.#raw.startAnswer()).result;
    }
    /** Restores a course from a snapshot; throws IptError when it is refused. */
    static fromSnapshot(snapshot) {
      const text = guard('course_status', () => requestText('course_status', snapshot));
      return new Course(null, [guard('course_status', () => raw.Course.fromSnapshot(text)), ['snapshot', text]]);
    }
    /** The handle on the current instance, rebuilt there after a trap. */
    #live(operation) {
      if (this.#freed) {
        throw new IptError({ operation, ok: false, error: { code: 'invalid_handle', message: 'this Course has been freed' } });
      }
      if (this.#gen !== generation) {
        const [kind, text] = this.#origin;
        const fresh = kind === 'start' ? new raw.Course(text) : raw.Course.fromSnapshot(text);
        for (const e of this.#events) fresh.apply(e);
        this.#raw = fresh;
        this.#gen = generation;
      }
      return this.#raw;
    }
    /** Applies one event: `{outputs, events}`; a refused event throws IptError (code transition_refused) and changes nothing. */
    apply(event) {
      return guard('course_apply', () => {
        const text = requestText('course_apply', event);
        const answer = JSON.parse(this.#live('course_apply').apply(text));
        if (!answer.ok) throw new IptError(answer);
        this.#events.push(text);
        return answer.result;
      });
    }
    status() { return guard('course_status', () => unwrap(this.#live('course_status').status())); }
    snapshot() { return guard('course_status', () => JSON.parse(this.#live('course_status').snapshot())); }
    /** Releases the wasm memory of this course; later calls throw IptError (invalid_handle). */
    free() {
      if (this.#freed) return;
      this.#freed = true;
      if (this.#gen === generation) this.#raw.free();
      this.#raw = null;
      this.#events = [];
    }
  }
  const api = {
    IptError,
    Course,
    /** Any operation by name; returns the whole answer envelope and never throws on error answers. */
    call: (name, request) => {
      if (!isReady()) return notReady(name).answer;
      try {
        checkOperation(name);
        return guard(name, () => JSON.parse(raw.call(name, requestText(name, request))));
      } catch (e) {
        if (e instanceof IptError && e.answer && e.code !== 'internal') return e.answer;
        throw e;
      }
    },
  };
  /** Test builds only (feature test-panic): a deliberate panic. */
  if (initial.panicForTest) api.panicForTest = () => guard('panic_for_test', () => raw.panicForTest());
  // A named function per operation of the engine's table (`assess_suitability` ->
  // `assessSuitability`): the list is generated from the engine's schemas at build time.
  for (const name of operations) {
    api[camel(name)] = op(name);
  }
  return api;
}

/** `assess_suitability` -> `assessSuitability`. */
export const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
