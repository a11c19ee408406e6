// Node entry: the wasm module is loaded synchronously, so the API is ready on import.
import { createRequire } from 'node:module';
import { makeApi, IptError } from './wrap.mjs';

const require = createRequire(import.meta.url);
const glue = require.resolve('./node/ipt_wasm.js');
const load = () => {
  delete require.cache[glue];
  return require(glue);
};
const api = makeApi(load(), load);
export { IptError };
export const {
  Course, call, /*@OPERATIONS@*/
} = api;
export const ready = Promise.resolve();
