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
/** Browsers: loads the module, optionally from a given URL or module. */
export declare function init(input?: unknown): Promise<unknown>;

/** Any operation by name; returns the whole answer envelope and does not throw on error answers. */
export declare function call(operation: string, request: unknown): { ok: boolean; engine_version: string; protocol_version: string; operation: string; result?: unknown; error?: T.ErrorBody };
export declare function version(): Result<T.VersionAnswer>;
export declare function rules(): Result<T.RulesAnswer>;
export declare function schemas(): Result<T.SchemasAnswer>;
export declare function assessSuitability(request: T.AssessSuitabilityRequest): Result<T.AssessSuitabilityAnswer>;
export declare function serviceReadiness(request: T.ServiceReadinessRequest): Result<T.ServiceReadinessAnswer>;
export declare function rankProblemAreas(request: T.RankProblemAreasRequest): Result<T.RankProblemAreasAnswer>;
export declare function checkFocus(request: T.CheckFocusRequest): Result<T.CheckFocusAnswer>;
export declare function evaluateMeasure(request: T.EvaluateMeasureRequest): Result<T.EvaluateMeasureAnswer>;
export declare function courseStart(request: T.CourseStartRequest): Result<T.CourseStartAnswer>;
export declare function courseApply(request: T.CourseApplyRequest): Result<T.CourseApplyAnswer>;
export declare function courseReplay(request: T.CourseReplayRequest): Result<T.CourseReplayAnswer>;
export declare function courseStatus(request: T.CourseStatusRequest): Result<T.CourseStatusAnswer>;

/** A course kept in memory (its state and event log). */
export declare class Course {
  /** Starts a course; throws IptError when the request is refused. */
  constructor(request: T.CourseStartRequest);
  /** Restores a course from a snapshot; throws IptError when it is refused. */
  static fromSnapshot(snapshot: T.CourseApplyRequest['snapshot']): Course;
  /** The result of the start. */
  readonly started: Result<T.CourseStartAnswer>;
  /** Applies one event; a refused event throws IptError (transition_refused) and changes nothing. */
  apply(event: T.CourseApplyRequest['event']): Result<T.CourseApplyAnswer>;
  status(): Result<T.CourseStatusAnswer>;
  snapshot(): T.CourseApplyRequest['snapshot'];
  /** Releases the course's wasm memory. */
  free(): void;
}
