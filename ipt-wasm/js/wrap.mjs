// The object-in, object-out API over the wasm exports (JSON strings). It translates only:
// every decision is the engine's. Error answers become thrown IptError objects.
//
// The boundary. Before anything crosses into wasm, the arguments are checked here: an
// operation name must be a string and a request a string, a plain object or array, or
// undefined (`invalid_argument`); a request must be Unicode text (a lone surrogate is
// `invalid_json`, where the glue would silently store U+FFFD) and at most the engine's byte
// limit (`input_too_large`, without copying it into wasm memory). The engine checks the same
// again. Every answer made here has the engine's envelope, word for word where the engine
// would answer the same input.
//
// A trap (a Rust panic compiles to one; so do out-of-memory and stack overflow) leaves the wasm
// instance in an unknown state, so after one the module is reset to a fresh instance and every
// live Course rebuilds itself there, before its next call, from what it was given: its start
// request or snapshot and the event texts it has accepted since (replaced by a snapshot once
// they outgrow it). A trap never loses another course.

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

// A lone surrogate: UTF-16 that is not Unicode text.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = typeof String.prototype.isWellFormed === 'function'
  ? (s) => s.isWellFormed()
  : (s) => !LONE_SURROGATE.test(s);

/** UTF-8 bytes of `s` as it would cross (a lone surrogate as U+FFFD), counted without encoding. */
export function utf8Length(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c <= 0xdbff && c >= 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a pair: 4 bytes for 2 units
      i++;
    } else n += 2;
  }
  return n;
}

/**
 * The engine's clip of an echoed name (`ipt_core::error::clip`): at most 64 characters, with
 * the length said when longer; a lone surrogate shows as U+FFFD, as it would after crossing.
 */
export function clip(text, keep = 64) {
  let shown = '';
  let count = 0;
  for (const ch of text) {
    if (count < keep) shown += ch.length === 1 && ch >= '\uD800' && ch <= '\uDFFF' ? '\uFFFD' : ch;
    count++;
  }
  return count > keep ? `${shown}… (${count} characters)` : shown;
}

/**
 * A plain object (made by a literal, JSON.parse or Object.create(null), in any realm) or an
 * array: what a request may be besides its JSON text.
 */
function isPlain(x) {
  if (x === null || typeof x !== 'object') return false;
  try {
    if (Array.isArray(x)) return true;
    const proto = Object.getPrototypeOf(x);
    return proto === null || Object.getPrototypeOf(proto) === null;
  } catch {
    return false; // a revoked proxy
  }
}

