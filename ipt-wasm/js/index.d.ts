// Types of the ipt-engine package. The request and answer types are generated from the
// engine's JSON Schemas (./types.d.ts).
import type * as T from './types.js';
export type * from './types.js';

type Result<A extends { result?: unknown }> = NonNullable<A['result']>;

/** An error answer envelope: what an IptError carries and what `call` returns when `ok` is false. */
export interface ErrorAnswer {
  engine_version: string;
  protocol_version: string;
  terminology_version: string;
  /** The operation as given (clipped to 64 characters; empty when the name was not a string). */
  operation: string;
  ok: false;
  error: T.ErrorBody;
}

/** An error answer of the engine or of the package's boundary, thrown by every function but `call`. */
export declare class IptError extends Error {
  constructor(answer: ErrorAnswer);
  /** The stable error code, e.g. `invalid_input`, `transition_refused`, `invalid_argument`. */
  readonly code: T.ErrorCode;
  /** JSONPath of the offending field, or null. */
  readonly path: string | null;
  /** For `transition_refused`: every unmet precondition. */
  readonly unmet: T.Unmet[];
  /** The whole answer envelope. */
  readonly answer: ErrorAnswer;
}

/** Resolves once the wasm module is loaded (immediately in Node). */
export declare const ready: PromiseLike<void>;
/** Loads the module (browsers: optionally from a given URL, bytes or `WebAssembly.Module`; Node: already loaded). Calls before it resolves throw IptError `not_ready`. */
export declare function init(input?: unknown): Promise<void>;
/** Loads the JSON Schemas for `schemas()` (browsers: fetched from `schemas.json` beside the package, or the URL given; Node: read on first use). In browsers `schemas()` before it resolves throws IptError `not_ready`. */
export declare function loadSchemas(input?: string | URL): Promise<void>;

/**
 * Any operation by name, with its request as an object or as JSON text: the whole answer
 * envelope. Error answers are returned, never thrown (`ok` is false and `error` says why).
 */
export declare function call<O extends T.OperationName>(operation: O, request?: T.Operations[O]['request'] | string): T.Operations[O]['answer'];
// @OPERATIONS@

/** What `Course.apply` answers (the engine's `course_handle_apply`, generated from its schema): the outputs of the event and how many events the course holds. */
export type CourseApplied = Result<T.CourseHandleApplyAnswer>;

/**
 * A course kept in the wasm module (its state and event log). It survives a reload of the
 * module after an engine failure: it is rebuilt on the fresh instance before its next call.
 */
export declare class Course {
  /** Starts a course; throws IptError when the request is refused. */
  constructor(request: T.CourseStartRequest | string);
  /** Restores a course from a snapshot; throws IptError (operation `course_status`) when it is refused. */
  static fromSnapshot(snapshot: T.Snapshot | string): Course;
  /** The result of the start (`{snapshot, outputs}`); after `fromSnapshot`, the status at restore. */
  readonly started: Result<T.CourseStartAnswer> | Result<T.CourseStatusAnswer>;
  /** Applies one event (the snapshot stays in the course: `snapshot()`). A refused event throws IptError (transition_refused) and changes nothing. */
  apply(event: T.CourseHandleApplyEvent | string): CourseApplied;
  status(): Result<T.CourseStatusAnswer>;
  snapshot(): T.Snapshot;
  /** Releases the course's wasm memory; later calls throw IptError (invalid_handle). */
  free(): void;
}
