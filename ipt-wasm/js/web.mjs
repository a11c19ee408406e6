// Browser and bundler entry: `await ready` (or `await init()`) once before the first call;
// a call before it throws IptError `not_ready` (`call` answers it). The module is fetched from
// `new URL("ipt_wasm_bg.wasm", import.meta.url)` (which Vite emits with the bundle),
// or from where `init(url)` says (esbuild: see the README).
import initWasm, * as glue from './ipt_wasm.js';
import { makeApi, IptError } from './wrap.mjs';

// What the build read from the engine: versions, operations, the request limit.
const ENGINE = /*@ENGINE@*/ null;
let loaded = false;
let schemasText = null;
const api = makeApi({ glue, engine: ENGINE, isReady: () => loaded, schemas: () => schemasText });
export { IptError };
export const {
  Course, call, /*@OPERATIONS@*/
} = api;
/** Test builds only: a deliberate panic (absent from the published package). */ // @TEST-ONLY@
export const panicForTest = api.panicForTest; // @TEST-ONLY@
let loading;
/** Loads the wasm module (fetching ipt_wasm_bg.wasm beside this file unless given); a failed load may be retried. */
export function init(input) {
  loading ??= initWasm(input === undefined ? undefined : { module_or_path: input }).then(
    () => {
      loaded = true;
    },
    (e) => {
      loading = undefined;
      throw input === undefined ? new Error(`ipt-engine: ipt_wasm_bg.wasm could not be loaded from beside the package's script (${e?.message ?? e}). `
        + 'A bundler must emit the file: Vite does; with esbuild, import its URL '
        + "(`import wasmUrl from 'ipt-engine/ipt_wasm_bg.wasm'` with `--loader:.wasm=file`) and `await init(wasmUrl)` "
        + 'before the first call (see the package README).', { cause: e }) : e;
    },
  );
  return loading;
}
/** Resolves once the module is loaded (awaiting it starts the load). */
export const ready = { then: (ok, err) => init().then(ok, err) };
let loadingSchemas;
/**
 * Fetches the JSON Schemas (schemas.json beside this file unless given) for `schemas()`: they
 * are not part of the wasm module, and a page that never asks for them never loads them.
 */
export function loadSchemas(input) {
  loadingSchemas ??= fetch(input ?? new URL('schemas.json', import.meta.url))
    .then((r) => {
      if (!r.ok) throw new Error(`ipt-engine: schemas.json could not be loaded (HTTP ${r.status})`);
      return r.text();
    })
    .then(
      (text) => {
        schemasText = text;
      },
      (e) => {
        loadingSchemas = undefined;
        throw e;
      },
    );
  return loadingSchemas;
}