/** What a value is, for a refusal's message. */
function kind(x) {
  if (x === null || x === undefined) return String(x);
  if (typeof x === 'bigint') return 'a BigInt';
  if (typeof x !== 'object') return `a ${typeof x}`;
  try {
    if (Array.isArray(x)) return 'an array';
    const proto = Object.getPrototypeOf(x);
    if (proto === null || proto === Object.prototype) return 'an object';
    if (typeof proto.constructor?.name === 'string' && proto.constructor.name) return `a ${proto.constructor.name} object`;
  } catch {
    // a revoked proxy
  }
  return 'an object that is not plain';
}
const describe = (e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
// A name given to the engine is short; a longer one is unknown without asking it.
const LONGEST_NAME_ASKED = 4096;

// The module is built without the schema generator: its `schemas` answer ends with a null
// result, where the committed schemas the package ships (schemas.json) go.
const SCHEMAS_HOLE = '"ok":true,"result":null}';

/**
 * The API over `glue` (the wasm-bindgen module: `callAscii`, whose answers it parses, `Course`,
 * `__wbg_reset_state`).
 * `engine` holds what the build read from the engine (versions, operations, request limit);
 * `isReady` tells whether the module can be called (browsers: after `init`); `schemas` gives
 * the text of schemas.json, or null while it is not loaded (browsers: before `loadSchemas`).
 */
export function makeApi({ glue, engine, isReady = () => true, schemas = () => null }) {
  if (!engine || !Array.isArray(engine.operations) || typeof glue.__wbg_reset_state !== 'function') {
    throw new Error('ipt-engine: run the built package (ipt-wasm/build.sh), not ipt-wasm/js/');
  }
  const MAX = engine.max_request_bytes;
  const known = new Set(engine.operations);
  let generation = 0; // the instance the handles belong to; counts resets
  let resetPending = false;

  /** An error answer made at the boundary, in the engine's envelope. */
  const answerOf = (operation, code, message) => ({
    engine_version: engine.engine_version,
    protocol_version: engine.protocol_version,
    terminology_version: engine.terminology_version,
    operation,
    ok: false,
    error: { code, message },
  });
  const refusal = (operation, code, message) => new IptError(answerOf(operation, code, message));

  function reset() {
    resetPending = true;
    generation += 1;
    glue.__wbg_reset_state();
    resetPending = false;
  }
  /** Runs `f` against the module; a trap resets it and becomes an IptError `internal`. */
  function cross(operation, f) {
    if (resetPending) {
      try {
        reset();
      } catch (e) {
        throw refusal(operation, 'internal', `the engine could not be reloaded (${describe(e)})`);
      }
    }
    try {
      return f();
    } catch (e) {
      if (e instanceof IptError) throw e;
      // The glue throws a refused Course start or restore as the engine's answer text.
      if (typeof e === 'string') throw new IptError(JSON.parse(e));
      let how = 'it has been reloaded and live courses are kept';
      try {
        reset();
      } catch (r) {
        how = `it could not be reloaded (${describe(r)})`;
      }
      throw refusal(operation, 'internal', `the engine failed (${describe(e)}); ${how}`);
    }
  }

  function checkReady(operation) {
    if (!isReady()) {
      throw refusal(operation, 'not_ready', 'the wasm module is not loaded yet: `await ready` (or `await init()`) before the first call');
    }
  }
  /** The request as the JSON text the engine reads, or the refusal thrown. Nothing crosses. */
  function requestText(operation, request) {
    let s;
    if (request === undefined) return '';
    if (typeof request === 'string') {
      s = request;
    } else {
      if (!isPlain(request)) {
        throw refusal(operation, 'invalid_argument', `a request is a JSON string, a plain object or an array, not ${kind(request)}`);
      }
      try {
        s = JSON.stringify(request);
      } catch (e) {
        if (e instanceof RangeError && /string length/i.test(e.message)) {
          throw refusal(operation, 'input_too_large', `the request is longer than a JavaScript string can hold; at most ${MAX} bytes are accepted`);
        }
        throw refusal(operation, 'invalid_argument', `the request cannot be written as JSON (${describe(e)})`);
      }
      if (typeof s !== 'string') {
        throw refusal(operation, 'invalid_argument', 'the request cannot be written as JSON (its toJSON gave nothing)');
      }
    }
    // Every UTF-16 unit is 1 to 3 bytes of UTF-8, so up to MAX/3 units is under the limit;
    // past that the bytes are counted (also when the length alone is over: the answer names
    // them, as the engine's does).
    if (s.length * 3 > MAX) {
      const bytes = utf8Length(s);
      if (bytes > MAX) throw refusal(operation, 'input_too_large', `the request is ${bytes} bytes; at most ${MAX} are accepted`);
    }
    if (!wellFormed(s)) {
      const m = LONE_SURROGATE.exec(s);
      const unit = m[0].charCodeAt(0).toString(16).toUpperCase();
      throw refusal(operation, 'invalid_json', `the request is not valid JSON: a lone surrogate (U+${unit}) at UTF-16 index ${m.index}; a request must be Unicode text`);
    }
    return s;
  }
  /** The name as the engine would echo it, for answers made here. */
  const shown = (name) => clip(name);
  function checkName(name) {
    if (typeof name !== 'string') {
      throw refusal('', 'invalid_argument', `an operation name is a string, not ${kind(name)}`);
    }
  }

  /** The engine's answer text to `name`, the schemas put into a `schemas` answer. */
  function answerText(name, text) {
    const answer = cross(name, () => glue.callAscii(name, text));
    if (name !== 'schemas' || !answer.endsWith(SCHEMAS_HOLE)) return answer;
    const all = schemas();
    if (all === null) {
      throw refusal(name, 'not_ready', 'the schemas are not loaded yet: `await loadSchemas()` before asking for them');
    }
    return `${answer.slice(0, -SCHEMAS_HOLE.length)}"ok":true,"result":${all}}`;
  }

  /** A named operation: its result, or the IptError thrown. */
  const op = (name) => (request) => {
    checkReady(name);
    const text = requestText(name, request);
    return unwrap(answerText(name, text));
  };

  // Builds the next Course from a handle made outside the constructor (fromSnapshot).
  let restoring = null;

  class Course {
    #raw;
    #gen;
    #origin; // ['start' | 'snapshot', JSON text]
    #events = []; // event texts accepted since the origin
    #kept = 0; // their UTF-16 length
    #floor = 0; // the length of the texts after the last checkpoint
    #freed = false;
    #broken = null;
    /** Starts a course from a `course_start` request; throws IptError when refused. */
    constructor(request) {
      if (restoring) {
        [this.#raw, this.#origin] = restoring;
        restoring = null;
      } else {
        checkReady('course_start');
        const text = requestText('course_start', request);
        this.#raw = cross('course_start', () => new glue.Course(text));
        this.#origin = ['start', text];
      }
      this.#gen = generation;
      /** The result of the start: `{snapshot, outputs}` (or the status, after fromSnapshot). */
      this.started = JSON.parse(cross('course_start', () => this.#raw.startAnswer())).result;
      this.#checkpoint(this.#raw);
    }
    /** Restores a course from a snapshot; throws IptError when it is refused. */
    static fromSnapshot(snapshot) {
      checkReady('course_status');
      const text = requestText('course_status', snapshot);
      const raw = cross('course_status', () => glue.Course.fromSnapshot(text));
      restoring = [raw, ['snapshot', text]];
      return new Course();
    }
    /**
     * Once the texts kept for a rebuild are over 1 MiB and twice what they were after the last
     * checkpoint, the course's snapshot replaces them: a padded start or event is not kept,
     * and the snapshots taken cost at most a constant times the text applied.
     */
    #checkpoint(raw) {
      const size = this.#origin[1].length + this.#kept;
      if (size <= 1 << 20 || size <= 2 * this.#floor) return;
      try {
        const snapshot = raw.snapshot();
        this.#origin = ['snapshot', snapshot];
        this.#events = [];
        this.#kept = 0;
        this.#floor = snapshot.length;
      } catch {
        // A trap here loses nothing: the course is rebuilt from the texts kept.
        try {
          reset();
        } catch {
          // still pending: the next call tries again
        }
      }
    }
    /** The handle on the current instance, rebuilt there after a reset. */
    #live(operation) {
      if (this.#freed) throw refusal(operation, 'invalid_handle', 'this Course has been freed');
      if (this.#broken) throw refusal(operation, 'internal', this.#broken);
      if (this.#gen !== generation) {
        cross(operation, () => {
          const [how, text] = this.#origin;
          let fresh;
          try {
            fresh = how === 'start' ? new glue.Course(text) : glue.Course.fromSnapshot(text);
            for (const e of this.#events) {
              const answer = JSON.parse(fresh.apply(e));
              if (!answer.ok) throw JSON.stringify(answer);
            }
          } catch (e) {
            if (typeof e !== 'string') throw e; // a trap: the next call tries again
            // The engine refused what it accepted before: a defect, reported as such.
            this.#broken = `this Course could not be rebuilt after the engine was reloaded (${JSON.parse(e).error.message})`;
            throw refusal(operation, 'internal', this.#broken);
          }
          this.#raw = fresh;
          this.#gen = generation;
        });
      }
      return this.#raw;
    }
    /** Applies one event: `{outputs, events}` (the engine's `course_handle_apply`); a refused event throws IptError (code transition_refused) and changes nothing. */
    apply(event) {
      const raw = this.#live('course_handle_apply');
      const text = requestText('course_handle_apply', event);
      const result = cross('course_handle_apply', () => unwrap(raw.apply(text)));
      this.#events.push(text);
      this.#kept += text.length;
      this.#checkpoint(raw);
      return result;
    }
    /** The course's status (a `course_status` result). */
    status() {
      return cross('course_status', () => unwrap(this.#live('course_status').status()));
    }
    /** The course's snapshot, for `courseApply`, `courseStatus` or `Course.fromSnapshot`. */
    snapshot() {
      return JSON.parse(cross('course_status', () => this.#live('course_status').snapshot()));
    }
    /** Releases the wasm memory of this course; later calls throw IptError (invalid_handle). */
    free() {
      if (this.#freed) return;
      this.#freed = true;
      const raw = this.#raw;
      this.#raw = null;
      this.#origin = null;
      this.#events = [];
      // A handle of an instance since reset is dropped, not freed: its memory went with it.
      if (this.#gen === generation && raw) cross('course_status', () => raw.free());
    }
  }

  const api = {
    IptError,
    Course,
    /** Any operation by name: the whole answer envelope; never throws. */
    call(name, request) {
      try {
        checkName(name);
        if (!isReady()) checkReady(shown(name));
        if (!known.has(name)) {
          // Unknown: the engine's answer, which does not read the request.
          if (name.length > LONGEST_NAME_ASKED) {
            const s = shown(name);
            return answerOf(s, 'unknown_operation', `unknown operation \`${s}\``);
          }
          return JSON.parse(cross(name, () => glue.callAscii(name, '')));
        }
        const text = requestText(name, request);
        return JSON.parse(answerText(name, text));
      } catch (e) {
        if (e instanceof IptError) return e.answer;
        throw e;
      }
    },
  };
  if (glue.panicForTest) api.panicForTest = () => cross('panic_for_test', () => glue.panicForTest()); // @TEST-ONLY@
  // A named function per operation of the engine (`assess_suitability` -> `assessSuitability`).
  for (const name of engine.operations) api[camel(name)] = op(name);
  return api;
}

/** `assess_suitability` -> `assessSuitability`. */
export const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
