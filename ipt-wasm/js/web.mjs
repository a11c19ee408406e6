// Browser and bundler entry: `await ready` (or `await init()`) once before the first call.
import initWasm, * as raw from './web/ipt_wasm.js';
import { makeApi, IptError } from './wrap.mjs';

// The engine's operations, filled in from its schemas when the package is built.
const OPERATIONS = [/*@NAMES@*/];
let loaded = false;
const api = makeApi(raw, undefined, OPERATIONS, () => loaded);
export { IptError };
export const {
  Course, call, /*@OPERATIONS@*/
} = api;
let loading;
/** Loads the wasm module (fetching ipt_wasm_bg.wasm beside this file unless given). */
export function init(input) {
  loading ??= initWasm(input === undefined ? undefined : { module_or_path: input }).then((m) => {
    loaded = true;
    return m;
  });
  return loading;
}
export const ready = { then: (ok, err) => init().then(ok, err) };
