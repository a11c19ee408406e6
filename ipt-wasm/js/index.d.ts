// Types of the ipt-engine package. The request and answer types are generated from the
// engine's JSON Schemas (./types.d.ts).
import type * as T from './types.js';
export type * from './types.js';

type Result<A extends { result?: unknown }> = NonNullable<A['result']>;

/** An error answer of the engine, thrown by every function but `call`. */
export declare class IptError extends Error {
  /** The stable error code, e.g. `invalid_input` or `transition_refused`. */
  readonly code: T.ErrorCode;
  /** JSONPath of the offending field, or null. */
  readonly path: string | null;
  /** For `transition_refused`: every unmet precondition. */
  readonly unmet: T.Unmet[];
  /** The whole answer envelope. */
  readonly answer: unknown;
}

/** Resolves once the wasm module is loaded (immediately in Node). */
export declare const ready: PromiseLike<void>;
/** Loads the module (browsers: optionally from a given URL or module; Node: already loaded). Calls before it resolves throw IptError `not_ready`. */
export declare function init(input?: unknown): Promise<unknown>;

/** Any operation by name; returns the whole answer envelope and does not throw on error answers. */
export declare function call(operation: T.OperationName, request?: unknown): { ok: boolean; engine_version: string; protocol_version: string; operation: string; result?: unknown; error?: T.ErrorBody };
// @OPERATIONS@

/** A course kept in memory (its state and event log). */
export declare class Course {
  /** Starts a course; throws IptError when the request is refused. */
  constructor(request: T.CourseStartRequest);
  /** Restores a course from a snapshot; throws IptError when it is refused. */
  static fromSnapshot(snapshot: T.CourseApplyRequest['snapshot']): Course;
  /** The result of the start. */
  readonly started: Result<T.CourseStartAnswer>;
  /** Applies one event: its outputs and how many events the course holds (the snapshot stays in the course: `snapshot()`). A refused event throws IptError (transition_refused) and changes nothing. */
  apply(event: T.CourseApplyRequest['event']): { outputs: Result<T.CourseApplyAnswer>['outputs']; events: number };
  status(): Result<T.CourseStatusAnswer>;
  snapshot(): T.CourseApplyRequest['snapshot'];
  /** Releases the course's wasm memory; later calls throw IptError (invalid_handle). */
  free(): void;
}
