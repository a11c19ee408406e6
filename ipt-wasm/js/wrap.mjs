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

const text = (request) => (typeof request === 'string' ? request : JSON.stringify(request));

function unwrap(answerText) {
  const answer = JSON.parse(answerText);
  if (!answer.ok) throw new IptError(answer);
  return answer.result;
}

// `reload`, when given, returns a fresh instance of the wasm module. A trap (a Rust panic is
// compiled to one) leaves the old instance in an unknown state, so after a trap the API moves
// to a fresh instance; courses created before it must be restored from their snapshots.
export function makeApi(initial, reload, operations) {
  let raw = initial;
  // A trap surfaces as an IptError (code `internal`) with the trap's message.
  function guard(f) {
    try {
      return f();
    } catch (e) {
      if (e instanceof IptError) throw e;
      if (typeof e === 'string') throw new IptError(JSON.parse(e));
      if (reload) raw = reload();
      throw new IptError({ error: { code: 'internal', message: `the engine failed (${e && e.message ? e.message : e}); it has been reloaded` } });
    }
  }
  const op = (name) => (request) =>
    guard(() => unwrap(raw.call(name, request === undefined ? '' : text(request))));
  class Course {
    #raw;
    /** Starts a course from a `course_start` request; throws IptError when refused. */
    constructor(request, restored) {
      this.#raw = restored ?? guard(() => new raw.Course(text(request)));
      /** The result of the start: `{snapshot, outputs}` (or the status, after fromSnapshot). */
      this.started = JSON.parse(this.#raw.startAnswer()).result;
    }
    /** Restores a course from a snapshot; throws IptError when it is refused. */
    static fromSnapshot(snapshot) {
      return new Course(null, guard(() => raw.Course.fromSnapshot(text(snapshot))));
    }
    /** Applies one event; a refused event throws IptError (code transition_refused) and changes nothing. */
    apply(event) { return guard(() => unwrap(this.#raw.apply(text(event)))); }
    status() { return guard(() => unwrap(this.#raw.status())); }
    snapshot() { return JSON.parse(this.#raw.snapshot()); }
    /** Releases the wasm memory of this course. */
    free() { this.#raw.free(); }
  }
  const api = {
    IptError,
    Course,
    /** Any operation by name; returns the whole answer envelope and never throws on error answers. */
    call: (name, request) => guard(() => JSON.parse(raw.call(name, request === undefined ? '' : text(request)))),
    /** Test builds only (feature test-panic): a deliberate panic. */
    panicForTest: () => guard(() => raw.panicForTest()),
  };
  // A named function per operation of the engine's table (`assess_suitability` ->
  // `assessSuitability`): the list is generated from the engine's schemas at build time.
  for (const name of operations) {
    api[camel(name)] = op(name);
  }
  return api;
}

/** `assess_suitability` -> `assessSuitability`. */
export const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
