// Node entry: the wasm module is loaded synchronously, so the API is ready on import.
import { createRequire } from 'node:module';
import { makeApi, IptError } from './wrap.mjs';

const require = createRequire(import.meta.url);
const glue = require.resolve('./node/ipt_wasm.js');
const load = () => {
  delete require.cache[glue];
  return require(glue);
};
// The engine's operations, filled in from its schemas when the package is built.
const OPERATIONS = [/*@NAMES@*/];
const api = makeApi(load(), load, OPERATIONS);
export { IptError };
export const {
  Course, call, /*@OPERATIONS@*/
} = api;
/** Test builds only: a deliberate panic (undefined in the published package). */
export const panicForTest = api.panicForTest;
/** In Node the module is loaded on import: `ready` and `init()` resolve at once. */
export const ready = Promise.resolve();
export const init = () => ready;
