// Node entry: the wasm module is loaded synchronously, so the API is ready on import.
import { createRequire } from 'node:module';
import { makeApi, IptError } from './wrap.mjs';

const glue = createRequire(import.meta.url)('./node/ipt_wasm.js');
// What the build read from the engine: versions, operations, the request limit.
const ENGINE = /*@ENGINE@*/ null;
const api = makeApi({ glue, engine: ENGINE });
export { IptError };
export const {
  Course, call, /*@OPERATIONS@*/
} = api;
/** Test builds only: a deliberate panic (absent from the published package). */ // @TEST-ONLY@
export const panicForTest = api.panicForTest; // @TEST-ONLY@
/** In Node the module is loaded on import: `ready` and `init()` resolve at once. */
export const ready = Promise.resolve();
export const init = () => ready;
